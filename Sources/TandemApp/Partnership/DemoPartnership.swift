import Foundation
import SQLKit
import TandemCore

/// The demo's partnership, so every dashboard tile has real data: aged impediments (one escalated, one resolved in two
/// days), answered and waiting questions (one blocking), a decision log with a superseded decision, a working
/// agreement, and three past health checks with one visible gap. Seeded through the services on a walking clock.
enum DemoPartnership {
    static func seed(productID: String, teamID: String, services: TandemServices, people: [String: String]) async throws {
        let seeded = try await services.database.read { db in
            try await db.select().column("id").from("impediments").where("team_id", .equal, teamID).limit(1).first() != nil
        }
        guard !seeded, let po = people["po@tandem.demo"], let sm = people["sm@tandem.demo"], let dev = people["dev1@tandem.demo"],
              let devi = people["dev2@tandem.demo"], let diego = people["dev3@tandem.demo"], let stakeholder = people["stakeholder@tandem.demo"]
        else { return }
        let clock = DemoSprints.WalkingClock()
        let stamps = Stamps(clock: TimeSource { clock.next() }, ids: .random)
        let partnership = PartnershipService(database: services.database, stamps: stamps)
        let today = WorkingCalendar().today(atMillis: services.stamps.now())
        func at(_ daysAgo: Int, _ hour: Int64) { clock.set(today.adding(days: -daysAgo), hour: hour) }

        // Impediments: one resolved in two days, one escalated and waiting, two open and ageing.
        at(40, 9)
        let flaky = try await partnership.impediments.raise(teamID: teamID, title: "The build breaks on the shared CI runner every other day", detail: "Tests time out when another team's job runs.", itemIDs: [], actorID: dev)
        at(38, 9)
        _ = try await partnership.impediments.update(flaky.id, state: "resolved", ownerID: nil, resolution: "The Scrum Master got the team its own runner.", actorID: sm)
        at(12, 10)
        let licences = try await partnership.impediments.raise(teamID: teamID, title: "No licence for the load-testing tool", detail: "Purchasing needs a director's signature.", itemIDs: ["DEMO-13"], actorID: devi)
        at(11, 11)
        _ = try await partnership.impediments.update(licences.id, state: "inProgress", ownerID: nil, resolution: nil, actorID: sm)
        _ = try await partnership.impediments.escalate(licences.id, note: "Beyond the team's reach: only the IT director can sign the purchase.", actorID: sm)
        at(6, 14)
        _ = try await partnership.impediments.raise(teamID: teamID, title: "Stakeholders book the team's Developers for support calls", detail: "", itemIDs: [], actorID: diego)
        at(1, 9)
        _ = try await partnership.impediments.raise(teamID: teamID, title: "Staging data is a month old", detail: "Demos show stale numbers.", itemIDs: ["DEMO-2"], actorID: dev)

        // Questions: answered within hours, one slower, one waiting, one blocking.
        for (daysAgo, asker, text, hours, answer) in [
            (20, dev, "Should the forecast count weekends?", 3, "No: working days only, like the burndown."),
            (14, devi, "Is the CSV export for stakeholders or for the team?", 30, "Stakeholders first; the team uses the API."),
            (5, diego, "Do declined items belong in the release burnup?", 2, "No, they are out of scope by decision."),
        ] as [(Int, String, String, Int64, String)] {
            at(daysAgo, 9)
            let question = try await partnership.questions.ask(productID: productID, text: text, itemID: nil, blocking: false, actorID: asker)
            clock.set(today.adding(days: -daysAgo), hour: 9 + hours)
            _ = try await partnership.questions.answer(question.id, answer: answer, actorID: po)
        }
        at(2, 15)
        _ = try await partnership.questions.ask(productID: productID, text: "Which release does the Monte Carlo forecast target, 1.0 or 1.1?", itemID: nil, blocking: true, actorID: dev)
        at(1, 11)
        _ = try await partnership.questions.ask(productID: productID, text: "May stakeholders see the retrospective notes?", itemID: nil, blocking: false, actorID: stakeholder)

        // The decision log: a superseded decision and a current one, one by each accountability.
        at(60, 10)
        let estimates = try await partnership.decisions.record(productID: productID, input: DecisionInput(
            title: "Estimate in hours", context: "Stakeholders asked for delivery dates.", decision: "Developers estimate every item in hours.",
            rationale: "Hours look precise to stakeholders.", alternatives: "Story points; no estimates", accountability: "process", itemIds: nil, supersedes: nil
        ), actorID: sm)
        at(30, 10)
        _ = try await partnership.decisions.record(productID: productID, input: DecisionInput(
            title: "Forecast from throughput instead of hours", context: "Hour estimates were missed by 40% for three sprints.",
            decision: "Estimate in points for ordering; forecast dates with Monte Carlo on done items.",
            rationale: "The evidence beats the guesses, and estimating hours cost the team half a day per sprint.", alternatives: "Keep hours with a buffer",
            accountability: "process", itemIds: nil, supersedes: estimates.id
        ), actorID: sm)
        at(25, 14)
        _ = try await partnership.decisions.record(productID: productID, input: DecisionInput(
            title: "No velocity leaderboard", context: "A stakeholder asked to rank teams by velocity.", decision: "Tandem will not rank teams by velocity.",
            rationale: "Velocity is a planning tool; ranking by it invites gaming.", alternatives: nil, accountability: "product", itemIds: ["DEMO-55"], supersedes: nil
        ), actorID: po)

        // The working agreement, version 2, not everyone has agreed yet.
        at(50, 10)
        _ = try await partnership.agreements.set(teamID: teamID, items: ["The Daily Scrum starts at 9:30 and lasts 15 minutes", "Questions to the Product Owner are answered the same day"], actorID: sm)
        at(20, 10)
        _ = try await partnership.agreements.set(teamID: teamID, items: [
            "The Daily Scrum starts at 9:30 and lasts 15 minutes", "Questions to the Product Owner are answered the same day",
            "Nobody takes support calls during the sprint without the Scrum Master", "Every decision gets a written why",
        ], actorID: sm)
        for person in [po, dev, devi] { _ = try await partnership.agreements.agree(teamID: teamID, actorID: person) }

        // Three past health checks; open communication shows a gap that narrows.
        let smExpectations = Expectations.owed(by: .scrumMaster).map(\.id), poExpectations = Expectations.owed(by: .productOwner).map(\.id)
        for (index, (daysAgo, communication)) in [(84, (2, 4)), (56, (3, 5)), (28, (3, 4))].enumerated() {
            at(daysAgo, 10)
            let check = try await partnership.checks.open(teamID: teamID, actorID: sm)
            var poRatings: [String: Double] = [:], smRatings: [String: Double] = [:]
            for (n, foundation) in PartnershipFoundation.allCases.enumerated() {
                poRatings[foundation.rawValue] = Double(3 + (n + index) % 2)
                smRatings[foundation.rawValue] = Double(3 + (n + index + 1) % 2)
            }
            poRatings["openCommunication"] = Double(communication.0)
            smRatings["openCommunication"] = Double(communication.1)
            at(daysAgo, 15)
            _ = try await partnership.checks.respond(checkID: check.id, ratings: poRatings, expectationsMet: Array(smExpectations.dropLast(2 - min(index, 2))),
                                                     comment: index == 0 ? "I hear about problems too late." : "Better: we talk daily now.", actorID: po)
            at(daysAgo - 1, 11)
            _ = try await partnership.checks.respond(checkID: check.id, ratings: smRatings, expectationsMet: Array(poExpectations.dropFirst(index == 2 ? 0 : 1)),
                                                     comment: "The Product Owner is hard to reach on Mondays.", actorID: sm)
        }
    }
}
