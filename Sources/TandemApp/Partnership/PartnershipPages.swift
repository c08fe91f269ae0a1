import Foundation
import TandemCore

/// What each signal means, who it concerns and where its data lives: the words of the dashboard's tiles.
enum SignalWords {
    static func title(_ name: String) -> String {
        [
            "readyRunway": "Ready backlog runway", "backlogFreshness": "Backlog freshness", "questionAnswerTime": "Time to answer questions",
            "openBlockingQuestions": "Blocking questions", "impedimentAge": "Impediment age", "escalatedImpediments": "Escalated impediments",
            "commitmentRealism": "Commitment realism", "sayDoRatio": "Say/do ratio", "sprintGoalSuccess": "Sprint Goal success",
            "openProposals": "Ordering proposals waiting", "feedbackWaiting": "Feedback waiting", "decisionsWithoutRationale": "Decisions without a why",
            "orderedAboveBlockers": "Ordered above a blocker", "roleConflicts": "Role conflicts",
        ][name] ?? name
    }

    static func meaning(_ name: String) -> String {
        [
            "readyRunway": "How many sprints of ready work wait at the top of the backlog: the Product Owner keeps the team from running dry.",
            "backlogFreshness": "How much of the top of the backlog was refined recently: stale items hide surprises.",
            "questionAnswerTime": "How fast the Product Owner answers the team: a waiting team is a blocked team.",
            "openBlockingQuestions": "Questions the team cannot work without, still unanswered.",
            "impedimentAge": "How long the team's roadblocks stay open: the Scrum Master removes them.",
            "escalatedImpediments": "Roadblocks beyond the team's reach, waiting for the organisation.",
            "commitmentRealism": "The plan against what the team's evidence supports: the Scrum Master coaches realistic commitments.",
            "sayDoRatio": "How much of what the team committed it finished.",
            "sprintGoalSuccess": "How often the team met its Sprint Goal.",
            "openProposals": "The team's ordering proposals waiting for the Product Owner's yes or no.",
            "feedbackWaiting": "Stakeholders' feedback waiting for the Product Owner's decision.",
            "decisionsWithoutRationale": "Ordering decisions taken without a note the team can read.",
            "orderedAboveBlockers": "Items ordered above work that blocks them.",
            "roleConflicts": "One person holding both the Product Owner and the Scrum Master accountability.",
        ][name] ?? ""
    }

    /// The unit as a person reads it with this number: "1 question", "1 person", "2 sprints".
    static func unit(_ unit: String, count: Double) -> String {
        guard count == 1 else { return unit }
        if unit == "people" { return "person" }
        if unit == "feedback" { return unit }
        return unit.hasSuffix("s") ? String(unit.dropLast()) : unit
    }

    static func concerns(_ name: String) -> String {
        switch name {
        case "readyRunway", "backlogFreshness", "questionAnswerTime", "openBlockingQuestions", "openProposals", "feedbackWaiting", "decisionsWithoutRationale", "orderedAboveBlockers":
            "The Product Owner"
        case "impedimentAge", "escalatedImpediments", "commitmentRealism":
            "The Scrum Master"
        case "roleConflicts":
            "The organisation"
        default:
            "The team"
        }
    }

    /// Where exactly the data behind a signal is: the blocking questions, the stale items, the team's impediments.
    static func link(_ name: String, productID: String, teamID: String?) -> (path: String, words: String) {
        switch name {
        case "readyRunway": (SiteRoute.backlog(productID).path + "?refinement=ready", "See the ready items")
        case "backlogFreshness": (SiteRoute.backlog(productID).path + "?stale=30", "See the items not refined in 30 days")
        case "questionAnswerTime": (SiteRoute.questions(productID).path, "See the questions and their waiting times")
        case "openBlockingQuestions": (SiteRoute.questions(productID).path + "?blocking=1", "See the blocking questions")
        case "impedimentAge", "escalatedImpediments":
            ((teamID.map(SiteRoute.teamPartnership) ?? .product(productID)).path + "#impediments-heading", "See the team's impediments")
        case "commitmentRealism": ((teamID.map(SiteRoute.teamSprints) ?? .product(productID)).path, "See the team's sprints and plan")
        case "sayDoRatio", "sprintGoalSuccess": ((teamID.map(SiteRoute.teamSprints) ?? .product(productID)).path, "See the team's closed sprints")
        case "openProposals": (SiteRoute.backlog(productID).path + "#proposals", "See the proposals waiting")
        case "feedbackWaiting": (SiteRoute.feedback(productID).path, "See the feedback inbox")
        case "decisionsWithoutRationale": (SiteRoute.decisions(productID).path + "?missing=rationale", "See the decisions without a why")
        case "orderedAboveBlockers": (SiteRoute.backlog(productID).path + "#graph-heading", "See the dependencies")
        case "roleConflicts": (SiteRoute.product(productID).path, "See who holds which accountability")
        default: (SiteRoute.backlog(productID).path, "See the data behind it")
        }
    }

    /// What to do about a signal that needs attention, and who does it.
    static func action(_ name: String) -> String {
        [
            "readyRunway": "Refine the items at the top with the Developers until at least two sprints of ready work wait.",
            "backlogFreshness": "Walk through the stale items at the top in the next refinement: rewrite, re-estimate, or move them down.",
            "questionAnswerTime": "Set a time each day to answer the team's questions, or name a delegate who may answer.",
            "openBlockingQuestions": "Answer the blocking questions first: the team cannot work on those items until you do.",
            "impedimentAge": "Take the oldest impediment to the Daily Scrum and agree who removes it by when; escalate what the team cannot remove.",
            "escalatedImpediments": "Chase the escalated impediments with whoever can decide, and tell the team where each stands.",
            "commitmentRealism": "Plan against the capacity the last sprints support: take items out, or split them, before the sprint starts.",
            "sayDoRatio": "Talk in the retrospective about what kept committed work from finishing, and plan less until the ratio recovers.",
            "sprintGoalSuccess": "Make the next Sprint Goal one outcome the team can reach, and protect it from added work.",
            "openProposals": "Accept or decline the waiting proposals, with a note the team can read.",
            "feedbackWaiting": "Decide on the waiting feedback: accept it into the backlog, or decline it with a reason.",
            "decisionsWithoutRationale": "Add a note to ordering decisions, so the team can read why.",
            "orderedAboveBlockers": "Move each item below its blocker, or move the blocker up: the work cannot start in this order.",
            "roleConflicts": "Ask the organisation for a separate Scrum Master: one person cannot hold both accountabilities well.",
        ][name] ?? "Look at the data behind it together."
    }
}

/// The partnership dashboard: the signals that need attention first, each with what to do about it, then the healthy
/// ones and those without enough data; every tile has its number, what it means, whom it concerns, the basis and a
/// link to exactly the data behind it.
struct DashboardPage {
    let identity: Identity
    let csrf: String
    let access: ProductAccess
    let report: PartnershipSignals.Report
    let teams: [String: String]
    var velocities: [(name: String, sprints: [VelocitySprintDTO], trackRecord: TrackRecord.Result)] = []
    var flash: Layout.Flash?

    /// Needs attention, then healthy, then not enough data; within each, the report's order.
    static func ordered(_ signals: [Signal]) -> [Signal] {
        func rank(_ signal: Signal) -> Int { signal.healthy == false ? 0 : signal.healthy == true ? 1 : 2 }
        return signals.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    var html: HTML {
        let product = access.product
        let ordered = Self.ordered(report.signals)
        let unhealthy = ordered.filter { $0.healthy == false }
        return Layout(title: "\(product.key) partnership", identity: identity, csrf: csrf, flash: flash, header: access.headerNode, liveProduct: product.id, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / Partnership")]),
            H.el("h1", text: "The partnership of \(product.name)"),
            H.el("p", ["class": unhealthy.isEmpty ? "muted" : "attention-summary"], text: unhealthy.isEmpty ? "Every signal with data is healthy."
                : "\(unhealthy.count) signal\(unhealthy.count == 1 ? " needs" : "s need") attention: " + unhealthy.map { SignalWords.title($0.name) + ($0.teamId.flatMap { teams[$0] }.map { " (\($0))" } ?? "") }.joined(separator: ", ") + ". They come first."),
            H.el("p", [
                H.link(.questions(product.id), "Questions"), .text(" · "), H.link(.decisions(product.id), "Decision log"), .text(" · "),
                H.link(.backlog(product.id), "Backlog"), .text(" · "), H.link(.vision(product.id), "Vision and goals"), .text(" · "),
                H.el("a", ["href": "/products/\(product.id)/planning"], text: "Planning: velocity, burnups, forecasts"),
            ] + teams.sorted { $0.value < $1.value }.flatMap { id, name in [.text(" · "), H.link(.teamPartnership(id), "\(name): impediments, agreement, checks")] }),
            H.el("ul", ["class": "plain tiles"], ordered.map(tile)),
            velocities.isEmpty ? .empty : H.el("section", ["class": "card", "aria-labelledby": "pace-heading"], [
                H.el("h2", ["id": "pace-heading"], text: "The pace both plan from"),
            ] + velocities.enumerated().flatMap { index, team in
                [
                    H.el("h3", text: team.name), Charts.velocity(team.sprints, id: index == 0 ? "velocity" : "velocity-\(index + 1)"),
                    team.trackRecord.levels.first(where: { $0.level == 85 && $0.of > 0 }).map { level in
                        H.el("p", ["class": "track-record"], text: "Forecasts of the next three sprints: the 85% level held \(level.met) times in \(level.of) on the team's own history.")
                    } ?? H.el("p", ["class": "muted small"], text: team.trackRecord.basis(sprintNumbers: team.sprints.map(\.number))),
                ]
            } + [
                H.el("p", [H.el("a", ["href": "/products/\(access.product.id)/planning"], text: "Release burnups and forecasts")]),
            ]),
        ]).html
    }

    private func tile(_ signal: Signal) -> BodyNode {
        let state = signal.healthy.map { $0 ? "healthy" : "unhealthy" } ?? "unknown"
        let value = signal.value.map { CapacityPlan.format($0) + (signal.unit == "%" ? "%" : " " + SignalWords.unit(signal.unit, count: $0)) } ?? "No number yet"
        let rule: String
        switch signal.comparison {
        case "atLeast": rule = "healthy at \(CapacityPlan.format(signal.threshold))\(signal.unit == "%" ? "%" : " " + signal.unit) or more"
        case "atMost": rule = "healthy at \(CapacityPlan.format(signal.threshold))\(signal.unit == "%" ? "%" : " " + signal.unit) or less"
        default: rule = "healthy while none waits over \(CapacityPlan.format(signal.threshold)) days"
        }
        let link = SignalWords.link(signal.name, productID: access.product.id, teamID: signal.teamId)
        // The items behind it by name, where the signal knows them (stale items, items above their blockers).
        let refs = (signal.detail?["stale"] ?? signal.detail?["items"])?.array.compactMap(\.string) ?? []
        return H.el("li", ["class": "card tile \(state)", "data-signal": signal.name], [
            H.el("h2", [.text(SignalWords.title(signal.name)), signal.teamId.flatMap { teams[$0] }.map { H.el("span", ["class": "muted small"], text: " · \($0)") } ?? .empty]),
            H.el("p", ["class": "value"], [H.el("strong", text: value), .text(" "),
                                           H.el("span", ["class": "badge \(state)"], text: signal.healthy.map { $0 ? "Healthy" : "Needs attention" } ?? "Not enough data")]),
            signal.healthy == false ? H.el("p", ["class": "todo"], [H.el("strong", text: "What to do: "), .text(SignalWords.action(signal.name))]) : .empty,
            Chart.sparkline(signal.trend.map { ($0.at, $0.value) }, threshold: signal.comparison == "noneOlderThan" ? nil : signal.threshold,
                            unit: signal.unit, title: SignalWords.title(signal.name)),
            H.el("p", ["class": "small"], text: SignalWords.meaning(signal.name)),
            H.el("p", ["class": "muted small"], text: "\(signal.basis) (\(rule); concerns \(SignalWords.concerns(signal.name).lowercased()))"),
            refs.isEmpty || signal.healthy != false ? .empty : H.el("p", ["class": "small refs"], [.text("Items: ")] + refs.prefix(6).enumerated().flatMap { index, ref in
                [index == 0 ? .empty : .text(", "), H.link(.item(ref), ref)]
            } + (refs.count > 6 ? [.text(" and \(refs.count - 6) more")] : [])),
            H.el("a", ["href": link.path], text: link.words),
        ])
    }
}

/// Questions to the Product Owner: ask, see how long each waits, answer.
struct QuestionsPage {
    let identity: Identity
    let csrf: String
    let access: ProductAccess
    let questions: [QuestionDTO]
    var onlyBlocking = false
    var flash: Layout.Flash?

    var html: HTML {
        let product = access.product
        let canAnswer = PermissionPolicy.decide(.answerQuestion, for: access.membership) == .allowed
        let open = questions.filter { $0.state == .open }, answered = questions.filter { $0.state == .answered }
        return Layout(title: "\(product.key) questions", identity: identity, csrf: csrf, flash: flash, header: access.headerNode, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "), H.link(.dashboard(product.id), "Partnership"), .text(" / Questions")]),
            H.el("h1", text: onlyBlocking ? "Blocking questions waiting for the Product Owner" : "Questions to the Product Owner"),
            onlyBlocking ? H.el("p", ["class": "flash warning"], [.text("Only the blocking questions still waiting. "), H.link(.questions(product.id), "Show every question")]) : .empty,
            H.el("div", ["class": "item-layout"], [
                H.el("section", ["class": "card", "aria-labelledby": "open-heading"], [
                    H.el("h2", ["id": "open-heading"], text: "Waiting (\(open.count))"),
                    open.isEmpty ? H.el("p", ["class": "empty"], text: "No question waits.") : H.el("ul", ["class": "plain questions"], open.map { question in
                        H.el("li", ["class": "card question\(question.blocking ? " blocking" : "")"], [
                            question.blocking ? H.el("span", ["class": "badge unhealthy"], text: "Blocking") : .empty,
                            H.el("p", ["class": "prose"], text: question.text),
                            H.el("p", ["class": "muted small"], text: "Asked by \(question.askedBy?.displayName ?? "someone"), waiting \(Self.waited(question.waitingHours))" + (question.itemRef.map { " · about \($0)" } ?? "")),
                            canAnswer ? H.form(.answerQuestion(question.id), csrf: csrf, class: "stack compact", label: "Answer: \(question.text.prefix(60))") { [
                                H.textarea("Your answer", name: "answer", rows: 2, required: true),
                                H.button("Answer"),
                            ] } : .empty,
                        ])
                    }),
                ]),
                H.el("section", ["class": "card", "aria-labelledby": "ask-heading"], [
                    H.el("h2", ["id": "ask-heading"], text: "Ask"),
                    H.form(.questions(product.id), csrf: csrf, class: "stack compact", label: "Ask the Product Owner") { [
                        H.textarea("Your question", name: "text", rows: 3, required: true),
                        H.el("label", ["class": "check"], [H.void("input", ["type": "checkbox", "name": "blocking", "value": "on"]), .text(" The team is blocked until it is answered")]),
                        H.button("Ask"),
                    ] },
                    H.el("h2", text: "Answered"),
                    answered.isEmpty ? H.el("p", ["class": "empty"], text: "Nothing answered yet.") : H.el("ul", ["class": "plain"], answered.map { question in
                        H.el("li", [
                            H.el("p", [H.el("strong", text: question.text)]),
                            H.el("p", ["class": "rationale"], text: question.answer ?? ""),
                            H.el("p", ["class": "muted small"], text: "Answered by \(question.answeredBy?.displayName ?? "someone") after \(Self.waited(question.waitingHours))"),
                        ])
                    }),
                ]),
            ]),
        ]).html
    }

    static func waited(_ hours: Double) -> String {
        hours < 1 ? "under an hour" : hours < 48 ? "\(Int(hours)) hours" : "\(Int(hours / 24)) days"
    }
}

/// The decision log: recorded decisions, decided proposals and reorders, newest first; a form for new decisions.
struct DecisionsPage {
    let identity: Identity
    let csrf: String
    let access: ProductAccess
    let log: [DecisionDTO]
    var withoutRationale = false
    var flash: Layout.Flash?

    var html: HTML {
        let product = access.product
        let mayRecord = DecisionAccountability.allCases.filter { PermissionPolicy.decide(.recordDecision($0), for: access.membership) == .allowed }
        let recorded = log.filter { $0.kind == "decision" }
        return Layout(title: "\(product.key) decisions", identity: identity, csrf: csrf, flash: flash, header: access.headerNode, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "), H.link(.dashboard(product.id), "Partnership"), .text(" / Decisions")]),
            H.el("h1", text: withoutRationale ? "Decisions without a why" : "Decision log"),
            withoutRationale ? H.el("p", ["class": "flash warning"], [.text("Only the entries decided without a note the team can read. "), H.link(.decisions(product.id), "Show the whole log")]) : .empty,
            H.el("div", ["class": "item-layout"], [
                H.el("section", ["class": "card", "aria-labelledby": "log-heading"], [
                    H.el("h2", ["id": "log-heading"], text: "Decisions, newest first"),
                    log.isEmpty ? H.el("p", ["class": "empty"], text: "No decision recorded yet.") : H.el("ol", ["class": "plain decisions"], log.map { entry in
                        H.el("li", ["class": "card decision\(entry.superseded ? " superseded" : "")", "id": "decision-\(entry.id)"], [
                            H.el("h3", [.text(entry.title), entry.superseded ? H.el("span", ["class": "badge unknown"], text: " superseded") : .empty]),
                            H.el("p", text: entry.decision),
                            H.el("p", ["class": "rationale"], text: entry.rationale.isEmpty ? "No rationale given." : "Why: \(entry.rationale)"),
                            entry.context.isEmpty ? .empty : H.el("p", ["class": "muted small"], text: "Context: \(entry.context)"),
                            H.el("p", ["class": "muted small"], text: "\(entry.kind == "decision" ? entry.accountability.rawValue.capitalized + " decision" : entry.kind.capitalized) by \(entry.decidedBy?.displayName ?? "someone"), \(entry.decidedAt.formatted(.dateTime.day().month(.abbreviated).year()))"),
                            entry.supersededBy.map { H.el("p", ["class": "small"], [H.el("a", ["href": "#decision-\($0)"], text: "Superseded by a later decision")]) } ?? .empty,
                        ])
                    }),
                ]),
                mayRecord.isEmpty ? .empty : H.el("section", ["class": "card", "aria-labelledby": "record-heading"], [
                    H.el("h2", ["id": "record-heading"], text: "Record a decision"),
                    H.form(.decisions(product.id), csrf: csrf, class: "stack compact", label: "Record a decision") { [
                        H.field("Title", name: "title"),
                        H.textarea("Context", name: "context", rows: 2, required: true),
                        H.textarea("Decision", name: "decision", rows: 2, required: true),
                        H.textarea("Rationale (why)", name: "rationale", rows: 2, required: true),
                        H.textarea("Alternatives considered", name: "alternatives", rows: 2),
                        H.select("Accountability", name: "accountability", options: mayRecord.map { ($0.rawValue, $0.rawValue.capitalized) }),
                        H.select("Supersedes", name: "supersedes", options: [("", "Nothing")] + recorded.filter { !$0.superseded }.map { ($0.id, $0.title) }),
                        H.button("Record"),
                    ] },
                ]),
            ]),
        ]).html
    }
}

/// The person's notifications, grouped by product, newest first; opening one (or the page it links to) marks it
/// read, and one whose request was done (the question answered, the check answered) is no longer new.
struct NotificationsPage {
    let identity: Identity
    let csrf: String
    let list: NotificationListDTO

    var html: HTML {
        // Products in the order of their newest notification.
        var order: [String] = []
        var groups: [String: [NotificationDTO]] = [:]
        for item in list.items {
            let key = item.productId ?? ""
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(item)
        }
        return Layout(title: "Notifications", identity: identity, csrf: csrf, content: [
            H.el("h1", text: "Notifications"),
            list.unread == 0 ? H.el("p", ["class": "muted"], text: "Nothing new.") : H.form(.readAllNotifications, csrf: csrf, class: "inline", label: "Mark every notification read") { [
                H.button("Mark all \(list.unread) read", class: "button secondary"),
            ] },
            list.items.isEmpty ? H.el("p", ["class": "empty"], text: "No notifications yet.") : H.el("div", order.map { key in
                let items = groups[key] ?? []
                let name = items.first?.productName ?? "A product you no longer see"
                let fresh = items.filter(\.isNew).count
                return H.el("section", ["class": "notification-group", "aria-labelledby": "notifications-\(key.isEmpty ? "none" : key)"], [
                    H.el("h2", ["id": "notifications-\(key.isEmpty ? "none" : key)"], text: name + (fresh > 0 ? " (\(fresh) new)" : "")),
                    H.el("ul", ["class": "plain notifications"], items.map(row)),
                ])
            }),
        ]).html
    }

    private func row(_ item: NotificationDTO) -> BodyNode {
        let state: BodyNode
        if item.isNew {
            state = H.el("span", ["class": "badge unhealthy"], text: "New")
        } else if item.settledAt != nil {
            state = H.el("span", ["class": "badge healthy"], text: "Done")
        } else {
            state = H.el("span", ["class": "badge unknown"], text: "Read")
        }
        return H.el("li", ["class": "card\(item.isNew ? " unread" : "")", "data-kind": item.kind], [
            H.el("p", [state, .text(" \(item.text)")]),
            H.el("p", ["class": "muted small"], text: item.createdAt.formatted(.dateTime.day().month(.abbreviated).year().hour().minute())
                + (item.settledAt != nil ? " · no longer needs you" : "")),
            H.form(.openNotification(item.id), csrf: csrf, class: "inline", label: "Open: \(item.text.prefix(60))") { [H.button("Open", class: "link")] },
        ])
    }
}

/// The item page's partnership section: the impediments blocking the item (and for how many days), the questions
/// about it, with links to where they are handled.
struct ItemBlockersSection: ItemPageContributor {
    let partnership: PartnershipService

    func itemPageSection(item: ItemDTO, access: ProductAccess) async throws -> BodyNode {
        Self.section(try await partnership.items.forItem(id: item.id), productID: access.product.id)
    }

    static func section(_ found: ItemPartnershipDTO, productID: String) -> BodyNode {
        let open = found.impediments.filter { $0.state != .resolved }, resolved = found.impediments.filter { $0.state == .resolved }
        let waiting = found.questions.filter { $0.state == .open }, answered = found.questions.filter { $0.state == .answered }
        var body: [BodyNode] = [H.el("h2", ["id": "blockers-heading"], text: "What stands in its way")]
        if found.blocked {
            body.append(H.el("p", ["class": "flash warning", "data-blocked-days": "\(found.blockedDays)"],
                             text: "Blocked: \(open.count) open impediment\(open.count == 1 ? "" : "s"); blocked for \(found.blockedDays) day\(found.blockedDays == 1 ? "" : "s") so far."))
        } else if found.blockedDays > 0 {
            body.append(H.el("p", ["class": "muted small", "data-blocked-days": "\(found.blockedDays)"], text: "Not blocked now; it was blocked for \(found.blockedDays) day\(found.blockedDays == 1 ? "" : "s")."))
        }
        if !open.isEmpty {
            body.append(H.el("ul", ["class": "plain impediments"], open.map { impediment in
                H.el("li", ["class": "impediment\(impediment.level == .organisation ? " escalated" : "")"], [
                    H.link(.teamPartnership(impediment.teamId), impediment.title),
                    impediment.level == .organisation ? H.el("span", ["class": "badge unhealthy"], text: " Escalated") : .empty,
                    H.el("span", ["class": "muted small"], text: " · \(impediment.state == .inProgress ? "in progress" : "open") for \(impediment.ageDays) days, owned by \(impediment.owner?.displayName ?? "nobody")"),
                ])
            }))
        }
        if !resolved.isEmpty {
            body.append(H.el("p", ["class": "muted small"], text: "Resolved: " + resolved.map { "\($0.title) (in \($0.ageDays) days)" }.joined(separator: "; ")))
        }
        if !found.questions.isEmpty {
            body.append(H.el("h3", text: "Questions about it"))
            body.append(H.el("ul", ["class": "plain questions"], (waiting + answered).map { question in
                H.el("li", ["class": "question\(question.blocking && question.state == .open ? " blocking" : "")"], [
                    question.blocking && question.state == .open ? H.el("span", ["class": "badge unhealthy"], text: "Blocking") : .empty,
                    .text(" \(question.text) "),
                    H.el("span", ["class": "muted small"], text: question.state == .open
                        ? "waiting \(QuestionsPage.waited(question.waitingHours))" : "answered after \(QuestionsPage.waited(question.waitingHours)): \(question.answer ?? "")"),
                ])
            }))
        } else if open.isEmpty && resolved.isEmpty {
            body.append(H.el("p", ["class": "empty"], text: "No impediment and no question about this item."))
        }
        body.append(H.el("p", [H.link(.questions(productID), "All questions")]))
        return H.el("section", ["class": "card", "aria-labelledby": "blockers-heading", "id": "blockers"], body)
    }
}
