import Foundation
import TandemCore

/// The vision and goals page: the product questions (what, for whom, why, what for), the active Product Goal and
/// the goals before it; the Product Owner edits, everyone else reads.
struct DirectionPage {
    let identity: Identity
    let csrf: String
    let product: ProductSettings
    let membership: ProductMembership
    let vision: VisionHistoryDTO
    let goals: [ProductGoalDTO]
    var flash: Layout.Flash?
    var header: BodyNode = .empty

    var canEdit: Bool { PermissionPolicy.decide(.setProductDirection, for: membership) == .allowed }

    var html: HTML {
        Layout(title: "\(product.key) vision and goals", identity: identity, csrf: csrf, flash: flash, header: header, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / Vision and goals")]),
            H.el("h1", [.text("Vision and Product Goal "), H.el("span", ["class": "muted small"], text: product.name)]),
            H.el("div", ["class": "item-layout"], [visionSection, goalSection]),
        ]).html
    }

    private var visionSection: BodyNode {
        let current = vision.current
        let questions: [(String, String, String)] = [
            ("Vision", "statement", current?.statement ?? ""),
            ("For whom (target group)", "targetGroup", current?.targetGroup ?? ""),
            ("Why (their needs)", "needs", current?.needs ?? ""),
            ("What (the product)", "product", current?.product ?? ""),
            ("What for (business goals)", "businessGoals", current?.businessGoals ?? ""),
        ]
        var body: [BodyNode] = [H.el("h2", ["id": "vision-heading"], text: "Product Vision Board")]
        if let current {
            body.append(H.el("dl", ["class": "vision"], questions.flatMap { label, _, value in
                [H.el("dt", text: label), H.el("dd", ["class": "prose"], text: value.isEmpty ? "Not answered yet" : value)]
            }))
            body.append(H.el("p", ["class": "muted small"], text: "Version \(current.version) by \(current.updatedBy?.displayName ?? "someone"), \(current.updatedAt.formatted(.dateTime.day().month(.abbreviated).year()))."))
        } else {
            body.append(H.el("p", ["class": "empty"], text: canEdit ? "No vision yet: write the first version below." : "The Product Owner has not written the vision yet."))
        }
        if canEdit {
            body.append(H.el("details", ["open": current == nil || FormEcho.concerns(.vision(product.id)) ? "" : nil], [
                H.el("summary", text: current == nil ? "Write the vision" : "Write a new version"),
                H.form(.vision(product.id), csrf: csrf, class: "stack compact", label: "Write the vision") {
                    questions.map { label, name, value in H.textarea(label, name: name, value: value, rows: 2, required: name == "statement") }
                        + [H.button("Save this version", class: "button")]
                },
            ]))
        }
        if vision.versions.count > 1 {
            body.append(H.el("details", [
                H.el("summary", text: "Earlier versions (\(vision.versions.count - 1))"),
                H.el("ol", ["class": "plain"], vision.versions.dropFirst().map { version in
                    H.el("li", [
                        H.el("strong", text: "Version \(version.version)"),
                        .text(" by \(version.updatedBy?.displayName ?? "someone"), \(version.updatedAt.formatted(.dateTime.day().month(.abbreviated).year())): "),
                        .text(version.statement),
                    ])
                }),
            ]))
        }
        return H.el("section", ["class": "card", "aria-labelledby": "vision-heading"], body)
    }

    private var goalSection: BodyNode {
        let active = goals.first { $0.state == .active }
        var body: [BodyNode] = [H.el("h2", ["id": "goal-heading"], text: "Product Goal")]
        if let active {
            body.append(H.el("p", ["class": "goal"], [H.el("strong", text: active.statement)]))
            if let measure = active.measure { body.append(H.el("p", ["class": "muted"], text: "Measured by: \(measure)")) }
            if canEdit {
                for (state, label) in [(ProductGoalState.achieved, "Mark achieved"), (.abandoned, "Abandon")] {
                    body.append(H.el("details", ["open": FormEcho.concerns(.closeGoal(active.id, as: state)) ? "" : nil], [
                        H.el("summary", text: label),
                        H.form(.closeGoal(active.id, as: state), csrf: csrf, class: "stack compact", label: "\(label): \(active.statement)") { [
                            H.textarea("What happened (kept in the goal's history)", name: "note", rows: 2, required: true),
                            H.button(label, class: state == .achieved ? "button" : "button secondary"),
                        ] },
                    ]))
                }
            }
        } else {
            body.append(H.el("p", ["class": "empty"], text: "No active Product Goal."))
            if canEdit {
                body.append(H.form(.productGoals(product.id), csrf: csrf, class: "stack compact", label: "Set the next Product Goal") { [
                    H.textarea("The next Product Goal", name: "statement", rows: 2, required: true),
                    H.field("How you will know (optional)", name: "measure", required: false),
                    H.button("Set the goal"),
                ] })
            }
        }
        let history = goals.filter { $0.state != .active }
        if !history.isEmpty {
            body.append(H.el("h3", text: "Earlier goals"))
            body.append(H.el("ul", ["class": "plain goal-history"], history.map { goal in
                H.el("li", [
                    H.el("span", ["class": "outcome \(goal.state == .achieved ? "accepted" : "declined")"], text: goal.state == .achieved ? "Achieved" : "Abandoned"),
                    .text(": \(goal.statement)"),
                    goal.note.map { H.el("p", ["class": "rationale"], text: "“\($0)”") } ?? .empty,
                ])
            }))
        }
        return H.el("section", ["class": "card", "aria-labelledby": "goal-heading"], body)
    }
}
