import Foundation
import Logging
import Testing
import TandemCore
@testable import TandemApp

/// The pages as a team uses them: nothing irreversible in one click, nothing answered for a person.
@Suite("Team pages")
struct TeamPagesTests {
    /// Closing is two deliberate steps: the person says whether the Sprint Goal was met (nothing is preselected),
    /// then reads what closing will do (the working days left, what carries over and where, that figures freeze).
    @Test(arguments: TestEngine.all)
    func closingASprintTakesADeliberateStep(engine: TestEngine) async throws {
        let clock = MovableClock("2027-01-06")
        try await withTandem(engine, stamps: clock.stamps) { api, _ in
            let s = try await SprintFixture.make(api)
            let sprint = try await s.sprintID("2027-01-04", "2027-01-15")
            let done = try await s.ready("Checkout", points: 5), open = try await s.ready("Receipts", points: 3)
            try await s.add(done, to: sprint)
            try await s.add(open, to: sprint)
            #expect(try await s.start(sprint).status == .ok)
            #expect(try await s.work(done["id"]!.string!, "done").status == .ok)

            var sm = Browser(client: api.client)
            try await sm.logIn(s.f.sm.email)
            let board = try await sm.get("/sprints/\(sprint)")
            #expect(board.text.contains(#"name="goalMet" value="true" required"#) && !board.text.contains(#"name="goalMet" value="true" checked"#),
                    "no outcome is chosen for the person")
            #expect(board.text.contains("8 working days left"), "Wednesday 6 to Friday 8 and the whole next week")

            let untouched = try await sm.post("/sprints/\(sprint)/close", form: ["csrf": sm.csrf, "note": "", "carryOver": "top"])
            #expect(untouched.status == .unprocessableContent)
            #expect(untouched.text.contains(#"id="error-goalMet" role="alert">Say whether the Sprint Goal was met"#))
            #expect(try await api.call(.get, "/api/v1/sprints/\(sprint)", token: s.f.po.token).json["state"]?.string == "active")

            let review = try await sm.post("/sprints/\(sprint)/close", form: ["csrf": sm.csrf, "goalMet": "false", "note": "Receipts slipped", "carryOver": "top"])
            #expect(review.status == .ok)
            #expect(review.text.contains("Close sprint 1 for good?"))
            #expect(review.text.contains("1 unfinished item (3 points) go to the top of the Product Backlog"))
            #expect(review.text.contains("8 working days left"))
            #expect(review.text.contains("figures (committed, added, removed, done, carried over) freeze"))
            #expect(review.text.contains(#"name="confirm" value="yes""#))
            #expect(try await api.call(.get, "/api/v1/sprints/\(sprint)", token: s.f.po.token).json["state"]?.string == "active", "reviewing changes nothing")

            let nowhere = try await sm.post("/sprints/\(sprint)/close", form: ["csrf": sm.csrf, "goalMet": "true", "carryOver": "nextSprint"])
            #expect(nowhere.status == .unprocessableContent && nowhere.text.contains("No sprint is planned yet"))

            let closed = try await sm.post("/sprints/\(sprint)/close", form: ["csrf": sm.csrf, "goalMet": "false", "note": "Receipts slipped", "carryOver": "top", "confirm": "yes"])
            #expect(closed.status == .seeOther)
            let summary = try await sm.get(closed.headers[.location] ?? "")
            #expect(summary.text.contains("Sprint closed. Its figures are frozen below; 1 unfinished item was carried over."))
            let record = try await api.call(.get, "/api/v1/sprints/\(sprint)", token: s.f.po.token)
            #expect(record.json["state"]?.string == "closed" && record.json["goalMet"] == .bool(false))
        }
    }

    /// A health check sent untouched is refused: every rating and every expectation must be chosen, none is preset.
    @Test(arguments: TestEngine.all)
    func anUntouchedHealthCheckIsRefused(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let opened = try await api.call(.post, "/api/v1/teams/\(f.teamID)/partnership-checks", token: f.sm.token, body: [:])
            let checkID = try #require(opened.json["id"]?.string, "\(opened.text)")
            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)
            let page = try await po.get("/teams/\(f.teamID)/partnership")
            #expect(!page.text.contains(#" checked"#), "no rating and no expectation is preselected")
            #expect(page.text.contains(#"name="rating-openCommunication" value="3" required"#))
            #expect(page.text.contains(#"name="met-sm-team-coaching-1" value="unmet" required"#))

            let untouched = try await po.post("/partnership-checks/\(checkID)", form: ["csrf": po.csrf, "comment": ""])
            #expect(untouched.status == .unprocessableContent)
            #expect(untouched.text.contains(#"id="error-rating-mutualRespectAndTrust" role="alert">Rate “Mutual respect and trust” from 1 to 5."#))
            var form = ["csrf": po.csrf, "comment": "Good sprint"]
            for foundation in PartnershipFoundation.allCases { form["rating-\(foundation.rawValue)"] = "4" }
            let noExpectations = try await po.post("/partnership-checks/\(checkID)", form: form)
            #expect(noExpectations.status == .unprocessableContent && noExpectations.text.contains("Say whether this was met or not."))
            #expect(noExpectations.text.contains(#"name="rating-openCommunication" value="4" checked"#), "what was chosen stays chosen")
            for expectation in Expectations.owed(by: .scrumMaster) { form["met-\(expectation.id)"] = expectation.id.hasSuffix("-1") ? "unmet" : "met" }
            let answered = try await po.post("/partnership-checks/\(checkID)", form: form)
            #expect(answered.status == .seeOther, "\(answered.status)")
            let check = try await api.call(.get, "/api/v1/partnership-checks/\(checkID)", token: f.po.token)
            #expect(check.json["answered"]?["productOwner"] == .bool(true), "\(check.text)")
        }
    }

    /// The dashboard points at what needs attention: those tiles first, each saying what to do, each linking to
    /// exactly its data (the blocking questions, the stale items), trends with their low and high marked.
    @Test(arguments: TestEngine.all)
    func theDashboardPutsWhatNeedsAttentionFirst(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            try await DemoSeed.seed(services: services, logger: Logger(label: "test"))
            let product = try #require(try await services.database.read { db in
                try await db.select().column("id").from("products").where("key", .equal, DemoSeed.productKey).first()?.decode(column: "id", as: String.self)
            })
            var po = Browser(client: api.client)
            try await po.logIn("po@tandem.demo", password: DemoSeed.password)
            let page = try await po.get("/products/\(product)/dashboard").text
            let states = page.components(separatedBy: #"<li class="card tile "#).dropFirst().map { String($0.prefix { $0 != " " && $0 != "\"" }) }
            #expect(states.count == 14, "one tile per signal: \(states)")
            let firstHealthy = states.firstIndex(of: "healthy") ?? states.count, lastUnhealthy = states.lastIndex(of: "unhealthy") ?? -1
            #expect(states.contains("unhealthy") && lastUnhealthy < firstHealthy, "needs attention first: \(states)")
            #expect(page.contains("What to do: "))
            #expect(page.contains("?blocking=1\">See the blocking questions</a>") && page.contains("?stale=30\">See the items not refined in 30 days</a>"))
            #expect(page.contains("class=\"trend-range\">Low "), "a trend names its low and high")

            let blocking = try await po.get("/products/\(product)/questions?blocking=1").text
            #expect(blocking.contains("Blocking questions waiting for the Product Owner"))
            let open = try await api.call(.get, "/api/v1/products/\(product)/questions", token: try await Self.token(api, "po@tandem.demo"))
            for question in open.json["items"]?.array ?? [] where question["state"]?.string == "open" {
                let text = question["text"]?.string ?? ""
                #expect(blocking.contains(text) == (question["blocking"] == .bool(true)), "\(text)")
            }
            let running = try #require(try await services.database.read { db in
                try await db.select().column("id").from("sprints").where("state", .equal, "active").first()?.decode(column: "id", as: String.self)
            })
            #expect(try await po.get("/sprints/\(running)").text.components(separatedBy: "Taken by ").count == 5, "the demo's board says who took four items")
            let stale = try await po.get("/products/\(product)/backlog?stale=30").text
            #expect(stale.contains("Showing the items not refined in the last 30 days"))
        }
    }

    static func token(_ api: TestAPI, _ email: String) async throws -> String {
        try #require(try await api.call(.post, "/api/v1/sessions", body: ["email": .string(email), "password": .string(DemoSeed.password)]).json["token"]?.string)
    }
}
