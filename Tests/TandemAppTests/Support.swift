import TandemCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import TandemApp
import Testing

/// The storage engines a test runs on: SQLite always, PostgreSQL when `TANDEM_TEST_POSTGRES_URL` is set (CI sets it).
enum TestEngine: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["TANDEM_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let all: [TestEngine] = postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
}

/// A fresh, migrated database: a temporary SQLite file, or a PostgreSQL schema of its own on the shared test server.
struct TestDatabase {
    let location: DatabaseLocation
    let postgresOptions: [(String, String)]
    let cleanup: @Sendable () async -> Void
    static let logger: Logger = {
        var logger = Logger(label: "tandem-test")
        logger.logLevel = .warning
        return logger
    }()

    static func make(_ engine: TestEngine) async throws -> TestDatabase {
        switch engine {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tandem-test-\(UUID().uuidString)")
            return TestDatabase(location: .sqlite(path: folder.path + "/test.sqlite"), postgresOptions: []) {
                try? FileManager.default.removeItem(at: folder)
            }
        case .postgres:
            guard let raw = TestEngine.postgresURL, let location = DatabaseLocation.parse(raw) else {
                throw TestSetupError("TANDEM_TEST_POSTGRES_URL is not a postgres:// URL")
            }
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let admin = try await TandemDatabase.open(location, logger: logger)
            try await admin.write { db in try await db.raw("CREATE SCHEMA \(ident: schema)").run() }
            await admin.close()
            return TestDatabase(location: location, postgresOptions: [("search_path", schema)]) {
                if let admin = try? await TandemDatabase.open(location, logger: logger) {
                    try? await admin.write { db in try await db.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
                    await admin.close()
                }
            }
        }
    }

    func open() async throws -> TandemDatabase {
        let database = try await TandemDatabase.open(location, logger: Self.logger, postgresOptions: postgresOptions)
        try await Migrator.migrate(database, logger: Self.logger)
        return database
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` against a real router on a fresh database, then removes the database.
/// `configure` adjusts the settings (limits, proxies, tokens); `setup` chooses the in-process router or a live server.
func withTandem(
    _ engine: TestEngine, signupOpen: Bool = true, setup: TestingSetup = .router, stamps: Stamps = .system,
    configure: (inout TandemConfiguration) -> Void = { _ in },
    _ body: @Sendable (TestAPI, TandemServices) async throws -> Void
) async throws {
    let testDatabase = try await TestDatabase.make(engine)
    let database = try await testDatabase.open()
    var configuration = TandemConfiguration(database: testDatabase.location, signupOpen: signupOpen, bcryptCost: 4)
    configure(&configuration)
    let services = TandemServices(configuration: configuration, database: database, stamps: stamps)
    let app = Application(router: buildRouter(services: services), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    do {
        try await app.test(setup) { client in try await body(TestAPI(client: client), services) }
    } catch {
        await database.close()
        await testDatabase.cleanup()
        throw error
    }
    await database.close()
    await testDatabase.cleanup()
}

/// A decoded answer of the API.
struct TestResult {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String
    var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))) ?? .null }
    var errorCode: String? { json["error"]?["code"]?.string }
    var errorField: String? { json["error"]?["field"]?.string }
}

/// Speaks to the router as a client would, with helpers for the common set-up steps.
struct TestAPI {
    let client: any TestClientProtocol

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResult {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return TestResult(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    @discardableResult
    func call(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, body: [String: JSONValue]) async throws -> TestResult {
        let data = try JSONEncoder().encode(JSONValue.object(body))
        return try await call(method, path, token: token, json: String(decoding: data, as: UTF8.self))
    }

    /// Signs up and logs in; returns the user's id and a bearer token.
    func person(_ name: String) async throws -> (id: String, token: String, email: String) {
        let email = "\(name.lowercased())@example.com"
        let signUp = try await call(.post, "/api/v1/users", body: ["email": .string(email), "password": "correct-horse", "displayName": .string(name)])
        #expect(signUp.status == .created, "sign-up of \(name): \(signUp.text)")
        let session = try await call(.post, "/api/v1/sessions", body: ["email": .string(email), "password": "correct-horse"])
        #expect(session.status == .created, "login of \(name): \(session.text)")
        return (signUp.json["id"]?.string ?? "", session.json["token"]?.string ?? "", email)
    }

    func product(_ name: String, key: String, token: String) async throws -> JSONValue {
        let result = try await call(.post, "/api/v1/products", token: token, body: ["name": .string(name), "key": .string(key)])
        #expect(result.status == .created, "\(result.text)")
        return result.json
    }
}

