import Foundation
import SQLKit
import TandemCore

/// The demo team's history: eight closed two-week sprints (varying velocity, a holiday, one missed Sprint Goal,
/// mid-sprint additions, carried-over work), a running sprint half-way, feedback waiting and retrospective actions,
/// one of them carried twice. Seeded through the real services on a clock that walks through those days, so the
/// records, charts and figures are exactly what a team living them would have produced.
enum DemoSprints {
    /// A clock the seed moves; every reading advances a millisecond so records keep their order.
    final class WalkingClock: @unchecked Sendable {
        private let lock = NSLock()
        private var millis: Int64 = 0
        func set(_ day: CalendarDay, hour: Int64) { lock.withLock { millis = Int64(day.dayNumber) * 86_400_000 + hour * 3_600_000 } }
        func next() -> Int64 { lock.withLock { millis += 1; return millis } }
    }

    /// One past sprint: its goal, its work (title, points, done on working day n or nil), what was added mid-sprint.
    struct Past {
        let goal: String
        let work: [(String, Double, Int?)]
        let added: [(String, Double, Int?)]
        let goalMet: Bool
        let note: String
    }

    static let history: [Past] = [
        Past(goal: "A team can sign up, log in and find its product", work: [("Sign up with email and password", 5, 3), ("Log in and out with sessions", 3, 4), ("Product page with teams", 5, 7), ("Invite people by email", 3, 9)], added: [], goalMet: true, note: "A smooth first sprint."),
        Past(goal: "The Product Owner orders the backlog", work: [("Create backlog items", 3, 2), ("Drag items into order", 8, 8), ("Only the Product Owner orders", 5, 6), ("Ordering proposals from the team", 5, 9)], added: [("Fix login redirect loop", 1, 5)], goalMet: true, note: "Proposals landed on the last day."),
        Past(goal: "Refinement shows what is ready", work: [("Definition of Ready checklist", 3, 3), ("Refinement levels", 5, 5), ("Planning poker rounds", 8, 9), ("Item page with history", 5, nil)], added: [], goalMet: true, note: "The item page history slipped; carried over."),
        Past(goal: "Dependencies are visible before they hurt", work: [("Item page with history", 5, 2), ("Dependencies between items", 8, 6), ("Warning when ordered above a blocker", 3, 7), ("Dependency graph", 5, 9)], added: [("Escape titles in the graph", 2, 4)], goalMet: true, note: "Best sprint so far."),
        Past(goal: "The API is described and checked", work: [("OpenAPI document", 5, 4), ("API tokens", 3, 5), ("Fuzz the API in CI", 5, 8)], added: [], goalMet: true, note: "Short sprint: the holiday and Devi's leave."),
        Past(goal: "Product Owners set the direction", work: [("Product Vision Board", 5, 3), ("Product Goals with history", 5, 6), ("Releases with target dates", 3, 7), ("Items serve the Product Goal", 5, 9)], added: [], goalMet: true, note: "Stakeholders liked the vision board."),
        Past(goal: "Teams plan sprints on their calendar", work: [("Team working calendar", 5, 6), ("Sprint timebox rules", 3, 8), ("Capacity per member", 8, nil), ("Sprint Backlog from ready items", 5, nil)], added: [("Production outage: login throttle too strict", 3, 4)], goalMet: false, note: "The outage took three days; capacity and the Sprint Backlog were carried into the next sprint."),
        Past(goal: "The sprint record is honest", work: [("Capacity per member", 8, 4), ("Sprint Backlog from ready items", 5, 5), ("Frozen sprint figures", 5, 8), ("Velocity per team", 3, 9), ("Board with work states", 5, 9)], added: [], goalMet: true, note: "Recovered well; the board is loved."),
    ]

    /// `releaseID` is the release the sprints' work belongs to; `afterClose` runs after each past sprint closes, with
    /// the sprint's number and the walking clock's stamps (the planning demo journals forecasts there).
    static func seed(
        productID: String, teamID: String, services: TandemServices, people: [String: String], releaseID: String? = nil,
        afterClose: @Sendable (_ number: Int, _ stamps: Stamps) async throws -> Void = { _, _ in }
    ) async throws {
        let hasSprints = try await services.database.read { db in
            try await db.select().column("id").from("sprints").where("team_id", .equal, teamID).limit(1).first() != nil
        }
        guard !hasSprints, let po = people["po@tandem.demo"], let sm = people["sm@tandem.demo"], let dev = people["dev1@tandem.demo"],
              let devi = people["dev2@tandem.demo"], let stakeholder = people["stakeholder@tandem.demo"]
        else { return }
        let clock = WalkingClock()
        let stamps = Stamps(clock: TimeSource { clock.next() }, ids: .random)
        let sprints = SprintService(database: services.database, stamps: stamps)
        let backlog = BacklogService(database: services.database, stamps: stamps, participants: [SprintRecordKeeper()])
        let events = SprintEvents(database: services.database, stamps: stamps, items: backlog.items)
        let today = WorkingCalendar().today(atMillis: services.stamps.now())
        // The running sprint started on the Monday a week ago; the eight before it follow back in two-week steps.
        let monday = today.adding(days: -((today.weekday == .sunday ? 6 : Weekday.allCases.firstIndex(of: today.weekday)!)) - 7)
        let starts = (0..<9).map { monday.adding(days: -14 * (8 - $0)) }
        let holiday = starts[4].adding(days: 3)

        clock.set(starts[0].adding(days: -7), hour: 9)
        _ = try await sprints.setCalendar(teamID: teamID, timeZone: "UTC", workingWeekdays: nil, nonWorkingDates: [holiday.description], actorID: sm)
        let done = ["Code reviewed by another Developer", "Automated tests pass", "Deployed to staging", "The Product Owner has seen it work"]
        _ = try await backlog.refinement.setDefinitionOfDone(productID: productID, items: done, actorID: po)
        let dor = try await backlog.refinement.definitionOfReady(productID: productID, userID: po)

        func readyItem(_ title: String, _ points: Double) async throws -> ItemDTO {
            var input = NewItemInput(title: title, kind: ItemKind.story.rawValue)
            input.estimate = points
            input.description = "Part of the work that built Tandem."
            input.releaseId = releaseID
            let item = try await backlog.items.createItem(productID: productID, input: input, actorID: po)
            return try await backlog.items.updateItem(item.id, changes: [
                "version": .number(Double(item.version)), "readiness": .array(dor.map { _ in .bool(true) }), "refinement": "ready",
            ], ifMatch: nil, actorID: dev)
        }
        func work(_ itemID: String, _ state: WorkState, by actor: String) async throws {
            let item = try await backlog.items.item(itemID, userID: actor)
            var changes: [String: JSONValue] = ["version": .number(Double(item.version)), "workState": .string(state.rawValue)]
            if state == .done { changes["doneChecks"] = .array(done.map { _ in .bool(true) }) }
            _ = try await backlog.items.updateItem(itemID, changes: changes, ifMatch: nil, actorID: actor)
        }
        let calendar = WorkingCalendar(nonWorkingDates: [holiday])
        var carried: [String: String] = [:]
        var sprintIDs: [String] = []
        for (index, past) in history.enumerated() {
            let start = starts[index], end = start.adding(days: 11)
            let days = calendar.workingDays(from: start, through: end)
            clock.set(start.adding(days: -3), hour: 14)
            let sprint: SprintDTO
            if index > 0, let planned = try await sprints.sprints(teamID: teamID, state: .planned, userID: sm).first {
                sprint = planned
            } else {
                sprint = try await sprints.createSprint(teamID: teamID, input: SprintInput(startDate: start.description, endDate: end.description, goal: past.goal), actorID: sm)
            }
            sprintIDs.append(sprint.id)
            var items: [(id: String, doneOn: Int?)] = []
            for (title, points, doneOn) in past.work {
                let id: String
                if let existing = carried[title] { id = existing } else {
                    id = try await readyItem(title, points).id
                    _ = try await sprints.addItem(sprintID: sprint.id, itemID: id, override: false, reason: nil, actorID: dev)
                }
                items.append((id, doneOn))
            }
            if index == 4 {
                // Devi is away for the week after the holiday; the others are in.
                _ = try await sprints.setCapacity(sprintID: sprint.id, members: [
                    (dev, Double(days.count)), (devi, Double(days.count) - 5), (people["dev3@tandem.demo"] ?? dev, Double(days.count)),
                    (people["dev4@tandem.demo"] ?? dev, Double(days.count)),
                ], focusFactor: nil, actorID: sm)
            }
            clock.set(start, hour: 9)
            _ = try await sprints.start(sprintID: sprint.id, goal: past.goal, actorID: sm)
            for (title, points, doneOn) in past.added {
                clock.set(days[min(2, days.count - 1)], hour: 11)
                let item = try await readyItem(title, points)
                _ = try await sprints.addItem(sprintID: sprint.id, itemID: item.id, override: false, reason: nil, actorID: dev)
                items.append((item.id, doneOn))
            }
            for (dayIndex, day) in days.enumerated() {
                for item in items where item.doneOn == dayIndex + 1 {
                    clock.set(day, hour: 10)
                    try await work(item.id, .doing, by: dev)
                    clock.set(day, hour: 15)
                    try await work(item.id, .done, by: dev)
                }
            }
            clock.set(end, hour: 14)
            if index >= 6 {
                _ = try await events.recordReview(sprintID: sprint.id, invitees: ["stakeholder@tandem.demo"], notes: "Demonstrated: \(past.work.map(\.0).joined(separator: ", ")).", actorID: po)
            }
            // Unfinished work goes into the next sprint, planned before this one closes.
            let unfinished = past.work.filter { $0.2 == nil }
            carried = [:]
            if !unfinished.isEmpty {
                let next = starts[index + 1]
                _ = try await sprints.createSprint(teamID: teamID, input: SprintInput(startDate: next.description, endDate: next.adding(days: 11).description, goal: history[index + 1].goal), actorID: sm)
                for (title, _, _) in unfinished { carried[title] = items[past.work.firstIndex { $0.0 == title }!].id }
            }
            clock.set(end, hour: 16)
            _ = try await sprints.close(sprintID: sprint.id, closing: SprintClosing(goalMet: past.goalMet, note: past.note, carryOver: unfinished.isEmpty ? .top : .nextSprint), actorID: sm)
            try await afterClose(index + 1, stamps)
        }

        // Retrospective actions: one done, one carried twice by now, one from the last sprint.
        clock.set(starts[6].adding(days: 11), hour: 16)
        let stale = try await events.addAction(sprintID: sprintIDs[6], text: "Keep one Developer free of interruptions during an outage", ownerID: sm, actorID: sm)
        _ = try await events.addNote(sprintID: sprintIDs[6], kind: "hindered", text: "The outage ate three days and nobody said no to new requests.", actorID: dev)
        let finished = try await events.addAction(sprintID: sprintIDs[6], text: "Agree who answers support during the sprint", ownerID: po, actorID: sm)
        clock.set(starts[7].adding(days: 11), hour: 16)
        _ = try await events.setActionState(finished.id, state: "done", actorID: po)
        _ = try await events.addNote(sprintID: sprintIDs[7], kind: "helped", text: "Pairing on the board made the record easy to trust.", actorID: devi)
        _ = try await events.addNote(sprintID: sprintIDs[7], kind: "idea", text: "Show the burndown on the team's screen.", actorID: dev)
        _ = try await events.addAction(sprintID: sprintIDs[7], text: "Refine with the Product Owner every Wednesday", ownerID: po, actorID: sm)
        _ = stale

        // The running sprint: committed on Monday a week ago, work under way, one addition.
        let start = starts[8], end = start.adding(days: 11)
        clock.set(start.adding(days: -3), hour: 14)
        let current = try await sprints.createSprint(teamID: teamID, input: SprintInput(startDate: start.description, endDate: end.description, goal: "Stakeholders see an honest forecast"), actorID: sm)
        var running: [String] = []
        for (title, points) in [("Monte Carlo forecast", 8.0), ("Release burnup chart", 5), ("Sprint review page", 5), ("Retrospective page", 3), ("Partnership health check", 5)] {
            let item = try await readyItem(title, points)
            _ = try await sprints.addItem(sprintID: current.id, itemID: item.id, override: false, reason: nil, actorID: dev)
            running.append(item.id)
        }
        clock.set(start, hour: 9)
        _ = try await sprints.start(sprintID: current.id, goal: "Stakeholders see an honest forecast", actorID: sm)
        let days = calendar.workingDays(from: start, through: min(end, today))
        // Who took what: the board says who works on what.
        func take(_ itemID: String, by actor: String) async throws {
            let item = try await backlog.items.item(itemID, userID: actor)
            _ = try await backlog.items.updateItem(itemID, changes: ["version": .number(Double(item.version)), "assigneeId": .string(actor)], ifMatch: nil, actorID: actor)
        }
        clock.set(days[min(1, days.count - 1)], hour: 15)
        try await take(running[3], by: dev)
        try await work(running[3], .doing, by: dev)
        try await work(running[3], .done, by: dev)
        clock.set(days[min(3, days.count - 1)], hour: 11)
        let urgent = try await readyItem("Fix the forecast rounding", 2)
        _ = try await sprints.addItem(sprintID: current.id, itemID: urgent.id, override: false, reason: nil, actorID: devi)
        clock.set(days[min(4, days.count - 1)], hour: 15)
        try await take(running[2], by: devi)
        try await work(running[2], .doing, by: devi)
        try await work(running[2], .done, by: devi)
        try await take(running[0], by: dev)
        try await work(running[0], .doing, by: dev)
        try await take(urgent.id, by: devi)

        // Feedback from the last review, waiting in the Product Owner's inbox.
        clock.set(starts[7].adding(days: 11), hour: 15)
        _ = try await events.giveFeedback(productID: productID, text: "Show the release date as a range, not a single day.\nA single date is never believed.", itemID: nil, actorID: stakeholder)
        _ = try await events.giveFeedback(productID: productID, text: "Can the board show who is working on what?", itemID: nil, actorID: stakeholder)
    }
}
