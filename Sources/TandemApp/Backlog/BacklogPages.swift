import Foundation
import TandemCore

/// The Product Backlog page: the ordered list, the filter bar, proposals, the Definition of Ready and the dependency graph.
struct BacklogPage {
    struct Filters: Sendable {
        var status = ""
        var refinement = ""
        var kind = ""
        var q = ""
        var sort = ""
        /// Only the items not refined in this many days (from the dashboard's freshness tile).
        var staleDays: Int?

        var isDefaultOrder: Bool { sort != "wsjf" }

        /// The filters as a query string, for the CSV download of exactly what the page shows.
        var query: String {
            var parts: [(String, String)] = [("status", status), ("refinement", refinement), ("kind", kind), ("q", q), ("sort", sort)].filter { !$0.1.isEmpty }
            if let staleDays { parts.append(("stale", String(staleDays))) }
            return parts.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        }
    }

    let identity: Identity
    let csrf: String
    let product: ProductSettings
    let membership: ProductMembership
    let items: [ItemDTO]
    let nextCursor: String?
    let filters: Filters
    let proposals: [ProposalDTO]
    /// The viewer's own recent proposals, with their outcome.
    var myProposals: [ProposalDTO] = []
    /// Who said no to the declined items shown, and when.
    var declines: [String: (by: PersonRef?, at: Date)] = [:]
    let graph: DependencyGraphDTO
    let definitionOfReady: [String]
    let scale: [Double]
    var flash: Layout.Flash?
    var header: BodyNode = .empty
    /// What the last action did, shown in the status region (which screen readers announce too).
    var status: String?
    /// The reference of the item the last action created or moved: highlighted, or linked when not shown.
    var highlighted: String?

    var canOrder: Bool { PermissionPolicy.decide(.orderBacklog, for: membership) == .allowed }
    var isProductOwner: Bool { membership.isProductOwner }

    var html: HTML {
        Layout(title: "\(product.key) backlog", identity: identity, csrf: csrf, flash: flash, header: header, liveProduct: product.id, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / Backlog")]),
            H.el("h1", [.text("Product Backlog "), H.el("span", ["class": "muted small"], text: product.name)]),
            H.el("p", ["class": "muted"], text: summary),
            filters.staleDays.map { days in
                H.el("p", ["class": "flash warning"], [.text("Showing the items not refined in the last \(days) days. "), H.link(.backlog(product.id), "Show the whole backlog")])
            } ?? .empty,
            statusRegion,
            filterBar,
            H.el("div", ["class": "backlog-layout"], [
                H.el("div", ["class": "backlog-main"], [createForm, list, more]),
                H.el("aside", ["class": "backlog-side"], [proposalPanel, myProposalsPanel, keyboardHelp, definitionOfReadySection, graphSection]),
            ]),
        ], skipLinks: [("backlog", "Skip to the list"), ("proposals", "Skip to the proposals"), ("filters", "Skip to the filters")]).html
    }

    /// One visible status region for what just happened, filled by the server after a form and by the script after
    /// a move; `role="status"` makes screen readers announce it.
    private var statusRegion: BodyNode {
        var children: [BodyNode] = []
        if let status { children.append(.text(status)) }
        if let highlighted, status != nil, !items.contains(where: { $0.ref == highlighted }) {
            children.append(.text(" "))
            children.append(H.link(.item(highlighted), "Open \(highlighted)"))
            children.append(.text(" (it is beyond the items shown)."))
        }
        return H.el("div", ["id": "status", "class": children.isEmpty ? "status" : "status shown", "role": "status", "aria-live": "polite", "data-live-keep": ""], children)
    }

    private var summary: String {
        let ready = items.filter { $0.refinement == .ready && !$0.status.isFinished }
        let points = ready.compactMap(\.estimate).reduce(0, +)
        let readyText = "\(ready.count) ready (\(points.formatted()) points)"
        let authority = isProductOwner ? "You are the Product Owner: you decide the order."
            : canOrder ? "You order on the Product Owner's behalf (delegated)."
            : "The Product Owner decides the order; propose a move where you see a better one."
        return "\(items.count) items shown · \(readyText). \(authority)"
    }

    private var filterBar: BodyNode {
        func select(_ label: String, _ name: String, _ current: String, _ options: [(String, String)]) -> BodyNode {
            H.el("label", ["class": "field"], [
                H.el("span", text: label),
                H.el("select", ["name": name], options.map { value, title in
                    H.el("option", ["value": value, "selected": value == current ? "" : nil], text: title)
                }),
            ])
        }
        return H.el("form", ["id": "filters", "method": "get", "action": SiteRoute.backlog(product.id).path, "class": "filter-bar", "role": "search", "aria-label": "Filter the backlog"], [
            select("Status", "status", filters.status, [("", "Open and planned"), ("open", "Open"), ("planned", "Planned"), ("done", "Done"), ("declined", "Declined (said no)"), ("open,planned,done,declined", "All")]),
            select("Refinement", "refinement", filters.refinement, [("", "Any")] + RefinementLevel.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }),
            select("Kind", "kind", filters.kind, [("", "Any")] + ItemKind.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }),
            H.field("Search", name: "q", type: "search", value: filters.q, required: false),
            select("Order", "sort", filters.sort, [("", "Backlog order"), ("wsjf", "WSJF (highest first)")]),
            H.button("Apply", class: "button secondary"),
            H.el("a", ["href": SiteRoute.backlogCSV(product.id, query: filters.query).path, "class": "button secondary", "download": ""], text: "Download CSV"),
        ])
    }

    private var createForm: BodyNode {
        H.form(.backlogItems(product.id), csrf: csrf, class: "create-item", label: "Add an item") { [
            H.field("New item", name: "title", extra: ["maxlength": "200", "placeholder": "As a … I want … so that …"]),
            H.select("Kind", name: "kind", options: ItemKind.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }),
            H.button("Add to the bottom"),
        ] }
    }

    private var list: BodyNode {
        guard !items.isEmpty else { return H.el("p", ["class": "empty"], text: "No items match. Add the first one above.") }
        let orderable = canOrder && filters.isDefaultOrder
        let wsjfApply: BodyNode = !filters.isDefaultOrder && canOrder
            ? H.form(.backlogReorder(product.id), csrf: csrf, class: "inline", label: "Apply the WSJF order") { [
                H.void("input", ["type": "hidden", "name": "basis", "value": "wsjf"]),
                H.button("Apply this WSJF order to the backlog", class: "button"),
            ] }
            : .empty
        // One list of the rows shown, which every "propose a move" form offers as neighbours to pick from.
        let neighbours: BodyNode = canOrder ? .empty : H.el("datalist", ["id": "backlog-refs"], items.filter { !$0.status.isFinished }.map { item in
            H.el("option", ["value": item.ref, "label": item.title], text: "\(item.ref) \(item.title)")
        })
        return H.el("div", [
            wsjfApply,
            neighbours,
            H.el("ol", [
                "id": "backlog", "class": "backlog", "aria-label": "Product Backlog items in order",
                "data-can-order": orderable ? "true" : "false", "data-csrf": csrf,
            ], items.enumerated().map { index, item in row(item, index: index, orderable: orderable) }),
        ])
    }

    private var more: BodyNode {
        guard let nextCursor else { return .empty }
        var query = "cursor=\(nextCursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        for (name, value) in [("status", filters.status), ("refinement", filters.refinement), ("kind", filters.kind), ("q", filters.q), ("sort", filters.sort),
                              ("stale", filters.staleDays.map(String.init) ?? "")] where !value.isEmpty {
            query += "&\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        return H.el("p", ["class": "more"], [
            H.el("a", ["href": SiteRoute.backlog(product.id, query: query).path, "class": "button secondary", "data-more": ""], text: "Next 50 items"),
        ])
    }

    private func row(_ item: ItemDTO, index: Int, orderable: Bool) -> BodyNode {
        var badges: [BodyNode] = [
            H.el("span", ["class": "pill kind"], text: item.kind.rawValue),
            H.el("span", ["class": "pill level \(item.refinement.rawValue)", "title": "Refinement level"], text: item.refinement.rawValue),
        ]
        if let estimate = item.estimate { badges.append(H.el("span", ["class": "pill points", "title": "Estimate"], text: "\(estimate.formatted()) pt")) }
        if let wsjf = item.wsjf { badges.append(H.el("span", ["class": "pill wsjf", "title": "WSJF"], text: "WSJF \(wsjf.formatted())")) }
        if item.status != .open { badges.append(H.el("span", ["class": "pill status \(item.status.rawValue)"], text: item.status.rawValue)) }
        let warnings: [BodyNode] = item.warnings.map { warning in
            H.el("span", ["class": "warning", "data-warning": warning.code, "title": warning.message], text: "⚠ above its blocker \(warning.blockerRef ?? "")")
        }
        // Finished items (done, declined) are not ordered: no handle, no move buttons.
        let orderable = orderable && !item.status.isFinished
        let label = "\(item.ref) \(item.title), position \(index + 1)"
        var children: [BodyNode] = []
        if orderable { children.append(H.el("span", ["class": "handle", "aria-hidden": "true", "title": "Drag to reorder"], text: "⠿")) }
        children += [
            H.el("span", ["class": "ref"], text: item.ref),
            H.el("a", ["class": "title", "href": SiteRoute.item(item.ref).path], text: item.title),
            H.el("span", ["class": "badges"], badges + warnings),
        ]
        if item.status == .declined {
            children.append(declinedNote(item))
        } else if orderable {
            children.append(moveButtons(item, index: index))
        } else if !item.status.isFinished && !canOrder {
            children.append(proposeForm(item))
        }
        let classes = "item level-\(item.refinement.rawValue)" + (item.ref == highlighted ? " highlight" : "")
        return H.el("li", [
            "id": "item-\(item.id)", "class": classes, "data-id": item.id, "data-ref": item.ref,
            "data-version": String(item.version), "tabindex": "0", "aria-label": label,
            "aria-describedby": orderable ? "keyboard-help" : nil,
        ], children)
    }

    /// Why the Product Owner said no, who and when; the Product Owner may take it back (Reopen) instead of moving it.
    private func declinedNote(_ item: ItemDTO) -> BodyNode {
        let decline = declines[item.id]
        var words = "Said no"
        if let by = decline?.by { words += " by \(by.displayName)" }
        if let at = decline?.at { words += " on \(at.formatted(.dateTime.day().month(.abbreviated).year()))" }
        var children: [BodyNode] = [
            H.el("span", ["class": "decline"], [H.el("strong", text: words + ": "), .text(item.declineReason ?? "no reason recorded")]),
        ]
        if isProductOwner {
            children.append(H.el("details", ["class": "reopen", "open": FormEcho.concerns(.itemReopen(item.id)) ? "" : nil], [
                H.el("summary", text: "Reopen"),
                H.form(.itemReopen(item.id), csrf: csrf, class: "stack compact", label: "Reopen \(item.ref)") { [
                    H.textarea("Why it comes back (recorded in its history)", name: "note", rows: 2, required: true),
                    H.button("Reopen at the bottom", class: "button secondary"),
                ] },
            ]))
        }
        return H.el("div", ["class": "declined"], children)
    }

    /// All four buttons are always there, the ones that make no sense at this place hidden, so the script can show
    /// the right ones after a move without a reload.
    private func moveButtons(_ item: ItemDTO, index: Int) -> BodyNode {
        let previous = index > 0 ? items[index - 1] : nil
        let next = index + 1 < items.count ? items[index + 1] : nil
        var buttons: [BodyNode] = []
        func button(_ value: String, _ direction: String, _ text: String, _ label: String, shown: Bool) {
            buttons.append(H.el("button", [
                "type": "submit", "name": "position", "value": value, "class": "icon", "data-direction": direction,
                "aria-label": "\(label) \(item.ref)", "title": label, "hidden": shown ? nil : "",
            ], text: text))
        }
        button("top", "top", "⤒", "Move to the top", shown: previous != nil)
        button(previous.map { "before:\($0.id)" } ?? "top", "up", "↑", "Move up", shown: previous != nil)
        button(next.map { "after:\($0.id)" } ?? "bottom", "down", "↓", "Move down", shown: next != nil)
        // The last row shown may have more below it on the next page: it can still go to the bottom.
        button("bottom", "bottom", "⤓", "Move to the bottom", shown: next != nil || (index + 1 == items.count && nextCursor != nil))
        return H.form(.itemMove(item.id), csrf: csrf, class: "move-form", label: "Move \(item.ref)") { [
            H.void("input", ["type": "hidden", "name": "version", "value": String(item.version)]),
        ] + buttons }
    }

    private func proposeForm(_ item: ItemDTO) -> BodyNode {
        H.el("details", ["class": "propose", "open": FormEcho.concerns(.itemPropose(item.id)) ? "" : nil], [
            H.el("summary", text: "Propose a move"),
            H.form(.itemPropose(item.id), csrf: csrf, class: "stack compact", label: "Propose a move for \(item.ref)") { [
                H.select("Where", name: "where", options: [("top", "To the top"), ("before", "Above item…"), ("after", "Below item…"), ("bottom", "To the bottom")]),
                H.field("Next to which item (for above/below)", name: "anchor", required: false,
                        hint: "Pick from the list of items shown, or type a reference.", extra: ["list": "backlog-refs", "placeholder": "\(product.key)-1", "autocomplete": "off"]),
                H.textarea("Why", name: "rationale", rows: 2, required: true, extra: ["placeholder": "What the Product Owner should weigh"]),
                H.button("Send proposal", class: "button secondary"),
            ] },
        ])
    }

    private var proposalPanel: BodyNode {
        let heading = isProductOwner ? "Proposals waiting for you" : "Open proposals"
        let body: [BodyNode] = proposals.isEmpty
            ? [H.el("p", ["class": "empty"], text: "No open proposals.")]
            : proposals.map { proposal in
                H.el("div", ["class": "proposal", "data-proposal": proposal.id], [
                    H.el("p", [
                        H.el("strong", text: proposal.item.ref), .text(" "), .text(ProposalText.position(proposal)),
                        H.el("span", ["class": "muted"], text: " · by \(proposal.proposer?.displayName ?? "someone")"),
                    ]),
                    H.el("p", ["class": "rationale"], text: "“\(proposal.rationale)”"),
                    isProductOwner ? decisionForms(proposal) : .empty,
                ])
            }
        return H.el("section", ["class": "card", "id": "proposals", "aria-labelledby": "proposals-heading"], [
            H.el("h2", ["id": "proposals-heading"], text: "\(heading) (\(proposals.count))"),
        ] + body)
    }

    private func decisionForms(_ proposal: ProposalDTO) -> BodyNode {
        H.el("div", ["class": "decision"], [
            H.form(.proposalDecision(proposal.id, accept: true), csrf: csrf, class: "inline-form", label: "Accept the proposal for \(proposal.item.ref)") { [
                H.field("Note (optional)", name: "note", required: false),
                H.button("Accept and move"),
            ] },
            H.form(.proposalDecision(proposal.id, accept: false), csrf: csrf, class: "inline-form", label: "Decline the proposal for \(proposal.item.ref)") { [
                H.field("Why not (the team reads this)", name: "note"),
                H.button("Decline", class: "button secondary"),
            ] },
        ])
    }

    /// The viewer's own proposals and what became of them: a proposer need not open each item to learn the outcome.
    private var myProposalsPanel: BodyNode {
        guard !myProposals.isEmpty else { return .empty }
        let rows: [BodyNode] = myProposals.map { proposal in
            var children: [BodyNode] = [
                H.el("p", [
                    H.el("strong", text: proposal.item.ref), .text(" "), .text(ProposalText.position(proposal)), .text(" · "),
                    H.el("span", ["class": "outcome \(proposal.state.rawValue)"], text: ProposalText.outcome(proposal)),
                ]),
            ]
            if let note = proposal.decisionNote, !note.isEmpty { children.append(H.el("p", ["class": "rationale"], text: "“\(note)”")) }
            if proposal.state == .open {
                children.append(H.form(.proposalWithdraw(proposal.id), csrf: csrf, class: "inline", label: "Withdraw the proposal for \(proposal.item.ref)") { [
                    H.button("Withdraw", class: "link"),
                ] })
            }
            return H.el("li", ["class": "proposal mine", "data-proposal": proposal.id], children)
        }
        return H.el("section", ["class": "card", "id": "my-proposals", "aria-labelledby": "my-proposals-heading"], [
            H.el("h2", ["id": "my-proposals-heading"], text: "Your proposals"),
            H.el("ul", ["class": "plain"], rows),
        ])
    }

    private var keyboardHelp: BodyNode {
        guard canOrder else { return .empty }
        return H.el("section", ["class": "card small"], [
            H.el("h2", text: "Ordering"),
            H.el("p", ["id": "keyboard-help"], text: "Drag an item by its handle, or focus it and press Alt+↑ or Alt+↓ to move it one place, Alt+Home or Alt+End for the top or bottom. Every move is logged on your authority."),
        ])
    }

    private var definitionOfReadySection: BodyNode {
        let canEdit = PermissionPolicy.decide(.setDefinitionOfReady, for: membership) == .allowed
        return H.el("section", ["class": "card", "aria-labelledby": "dor-heading"], [
            H.el("h2", ["id": "dor-heading"], text: "Definition of Ready"),
            definitionOfReady.isEmpty
                ? H.el("p", ["class": "empty"], text: "None yet: an item is ready once it is estimated.")
                : H.el("ol", ["class": "dor"], definitionOfReady.map { H.el("li", text: $0) }),
            canEdit
                ? H.el("details", ["open": FormEcho.concerns(.definitionOfReady(product.id)) ? "" : nil], [
                    H.el("summary", text: "Edit"),
                    H.form(.definitionOfReady(product.id), csrf: csrf, class: "stack compact", label: "Edit the Definition of Ready") { [
                        H.textarea("One condition per line", name: "items", value: definitionOfReady.joined(separator: "\n"), rows: 5),
                        H.button("Save", class: "button secondary"),
                    ] },
                ])
                : .empty,
        ])
    }

    private var graphSection: BodyNode {
        H.el("section", ["class": "card", "aria-labelledby": "graph-heading"], [
            H.el("h2", ["id": "graph-heading"], text: "Dependencies"),
            DependencySVG.render(graph),
        ])
    }
}

/// Words for a proposal's wanted position and its outcome.
enum ProposalText {
    static func outcome(_ proposal: ProposalDTO) -> String {
        switch proposal.state {
        case .open: "waiting for the Product Owner"
        case .accepted: "accepted by \(proposal.decidedBy?.displayName ?? "the Product Owner")"
        case .declined: "declined by \(proposal.decidedBy?.displayName ?? "the Product Owner")"
        case .withdrawn: "withdrawn"
        }
    }

    static func position(_ proposal: ProposalDTO) -> String {
        if proposal.position.to == "top" { return "to the top" }
        if proposal.position.to == "bottom" { return "to the bottom" }
        let anchor = proposal.anchor?.ref ?? "another item"
        return proposal.position.before != nil ? "above \(anchor)" : "below \(anchor)"
    }
}

/// The dependency graph drawn on the server as SVG, columns by depth, with a text list beside it for screen readers.
enum DependencySVG {
    static let boxWidth = 150, boxHeight = 40, columnGap = 60, rowGap = 16, margin = 10

    static func render(_ graph: DependencyGraphDTO) -> BodyNode {
        guard !graph.edges.isEmpty else { return H.el("p", ["class": "empty"], text: "No dependencies recorded.") }
        let byID = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        let blockers = Dictionary(grouping: graph.edges, by: \.itemId).mapValues { $0.map(\.blockedBy) }
        var depth: [String: Int] = [:]
        func depthOf(_ id: String, _ visiting: Set<String> = []) -> Int {
            if let known = depth[id] { return known }
            let parents = (blockers[id] ?? []).filter { byID[$0] != nil && !visiting.contains($0) }
            let value = parents.isEmpty ? 0 : 1 + parents.map { depthOf($0, visiting.union([id])) }.max()!
            depth[id] = value
            return value
        }
        for node in graph.nodes { _ = depthOf(node.id) }
        let columns = Dictionary(grouping: graph.nodes, by: { depth[$0.id] ?? 0 })
        var position: [String: (x: Int, y: Int)] = [:]
        for (column, nodes) in columns {
            for (row, node) in nodes.sorted(by: { $0.rank < $1.rank }).enumerated() {
                position[node.id] = (margin + column * (boxWidth + columnGap), margin + row * (boxHeight + rowGap))
            }
        }
        let width = margin * 2 + (columns.keys.max() ?? 0) * (boxWidth + columnGap) + boxWidth
        let height = margin * 2 + (columns.values.map(\.count).max() ?? 1) * (boxHeight + rowGap) - rowGap
        var shapes: [BodyNode] = [
            H.el("title", ["id": "graph-title"], text: "Dependency graph: arrows point from a blocker to the item it blocks"),
            H.el("defs", [
                H.el("marker", ["id": "arrow", "viewBox": "0 0 10 10", "refX": "10", "refY": "5", "markerWidth": "7", "markerHeight": "7", "orient": "auto-start-reverse"], [
                    H.el("path", ["d": "M 0 0 L 10 5 L 0 10 z", "class": "arrowhead"], []),
                ]),
            ]),
        ]
        for edge in graph.edges {
            guard let from = position[edge.blockedBy], let to = position[edge.itemId] else { continue }
            let x1 = from.x + boxWidth, y1 = from.y + boxHeight / 2, x2 = to.x, y2 = to.y + boxHeight / 2
            let unfinished = !(byID[edge.blockedBy]?.status.isFinished ?? true)
            shapes.append(H.el("path", [
                "d": "M \(x1) \(y1) C \(x1 + columnGap / 2) \(y1), \(x2 - columnGap / 2) \(y2), \(x2) \(y2)",
                "class": unfinished ? "edge open" : "edge done", "marker-end": "url(#arrow)",
            ], []))
        }
        for node in graph.nodes {
            guard let at = position[node.id] else { continue }
            let title = node.title.count > 20 ? String(node.title.prefix(19)) + "…" : node.title
            shapes.append(H.el("g", ["class": "node \(node.status.rawValue) level-\(node.refinement.rawValue)"], [
                H.el("a", ["href": SiteRoute.item(node.ref).path], [
                    H.el("rect", ["x": String(at.x), "y": String(at.y), "width": String(boxWidth), "height": String(boxHeight), "rx": "6"], []),
                    H.el("text", ["x": String(at.x + 8), "y": String(at.y + 16), "class": "ref"], text: node.ref),
                    H.el("text", ["x": String(at.x + 8), "y": String(at.y + 32)], text: title),
                ]),
            ]))
        }
        let refByID = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0.ref) })
        // A narrow graph scales to its box through the viewBox; a wide one (long chains) would shrink past reading,
        // so it keeps three quarters of its size in a box that scrolls sideways, and says so.
        let fits = width <= 480
        let shown = fits ? nil : (w: width * 3 / 4, h: height * 3 / 4)
        return H.el("div", ["class": fits ? "graph" : "graph scroll", "tabindex": fits ? nil : "0", "aria-label": fits ? nil : "Dependency graph, scrolls sideways"], [
            fits ? .empty : H.el("p", ["class": "muted small cue"], text: "Scroll sideways for the whole graph →"),
            H.el("svg", [
                "xmlns": "http://www.w3.org/2000/svg", "viewBox": "0 0 \(width) \(height)",
                "width": shown.map { String($0.w) }, "height": shown.map { String($0.h) },
                "role": "img", "aria-labelledby": "graph-title", "class": "dependency-graph",
            ], shapes),
            H.el("details", [
                H.el("summary", text: "As a list"),
                H.el("ul", graph.edges.map { edge in
                    H.el("li", text: "\(refByID[edge.itemId] ?? edge.itemId) is blocked by \(refByID[edge.blockedBy] ?? edge.blockedBy)")
                }),
            ]),
        ])
    }
}
