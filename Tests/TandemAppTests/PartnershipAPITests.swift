import Foundation
import Testing
import TandemCore

/// Impediments, questions, decisions, working agreement, health checks and notifications, on both engines.
@Suite("Partnership")
struct PartnershipAPITests {
    static let ratings: [String: JSONValue] = Dictionary(uniqueKeysWithValues: PartnershipFoundation.allCases.map { ($0.rawValue, JSONValue.number(4)) })

    @Test(arguments: TestEngine.all)
    func impedimentsAgeAreOwnedAndResolvedWithAResolution(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let item = try await f.item("Export to PDF")
            let path = "/api/v1/teams/\(f.teamID)/impediments"
            #expect(try await api.call(.post, path, token: f.stakeholder.token, body: ["title": " "]).errorField == "title")
            #expect(try await api.call(.post, path, token: f.stakeholder.token, body: ["title": "x", "itemIds": ["nope"]]).errorCode == "unknown_item")
            let raised = try await api.call(.post, path, token: f.stakeholder.token, body: ["title": "Staging is down every morning", "itemIds": [item["id"]!]])
            #expect(raised.status == .created, "\(raised.text)")
            #expect(raised.json["owner"]?["id"]?.string == f.sm.id, "the team's Scrum Master owns it by default")
            #expect(raised.json["items"]?[0]?["ref"] == item["ref"])
            #expect(raised.json["state"]?.string == "open")
            let id = try #require(raised.json["id"]?.string)
            #expect(try await api.call(.patch, "/api/v1/impediments/\(id)", token: f.stakeholder.token, body: ["state": "inProgress"]).status == .forbidden)
            #expect(try await api.call(.patch, "/api/v1/impediments/\(id)", token: f.dev.token, body: ["state": "resolved"]).errorField == "resolution")
            #expect(try await api.call(.patch, "/api/v1/impediments/\(id)", token: f.sm.token, body: ["ownerId": .string(f.stakeholder.id)]).errorCode == "not_a_team_member")
            let handed = try await api.call(.patch, "/api/v1/impediments/\(id)", token: f.sm.token, body: ["state": "inProgress", "ownerId": .string(f.dev.id)])
            #expect(handed.json["owner"]?["id"]?.string == f.dev.id)
            let notifications = try await api.call(.get, "/api/v1/notifications", token: f.dev.token)
            #expect(notifications.json["unread"]?.number == 1, "the new owner is told")
            let escalated = try await api.call(.post, "/api/v1/impediments/\(id)/escalate", token: f.dev.token, body: ["note": "Needs the IT budget"])
            #expect(escalated.json["level"]?.string == "organisation")
            #expect(try await api.call(.get, "/api/v1/notifications", token: f.po.token).json["items"]?.array.contains { $0["kind"]?.string == "impediment.escalated" } == true)
            let resolved = try await api.call(.patch, "/api/v1/impediments/\(id)", token: f.dev.token, body: ["state": "resolved", "resolution": "Moved staging to its own host"])
            #expect(resolved.json["state"]?.string == "resolved")
            #expect(try await api.call(.post, "/api/v1/impediments/\(id)/escalate", token: f.dev.token, body: ["note": "x"]).errorCode == "impediment_resolved")
            let list = try await api.call(.get, "\(path)?state=resolved", token: f.stakeholder.token)
            #expect(list.json["items"]?.array.count == 1)
            #expect(list.json["medianDaysToResolve"]?.number == 0)
            let outsider = try await api.person("Otto")
            #expect(try await api.call(.get, path, token: outsider.token).status == .notFound)
        }
    }

    @Test(arguments: TestEngine.all)
    func questionsWaitForTheProductOwner(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let path = "/api/v1/products/\(f.productID)/questions"
            let unknown = try await api.call(.post, path, token: f.dev.token, body: ["text": "About what?", "itemId": "nope"])
            #expect(unknown.errorCode == "unknown_item" && unknown.errorField == "itemId", "the error names the field that was sent")
            let calm = try await api.call(.post, path, token: f.dev.token, body: ["text": "Which browsers matter?"])
            let blocking = try await api.call(.post, path, token: f.dev2.token, body: ["text": "May the export include declined items?", "blocking": true])
            #expect(blocking.status == .created, "\(blocking.text)")
            let open = try await api.call(.get, "\(path)?state=open", token: f.stakeholder.token)
            #expect(open.json["items"]?.array.map { $0["blocking"] } == [.bool(true), .bool(false)], "blocking questions stand out first")
            let inbox = try await api.call(.get, "/api/v1/notifications", token: f.po.token)
            #expect(inbox.json["items"]?.array.contains { $0["kind"]?.string == "question.blocking" } == true)
            let id = try #require(blocking.json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/questions/\(id)/answer", token: f.sm.token, body: ["answer": "No"]).status == .forbidden)
            #expect(try await api.call(.post, "/api/v1/questions/\(id)/answer", token: f.po.token, body: ["answer": ""]).errorField == "answer")
            let answered = try await api.call(.post, "/api/v1/questions/\(id)/answer", token: f.po.token, body: ["answer": "No: declined items stay out."])
            #expect(answered.json["state"]?.string == "answered")
            #expect(answered.json["answeredBy"]?["id"]?.string == f.po.id)
            #expect(try await api.call(.post, "/api/v1/questions/\(id)/answer", token: f.po.token, body: ["answer": "Again"]).errorCode == "question_answered")
            // An ordering delegate may answer too.
            try await api.call(.put, "/api/v1/products/\(f.productID)/ordering-delegates", token: f.po.token, body: ["userIds": [.string(f.sm.id)]])
            let calmID = try #require(calm.json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/questions/\(calmID)/answer", token: f.sm.token, body: ["answer": "The last two versions of each"]).status == .ok)
            #expect(try await api.call(.get, "/api/v1/notifications", token: f.dev.token).json["unread"]?.number == 1, "the asker is told")
        }
    }

    @Test(arguments: TestEngine.all)
    func theDecisionLogIsAppendOnly(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let path = "/api/v1/products/\(f.productID)/decisions"
            let body: [String: JSONValue] = ["title": "Forecast from throughput", "context": "Dates are asked for", "decision": "Monte Carlo on done items", "accountability": "process"]
            #expect(try await api.call(.post, path, token: f.sm.token, body: body).errorField == "rationale", "a decision without its why is refused")
            var full = body
            full["rationale"] = "Hour estimates were never met"
            #expect(try await api.call(.post, path, token: f.dev.token, body: full).status == .forbidden, "process decisions are a Scrum Master's")
            let first = try await api.call(.post, path, token: f.sm.token, body: full)
            #expect(first.status == .created, "\(first.text)")
            let firstID = try #require(first.json["id"]?.string)
            #expect(try await api.call(.patch, "/api/v1/decisions/\(firstID)", token: f.sm.token, body: ["title": "x"]).status == .methodNotAllowed)
            #expect(try await api.call(.delete, "/api/v1/decisions/\(firstID)", token: f.sm.token).status == .methodNotAllowed)
            var newer = full
            newer["decision"] = "Monte Carlo, and show the 85% line"
            newer["supersedes"] = .string(firstID)
            let second = try await api.call(.post, path, token: f.sm.token, body: newer)
            #expect(second.json["supersedes"]?.string == firstID)
            #expect(try await api.call(.post, path, token: f.sm.token, body: newer).errorCode == "already_superseded")
            let old = try await api.call(.get, "/api/v1/decisions/\(firstID)", token: f.stakeholder.token)
            #expect(old.json["superseded"] == .bool(true))
            #expect(old.json["supersededBy"] == second.json["id"])
            // Decided proposals and applied reorders appear in the log too.
            let a = try await f.item("A"), b = try await f.item("B")
            let proposal = try await api.call(.post, "/api/v1/items/\(b["id"]!.string!)/proposals", token: f.dev.token, body: ["to": "top", "rationale": "Unblocks A"])
            try await api.call(.post, "/api/v1/proposals/\(proposal.json["id"]!.string!)/accept", token: f.po.token, body: ["note": "Agreed"])
            let told = try await api.call(.get, "/api/v1/notifications", token: f.dev.token)
            #expect(told.json["items"]?.array.contains { $0["kind"]?.string == "proposal.accepted" && $0["text"]?.string?.contains("Agreed") == true } == true, "the proposer is told")
            try await api.call(.post, "/api/v1/products/\(f.productID)/backlog/reorder", token: f.po.token, body: ["itemIds": [a["id"]!, b["id"]!]])
            let log = try await api.call(.get, path, token: f.stakeholder.token)
            #expect(log.json["items"]?.array.map { $0["kind"]?.string } == ["reorder", "proposal", "decision", "decision"])
            #expect(log.json["items"]?[1]?["rationale"]?.string == "Agreed")
            #expect(log.json["items"]?[0]?["rationale"]?.string == "", "a reorder without a note shows an empty rationale")
            // Every entry the log lists can be read by its id, whatever its kind, and reads the same.
            for entry in log.json["items"]?.array ?? [] {
                let one = try await api.call(.get, "/api/v1/decisions/\(entry["id"]?.string ?? "")", token: f.stakeholder.token)
                #expect(one.status == .ok && one.json == entry, "\(entry["kind"]?.string ?? ""): \(one.text)")
            }
            let outsider = try await api.person("Otto")
            let hidden = try await api.call(.get, "/api/v1/decisions/\(log.json["items"]?[1]?["id"]?.string ?? "")", token: outsider.token)
            let missing = try await api.call(.get, "/api/v1/decisions/made-up", token: outsider.token)
            #expect(hidden.status == .notFound && hidden.text == missing.text)
        }
    }

    @Test(arguments: TestEngine.all)
    func theWorkingAgreementIsAgreedPerVersion(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let path = "/api/v1/teams/\(f.teamID)/working-agreement"
            #expect(try await api.call(.post, "\(path)/agree", token: f.dev.token).errorCode == "no_working_agreement")
            #expect(try await api.call(.put, path, token: f.stakeholder.token, body: ["items": ["x"]]).status == .forbidden)
            let written = try await api.call(.put, path, token: f.sm.token, body: ["items": ["Daily Scrum at 9:30", "Questions answered the same day"]])
            #expect(written.json["version"]?.number == 1)
            #expect(written.json["agreedBy"]?.array.map { $0["id"]?.string } == [f.sm.id])
            #expect(written.json["waitingFor"]?.array.count == 3, "the Product Owner and both Developers")
            #expect(try await api.call(.post, "\(path)/agree", token: f.dev.token).json["agreedBy"]?.array.count == 2)
            let second = try await api.call(.put, path, token: f.po.token, body: ["items": ["Daily Scrum at 9:45"]])
            #expect(second.json["version"]?.number == 2)
            #expect(second.json["agreedBy"]?.array.count == 1, "agreement is to a version")
            let expectations = try await api.call(.get, "/api/v1/expectations", token: f.stakeholder.token)
            #expect(expectations.json["items"]?.array.count == 18)
        }
    }

    @Test(arguments: TestEngine.all)
    func aHealthCheckShowsResultsOnlyWhenBothHaveAnswered(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let path = "/api/v1/teams/\(f.teamID)/partnership-checks"
            #expect(try await api.call(.post, path, token: f.dev.token).status == .forbidden)
            let opened = try await api.call(.post, path, token: f.sm.token)
            #expect(opened.status == .created, "\(opened.text)")
            let id = try #require(opened.json["id"]?.string)
            let responses = "/api/v1/partnership-checks/\(id)/responses"
            var ratings = Self.ratings
            ratings["openCommunication"] = 6
            #expect(try await api.call(.put, responses, token: f.po.token, body: ["ratings": .object(ratings), "expectationsMet": []]).errorField == "ratings.openCommunication")
            ratings["openCommunication"] = nil
            #expect(try await api.call(.put, responses, token: f.po.token, body: ["ratings": .object(ratings), "expectationsMet": []]).errorField == "ratings.openCommunication")
            #expect(try await api.call(.put, responses, token: f.po.token, body: ["ratings": .object(Self.ratings), "expectationsMet": ["po-collaboration-1"]]).errorField == "expectationsMet[0]",
                    "the Product Owner ticks the Scrum Master's expectations")
            #expect(try await api.call(.put, responses, token: f.dev.token, body: ["ratings": .object(Self.ratings), "expectationsMet": []]).status == .forbidden)
            var poRatings = Self.ratings
            poRatings["openCommunication"] = 2
            let first = try await api.call(.put, responses, token: f.po.token, body: ["ratings": .object(poRatings), "expectationsMet": ["sm-team-coaching-1"], "comment": "We rarely talk"])
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json["results"] == .null, "neither sees the other's answer first")
            #expect(try await api.call(.put, responses, token: f.po.token, body: ["ratings": .object(Self.ratings), "expectationsMet": []]).errorCode == "already_answered")
            let both = try await api.call(.put, responses, token: f.sm.token, body: ["ratings": .object(Self.ratings), "expectationsMet": .array(Expectations.owed(by: .productOwner).map { .string($0.id) })])
            let results = try #require(both.json["results"])
            #expect(results["foundations"]?.array.filter { $0["highlighted"] == .bool(true) }.map { $0["foundation"]?.string } == ["openCommunication"])
            #expect(results["unmetByScrumMaster"]?.array.count == 8)
            #expect(results["unmetByProductOwner"]?.array.isEmpty == true)
            let trend = try await api.call(.get, path, token: f.dev.token)
            #expect(trend.json["trend"]?.array.count == 1)
            #expect(try await api.call(.get, "/api/v1/notifications", token: f.po.token).json["items"]?.array.contains { $0["kind"]?.string == "check.results" } == true)
            #expect(try await api.call(.post, "/api/v1/notifications/read-all", token: f.po.token).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/notifications", token: f.po.token).json["unread"]?.number == 0)

            // No Scrum Master, or the Product Owner as Scrum Master: no partnership to check.
            let solo = try #require(try await api.call(.post, "/api/v1/products/\(f.productID)/teams", token: f.po.token, body: ["name": "Solo"]).json["id"]?.string)
            let none = try await api.call(.post, "/api/v1/teams/\(solo)/partnership-checks", token: f.po.token)
            #expect(none.errorCode == "no_partnership")
            try await api.call(.post, "/api/v1/teams/\(solo)/members", token: f.po.token, body: ["email": .string(f.po.email), "accountability": "scrumMaster"])
            let conflict = try await api.call(.post, "/api/v1/teams/\(solo)/partnership-checks", token: f.po.token)
            #expect(conflict.errorCode == "no_partnership")
            #expect(conflict.json["error"]?["message"]?.string?.contains("role conflict") == true)
        }
    }
}

/// The signals on a small product whose numbers are worked out by hand.
@Suite("Partnership signals")
struct PartnershipSignalsTests {
    /// Both signals read their rule from TandemCore (`BacklogWarnings`, `RoleConflict`), so the signal, the item's
    /// warning and the header agree: an item counts once however many unfinished blockers it sits above.
    @Test(arguments: TestEngine.all)
    func orderedAboveBlockersAndRoleConflictsFollowTheRules(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let path = "/api/v1/products/\(f.productID)/partnership"
            func signal(_ name: String) async throws -> JSONValue? {
                try await api.call(.get, path, token: f.stakeholder.token).json["signals"]?.array.first { $0["name"]?.string == name }
            }
            let top = try #require(try await f.item("Top")["id"]?.string)
            let middle = try #require(try await f.item("Middle")["id"]?.string)
            let bottom = try #require(try await f.item("Bottom")["id"]?.string)
            #expect(try await signal("orderedAboveBlockers")?["value"]?.number == 0)
            // Top waits on both items below it; Bottom waits on Middle, which is above it (fine).
            for (item, blocker) in [(top, middle), (top, bottom), (bottom, middle)] {
                #expect(try await api.call(.post, "/api/v1/items/\(item)/dependencies", token: f.dev.token, body: ["blockedBy": .string(blocker)]).status == .created)
            }
            var above = try await signal("orderedAboveBlockers")
            #expect(above?["value"]?.number == 1 && above?["detail"]?["items"] == ["ATL-1"], "\(above ?? .null)")
            #expect(try await api.call(.get, "/api/v1/items/ATL-1", token: f.dev.token).json["warnings"]?.array.count == 2, "the item's own warnings name both")
            // A declined blocker is finished: one blocker remains, so Top still counts; with both gone it does not.
            #expect(try await api.call(.post, "/api/v1/items/\(middle)/decline", token: f.po.token, body: ["reason": "Not needed"]).status == .ok)
            #expect(try await signal("orderedAboveBlockers")?["value"]?.number == 1)
            #expect(try await api.call(.post, "/api/v1/items/\(bottom)/decline", token: f.po.token, body: ["reason": "Not needed"]).status == .ok)
            above = try await signal("orderedAboveBlockers")
            #expect(above?["value"]?.number == 0 && above?["detail"]?["items"] == [])

            // The Product Owner taking the Scrum Master accountability of a second team: one conflict, signal and header alike.
            #expect(try await signal("roleConflicts")?["value"]?.number == 0)
            let second = try #require(try await api.call(.post, "/api/v1/products/\(f.productID)/teams", token: f.po.token, body: ["name": "Second"]).json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/teams/\(second)/members", token: f.po.token, body: ["email": .string(f.po.email), "accountability": "scrumMaster"]).status == .created)
            let conflicts = try await signal("roleConflicts")
            #expect(conflicts?["value"]?.number == 1 && conflicts?["healthy"] == false, "\(conflicts ?? .null)")
            var browser = Browser(client: api.client)
            try await browser.logIn(f.dev.email)
            let page = try await browser.get("/products/\(f.productID)")
            #expect(page.text.contains("is both the Product Owner and the Scrum Master of Second."), "the header names the team")
        }
    }

    @Test(arguments: TestEngine.all)
    func signalsOnAHandComputedFixture(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let f = s.f
            // Two ready items of 5 and 3 points at the top, then an idea.
            let top = try await s.ready("Top", points: 5)
            try await s.ready("Second", points: 3)
            try await f.item("Idea")
            let path = "/api/v1/products/\(f.productID)/partnership"
            func signal(_ name: String, _ json: JSONValue) -> JSONValue? { json["signals"]?.array.first { $0["name"]?.string == name } }

            var report = try await api.call(.get, path, token: f.stakeholder.token)
            #expect(report.status == .ok, "\(report.text)")
            #expect(signal("readyRunway", report.json)?["healthy"] == .null, "no closed sprint: no number")
            #expect(signal("readyRunway", report.json)?["teamId"]?.string == f.teamID)
            #expect(signal("backlogFreshness", report.json)?["value"]?.number == 100)
            #expect(signal("roleConflicts", report.json)?["value"]?.number == 0)
            #expect(signal("sayDoRatio", report.json)?["value"] == .null)

            // Three closed one-week sprints with done 5, 2 and 8 points (committed 5, 4, 8): pace 5, say/do 15/17.
            for (index, (start, end)) in [("2027-01-04", "2027-01-08"), ("2027-01-11", "2027-01-15"), ("2027-01-18", "2027-01-22")].enumerated() {
                let sprint = try await s.sprintID(start, end)
                let points: [Double] = [[5], [2, 2], [8]][index]
                var items: [JSONValue] = []
                for (n, p) in points.enumerated() { items.append(try await s.ready("Work \(index)-\(n)", points: p)); try await s.add(items.last!, to: sprint) }
                #expect(try await s.start(sprint).status == .ok)
                #expect(try await s.work(items[0]["id"]!.string!, "done").status == .ok)
                #expect(try await s.close(sprint, goalMet: index != 1).status == .ok)
            }
            try await api.call(.post, "/api/v1/products/\(f.productID)/questions", token: f.dev.token, body: ["text": "Blocked?", "blocking": true])
            try await api.call(.post, "/api/v1/teams/\(f.teamID)/impediments", token: f.dev.token, body: ["title": "Flaky CI"])
            report = try await api.call(.get, path, token: f.po.token)
            #expect(signal("readyRunway", report.json)?["value"]?.number == 2, "10 ready points (the carried-over 2 on top, then 5 and 3) ÷ median(5, 2, 8) = 2")
            #expect(signal("readyRunway", report.json)?["healthy"] == .bool(true))
            #expect(signal("sayDoRatio", report.json)?["value"]?.number == 88.2, "15 done ÷ 17 committed")
            #expect(signal("sprintGoalSuccess", report.json)?["value"]?.number == 66.7)
            #expect(signal("openBlockingQuestions", report.json)?["value"]?.number == 1)
            #expect(signal("openBlockingQuestions", report.json)?["healthy"] == .bool(false))
            #expect(signal("impedimentAge", report.json)?["value"]?.number == 0)
            #expect(signal("commitmentRealism", report.json)?["value"] == .null, "no running or planned sprint")
            _ = top

            #expect(try await api.call(.put, "\(path)/thresholds", token: f.dev.token, body: ["readyRunway": 3]).status == .forbidden)
            #expect(try await api.call(.put, "\(path)/thresholds", token: f.po.token, body: ["nope": 3]).errorField == "nope")
            #expect(try await api.call(.put, "\(path)/thresholds", token: f.sm.token, body: ["readyRunway": .number(2.5)]).json["readyRunway"]?.number == 2.5)
            report = try await api.call(.get, path, token: f.po.token)
            #expect(signal("readyRunway", report.json)?["healthy"] == .bool(false), "2 sprints of runway falls short of the product's own threshold 2.5")

            // The sprint signals' trends: the value at each close, from the sprints closed by then.
            func trend(_ name: String) -> [JSONValue] { signal(name, report.json)?["trend"]?.array.compactMap { $0["value"] } ?? [] }
            #expect(signal("sayDoRatio", report.json)?["trend"]?.array.map { $0["at"]?.string ?? "" } == ["Sprint 1", "Sprint 2", "Sprint 3"])
            #expect(trend("sayDoRatio") == [.number(100), .number(77.8), .number(88.2)], "5 ÷ 5; 7 ÷ 9; 15 ÷ 17")
            #expect(trend("sprintGoalSuccess") == [.number(100), .number(50), .number(66.7)])
        }
    }

    /// The other signals' trends are their daily readings: one per day (the last reading wins), written only when the
    /// value changed, drawn on the dashboard's tiles.
    @Test(arguments: TestEngine.all)
    func dailyReadingsMakeTheTrend(engine: TestEngine) async throws {
        let clock = MovableClock("2027-03-01")
        try await withTandem(engine, stamps: clock.stamps) { api, services in
            let f = try await BacklogFixture.make(api)
            let path = "/api/v1/products/\(f.productID)/partnership"
            func blocking() async throws -> [JSONValue] {
                let report = try await api.call(.get, path, token: f.po.token)
                return report.json["signals"]?.array.first { $0["name"]?.string == "openBlockingQuestions" }?["trend"]?.array ?? []
            }
            func recordedAt(_ day: String) async throws -> Int64? {
                try await services.database.read { db in
                    try await db.raw("SELECT recorded_at FROM signal_history WHERE name = 'openBlockingQuestions' AND day = \(bind: day)").first()?
                        .decode(column: "recorded_at", as: Int64.self)
                }
            }
            #expect(try await blocking() == [["at": "2027-03-01", "value": 0]])
            let first = try #require(try await recordedAt("2027-03-01"))
            _ = try await blocking()
            #expect(try await recordedAt("2027-03-01") == first, "an unchanged reading writes nothing")
            clock.set("2027-03-02")
            let question = try await api.call(.post, "/api/v1/products/\(f.productID)/questions", token: f.dev.token, body: ["text": "Blocked?", "blocking": true])
            #expect(try await blocking() == [["at": "2027-03-01", "value": 0], ["at": "2027-03-02", "value": 1]])
            try await api.call(.post, "/api/v1/questions/\(question.json["id"]?.string ?? "")/answer", token: f.po.token, body: ["answer": "Go ahead"])
            #expect(try await blocking() == [["at": "2027-03-01", "value": 0], ["at": "2027-03-02", "value": 0]], "the day's last reading wins")
            let rows = try await services.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM signal_history WHERE name = 'openBlockingQuestions'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(rows == 2)
            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)
            let dashboard = try await po.get("/products/\(f.productID)/dashboard").text
            #expect(dashboard.contains(#"aria-label="Blocking questions trend: 2027-03-01: 0 questions; 2027-03-02: 0 questions""#), "the tile draws the trend and says it in words")
        }
    }
}

@Suite("Signal trends replayed")
struct SignalTrendReplayTests {
    /// Days nobody looked are replayed from the data's own timestamps: a blocking question asked on 1 March and
    /// answered on 3 March shows on the trend read first on 5 March; stored readings win over the replay.
    @Test(arguments: TestEngine.all)
    func unreadDaysAreReplayedFromTheirTimestamps(engine: TestEngine) async throws {
        let clock = MovableClock("2027-03-01")
        try await withTandem(engine, stamps: clock.stamps) { api, _ in
            let f = try await BacklogFixture.make(api)
            let question = try await api.call(.post, "/api/v1/products/\(f.productID)/questions", token: f.dev.token, body: ["text": "Blocked?", "blocking": true])
            try await api.call(.post, "/api/v1/teams/\(f.teamID)/impediments", token: f.dev.token, body: ["title": "Flaky CI"])
            clock.set("2027-03-03")
            try await api.call(.post, "/api/v1/questions/\(question.json["id"]?.string ?? "")/answer", token: f.po.token, body: ["answer": "Go"])
            clock.set("2027-03-05")
            let report = try await api.call(.get, "/api/v1/products/\(f.productID)/partnership", token: f.po.token)
            func trend(_ name: String) -> [JSONValue] { report.json["signals"]?.array.first { $0["name"]?.string == name }?["trend"]?.array ?? [] }
            #expect(trend("openBlockingQuestions") == [
                ["at": "2027-03-01", "value": 1], ["at": "2027-03-02", "value": 1], ["at": "2027-03-03", "value": 0],
                ["at": "2027-03-04", "value": 0], ["at": "2027-03-05", "value": 0],
            ])
            #expect(trend("questionAnswerTime").compactMap { $0["value"]?.number } == [48, 48, 48], "answered after 48 hours; no number before")
            #expect(trend("impedimentAge").map { $0["value"] ?? .null } == [0, 1, 2, 3, 3], "ageing day by day, each past day read at its end, today now (10:00)")
        }
    }
}

@Suite("What stands in an item's way")
struct ItemPartnershipTests {
    /// An item shows the impediments blocking it, counts each blocked day once, and lists the questions about it.
    @Test(arguments: TestEngine.all)
    func anItemShowsItsImpedimentsBlockedDaysAndQuestions(engine: TestEngine) async throws {
        let clock = MovableClock("2027-03-01")
        try await withTandem(engine, stamps: clock.stamps) { api, _ in
            let f = try await BacklogFixture.make(api)
            let item = try await f.item("Export to PDF"), other = try await f.item("Import CSV")
            let path = "/api/v1/items/\(item["id"]?.string ?? "")/partnership"
            var found = try await api.call(.get, path, token: f.stakeholder.token)
            #expect(found.status == .ok, "\(found.text)")
            #expect(found.json["blocked"] == .bool(false) && found.json["blockedDays"]?.number == 0)
            let raise = "/api/v1/teams/\(f.teamID)/impediments"
            let first = try await api.call(.post, raise, token: f.dev.token, body: ["title": "No licence", "itemIds": [item["id"]!, other["id"]!]])
            clock.set("2027-03-03")
            try await api.call(.post, raise, token: f.dev.token, body: ["title": "Staging down", "itemIds": [item["id"]!]])
            try await api.call(.post, raise, token: f.dev.token, body: ["title": "Unrelated"])
            clock.set("2027-03-05", hour: 12)
            try await api.call(.patch, "/api/v1/impediments/\(first.json["id"]?.string ?? "")", token: f.sm.token, body: ["state": "resolved", "resolution": "Bought"])
            try await api.call(.post, "/api/v1/products/\(f.productID)/questions", token: f.dev.token, body: ["text": "Which paper size?", "itemId": item["id"]!, "blocking": true])
            clock.set("2027-03-07", hour: 12)
            found = try await api.call(.get, path, token: f.stakeholder.token)
            #expect(found.json["impediments"]?.array.map { $0["title"]?.string ?? "" } == ["No licence", "Staging down"])
            #expect(found.json["blocked"] == .bool(true))
            #expect(found.json["blockedDays"]?.number == 6, "1 March to 7 March, the overlap of 3 to 5 March counted once")
            #expect(found.json["questions"]?.array.map { $0["text"]?.string ?? "" } == ["Which paper size?"])
            let byRef = try await api.call(.get, "/api/v1/items/\(other["ref"]?.string ?? "")/partnership", token: f.po.token)
            #expect(byRef.json["blocked"] == .bool(false) && byRef.json["blockedDays"]?.number == 4, "blocked from 1 to 5 March, resolved since")
            let outsider = try await api.person("Otto")
            #expect(try await api.call(.get, path, token: outsider.token).status == .notFound)

            var dev = Browser(client: api.client)
            try await dev.logIn(f.dev.email)
            let page = try await dev.get("/items/\(item["ref"]?.string ?? "")").text
            #expect(page.contains("What stands in its way"))
            #expect(page.contains(#"data-blocked-days="6""#))
            #expect(page.contains("Staging down") && !page.contains("Unrelated"))
            #expect(page.contains("Which paper size?"))
        }
    }

    /// The partnership dashboard is the first page the Product Owner and the Scrum Master see of a product; a
    /// Developer's is their team's running sprint board (or the product page when none runs).
    @Test(arguments: TestEngine.all)
    func theProductLinkOpensTheDashboardForThePartners(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            for (email, first) in [(f.po.email, "dashboard"), (f.sm.email, "dashboard"), (f.dev.email, "my-work"), (f.stakeholder.email, nil)] as [(String, String?)] {
                var browser = Browser(client: api.client)
                try await browser.logIn(email)
                let home = try await browser.get("/").text
                let target = "/products/\(f.productID)" + (first.map { "/" + $0 } ?? "")
                #expect(home.contains(#"<a href="\#(target)" class="product-name">"#), "\(email)")
            }
            var developer = Browser(client: api.client)
            try await developer.logIn(f.dev.email)
            #expect(try await developer.get("/products/\(f.productID)/my-work").headers[.location] == "/products/\(f.productID)", "no sprint runs: the product page")
            let sprint = try await api.call(.post, "/api/v1/teams/\(f.teamID)/sprints", token: f.sm.token, body: ["startDate": "2027-01-04", "endDate": "2027-01-15", "goal": "Ship"])
            let sprintID = try #require(sprint.json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/sprints/\(sprintID)/start", token: f.sm.token, body: [:]).status == .ok)
            #expect(try await developer.get("/products/\(f.productID)/my-work").headers[.location] == "/sprints/\(sprintID)", "a running sprint: its board")
        }
    }
}

@Suite("Product activity")
struct ProductActivityTests {
    @Test(arguments: TestEngine.all)
    func everyKindOfChangeIsListedAndFiltered(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            try await f.item("One")
            try await api.call(.post, "/api/v1/teams/\(f.teamID)/impediments", token: f.dev.token, body: ["title": "Flaky CI"])
            try await api.call(.post, "/api/v1/products/\(f.productID)/questions", token: f.dev.token, body: ["text": "Which browsers?"])
            let path = "/api/v1/products/\(f.productID)/activity"
            let all = try await api.call(.get, "\(path)?limit=2", token: f.stakeholder.token)
            #expect(all.json["items"]?.array.map { $0["action"]?.string } == ["question.asked", "impediment.raised"], "newest first")
            let next = try #require(all.json["nextCursor"]?.string)
            #expect(try await api.call(.get, "\(path)?limit=2&cursor=\(next)", token: f.po.token).json["items"]?[0]?["action"]?.string == "item.created")
            #expect(try await api.call(.get, "\(path)?kind=impediment", token: f.po.token).json["items"]?.array.count == 1)
            #expect(try await api.call(.get, "\(path)?actorId=\(f.po.id)&kind=item", token: f.po.token).json["items"]?.array.count == 1)
            #expect(try await api.call(.get, "\(path)?kind=Item.", token: f.po.token).errorField == "kind")
            #expect(try await api.call(.get, "\(path)?cursor=x", token: f.po.token).errorField == "cursor")
        }
    }
}

@Suite("Notification pages")
struct NotificationPageTests {
    /// The header counts unread notifications without an extra statement; opening one marks it read and follows it.
    @Test(arguments: TestEngine.all)
    func theHeaderCountsUnreadAndOpeningOneReadsIt(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            try await api.call(.post, "/api/v1/teams/\(f.teamID)/impediments", token: f.dev.token, body: ["title": "Flaky CI"])
            var sm = Browser(client: api.client)
            try await sm.logIn(f.sm.email)
            #expect(try await sm.get("/").text.contains("Notifications (1 unread)"))
            let page = try await sm.get("/notifications")
            #expect(page.text.contains("Impediment for you: Flaky CI"))
            let id = try #require(try await api.call(.get, "/api/v1/notifications", token: f.sm.token).json["items"]?[0]?["id"]?.string)
            let opened = try await sm.post("/notifications/\(id)/open", form: ["csrf": sm.csrf])
            #expect(opened.status == .seeOther || opened.status == .found, "\(opened.status)")
            #expect(opened.headers[.location] == "/teams/\(f.teamID)/partnership", "a page a person can open")
            #expect(try await sm.get("/").text.contains(">Notifications<"), "nothing unread any more")
            #expect(try await api.call(.post, "/api/v1/notifications/\(id)/read", token: f.dev.token).status == .notFound, "someone else's is not found")
        }
    }

    /// A notification names its product; opening the page it links to reads it; one whose request was done is not
    /// new any more (a question answered, a check answered); the list groups by product, newest first.
    @Test(arguments: TestEngine.all)
    func notificationsNameTheirProductAndSettle(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let other = try #require(try await api.product("Other", key: "OTH", token: f.po.token)["id"]?.string)
            let asked = try await api.call(.post, "/api/v1/products/\(f.productID)/questions", token: f.dev.token, body: ["text": "Which currency first?", "blocking": true])
            let questionID = try #require(asked.json["id"]?.string)
            try await api.call(.post, "/api/v1/products/\(f.productID)/questions", token: f.dev.token, body: ["text": "Who signs off?"])
            try await api.call(.post, "/api/v1/teams/\(f.teamID)/partnership-checks", token: f.sm.token, body: [:])
            var list = try await api.call(.get, "/api/v1/notifications", token: f.po.token)
            #expect(list.json["unread"]?.number == 3)
            #expect(list.json["items"]?.array.allSatisfy { $0["productId"]?.string == f.productID && $0["productName"]?.string == "Atlas" } == true, "\(list.text)")
            #expect(list.json["items"]?[0]?["kind"]?.string == "check.opened", "newest first")

            // answering the question settles its notification: not new, not counted, said so
            try await api.call(.post, "/api/v1/questions/\(questionID)/answer", token: f.po.token, body: ["answer": "Euro"])
            list = try await api.call(.get, "/api/v1/notifications", token: f.po.token)
            let settled = list.json["items"]?.array.first { $0["kind"]?.string == "question.blocking" }
            #expect(settled?["isNew"] == .bool(false) && settled?["settledAt"] != .null && settled?["readAt"] == .null)
            #expect(list.json["unread"]?.number == 2)

            // opening the questions page reads what links to it
            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)
            #expect(try await po.get("/").text.contains("Notifications (2 unread)"))
            let questions = try await po.get("/products/\(f.productID)/questions")
            #expect(questions.text.contains("Notifications (1 unread)"), "the header already counts it read")
            list = try await api.call(.get, "/api/v1/notifications", token: f.po.token)
            #expect(list.json["items"]?.array.first { $0["kind"]?.string == "question.asked" }?["readAt"] != .null)

            // the check: answering it settles the request to answer
            let check = try #require(try await api.call(.get, "/api/v1/teams/\(f.teamID)/partnership-checks", token: f.po.token).json["checks"]?[0]?["id"]?.string)
            var ratings: [String: JSONValue] = [:]
            for foundation in PartnershipFoundation.allCases { ratings[foundation.rawValue] = 4 }
            let answered = try await api.call(.put, "/api/v1/partnership-checks/\(check)/responses", token: f.po.token, body: ["ratings": .object(ratings), "expectationsMet": []])
            #expect(answered.status == .ok, "\(answered.text)")
            #expect(try await api.call(.get, "/api/v1/notifications", token: f.po.token).json["unread"]?.number == 0)

            // grouped by product on the page
            try await api.call(.post, "/api/v1/products/\(other)/items", token: f.po.token, body: ["title": "x", "kind": "story"])
            let page = try await po.get("/notifications")
            #expect(page.text.contains(#"<h2 id="notifications-\#(f.productID)">Atlas</h2>"#), "\(page.text.suffix(2000))")
            #expect(page.text.contains(">Done</span>"))
        }
    }
}

@Suite("Partnership header")
struct PartnershipHeaderTests {
    /// Every product page shows the goal and the two accountabilities side by side, and says what is missing.
    @Test(arguments: TestEngine.all)
    func theHeaderShowsThePairAndWhatIsMissing(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            try await api.call(.post, "/api/v1/products/\(f.productID)/product-goals", token: f.po.token, body: ["statement": "Honest forecasts"])
            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)
            for path in ["/products/\(f.productID)", "/products/\(f.productID)/backlog", "/products/\(f.productID)/dashboard", "/teams/\(f.teamID)/sprints"] {
                let page = try await po.get(path).text
                #expect(page.contains("<strong>Product Goal: </strong>Honest forecasts"), "\(path)")
                #expect(page.contains("<strong>Scrum Master </strong>SamATL"), "\(path)")
                #expect(!page.contains("Role conflict:"), "\(path)")
            }
            let solo = try #require(try await api.call(.post, "/api/v1/products/\(f.productID)/teams", token: f.po.token, body: ["name": "Solo"]).json["id"]?.string)
            #expect(try await po.get("/products/\(f.productID)/backlog").text.contains("No Scrum Master in Solo"))
            try await api.call(.post, "/api/v1/teams/\(solo)/members", token: f.po.token, body: ["email": .string(f.po.email), "accountability": "scrumMaster"])
            #expect(try await po.get("/products/\(f.productID)/dashboard").text.contains("Role conflict: PaulaATL is both the Product Owner and the Scrum Master of Solo"))
        }
    }
}
