import Foundation
import Testing
import TandemCore
@testable import TandemApp

/// A clock the test moves forward, so sprint records get the days a team would live through.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64

    init(_ day: String, hour: Int64 = 10) { millis = Int64(CalendarDay(day)!.dayNumber) * 86_400_000 + hour * 3_600_000 }

    func set(_ day: String, hour: Int64 = 10) {
        lock.withLock { millis = Int64(CalendarDay(day)!.dayNumber) * 86_400_000 + hour * 3_600_000 }
    }

    var stamps: Stamps { Stamps(clock: TimeSource { self.lock.withLock { self.millis += 1; return self.millis } }, ids: .random) }
}

/// The sprint fixture: the backlog fixture and helpers for sprints of its team.
struct SprintFixture {
    let f: BacklogFixture
    var api: TestAPI { f.api }

    static func make(_ api: TestAPI) async throws -> SprintFixture { SprintFixture(f: try await BacklogFixture.make(api)) }

    /// A ready item with an estimate.
    func ready(_ title: String, points: Double = 3) async throws -> JSONValue {
        try await f.item(title, extra: ["estimate": .number(points), "refinement": "ready"])
    }

    func sprint(_ start: String, _ end: String, goal: String? = "Ship it", token: String? = nil) async throws -> TestResult {
        var body: [String: JSONValue] = ["startDate": .string(start), "endDate": .string(end)]
        if let goal { body["goal"] = .string(goal) }
        return try await api.call(.post, "/api/v1/teams/\(f.teamID)/sprints", token: token ?? f.sm.token, body: body)
    }

    func sprintID(_ start: String, _ end: String, goal: String? = "Ship it") async throws -> String {
        let result = try await sprint(start, end, goal: goal)
        #expect(result.status == .created, "\(result.text)")
        return try #require(result.json["id"]?.string)
    }

    @discardableResult
    func add(_ item: JSONValue, to sprintID: String, token: String? = nil, extra: [String: JSONValue] = [:]) async throws -> TestResult {
        var body: [String: JSONValue] = ["itemId": item["id"] ?? .null]
        body.merge(extra) { $1 }
        return try await api.call(.post, "/api/v1/sprints/\(sprintID)/items", token: token ?? f.dev.token, body: body)
    }

    @discardableResult
    func work(_ itemID: String, _ state: String, token: String? = nil, extra: [String: JSONValue] = [:]) async throws -> TestResult {
        let current = try await api.call(.get, "/api/v1/items/\(itemID)", token: f.po.token)
        var body: [String: JSONValue] = ["workState": .string(state), "version": current.json["version"] ?? 1]
        body.merge(extra) { $1 }
        return try await api.call(.patch, "/api/v1/items/\(itemID)", token: token ?? f.dev.token, body: body)
    }

    func start(_ sprintID: String, body: [String: JSONValue] = [:], token: String? = nil) async throws -> TestResult {
        try await api.call(.post, "/api/v1/sprints/\(sprintID)/start", token: token ?? f.sm.token, body: body)
    }

    func close(_ sprintID: String, goalMet: Bool = true, carryOver: String? = nil, token: String? = nil) async throws -> TestResult {
        var body: [String: JSONValue] = ["goalMet": .bool(goalMet), "note": "Reviewed with stakeholders"]
        if let carryOver { body["carryOver"] = .string(carryOver) }
        return try await api.call(.post, "/api/v1/sprints/\(sprintID)/close", token: token ?? f.dev.token, body: body)
    }
}

@Suite("Sprints")
struct SprintAPITests {
    @Test(arguments: TestEngine.all)
    func theTimeboxIsOneToTwentyEightDaysAndSprintsDoNotOverlap(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let first = try await s.sprint("2027-01-04", "2027-01-15")
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["number"]?.number == 1)
            #expect(first.json["state"]?.string == "planned")
            #expect(first.json["workingDays"]?.number == 10, "two weeks of Monday to Friday")
            let tooLong = try await s.sprint("2027-02-01", "2027-03-01")
            #expect(tooLong.status == .unprocessableContent)
            #expect(tooLong.errorCode == "invalid_timebox")
            #expect(try await s.sprint("2027-02-10", "2027-02-09").errorCode == "invalid_timebox")
            #expect(try await s.sprint("2027-02-01", "2027-02-28").status == .created, "28 days is the longest timebox")
            let overlap = try await s.sprint("2027-01-15", "2027-01-22")
            #expect(overlap.status == .unprocessableContent)
            #expect(overlap.errorCode == "sprint_overlap")
            #expect(try await s.sprint("2027-01-18", "2027-01-29").json["number"]?.number == 3)
            #expect(try await s.sprint("2027-03-01", "2027-03-05", token: s.f.stakeholder.token).status == .forbidden)
            let outsider = try await api.person("Otto")
            #expect(try await s.sprint("2027-03-01", "2027-03-05", token: outsider.token).status == .notFound)
            #expect(try await s.sprint("2027-3-1", "2027-03-05").errorField == "startDate")

            // A planned sprint can be edited; the overlap rule holds for edits too.
            let id = try #require(first.json["id"]?.string)
            let moved = try await api.call(.patch, "/api/v1/sprints/\(id)", token: s.f.po.token, body: ["endDate": "2027-01-18"])
            #expect(moved.errorCode == "sprint_overlap")
            let edited = try await api.call(.patch, "/api/v1/sprints/\(id)", token: s.f.po.token, body: ["goal": "Forecasts stakeholders trust", "endDate": "2027-01-14"])
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(edited.json["goal"]?.string == "Forecasts stakeholders trust")
            #expect(edited.json["workingDays"]?.number == 9)
            let list = try await api.call(.get, "/api/v1/teams/\(s.f.teamID)/sprints?state=planned", token: s.f.stakeholder.token)
            #expect(list.json["items"]?.array.map { $0["number"]?.number } == [3, 2, 1])
        }
    }

    @Test(arguments: TestEngine.all)
    func theWorkingCalendarDecidesWorkingDaysAndPersonDays(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let path = "/api/v1/teams/\(s.f.teamID)/calendar"
            let initial = try await api.call(.get, path, token: s.f.dev.token)
            #expect(initial.json["timeZone"]?.string == "UTC")
            #expect(initial.json["workingWeekdays"]?.array.count == 5)
            #expect(try await api.call(.put, path, token: s.f.dev.token, body: ["timeZone": "Europe/Berlin"]).status == .forbidden)
            #expect(try await api.call(.put, path, token: s.f.sm.token, body: ["timeZone": "Mars/Olympus"]).errorField == "timeZone")
            #expect(try await api.call(.put, path, token: s.f.sm.token, body: ["workingWeekdays": []]).errorField == "workingWeekdays")
            #expect(try await api.call(.put, path, token: s.f.sm.token, body: ["nonWorkingDates": ["2026-02-30"]]).errorField == "nonWorkingDates[0]")
            let set = try await api.call(.put, path, token: s.f.sm.token, body: [
                "timeZone": "Europe/Berlin", "nonWorkingDates": ["2026-12-25", "2027-01-01", "2026-12-24"],
            ])
            #expect(set.status == .ok, "\(set.text)")
            #expect(set.json["nonWorkingDates"]?.array.map(\.string) == ["2026-12-24", "2026-12-25", "2027-01-01"])
            // Monday 21 December to Friday 1 January: ten weekdays, three holidays.
            let sprint = try await s.sprintID("2026-12-21", "2027-01-01")
            let plan = try await api.call(.get, "/api/v1/sprints/\(sprint)/planning", token: s.f.stakeholder.token)
            #expect(plan.json["workingDays"]?.number == 7)
            #expect(plan.json["personDays"]?.number == 14, "two Developers, seven working days, no capacity recorded")

            let capacity = "/api/v1/sprints/\(sprint)/capacity"
            #expect(try await api.call(.put, capacity, token: s.f.sm.token, body: ["members": [["userId": .string(s.f.stakeholder.id), "daysAvailable": 3]]]).errorCode == "not_a_team_member")
            #expect(try await api.call(.put, capacity, token: s.f.sm.token, body: ["members": [["userId": .string(s.f.dev.id), "daysAvailable": 8]]]).errorField == "members[0].daysAvailable")
            #expect(try await api.call(.put, capacity, token: s.f.sm.token, body: ["members": [], "focusFactor": .number(1.5)]).errorField == "focusFactor")
            #expect(try await api.call(.put, capacity, token: s.f.stakeholder.token, body: ["members": []]).status == .forbidden)
            let recorded = try await api.call(.put, capacity, token: s.f.sm.token, body: [
                "members": [["userId": .string(s.f.dev.id), "daysAvailable": 7], ["userId": .string(s.f.dev2.id), "daysAvailable": .number(4.5)]], "focusFactor": .number(0.8),
            ])
            #expect(recorded.status == .ok, "\(recorded.text)")
            #expect(recorded.json["personDays"]?.number == 11.5, "the days as entered: the focus factor is a note")
            #expect(recorded.json["focusedPersonDays"]?.number == 9.2)
            #expect(recorded.json["source"]?.string == "recorded")
            #expect(try await api.call(.get, "/api/v1/sprints/\(sprint)/planning", token: s.f.po.token).json["personDays"]?.number == 11.5)
        }
    }

    @Test(arguments: TestEngine.all)
    func onlyReadyItemsArePlannedUnlessOverriddenWithAReason(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let sprint = try await s.sprintID("2027-01-04", "2027-01-15")
            let idea = try await s.f.item("Half-baked idea")
            let notReady = try await s.add(idea, to: sprint)
            #expect(notReady.status == .unprocessableContent)
            #expect(notReady.errorCode == "item_not_ready")
            #expect(try await s.add(idea, to: sprint, extra: ["override": true]).errorField == "reason")
            let overridden = try await s.add(idea, to: sprint, extra: ["override": true, "reason": "The spike answers a question the review asked"])
            #expect(overridden.status == .created, "\(overridden.text)")
            #expect(overridden.json["status"]?.string == "planned")
            #expect(overridden.json["workState"]?.string == "todo")

            let ready = try await s.ready("Export burndown", points: 5)
            #expect(try await s.add(ready, to: sprint, token: s.f.po.token).status == .forbidden, "the Product Owner does not fill the Sprint Backlog")
            #expect(try await s.add(ready, to: sprint, token: s.f.sm.token).status == .created, "the Scrum Master may before the start")
            let other = try await s.sprintID("2027-01-18", "2027-01-29")
            #expect(try await s.add(ready, to: other).errorCode == "item_in_sprint")
            #expect(try await api.call(.post, "/api/v1/sprints/\(sprint)/items", token: s.f.dev.token, body: ["itemId": "nope"]).errorCode == "unknown_item")

            let planning = try await api.call(.get, "/api/v1/sprints/\(sprint)/planning", token: s.f.dev.token)
            #expect(planning.json["committedPoints"]?.number == 5)
            #expect(planning.json["capacityPoints"] == .null, "no closed sprint yet: no guessed number")
            #expect(planning.json["basis"]?.string?.contains("no closed sprint") == true)

            #expect(try await api.call(.delete, "/api/v1/sprints/\(sprint)/items/\(idea["id"]!.string!)", token: s.f.dev.token).status == .noContent)
            let back = try await api.call(.get, "/api/v1/items/\(idea["id"]!.string!)", token: s.f.dev.token)
            #expect(back.json["status"]?.string == "open")
            #expect(back.json["sprintId"] == .null)
            let activity = try await api.call(.get, "/api/v1/items/\(idea["id"]!.string!)", token: s.f.dev.token)
            #expect(activity.status == .ok)
        }
    }

    @Test(arguments: TestEngine.all)
    func aSprintStartsWithAGoalAndOneRunsAtATime(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let goal = try await api.call(.post, "/api/v1/products/\(s.f.productID)/product-goals", token: s.f.po.token, body: ["statement": "Honest forecasts"])
            let first = try await s.sprintID("2027-01-04", "2027-01-15", goal: nil)
            let second = try await s.sprintID("2027-01-18", "2027-01-29")
            let item = try await s.ready("Burnup chart", points: 8)
            try await s.add(item, to: first)
            let noGoal = try await s.start(first)
            #expect(noGoal.status == .unprocessableContent)
            #expect(noGoal.errorCode == "sprint_goal_required")
            #expect(try await s.start(first, body: ["goal": "Forecasts"], token: s.f.stakeholder.token).status == .forbidden)
            let started = try await s.start(first, body: ["goal": "Stakeholders see the forecast"])
            #expect(started.status == .ok, "\(started.text)")
            #expect(started.json["state"]?.string == "active")
            #expect(started.json["productGoalId"] == goal.json["id"], "the Sprint Goal serves the active Product Goal")
            #expect(started.json["figures"]?["committedPoints"]?.number == 8)
            let again = try await s.start(second)
            #expect(again.status == .unprocessableContent)
            #expect(again.errorCode == "active_sprint_exists")
            #expect(try await s.start(first).errorCode == "sprint_not_planned")
            #expect(try await api.call(.patch, "/api/v1/sprints/\(first)", token: s.f.sm.token, body: ["goal": "Other"]).errorCode == "sprint_not_planned")
            // Once it runs, the Sprint Backlog is the Developers'.
            let inSprint = try await api.call(.post, "/api/v1/items/\(item["id"]!.string!)/decline", token: s.f.po.token, body: ["reason": "Changed my mind"])
            #expect(inSprint.errorCode == "in_sprint", "the Product Owner does not pull work from under the Developers")
            #expect(try await api.call(.delete, "/api/v1/items/\(item["id"]!.string!)", token: s.f.po.token).errorCode == "in_sprint")
            let late = try await s.ready("Late addition", points: 2)
            #expect(try await s.add(late, to: first, token: s.f.sm.token).status == .forbidden)
            #expect(try await s.add(late, to: first).status == .created)
            let sprint = try await api.call(.get, "/api/v1/sprints/\(first)", token: s.f.stakeholder.token)
            #expect(sprint.json["figures"]?["committedPoints"]?.number == 8, "the commitment is frozen at the start")
            #expect(sprint.json["figures"]?["addedPoints"]?.number == 2)
        }
    }

    @Test(arguments: TestEngine.all)
    func workIsDoneWhenTheDefinitionOfDoneHolds(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let dod = "/api/v1/products/\(s.f.productID)/definition-of-done"
            #expect(try await api.call(.put, dod, token: s.f.sm.token, body: ["items": ["Reviewed"]]).status == .forbidden)
            #expect(try await api.call(.put, dod, token: s.f.po.token, body: ["items": ["Code reviewed", "Tests pass", "Deployed to staging"]]).status == .ok)
            let outside = try await s.ready("Not planned")
            let notInSprint = try await s.work(outside["id"]!.string!, "doing")
            #expect(notInSprint.errorCode == "not_in_sprint")

            let sprint = try await s.sprintID("2027-01-04", "2027-01-15")
            let item = try await s.ready("Sprint summary page")
            #expect(item["doneChecks"] == [false, false, false], "a new item's ticks are aligned with the Definition of Done")
            let id = item["id"]!.string!
            try await s.add(item, to: sprint)
            #expect(try await s.start(sprint).status == .ok)
            #expect(try await s.work(id, "doing", token: s.f.sm.token).status == .forbidden, "the Developers move the work once the sprint runs")
            #expect(try await s.work(id, "doing").json["workState"]?.string == "doing")
            let notDone = try await s.work(id, "done", extra: ["doneChecks": [true, false, false]])
            #expect(notDone.status == .unprocessableContent)
            #expect(notDone.errorCode == "not_done")
            #expect(notDone.json["error"]?["missing"]?.array.map(\.string) == ["Tests pass", "Deployed to staging"])
            #expect(try await s.work(id, "done", extra: ["doneChecks": [true, true]]).errorField == "doneChecks")
            let done = try await s.work(id, "done", extra: ["doneChecks": [true, true, true]])
            #expect(done.status == .ok, "\(done.text)")
            #expect(done.json["status"]?.string == "done", "done work is done at once")
            #expect(done.json["doneChecks"]?.array.count == 3)
            let status = try await api.call(.patch, "/api/v1/items/\(id)", token: s.f.dev.token, body: ["status": "open", "version": done.json["version"]!])
            #expect(status.errorCode == "in_sprint")
            let figures = try await api.call(.get, "/api/v1/sprints/\(sprint)", token: s.f.dev.token).json["figures"]
            #expect(figures?["donePoints"]?.number == 3)
        }
    }

    /// Close with each kind of carry-over, and prove a closed sprint's figures never change afterwards.
    @Test(arguments: TestEngine.all)
    func closingCarriesOverAndFreezesTheFigures(engine: TestEngine) async throws {
        let clock = MovableClock("2027-01-04")
        try await withTandem(engine, stamps: clock.stamps) { api, _ in
            let s = try await SprintFixture.make(api)
            let first = try await s.f.item("Backlog top")
            let sprint = try await s.sprintID("2027-01-04", "2027-01-15")
            let a = try await s.ready("A", points: 5), b = try await s.ready("B", points: 3), c = try await s.ready("C", points: 8)
            for item in [a, b, c] { try await s.add(item, to: sprint) }
            #expect(try await s.start(sprint).status == .ok)
            clock.set("2027-01-06")
            #expect(try await s.work(a["id"]!.string!, "done").status == .ok)
            clock.set("2027-01-07")
            let late = try await s.ready("Added mid-sprint", points: 2)
            try await s.add(late, to: sprint)
            let reestimate = try await api.call(.patch, "/api/v1/items/\(c["id"]!.string!)", token: s.f.dev.token, body: ["estimate": 13, "version": try await api.call(.get, "/api/v1/items/\(c["id"]!.string!)", token: s.f.dev.token).json["version"]!])
            #expect(reestimate.status == .ok, "\(reestimate.text)")

            #expect(try await s.close(sprint, carryOver: "nextSprint").errorCode == "no_next_sprint")
            #expect(try await s.close(sprint, token: s.f.stakeholder.token).status == .forbidden)
            clock.set("2027-01-15", hour: 16)
            let closed = try await s.close(sprint, goalMet: false)
            #expect(closed.status == .ok, "\(closed.text)")
            #expect(closed.json["state"]?.string == "closed")
            #expect(closed.json["goalMet"] == .bool(false))
            let figures = try #require(closed.json["figures"])
            #expect(figures["committedPoints"]?.number == 16)
            #expect(figures["addedPoints"]?.number == 2)
            #expect(figures["reestimatedPoints"]?.number == 5)
            #expect(figures["donePoints"]?.number == 5)
            #expect(figures["carriedOverItems"]?.number == 3)
            #expect(figures["carriedOverPoints"]?.number == 18)
            // Unfinished items went to the top in their old relative order, ahead of what was on top before.
            let order = try await s.f.order()
            #expect(Array(order.prefix(4)) == ["B", "C", "Added mid-sprint", "Backlog top"], "\(order)")
            #expect(first["title"]?.string == "Backlog top")

            let velocity = try await api.call(.get, "/api/v1/teams/\(s.f.teamID)/velocity", token: s.f.stakeholder.token)
            let entry = try #require(velocity.json["sprints"]?[0])
            #expect(entry["committedPoints"]?.number == 16)
            #expect(entry["donePoints"]?.number == 5)
            #expect(entry["goalMet"] == .bool(false))
            #expect(entry["carriedOverItems"]?.number == 3)

            // Later changes do not rewrite the closed sprint: re-estimate the done item, move items, reopen its work.
            let aNow = try await api.call(.get, "/api/v1/items/\(a["id"]!.string!)", token: s.f.dev.token)
            #expect(try await api.call(.patch, "/api/v1/items/\(a["id"]!.string!)", token: s.f.dev.token, body: ["estimate": 20, "version": aNow.json["version"]!]).status == .ok)
            #expect(try await s.work(a["id"]!.string!, "doing").errorCode == "sprint_closed")
            _ = try await s.f.move(b, ["to": "bottom"])
            let again = try await api.call(.get, "/api/v1/sprints/\(sprint)", token: s.f.dev.token)
            #expect(again.json["figures"] == closed.json["figures"])
            #expect(try await api.call(.get, "/api/v1/teams/\(s.f.teamID)/velocity", token: s.f.dev.token).json == velocity.json)
            let record = try await api.call(.get, "/api/v1/sprints/\(sprint)/record", token: s.f.dev.token)
            #expect(record.json["burndown"]?.array.map { $0["remainingPoints"]?.number } == [16, 16, 11, 18, 18, 18, 18, 18, 18, 18])
            #expect(try await s.close(sprint).errorCode == "sprint_not_active")

            // Carry-over into the next planned sprint, and to the bottom.
            let next = try await s.sprintID("2027-01-18", "2027-01-29")
            for item in [b, c] { try await s.add(item, to: next) }
            #expect(try await s.start(next).status == .ok)
            let third = try await s.sprintID("2027-02-01", "2027-02-12")
            clock.set("2027-01-29")
            let carried = try await s.close(next, carryOver: "nextSprint")
            #expect(carried.json["figures"]?["carriedOverItems"]?.number == 2)
            let thirdSprint = try await api.call(.get, "/api/v1/sprints/\(third)", token: s.f.dev.token)
            #expect(thirdSprint.json["items"]?.array.map { $0["title"]?.string } == ["C", "B"], "B was moved to the bottom after the first sprint")
            #expect(thirdSprint.json["items"]?.array.allSatisfy { $0["workState"]?.string == "todo" } == true)
            #expect(try await s.start(third).status == .ok)
            #expect(try await s.close(third, carryOver: "bottom").status == .ok)
            #expect(Array(try await s.f.order().suffix(2)) == ["C", "B"], "to the bottom, in their old relative order")
        }
    }

    @Test(arguments: TestEngine.all)
    func theProductOwnerCancelsAndNoVelocityIsRecorded(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let sprint = try await s.sprintID("2027-01-04", "2027-01-15")
            let item = try await s.ready("Obsolete work")
            try await s.add(item, to: sprint)
            #expect(try await s.start(sprint).status == .ok)
            let path = "/api/v1/sprints/\(sprint)/cancel"
            #expect(try await api.call(.post, path, token: s.f.sm.token, body: ["reason": "Obsolete"]).status == .forbidden)
            #expect(try await api.call(.post, path, token: s.f.po.token, body: ["reason": " "]).errorField == "reason")
            let cancelled = try await api.call(.post, path, token: s.f.po.token, body: ["reason": "The market moved"])
            #expect(cancelled.status == .ok, "\(cancelled.text)")
            #expect(cancelled.json["state"]?.string == "cancelled")
            #expect(try await api.call(.get, "/api/v1/items/\(item["id"]!.string!)", token: s.f.po.token).json["status"]?.string == "open")
            #expect(try await api.call(.get, "/api/v1/teams/\(s.f.teamID)/velocity", token: s.f.po.token).json["sprints"]?.array.isEmpty == true)
            #expect(try await api.call(.post, path, token: s.f.po.token, body: ["reason": "Again"]).errorCode == "sprint_closed")
            // A cancelled sprint's dates are free again.
            #expect(try await s.sprint("2027-01-04", "2027-01-15").status == .created)
        }
    }

    /// Capacity from the last three closed sprints, scaled by person-days, with the overcommitment warning.
    @Test(arguments: TestEngine.all)
    func planningUsesTheLastThreeSprints(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let weeks = [("2027-01-04", "2027-01-08"), ("2027-01-11", "2027-01-15"), ("2027-01-18", "2027-01-22")]
            for (index, (start, end)) in weeks.enumerated() {
                let sprint = try await s.sprintID(start, end)
                let item = try await s.ready("Work \(index)", points: [8, 5, 13][index])
                try await s.add(item, to: sprint)
                #expect(try await s.start(sprint).status == .ok)
                #expect(try await s.work(item["id"]!.string!, "done").status == .ok)
                #expect(try await s.close(sprint).status == .ok)
            }
            let next = try await s.sprintID("2027-01-25", "2027-02-05")
            for points in [8.0, 5] { try await s.add(try await s.ready("Next \(points)", points: points), to: next) }
            let plan = try await api.call(.get, "/api/v1/sprints/\(next)/planning", token: s.f.dev.token)
            // Median done 8 points over a median of 10 person-days (2 Developers × 5 days); this sprint: 20 person-days.
            #expect(plan.json["capacityPoints"]?.number == 16)
            #expect(plan.json["committedPoints"]?.number == 13)
            #expect(plan.json["warning"] == .null)
            #expect(plan.json["basisSprints"]?.array.map { $0["number"]?.number } == [1, 2, 3])
            #expect(plan.json["basis"]?.string?.contains("sprint 1, sprint 2, sprint 3") == true)
            try await s.add(try await s.ready("One too many", points: 5), to: next)
            let over = try await api.call(.get, "/api/v1/sprints/\(next)/planning", token: s.f.dev.token)
            #expect(over.json["warning"]?.string == "overcommitted", "18 points > 110% of 16")
        }
    }

    /// The focus factor once discounted the coming sprint's days but not the past sprints' (28 × 0.8 against 40):
    /// capacity compares the days as entered on both sides, for sprints closed now and for those closed before,
    /// whose frozen days included the factor. A closed sprint's own figures do not move.
    @Test(arguments: TestEngine.all)
    func capacityComparesEnteredDaysOnBothSides(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let s = try await SprintFixture.make(api)
            let weeks = [("2027-01-04", "2027-01-15"), ("2027-01-18", "2027-01-29"), ("2027-02-01", "2027-02-12")]
            for (index, (start, end)) in weeks.enumerated() {
                let sprint = try await s.sprintID(start, end)
                // two Developers, ten days each (20 person-days), recorded with a focus factor of 0.8
                try await api.call(.put, "/api/v1/sprints/\(sprint)/capacity", token: s.f.sm.token, body: [
                    "members": [["userId": .string(s.f.dev.id), "daysAvailable": 10], ["userId": .string(s.f.dev2.id), "daysAvailable": 10]], "focusFactor": .number(0.8),
                ])
                var items: [JSONValue] = []
                for points in [[13.0, 3], [13, 5], [20]][index] {
                    let item = try await s.ready("Work \(index) \(points)", points: points)
                    try await s.add(item, to: sprint)
                    items.append(item)
                }
                #expect(try await s.start(sprint).status == .ok)
                for item in items { #expect(try await s.work(item["id"]!.string!, "done").status == .ok) }
                #expect(try await s.close(sprint).status == .ok)
            }
            let velocity = try await api.call(.get, "/api/v1/teams/\(s.f.teamID)/velocity", token: s.f.po.token)
            #expect(velocity.json["sprints"]?.array.map { $0["availableDays"]?.number } == [20, 20, 20])
            #expect(velocity.json["sprints"]?.array.map { $0["personDays"]?.number } == [16, 16, 16], "frozen as before: days × focus factor")
            let next = try await s.sprintID("2027-02-15", "2027-02-26")
            try await api.call(.put, "/api/v1/sprints/\(next)/capacity", token: s.f.sm.token, body: [
                "members": [["userId": .string(s.f.dev.id), "daysAvailable": 8], ["userId": .string(s.f.dev2.id), "daysAvailable": 6]], "focusFactor": .number(0.8),
            ])
            for points in [13.0, 13] { try await s.add(try await s.ready("Next \(points)", points: points), to: next) }
            let plan = try await api.call(.get, "/api/v1/sprints/\(next)/planning", token: s.f.dev.token)
            #expect(plan.json["capacityPoints"]?.number == 12.6, "median 18 × 14 ÷ 20, not 18 × 11.2 ÷ 20 = 10.1")
            #expect(plan.json["basis"]?.string?.contains("18 × 14 ÷ 20 = 12.6") == true, "\(plan.json["basis"] ?? .null)")
            #expect(plan.json["warning"]?.string == "overcommitted", "26 points against 12.6")
            // A sprint closed before this change froze 20 × 0.8 = 16 and no entered days: they come back as 16 ÷ 0.8.
            try await services.database.write { db in try await db.raw("UPDATE sprints SET available_days = NULL").run() }
            let older = try await api.call(.get, "/api/v1/sprints/\(next)/planning", token: s.f.dev.token)
            #expect(older.json["capacityPoints"]?.number == 12.6)
            #expect(try await api.call(.get, "/api/v1/teams/\(s.f.teamID)/velocity", token: s.f.po.token).json["sprints"]?.array.map { $0["donePoints"]?.number } == [16, 18, 20])
        }
    }

    /// The board says who works on what: a Developer of the sprint's team takes an item (or the Scrum Master hands
    /// it to one); nobody else, and only items in a sprint; the change is in the item's history.
    @Test(arguments: TestEngine.all)
    func aDeveloperTakesSprintWork(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let outside = try await s.ready("Not planned")
            let outsideID = try #require(outside["id"]?.string)
            let notPlanned = try await api.call(.patch, "/api/v1/items/\(outsideID)", token: s.f.dev.token, body: ["assigneeId": .string(s.f.dev.id), "version": 1])
            #expect(notPlanned.status == .unprocessableContent && notPlanned.errorCode == "not_in_sprint", "\(notPlanned.text)")

            let sprint = try await s.sprintID("2027-01-04", "2027-01-15")
            let item = try await s.ready("Checkout")
            let itemID = try #require(item["id"]?.string)
            try await s.add(item, to: sprint)
            func version() async throws -> JSONValue { try await api.call(.get, "/api/v1/items/\(itemID)", token: s.f.po.token).json["version"] ?? 1 }
            let taken = try await api.call(.patch, "/api/v1/items/\(itemID)", token: s.f.dev.token, body: ["assigneeId": .string(s.f.dev.id), "version": try await version()])
            #expect(taken.status == .ok && taken.json["assigneeId"]?.string == s.f.dev.id, "\(taken.text)")
            let toStakeholder = try await api.call(.patch, "/api/v1/items/\(itemID)", token: s.f.sm.token, body: ["assigneeId": .string(s.f.stakeholder.id), "version": try await version()])
            #expect(toStakeholder.status == .unprocessableContent && toStakeholder.errorCode == "not_a_developer" && toStakeholder.errorField == "assigneeId")
            let toPO = try await api.call(.patch, "/api/v1/items/\(itemID)", token: s.f.sm.token, body: ["assigneeId": .string(s.f.po.id), "version": try await version()])
            #expect(toPO.errorCode == "not_a_developer")
            let byPO = try await api.call(.patch, "/api/v1/items/\(itemID)", token: s.f.po.token, body: ["assigneeId": .string(s.f.dev2.id), "version": try await version()])
            #expect(byPO.status == .forbidden, "the Product Owner does not hand out the Developers' work")
            let handed = try await api.call(.patch, "/api/v1/items/\(itemID)", token: s.f.sm.token, body: ["assigneeId": .string(s.f.dev2.id), "version": try await version()])
            #expect(handed.json["assigneeId"]?.string == s.f.dev2.id, "the Scrum Master hands it to a Developer")
            let board = try await api.call(.get, "/api/v1/sprints/\(sprint)", token: s.f.stakeholder.token)
            #expect(board.json["items"]?[0]?["assigneeId"]?.string == s.f.dev2.id)
            let back = try await api.call(.patch, "/api/v1/items/\(itemID)", token: s.f.dev2.token, body: ["assigneeId": .null, "version": try await version()])
            #expect(back.status == .ok && back.json["assigneeId"] == .null)
            let history = try await api.call(.get, "/api/v1/items/\(itemID)/activity", token: s.f.po.token)
            let assigned = history.json["items"]?.array.filter { $0["detail"]?["changes"]?["assigneeId"] != nil } ?? []
            #expect(assigned.count == 3, "taken, handed, handed back: \(history.text.prefix(400))")
        }
    }
}
