import Foundation
import Hummingbird
import Logging
import Testing
@testable import TandemApp

/// What the common requests cost the database, on the demo data: statements are counted, not timed, so the
/// numbers are exact and a regression shows as a failed budget rather than a slower run.
@Suite("Request cost in statements")
struct RequestCostTests {
    static func statements(_ call: () async throws -> TestResult) async throws -> (Int, TestResult) {
        let tally = StatementTally()
        let result = try await StatementTally.$current.withValue(tally) { try await call() }
        return (tally.statements, result)
    }

    @Test(arguments: TestEngine.all)
    func theBacklogItemAndMoveStayWithinTheirBudgets(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            try await DemoSeed.seed(services: services, logger: Logger(label: "test"))
            let product = try #require(try await services.database.read { db in
                try await db.select().column("id").from("products").where("key", .equal, DemoSeed.productKey).first()?.decode(column: "id", as: String.self)
            })
            let login = try await api.call(.post, "/api/v1/sessions", body: ["email": "po@tandem.demo", "password": .string(DemoSeed.password)])
            let token = try #require(login.json["token"]?.string)
            var browser = Browser(client: api.client)
            try await browser.logIn("po@tandem.demo", password: DemoSeed.password)

            let (page, pageResult) = try await Self.statements { try await browser.get("/products/\(product)/backlog") }
            let (list, listResult) = try await Self.statements { try await api.call(.get, "/api/v1/products/\(product)/backlog", token: token) }
            let first = try #require(listResult.json["items"]?[3])
            // an item with a revealed planning-poker round, so the page shows votes too
            let round = try await api.call(.post, "/api/v1/items/\(first["id"]?.string ?? "")/estimation-rounds", token: token)
            try await api.call(.post, "/api/v1/items/\(first["id"]?.string ?? "")/estimation-rounds/\(round.json["id"]?.string ?? "")/reveal", token: token)
            let (item, itemResult) = try await Self.statements { try await browser.get("/items/\(first["ref"]?.string ?? "")") }
            let (move, moveResult) = try await Self.statements {
                try await api.call(.post, "/api/v1/items/\(first["id"]?.string ?? "")/move", token: token, body: ["to": "top", "version": first["version"] ?? .null])
            }
            #expect([pageResult.status, listResult.status, itemResult.status, moveResult.status] == [.ok, .ok, .ok, .ok])
            print("statements on \(engine): backlog page \(page), backlog API \(list), item page \(item), move \(move)")
            #expect(page > 0 && list > 0 && item > 0 && move > 0, "the tally must see every statement")
            // the budgets, authentication included; caching nothing that could go stale
            #expect(page <= 6, "backlog page: \(page) statements")
            #expect(list <= 4, "backlog API first page: \(list) statements")
            #expect(item <= 9, "item page: \(item) statements (two of them the impediments blocking it and the questions about it)")
            #expect(move <= 6, "move: \(move) statements")
        }
    }

    /// The partnership dashboard and the planning page: a handful of statements per team and release, recorded here
    /// so that a query per tile or per sprint would show as a broken budget. The dashboard's second reading writes
    /// nothing (the signals did not change).
    @Test(arguments: TestEngine.all)
    func theDashboardAndThePlanningPageStayWithinTheirBudgets(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            try await DemoSeed.seed(services: services, logger: Logger(label: "test"))
            let product = try #require(try await services.database.read { db in
                try await db.select().column("id").from("products").where("key", .equal, DemoSeed.productKey).first()?.decode(column: "id", as: String.self)
            })
            var browser = Browser(client: api.client)
            try await browser.logIn("po@tandem.demo", password: DemoSeed.password)
            _ = try await browser.get("/products/\(product)/dashboard")
            let (dashboard, dashboardResult) = try await Self.statements { try await browser.get("/products/\(product)/dashboard") }
            let (planning, planningResult) = try await Self.statements { try await browser.get("/products/\(product)/planning") }
            #expect([dashboardResult.status, planningResult.status] == [.ok, .ok])
            print("statements on \(engine): dashboard \(dashboard), planning page \(planning)")
            #expect(dashboard <= 26, "dashboard: \(dashboard) statements (one team, fourteen signals, their history and replay, the velocity)")
            #expect(planning <= 21, "planning page: \(planning) statements (one team, one release, the journal)")
        }
    }

    @Test func metricsShowStatementsByEngineAndRoute() async throws {
        try await withTandem(.sqlite) { api, _ in
            let person = try await api.person("Paula")
            _ = try await api.call(.get, "/api/v1/products", token: person.token)
            let metrics = try await api.call(.get, "/metrics")
            #expect(metrics.text.contains(#"tandem_db_statements_total{engine="sqlite"}"#))
            #expect(metrics.text.contains(#"tandem_db_statements_per_request_bucket{route="/api/v1/products""#))
        }
    }

    /// The backlog API answers 304 when nothing it depends on changed, knowing so from two statements.
    @Test(arguments: TestEngine.all)
    func theBacklogAPIAnswers304UntilSomethingChanges(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let first = try await f.item("First")
            try await f.item("Second")
            let path = "/api/v1/products/\(f.productID)/backlog"
            let fresh = try await api.call(.get, path, token: f.po.token)
            let tag = try #require(fresh.headers[.eTag])
            let (statements, again) = try await Self.statements {
                try await api.call(.get, path, token: f.po.token, headers: [.ifNoneMatch: tag])
            }
            #expect(again.status == .notModified)
            #expect(again.text.isEmpty)
            #expect(again.headers[.eTag] == tag)
            #expect(statements <= 2, "a 304 costs the authentication and the access: \(statements)")

            // who asks and what they ask for are part of the tag
            let other = try await api.call(.get, path, token: f.dev.token)
            #expect(other.headers[.eTag] != tag)
            #expect(try await api.call(.get, path + "?limit=1", token: f.po.token, headers: [.ifNoneMatch: tag]).status == .ok)

            // any change to the product (here a move by the Product Owner) gives a new answer
            #expect(try await f.move(first, ["to": "bottom"]).status == .ok)
            let changed = try await api.call(.get, path, token: f.po.token, headers: [.ifNoneMatch: tag])
            #expect(changed.status == .ok)
            #expect(changed.headers[.eTag] != tag)
            #expect(changed.json["items"]?[1]?["title"]?.string == "First")
        }
    }
}
