import TandemCore
import Foundation
import Hummingbird
import Testing
@testable import TandemApp

@Suite("Health, metrics, OpenAPI and configuration")
struct PlatformTests {
    @Test(arguments: TestEngine.all)
    func healthNamesTheEngine(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let health = try await api.call(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.json == ["status": "ok", "database": .string(engine.rawValue)])
        }
    }

    @Test func healthIs503WhenTheDatabaseIsGone() async throws {
        let testDatabase = try await TestDatabase.make(.sqlite)
        let database = try await testDatabase.open()
        let services = TandemServices(configuration: TandemConfiguration(database: testDatabase.location, bcryptCost: 4), database: database)
        let app = Application(router: buildRouter(services: services))
        await database.close()
        await database.close()  // a second close must be harmless (it once crashed in SQLiteNIO)
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .serviceUnavailable)
        }
        await testDatabase.cleanup()
    }

    @Test func metricsCountRequestsByRoute() async throws {
        try await withTandem(.sqlite) { api, _ in
            _ = try await api.call(.get, "/healthz")
            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains(#"http_route="/healthz""#))
            #expect(metrics.text.contains("http_server_request_duration"))
        }
    }

    @Test func unknownRoutesAndServerErrorsKeepTheErrorShape() async throws {
        try await withTandem(.sqlite) { api, _ in
            let missing = try await api.call(.get, "/api/v1/nothing-here")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
        }
    }

    /// The document and the router must describe the same `/api/v1` operations.
    @Test func openAPIDescribesEveryRoute() async throws {
        let testDatabase = try await TestDatabase.make(.sqlite)
        let database = try await testDatabase.open()
        let router = buildRouter(services: TandemServices(configuration: TandemConfiguration(database: testDatabase.location), database: database))
        let routed = Set(router.routes.compactMap { route -> String? in
            let path = route.path.description
            guard path.hasPrefix("/api/v1") else { return nil }
            let openAPIPath = path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            return "\(route.method.rawValue.lowercased()) /\(openAPIPath)"
        })
        var documented = Set<String>()
        guard case .object(let paths)? = OpenAPIDocument.tandem["paths"] else { Issue.record("no paths"); return }
        for (path, item) in paths {
            guard case .object(let operations) = item else { continue }
            for method in operations.keys { documented.insert("\(method) \(path)") }
        }
        #expect(routed == documented, "undocumented: \(routed.subtracting(documented)); stale: \(documented.subtracting(routed))")
        #expect(routed.count >= 15)

        try await Application(router: router).test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try JSONDecoder().decode(JSONValue.self, from: Data(String(buffer: response.body).utf8))
            #expect(document["openapi"]?.string == "3.1.0")
        }
        await database.close()
        await testDatabase.cleanup()
    }

    @Test("database URLs", arguments: [
        ("sqlite:///var/lib/tandem/data.sqlite", DatabaseLocation.sqlite(path: "/var/lib/tandem/data.sqlite")),
        ("postgres://tandem:s3cret@db.local:5433/tandem", .postgres(host: "db.local", port: 5433, username: "tandem", password: "s3cret", database: "tandem")),
        ("postgresql://tandem@localhost/tandem", .postgres(host: "localhost", port: 5432, username: "tandem", password: nil, database: "tandem")),
    ])
    func databaseURLs(raw: String, expected: DatabaseLocation) {
        #expect(DatabaseLocation.parse(raw) == expected)
    }

    @Test("refused database URLs", arguments: ["mysql://x@y/z", "sqlite://relative.sqlite", "postgres://host/db", "postgres://u@h/", "nonsense"])
    func refusedDatabaseURLs(raw: String) {
        #expect(DatabaseLocation.parse(raw) == nil)
    }

    @Test func configurationDefaultsAndProblems() throws {
        let defaults = try TandemConfiguration.fromEnvironment([:], cwd: "/srv/team")
        #expect(defaults.database == .sqlite(path: "/srv/team/tandem-data/tandem.sqlite"))
        #expect(defaults.host == "127.0.0.1")
        #expect(defaults.port == 8080)
        #expect(defaults.signupOpen)

        #expect(throws: TandemConfiguration.Problems.self) {
            try TandemConfiguration.fromEnvironment(["TANDEM_DATABASE_URL": "mysql://x"], cwd: "/")
        }
        do {
            _ = try TandemConfiguration.fromEnvironment(["TANDEM_DATABASE_URL": "mysql://x", "TANDEM_PORT": "eighty"], cwd: "/")
        } catch let problems as TandemConfiguration.Problems {
            #expect(problems.messages.count == 2, "all problems are listed at once")
            #expect(problems.description.contains("TANDEM_DATABASE_URL"))
            #expect(problems.description.contains("postgres://USER:PASS@HOST:PORT/DB"))
        }
        #expect(DatabaseLocation.postgres(host: "h", port: 1, username: "u", password: "pw-secret", database: "d").redactedDescription.contains("pw-secret") == false)
    }
}

@Suite("Row coding")
struct RowCodingTests {
    @Test("snake case", arguments: [("createdAt", "created_at"), ("id", "id"), ("productOwnerId", "product_owner_id"), ("acceptanceCriteria", "acceptance_criteria")])
    func snakeCase(name: String, column: String) {
        #expect(RowCoding.snakeCase(name) == column)
    }
}

@Suite("Dates in JSON")
struct DateEncodingTests {
    @Test func matchesISO8601AndRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_795_378_148)
        #expect(ISO8601UTC.string(date) == "2026-11-22T20:09:08Z")
        #expect(ISO8601UTC.string(Date(timeIntervalSince1970: 0.25)) == "1970-01-01T00:00:00.250Z")
        let decoded = try #require(ISO8601DateFormatter().date(from: ISO8601UTC.string(date)))
        #expect(decoded == date)
    }
}

@Suite("Methods a path does not declare")
struct MethodNotAllowedTests {
    @Test func answer405WithAllowAndTheErrorShape() async throws {
        try await withTandem(.sqlite) { api, _ in
            let person = try await api.person("Paula")
            for method in [HTTPRequest.Method("TRACE")!, .put, .patch] {
                let result = try await api.call(method, "/api/v1/products", token: person.token)
                #expect(result.status == .methodNotAllowed, "\(method)")
                #expect(result.headers[.allow] == "GET, HEAD, POST")
                #expect(result.errorCode == "method_not_allowed")
            }
            let item = try await api.call(.put, "/api/v1/items/ANY-1", token: person.token)
            #expect(item.status == .methodNotAllowed, "\(item.text)")
            #expect(item.headers[.allow] == "DELETE, GET, HEAD, PATCH")
            let page = try await api.call(.delete, "/login")
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers[.allow] == "GET, HEAD, POST")
            // a path that does not exist at all stays 404
            #expect(try await api.call(.get, "/api/v1/nowhere", token: person.token).status == .notFound)
            #expect(try await api.call(.head, "/healthz").status == .ok)
        }
    }
}

@Suite("Schema")
struct SchemaTests {
    /// Ranks must order byte-wise whatever the server's locale; on PostgreSQL the column says so itself.
    @Test(arguments: TestEngine.all)
    func rankKeysCompareBytes(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            for title in ["one", "two", "three"] { try await f.item(title) }
            let ordered = try await services.database.read { db in
                try await db.raw("SELECT rank FROM backlog_items ORDER BY rank").all().map { try $0.decode(column: "rank", as: String.self) }
            }
            #expect(ordered == ordered.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            if engine == .postgres {
                let collation = try await services.database.read { db in
                    try await db.raw("""
                        SELECT collation_name FROM information_schema.columns
                        WHERE table_schema = current_schema() AND table_name = 'backlog_items' AND column_name = 'rank'
                        """).first()?.decode(column: "collation_name", as: String?.self)
                }
                #expect(collation == "C")
            }
        }
    }
}

@Suite("Stored values")
struct StoredValueTests {
    /// A status this version does not know is an error naming the row, never read as "open".
    @Test func anUnknownStoredStatusIsAnErrorNamingTheRow() async throws {
        try await withTandem(.sqlite) { api, services in
            let f = try await BacklogFixture.make(api)
            let item = try await f.item("Odd")
            let id = try #require(item["id"]?.string)
            try await services.database.write { db in
                try await db.raw("UPDATE backlog_items SET status = 'archived' WHERE id = \(bind: id)").run()
            }
            let read = try await api.call(.get, "/api/v1/items/\(id)", token: f.po.token)
            #expect(read.status == .internalServerError)
            #expect(read.errorCode == "unreadable_row")
            #expect(read.json["error"]?["message"]?.string?.contains(id) == true)
            #expect(read.json["error"]?["message"]?.string?.contains("status") == true)
        }
    }
}
