import Foundation
import TandemCore

/// One backlog item: its content and readiness checklist, dependencies, planning poker, proposals and history.
struct ItemPage {
    let identity: Identity
    let csrf: String
    let product: ProductSettings
    let membership: ProductMembership
    let item: ItemDTO
    let definitionOfReady: [String]
    let scale: [Double]
    let rounds: [EstimationRoundDTO]
    let proposals: [ProposalDTO]
    let activity: [ActivityDTO]
    /// Sections later features add (what blocks the item, the questions about it).
    var contributed: [BodyNode] = []
    var flash: Layout.Flash?

    private func allowed(_ action: ProductAction) -> Bool { PermissionPolicy.decide(action, for: membership) == .allowed }
    private var canEdit: Bool { allowed(.editItem(createdByCaller: item.createdBy?.id == identity.user.id)) }

    var html: HTML {
        Layout(title: "\(item.ref) \(item.title)", identity: identity, csrf: csrf, flash: flash, liveProduct: product.id, content: [
            H.el("p", ["class": "crumbs"], [
                H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "),
                H.link(.backlog(product.id), "Backlog"), .text(" / \(item.ref)"),
            ]),
            H.el("h1", [H.el("span", ["class": "ref"], text: item.ref), .text(" \(item.title)")]),
            H.el("p", ["class": "badges"], badges),
            item.declineReason.map { H.el("div", ["class": "flash warning"], text: "The Product Owner said no: \($0)") } ?? .empty,
            H.el("div", ["class": "item-layout"], [
                H.el("div", [contentSection, readinessSection, editSection]),
                H.el("div", contributed + [estimationSection, dependencySection, proposalSection, sayNoSection, activitySection]),
            ]),
        ]).html
    }

    private var badges: [BodyNode] {
        var nodes: [BodyNode] = [
            H.el("span", ["class": "pill kind"], text: item.kind.rawValue),
            H.el("span", ["class": "pill level \(item.refinement.rawValue)"], text: item.refinement.rawValue),
            H.el("span", ["class": "pill status \(item.status.rawValue)"], text: item.status.rawValue),
        ]
        if let estimate = item.estimate { nodes.append(H.el("span", ["class": "pill points"], text: "\(estimate.formatted()) pt")) }
        if let wsjf = item.wsjf { nodes.append(H.el("span", ["class": "pill wsjf"], text: "WSJF \(wsjf.formatted())")) }
        for warning in item.warnings { nodes.append(H.el("span", ["class": "warning", "data-warning": warning.code], text: "⚠ \(warning.message)")) }
        return nodes
    }

    private var contentSection: BodyNode {
        H.el("section", ["class": "card"], [
            H.el("h2", text: "Description"),
            item.description.isEmpty ? H.el("p", ["class": "empty"], text: "Not described yet.") : H.el("p", ["class": "prose"], text: item.description),
            H.el("h2", text: "Acceptance criteria"),
            item.acceptanceCriteria.isEmpty ? H.el("p", ["class": "empty"], text: "None yet.") : H.el("p", ["class": "prose"], text: item.acceptanceCriteria),
            H.el("p", ["class": "muted small"], text: "Created by \(item.createdBy?.displayName ?? "someone") · version \(item.version)"),
        ])
    }

    private var readinessSection: BodyNode {
        H.el("section", ["class": "card", "aria-labelledby": "readiness-heading"], [
            H.el("h2", ["id": "readiness-heading"], text: "Readiness"),
            definitionOfReady.isEmpty
                ? H.el("p", ["class": "empty"], text: "The product has no Definition of Ready; an estimated item may be marked ready.")
                : H.el("ul", ["class": "checklist"], definitionOfReady.enumerated().map { index, text in
                    let done = index < item.readiness.count && item.readiness[index]
                    return H.el("li", ["class": done ? "done" : "todo"], text: (done ? "✔ " : "○ ") + text)
                }),
        ])
    }

    private var editSection: BodyNode {
        guard canEdit else { return .empty }
        let readiness: [BodyNode] = definitionOfReady.enumerated().map { index, text in
            let ticked = index < item.readiness.count && item.readiness[index]
            return H.el("label", ["class": "check"], [
                H.void("input", ["type": "checkbox", "name": "readiness-\(index)", "value": "on", "checked": (FormEcho.typed("readiness-\(index)").map { $0 == "on" } ?? ticked) ? "" : nil]),
                .text(" " + text),
            ])
        }
        func number(_ label: String, _ name: String, _ value: Int?) -> BodyNode {
            H.field(label, name: name, type: "number", value: value.map(String.init) ?? "", required: false, extra: ["min": "1", "max": "10"])
        }
        return H.el("section", ["class": "card", "aria-labelledby": "edit-heading"], [
            H.el("h2", ["id": "edit-heading"], text: "Refine"),
            H.form(.itemEdit(item.id), csrf: csrf, class: "stack", label: "Refine \(item.ref)") { [
                H.void("input", ["type": "hidden", "name": "version", "value": String(item.version)]),
                H.field("Title", name: "title", value: item.title, extra: ["maxlength": "200"]),
                H.select("Kind", name: "kind", options: ItemKind.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }, selected: item.kind.rawValue),
                H.textarea("Description", name: "description", value: item.description),
                H.textarea("Acceptance criteria", name: "acceptanceCriteria", value: item.acceptanceCriteria),
                H.select("Estimate", name: "estimate", options: [("", "Not estimated")] + scale.map { ($0.formatted(), $0.formatted()) },
                         selected: item.estimate?.formatted() ?? ""),
                H.el("fieldset", ["class": "readiness"], [H.el("legend", text: "Definition of Ready")] + (readiness.isEmpty ? [H.el("p", ["class": "muted"], text: "No conditions set.")] : readiness)),
                H.select("Refinement level", name: "refinement", options: RefinementLevel.allCases.map { ($0.rawValue, $0.rawValue.capitalized) },
                         selected: item.refinement.rawValue),
                H.el("fieldset", ["class": "wsjf-inputs"], [
                    H.el("legend", text: "Cost of delay (1–10 each), for WSJF"),
                    number("Business value", "businessValue", item.businessValue),
                    number("Time criticality", "timeCriticality", item.timeCriticality),
                    number("Risk reduction", "riskReduction", item.riskReduction),
                ]),
                H.button("Save"),
            ] },
        ])
    }

    private var estimationSection: BodyNode {
        let current = rounds.first { $0.state != .closed }
        var body: [BodyNode] = []
        if let round = current {
            let voted = round.votes.map { vote in
                let mine = vote.user.id == identity.user.id
                let shown = vote.points.map { $0.formatted() } ?? (round.state == .open ? "voted" : "–")
                return H.el("li", ["class": mine ? "vote mine" : "vote"], [
                    .text(vote.user.displayName + (mine ? " (your vote)" : "") + ": "), H.el("strong", text: shown),
                ])
            }
            body.append(H.el("p", ["class": "muted"], text: round.state == .open
                ? "Votes stay hidden until the round is revealed; you see only your own. \(round.votes.count) voted so far."
                : "Revealed: agree on an estimate, talking first about the spread."))
            body.append(voted.isEmpty ? H.el("p", ["class": "empty"], text: "No votes yet.") : H.el("ul", ["class": "votes"], voted))
            if !round.notVoted.isEmpty {
                let names = round.notVoted.map(\.displayName).joined(separator: ", ")
                body.append(H.el("p", ["class": round.state == .open ? "waiting" : "waiting flash warning"], [
                    H.el("strong", text: round.state == .open ? "Not voted yet: " : "Revealed without a vote from "), .text(names + (round.state == .open ? "" : ".")),
                ]))
            }
            if let spread = round.spread {
                let words = spread.consensus
                    ? "Consensus at \(spread.min.formatted())."
                    : "Votes from \(spread.min.formatted()) to \(spread.max.formatted()); the median suggests \(spread.suggestedEstimate.formatted())."
                        + (spread.wideSpread ? " The highest vote is at least three times the lowest: a wide spread is worth a conversation before agreeing (ask the highest and lowest voters why)." : "")
                body.append(H.el("p", ["class": spread.consensus ? "flash notice" : spread.wideSpread ? "flash warning" : "flash notice"], text: words))
            }
            if round.state == .open, allowed(.vote) {
                let mine = round.votes.first { $0.user.id == identity.user.id }?.points
                body.append(H.form(.estimationAction(itemID: item.id, roundID: round.id, action: "vote"), csrf: csrf, class: "poker", label: "Your vote") { [
                    H.el("p", ["class": "muted"], text: mine.map { "Your vote: \($0.formatted()) (choose another to change it)" } ?? "Your vote:"),
                ] + scale.map { value in
                    H.el("button", ["type": "submit", "name": "points", "value": value.formatted(), "class": value == mine ? "card-button chosen" : "card-button",
                                    "aria-pressed": value == mine ? "true" : "false"], text: value.formatted())
                } })
            }
            if round.state == .open, allowed(.revealEstimation(openedByCaller: round.openedBy?.id == identity.user.id)) {
                body.append(H.form(.estimationAction(itemID: item.id, roundID: round.id, action: "reveal"), csrf: csrf, class: "inline", label: "Reveal the votes") { [H.button("Reveal votes", class: "button secondary")] })
            }
            if round.state == .revealed, allowed(.openEstimation) {
                body.append(H.form(.estimationAction(itemID: item.id, roundID: round.id, action: "agree"), csrf: csrf, class: "row", label: "Record the agreed estimate") { [
                    H.select("Agreed estimate", name: "points", options: scale.map { ($0.formatted(), $0.formatted()) },
                             selected: round.spread?.suggestedEstimate.formatted()),
                    H.button("Record estimate"),
                ] })
            }
        } else if allowed(.openEstimation), !item.status.isFinished {
            body.append(H.el("p", ["class": "muted"], text: "Each Developer votes privately; the votes are revealed together, so nobody anchors on the first number."))
            body.append(H.form(.estimation(item.id), csrf: csrf, class: "inline", label: "Start planning poker") { [H.button("Start planning poker", class: "button secondary")] })
        }
        let history = rounds.filter { $0.state == .closed }.prefix(3).map { round in
            H.el("li", text: "Agreed \(round.agreedEstimate.map { $0.formatted() } ?? "?") from votes \(round.votes.compactMap { $0.points?.formatted() }.joined(separator: ", "))")
        }
        if !history.isEmpty { body.append(H.el("ul", ["class": "muted small"], Array(history))) }
        return H.el("section", ["class": "card", "id": "estimation", "aria-labelledby": "estimation-heading"], [H.el("h2", ["id": "estimation-heading"], text: "Estimating together")] + body)
    }

    private var dependencySection: BodyNode {
        let blockedBy: [BodyNode] = item.blockedBy.map { blocker in
            H.el("li", [
                H.link(.item(blocker.ref), blocker.ref), .text(" \(blocker.title) "), H.el("span", ["class": "pill status \(blocker.status.rawValue)"], text: blocker.status.rawValue),
                canEdit ? H.form(.removeDependency(itemID: item.id, blockerID: blocker.id), csrf: csrf, class: "inline", label: "Remove dependency on \(blocker.ref)") { [H.button("Remove", class: "link danger")] } : .empty,
            ])
        }
        return H.el("section", ["class": "card", "aria-labelledby": "dependencies-heading"], [
            H.el("h2", ["id": "dependencies-heading"], text: "Dependencies"),
            H.el("h3", text: "Blocked by"),
            blockedBy.isEmpty ? H.el("p", ["class": "empty"], text: "Nothing.") : H.el("ul", blockedBy),
            H.el("h3", text: "Blocks"),
            item.blocks.isEmpty ? H.el("p", ["class": "empty"], text: "Nothing.")
                : H.el("ul", item.blocks.map { H.el("li", [H.link(.item($0.ref), $0.ref), .text(" \($0.title)")]) }),
            canEdit ? H.form(.itemDependencies(item.id), csrf: csrf, class: "row", label: "Add a dependency") { [
                H.field("Blocked by (reference)", name: "blockedBy", extra: ["placeholder": "\(product.key)-1"]),
                H.button("Add", class: "button secondary"),
            ] } : .empty,
        ])
    }

    private var proposalSection: BodyNode {
        guard !proposals.isEmpty else { return .empty }
        return H.el("section", ["class": "card", "aria-labelledby": "item-proposals-heading"], [
            H.el("h2", ["id": "item-proposals-heading"], text: "Ordering proposals"),
            H.el("ul", ["class": "proposals"], proposals.map { proposal in
                H.el("li", [
                    H.el("strong", text: proposal.state.rawValue), .text(" · \(ProposalText.position(proposal)) · by \(proposal.proposer?.displayName ?? "someone"): “\(proposal.rationale)”"),
                    proposal.decisionNote.map { H.el("p", ["class": "muted"], text: "Product Owner: \($0)") } ?? .empty,
                ])
            }),
        ])
    }

    private var sayNoSection: BodyNode {
        guard allowed(.sayNo), !item.status.isFinished else { return .empty }
        return H.el("section", ["class": "card", "aria-labelledby": "say-no-heading"], [
            H.el("h2", ["id": "say-no-heading"], text: "Say no"),
            H.el("p", ["class": "muted"], text: "Declining removes the item from the backlog; it stays searchable with your reason."),
            H.form(.itemDecline(item.id), csrf: csrf, class: "stack compact", label: "Decline \(item.ref)") { [
                H.field("Reason", name: "reason"),
                H.button("Decline item", class: "button danger"),
            ] },
            H.form(.itemDelete(item.id), csrf: csrf, class: "inline", label: "Delete \(item.ref)") { [H.button("Delete (mistakes only)", class: "link danger")] },
        ])
    }

    private var activitySection: BodyNode {
        H.el("section", ["class": "card", "aria-labelledby": "activity-heading"], [
            H.el("h2", ["id": "activity-heading"], text: "Activity"),
            H.el("ol", ["class": "activity"], activity.prefix(50).map { entry in
                H.el("li", [
                    H.el("time", ["datetime": ISO8601DateFormatter().string(from: entry.createdAt)], text: entry.createdAt.formatted(date: .abbreviated, time: .shortened)),
                    .text(" \(entry.actor?.displayName ?? "Someone") "),
                    .text(ActivityText.describe(entry)),
                ])
            }),
        ])
    }
}

/// Sentences for the activity log.
enum ActivityText {
    static func describe(_ entry: ActivityDTO) -> String {
        switch entry.action {
        case "item.created": return "created the item"
        case "item.updated":
            let fields: [String] = if case .object(let changes)? = entry.detail["changes"] { changes.keys.sorted() } else { [] }
            return "changed " + fields.joined(separator: ", ")
        case "item.moved":
            let authority = entry.detail["authority"]?.string == "delegate" ? " (as ordering delegate)" : ""
            let after = entry.detail["to"]?["after"]?.string
            let before = entry.detail["to"]?["before"]?.string
            let place = after.map { "below \($0)" } ?? before.map { "above \($0)" } ?? "in the backlog"
            return "moved it \(place)\(authority)"
        case "item.declined": return "said no: \(entry.detail["reason"]?.string ?? "")"
        case "item.deleted": return "deleted the item"
        case "item.dependency_added": return "recorded it is blocked by \(entry.detail["blockerRef"]?.string ?? "an item")"
        case "item.dependency_removed": return "removed the dependency on \(entry.detail["blockerRef"]?.string ?? "an item")"
        case "proposal.opened": return "proposed a move: \(entry.detail["rationale"]?.string ?? "")"
        case "proposal.accepted": return "accepted a proposal"
        case "proposal.declined": return "declined a proposal: \(entry.detail["note"]?.string ?? "")"
        case "estimation.opened": return "started planning poker"
        case "estimation.revealed": return "revealed the votes"
        case "estimation.agreed": return "recorded the agreed estimate \(entry.detail["estimate"]?.number.map { $0.formatted() } ?? "")"
        default: return entry.action
        }
    }
}

