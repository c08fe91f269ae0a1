import Foundation
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
}
