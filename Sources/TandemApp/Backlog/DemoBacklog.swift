import Foundation
import TandemCore

/// A realistic Product Backlog for the demo: mixed refinement, WSJF inputs, dependencies, proposals, a "no".
enum DemoBacklog {
    /// Title, kind, description; the order here is the initial backlog order.
    static let items: [(String, ItemKind, String)] = [
        ("Sign in with a magic link", .story, "As a returning member I want a one-time link by email so that I do not need a password."),
        ("Show who decides the order on every backlog", .story, "Make the Product Owner's decision right visible to everyone."),
        ("Propose a move with a rationale", .story, "Developers and stakeholders suggest a better position and say why."),
        ("Answer proposals from one inbox", .story, "The Product Owner accepts or declines with a note the team can read."),
        ("Backlog loads slowly above 2,000 items", .bug, "Measured 1.8 s on the large demo; target is under 300 ms."),
        ("Keyboard reordering announces the new position", .story, "Screen-reader users hear where the item went."),
        ("Definition of Ready checklist per item", .story, "Tick each condition; ready only when all are ticked."),
        ("Planning poker without a meeting", .story, "Votes stay hidden until revealed, for distributed teams."),
        ("Spike: Monte Carlo forecast accuracy", .spike, "Back-test against last year's sprints before promising dates."),
        ("Release burnup chart", .story, "Done, total scope and the forecast cone."),
        ("Velocity of the last six sprints", .story, "Median and range, shown with its data."),
        ("Export the backlog as CSV", .story, "For stakeholders who live in spreadsheets."),
        ("Impediment board with age buckets", .epic, "Open impediments by age, escalated ones highlighted."),
        ("Raise an impediment from any page", .story, "One click, lands with the Scrum Master."),
        ("Escalate an impediment to the organisation", .story, "When the team cannot remove it alone."),
        ("Ask the Product Owner a question", .story, "With a blocking flag; answer time is measured."),
        ("Partnership health check", .epic, "Product Owner and Scrum Master rate the foundations each sprint."),
        ("Highlight rating gaps of two or more", .story, "That gap is the conversation to have."),
        ("Decision log with rationale", .story, "Append-only; a later decision supersedes an earlier one."),
        ("Role conflict banner", .story, "When one person holds both accountabilities."),
        ("Sprint Goal on the team page", .story, "One goal per sprint, visible everywhere."),
        ("Sprint burndown", .story, "Remaining points per day."),
        ("Say/do ratio over the last sprints", .story, "Done ÷ committed, with the basis shown."),
        ("Ready runway signal", .story, "Ready points at the top ÷ median velocity."),
        ("Backlog freshness signal", .story, "Share of the top 20 refined in the last 30 days."),
        ("Stakeholder feedback inbox", .epic, "Feedback lands with the Product Owner, who turns it into items or says no."),
        ("Turn feedback into a backlog item", .story, "Keeps the link to the original feedback."),
        ("Weekly email digest for stakeholders", .story, "What changed in the order and why."),
        ("Retrospective board", .epic, "What helped, what hindered, ideas; actions carried forward."),
        ("Improvement actions with owners", .story, "Carried forward until done."),
        ("Working agreement per team", .story, "Editable by the team, versioned."),
        ("Import from Jira CSV", .story, "Keep references and order."),
        ("Webhooks for item changes", .story, "Signed payloads, retried with backoff."),
        ("Live updates across browser tabs", .story, "Order changes appear without reload."),
        ("Dark mode", .chore, "Respect the system preference."),
        ("Audit password hashing cost", .chore, "Confirm bcrypt cost 12 on production hardware."),
        ("Timeout when a proposal anchor was deleted", .bug, "Accepting shows a clear message instead."),
        ("Mobile layout of the backlog", .story, "Readable and operable at 360 px."),
        ("Epic progress bars", .story, "Share of child items done."),
        ("Release planning by date", .story, "How much by this date, at 50/85/95%."),
        ("Capacity per sprint", .story, "Days available per member and focus factor."),
        ("Carry-over of unfinished items", .story, "Back to the backlog top at sprint close."),
        ("Sprint review feedback capture", .story, "Straight into the feedback inbox."),
        ("Team calendar of events", .story, "Planning, review, retrospective, refinement."),
        ("Refinement session agenda", .story, "The next items that are not ready yet."),
        ("Search across declined ideas", .story, "Ideas we said no to, with the reason."),
        ("Attach files to items", .story, "Designs and screenshots."),
        ("Comment threads on items", .story, "Mentions notify people."),
        ("Notifications preferences", .story, "Email, in-app, or none."),
        ("Translate the interface to German", .story, "Starting with the backlog."),
        ("Accessibility audit of all pages", .chore, "WCAG 2.2 AA."),
        ("Single sign-on with OpenID Connect", .story, "For larger organisations."),
        ("API tokens with scopes", .story, "Read-only tokens for dashboards."),
        ("Backup and restore command", .story, "Consistent snapshot while running."),
        ("PostgreSQL read replicas", .spike, "Do we need them at 10k users?"),
        ("Gamified velocity leaderboard", .story, "Rank teams by points."),
        ("Time tracking per item", .story, "Hours booked against items."),
        ("Custom estimate scales", .story, "T-shirt sizes for some teams."),
        ("Archive finished products", .chore, "Read-only, hidden from lists."),
        ("Onboarding tour for new Product Owners", .story, "Explains decision rights in three steps."),
    ]

    /// `people` maps the demo people's emails to their ids.
    /// Acceptance criteria as teams write them (Given/When/Then or a checklist), one set per item, for the first items.
    static let acceptanceCriteria: [String] = [
        "Given I asked for a link with my email\nWhen I open it within 15 minutes\nThen I am logged in and the link stops working\n\nGiven the link is older than 15 minutes\nWhen I open it\nThen I am asked to request a new one",
        "- The backlog header names the Product Owner\n- Developers and stakeholders see \"The Product Owner decides the order\"\n- A delegate sees on whose behalf they order",
        "Given I am a Developer on the backlog\nWhen I propose moving an item above another with a rationale\nThen the Product Owner's inbox shows it with my rationale\nAnd the order does not change until the Product Owner accepts",
        "- Open proposals are listed oldest first\n- Accepting moves the item and records the note\n- Declining requires a note that the proposer can read\n- The inbox count updates without a reload",
        "Given a product with 2,000 open items\nWhen the Product Owner opens the backlog\nThen the first 50 rows appear within 300 ms on the reference machine\nAnd scrolling loads the next 50 without a full reload",
        "Given focus is on an item\nWhen I press Alt+Up\nThen the item moves one place up\nAnd a screen reader announces \"moved to position 3 of 40\"",
        "- Each Definition of Ready condition has its own tick box on the item\n- The refinement level cannot be set to ready while a condition is unticked\n- The backlog shows how many items are ready",
        "Given a round is open\nWhen three Developers have voted\nThen everyone sees who has voted but not the values\nAnd the values appear together when the round is revealed",
        "- Back-test the forecast against the last 12 closed sprints\n- Report how often the real finish fell within the 85% level\n- Recommend a minimum number of sprints of history",
        "Given a release with items done in four sprints\nWhen I open its burnup\nThen I see done points and total scope per sprint\nAnd scope added mid-release is visible as a step in the scope line",
        "- Shows the last six closed sprints with their velocity\n- Shows the median and the range, not only the average\n- Each bar links to the sprint it came from",
        "Given a stakeholder on the backlog page\nWhen they export to CSV\nThen the file has reference, title, status, estimate and position in the current order\nAnd opens in a spreadsheet with UTF-8 intact",
        "- Impediments grouped by age: under 2 days, 2–7 days, over a week\n- Escalated impediments carry a badge\n- The median time to resolve is shown above the board",
        "Given I am on any page of a product\nWhen I raise an impediment with a title\nThen it is owned by the team's Scrum Master\nAnd appears at the top of the impediment board",
        "Given an open impediment the team cannot remove\nWhen the Scrum Master escalates it with a note\nThen its level becomes organisation\nAnd the Product Owner is notified",
        "- Any member can ask; a question can be marked blocking\n- The Product Owner or a delegate answers\n- The list shows how long each question waited",
        "- Product Owner and Scrum Master rate each foundation from 1 to 5 every sprint\n- Ratings stay hidden until both have answered\n- The history shows the trend per foundation",
        "Given both partners rated a foundation\nWhen their ratings differ by two or more\nThen the pair is highlighted as a conversation to have",
        "Given a decision was recorded\nWhen someone tries to edit it\nThen they are told decisions are append-only\nAnd a new decision can supersede it, linking back",
        "Given one person is both Product Owner and Scrum Master of a team\nWhen anyone opens the product page\nThen a banner names the conflict and why it matters",
        "- The team page shows the active Sprint Goal at the top\n- The goal is set when the sprint starts and is kept in the sprint's record\n- A sprint without a goal is flagged",
        "Given an active sprint with committed items\nWhen work is done on a working day\nThen the burndown drops by its points that day\nAnd non-working days are flat in the ideal line",
        "- Say/do is done points ÷ committed points per sprint\n- Shown for the last five sprints, with the items behind each number\n- Sprints cancelled by the Product Owner are left out",
        "Given median velocity of 20 points\nWhen 50 ready points stand at the top of the backlog\nThen the runway reads 2.5 sprints\nAnd below one sprint it turns amber",
        "- Freshness = share of the top 20 items refined in the last 30 days\n- Shown on the backlog page and the partnership dashboard\n- Below 50% it suggests a refinement session",
        "- Stakeholders send feedback from the product page\n- Feedback lands in the Product Owner's inbox, newest first\n- Each piece ends as an item, a merge, or a no with a reason",
        "Given a piece of feedback in the inbox\nWhen the Product Owner turns it into an item\nThen the item links back to the feedback\nAnd the stakeholder who sent it sees the outcome",
        "- Sent on Monday mornings to stakeholders who opted in\n- Lists items that moved into the top ten and the notes of decisions\n- One click unsubscribes",
        "Given a sprint has ended\nWhen the team opens the retrospective\nThen it has columns for what helped, what hindered and ideas\nAnd open actions from earlier retrospectives are shown first",
        "- Each improvement action has one owner and a due sprint\n- Unfinished actions carry into the next retrospective\n- Done actions show when and by whom",
    ]

    static func seed(productID: String, backlog: BacklogService, people: [String: String]) async throws {
        func id(_ email: String) throws -> String {
            guard let id = people[email] else { throw DomainError.notFound("The demo user \(email)") }
            return id
        }
        let po = try id("po@tandem.demo")
        let sm = try id("sm@tandem.demo")
        let dev1 = try id("dev1@tandem.demo")
        let dev2 = try id("dev2@tandem.demo")
        let dev3 = try id("dev3@tandem.demo")
        let stakeholder = try id("stakeholder@tandem.demo")

        let definition = ["Acceptance criteria written", "Dependencies known", "Small enough for one sprint", "Testable by the team"]
        _ = try await backlog.refinement.setDefinitionOfReady(productID: productID, items: definition, actorID: po)

        let scale: [Double] = [1, 2, 3, 5, 8, 3, 5, 2, 13, 8]
        var refs: [String] = []
        for (index, (title, kind, description)) in items.enumerated() {
            let creator = [po, dev1, sm, stakeholder, dev2][index % 5]
            var input = NewItemInput(title: title, kind: kind.rawValue)
            input.description = index < 45 ? description : ""
            if index < acceptanceCriteria.count { input.acceptanceCriteria = acceptanceCriteria[index] }
            if index < 27 { input.estimate = scale[index % scale.count] }
            if index < 20 {
                input.businessValue = Double(10 - index % 9)
                input.timeCriticality = Double(1 + (index * 3) % 10)
                input.riskReduction = Double(1 + (index * 7) % 10)
            }
            let item = try await backlog.items.createItem(productID: productID, input: input, actorID: creator)
            refs.append(item.ref)
            var changes: [String: JSONValue] = ["version": .number(Double(item.version))]
            switch index {
            case 0..<12:
                changes["readiness"] = .array(definition.map { _ in .bool(true) })
                changes["refinement"] = "ready"
            case 12..<27:
                changes["readiness"] = .array(definition.indices.map { .bool($0 < 2) })
                changes["refinement"] = "estimated"
            case 27..<45:
                changes["refinement"] = "described"
            default:
                continue
            }
            _ = try await backlog.items.updateItem(item.ref, changes: changes, ifMatch: nil, actorID: dev1)
        }

        // Dependencies, one of them ordered above its unfinished blocker.
        for (item, blocker) in [(4, 13), (5, 6), (9, 10), (10, 8), (21, 20), (23, 10), (26, 25)] {
            _ = try await backlog.dependencies.addDependency(itemIDOrRef: refs[item], blockedBy: refs[blocker], actorID: dev2)
        }

        // Proposals: open ones waiting for the Product Owner, one accepted, one declined with a note.
        _ = try await backlog.ordering.propose(itemIDOrRef: refs[13], position: .before(refs[4]), rationale: "\(refs[4]) is blocked by it; doing it first unblocks the performance fix.", actorID: dev1)
        _ = try await backlog.ordering.propose(itemIDOrRef: refs[27], position: .top, rationale: "Our biggest customer asks every week.", actorID: stakeholder)
        _ = try await backlog.ordering.propose(itemIDOrRef: refs[36], position: .after(refs[2]), rationale: "A crash in front of users; cheap to fix.", actorID: sm)
        let accepted = try await backlog.ordering.propose(itemIDOrRef: refs[8], position: .before(refs[7]), rationale: "We need the numbers before promising dates.", actorID: dev3)
        _ = try await backlog.ordering.decide(proposalID: accepted.id, accept: true, note: "Agreed: evidence first.", actorID: po)
        let declined = try await backlog.ordering.propose(itemIDOrRef: refs[34], position: .top, rationale: "Everyone wants dark mode.", actorID: stakeholder)
        _ = try await backlog.ordering.decide(proposalID: declined.id, accept: false, note: "Nice to have; the partnership features come first this quarter.", actorID: po)

        // Saying no, with the reason kept.
        _ = try await backlog.items.declineItem(refs[55], reason: "Velocity is a planning tool, not a performance measure; ranking teams by it invites gaming.", actorID: po)
        _ = try await backlog.items.declineItem(refs[56], reason: "We forecast from throughput; hours per item add overhead without improving decisions.", actorID: po)

        // A planning-poker round in progress: two Developers voted, votes hidden.
        let round = try await backlog.estimation.openEstimationRound(itemIDOrRef: refs[30], actorID: sm)
        _ = try await backlog.estimation.vote(itemIDOrRef: refs[30], roundID: round.id, points: 3, actorID: dev1)
        _ = try await backlog.estimation.vote(itemIDOrRef: refs[30], roundID: round.id, points: 8, actorID: dev2)
    }
}
