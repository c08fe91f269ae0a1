import Foundation
import TandemCore

/// The Sprint Review page: what was shown and to whom, and the feedback inbox the Product Owner answers.
struct ReviewPage {
    let identity: Identity
    let csrf: String
    let access: ProductAccess
    let sprint: SprintDTO
    let review: ReviewDTO?
    let feedback: [FeedbackDTO]
    var flash: Layout.Flash?

    var html: HTML {
        let product = access.product
        let canRecord = PermissionPolicy.decide(.recordReview(teamID: sprint.teamId), for: access.membership) == .allowed
        let isOwner = access.membership.isProductOwner
        var reviewBody: [BodyNode] = [H.el("h2", ["id": "review-heading"], text: "Review")]
        if let review {
            reviewBody.append(H.el("p", ["class": "prose"], text: review.notes.isEmpty ? "No notes." : review.notes))
            reviewBody.append(H.el("p", ["class": "muted small"], text: "Invited: " + (review.invitees.isEmpty ? "nobody" : review.invitees.map { $0.displayName + ($0.addedAsStakeholder ? " (new stakeholder)" : "") }.joined(separator: ", "))))
        } else {
            reviewBody.append(H.el("p", ["class": "empty"], text: "The review has not been recorded yet."))
        }
        if canRecord && sprint.state != .planned {
            reviewBody.append(H.form(.sprintReview(sprint.id), csrf: csrf, class: "stack compact", label: "Record the review") { [
                H.textarea("Who was invited (emails, one per line; people new to the product become stakeholders)", name: "invitees",
                           value: review?.invitees.map(\.email).joined(separator: "\n") ?? "", rows: 3),
                H.textarea("What was shown and discussed", name: "notes", value: review?.notes ?? "", rows: 4),
                H.button(review == nil ? "Record the review" : "Update the review"),
            ] })
        }
        let open = feedback.filter { $0.state == .open }
        let decided = feedback.filter { $0.state != .open }
        return Layout(title: "Sprint \(sprint.number) review", identity: identity, csrf: csrf, flash: flash, header: access.headerNode, content: [
            H.el("p", ["class": "crumbs"], [
                H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "),
                H.link(.sprint(sprint.id), "Sprint \(sprint.number)"), .text(" / Review"),
            ]),
            H.el("h1", text: "Sprint \(sprint.number) review"),
            H.el("div", ["class": "item-layout"], [
                H.el("section", ["class": "card", "aria-labelledby": "review-heading"], reviewBody),
                H.el("section", ["class": "card", "aria-labelledby": "feedback-heading"], [
                    H.el("h2", ["id": "feedback-heading"], text: isOwner ? "Feedback inbox (\(open.count) waiting)" : "Your feedback"),
                    H.form(.feedback(product.id), csrf: csrf, class: "stack compact", label: "Give feedback") { [
                        H.textarea("Your feedback (the first line becomes the item's title if accepted)", name: "text", rows: 3, required: true),
                        H.void("input", ["type": "hidden", "name": "sprintId", "value": sprint.id]),
                        H.button("Send feedback"),
                    ] },
                    isOwner ? inbox(open: open, decided: decided) : yours,
                ]),
            ]),
        ]).html
    }
}

extension ReviewPage {
    /// The Product Owner's inbox: what waits for a yes or a no, then what was decided.
    func inbox(open: [FeedbackDTO], decided: [FeedbackDTO]) -> BodyNode {
        H.el("div", [
            open.isEmpty ? H.el("p", ["class": "empty"], text: "Nothing waiting.") : H.el("ul", ["class": "plain feedback"], open.map { entry in
                H.el("li", ["class": "card"], [
                    H.el("p", ["class": "prose"], text: entry.text),
                    H.el("p", ["class": "muted small"], text: "From \(entry.givenBy?.displayName ?? "someone")"),
                    H.form(.feedbackDecision(entry.id, accept: true), csrf: csrf, class: "inline", label: "Accept feedback into the backlog") { [
                        H.void("input", ["type": "hidden", "name": "sprintId", "value": sprint.id]), H.button("Accept into the backlog", class: "button small"),
                    ] },
                    H.el("details", ["open": FormEcho.concerns(.feedbackDecision(entry.id, accept: false)) ? "" : nil], [
                        H.el("summary", text: "Decline"),
                        H.form(.feedbackDecision(entry.id, accept: false), csrf: csrf, class: "stack compact", label: "Decline feedback") { [
                            H.textarea("Why not (the giver reads it)", name: "reason", rows: 2, required: true),
                            H.void("input", ["type": "hidden", "name": "sprintId", "value": sprint.id]),
                            H.button("Decline", class: "button secondary"),
                        ] },
                    ]),
                ])
            }),
            decided.isEmpty ? .empty : H.el("h3", text: "Decided"),
            decided.isEmpty ? .empty : H.el("ul", ["class": "plain"], decided.map { entry in
                H.el("li", [
                    H.el("span", ["class": "outcome \(entry.state == .accepted ? "accepted" : "declined")"], text: entry.state == .accepted ? "Accepted" : "Declined"),
                    .text(": \(entry.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? entry.text)"),
                    entry.ref.map { ref in H.el("span", [.text(" → "), H.link(.item(ref), ref)]) } ?? .empty,
                    entry.reason.map { H.el("p", ["class": "rationale"], text: "“\($0)”") } ?? .empty,
                ])
            }),
        ])
    }

    /// A giver's own feedback with where each stands: waiting, accepted as an item, or declined with the reason.
    var yours: BodyNode {
        guard !feedback.isEmpty else { return H.el("p", ["class": "empty"], text: "You have not given feedback on this product yet.") }
        return H.el("ul", ["class": "plain feedback mine"], feedback.map { entry in
            let state: BodyNode
            switch entry.state {
            case .open: state = H.el("span", ["class": "outcome open"], text: "Waiting for the Product Owner")
            case .accepted:
                state = H.el("span", [H.el("span", ["class": "outcome accepted"], text: "Accepted"),
                                      entry.ref.map { ref in H.el("span", [.text(" as "), H.link(.item(ref), ref)]) } ?? .empty])
            case .declined:
                state = H.el("span", [H.el("span", ["class": "outcome declined"], text: "Declined"), .text(": “\(entry.reason ?? "")”")])
            }
            return H.el("li", ["class": "card", "data-state": entry.state.rawValue], [
                H.el("p", ["class": "prose"], text: entry.text),
                H.el("p", ["class": "small"], [state, H.el("span", ["class": "muted"], text: " · given \(entry.createdAt.formatted(.dateTime.day().month(.abbreviated).year()))")]),
            ])
        })
    }
}

/// The retrospective page: it opens with the actions still open from earlier sprints.
struct RetrospectivePage {
    let identity: Identity
    let csrf: String
    let access: ProductAccess
    let sprint: SprintDTO
    let retrospective: RetrospectiveDTO
    let members: [SprintPageData.Member]
    var flash: Layout.Flash?

    var html: HTML {
        let product = access.product
        let canWrite = PermissionPolicy.decide(.writeRetrospective(teamID: sprint.teamId), for: access.membership) == .allowed
        func action(_ entry: ImprovementActionDTO, carried: Bool) -> BodyNode {
            let mayToggle = PermissionPolicy.decide(.setImprovementActionState(teamID: sprint.teamId, ownsAction: entry.owner?.id == access.userID), for: access.membership) == .allowed
            return H.el("li", [
                H.el("span", ["class": "outcome \(entry.state == .done ? "accepted" : "")"], text: entry.state == .done ? "Done" : "Open"),
                .text(": \(entry.text) · owner \(entry.owner?.displayName ?? "nobody")"),
                carried ? H.el("span", ["class": "warning small"], text: " · from sprint \(entry.sprintNumber), carried \(entry.carriedSprints == 1 ? "once" : "\(entry.carriedSprints) times")") : .empty,
                mayToggle ? H.form(.improvementAction(entry.id), csrf: csrf, class: "inline", label: "Mark the action \(entry.state == .done ? "open" : "done")") { [
                    H.void("input", ["type": "hidden", "name": "state", "value": entry.state == .done ? "open" : "done"]),
                    H.void("input", ["type": "hidden", "name": "sprintId", "value": sprint.id]),
                    H.button(entry.state == .done ? "Reopen" : "Mark done", class: "link"),
                ] } : .empty,
            ])
        }
        var owners = [("", "Choose who owns it")] + members.map { ($0.id, "\($0.name) (\($0.accountability.title))") }
        if !owners.contains(where: { $0.0 == product.productOwnerId }) { owners.append((product.productOwnerId, "The Product Owner")) }
        return Layout(title: "Sprint \(sprint.number) retrospective", identity: identity, csrf: csrf, flash: flash, header: access.headerNode, content: [
            H.el("p", ["class": "crumbs"], [
                H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "),
                H.link(.sprint(sprint.id), "Sprint \(sprint.number)"), .text(" / Retrospective"),
            ]),
            H.el("h1", text: "Sprint \(sprint.number) retrospective"),
            H.el("section", ["class": "card", "aria-labelledby": "carried-heading"], [
                H.el("h2", ["id": "carried-heading"], text: "Still open from earlier sprints (\(retrospective.carriedActions.count))"),
                retrospective.carriedActions.isEmpty ? H.el("p", ["class": "empty"], text: "Every earlier action is done.")
                    : H.el("ul", ["class": "plain carried"], retrospective.carriedActions.map { action($0, carried: true) }),
            ]),
            H.el("div", ["class": "grid"], RetrospectiveNoteKind.allCases.map { kind in
                let notes = retrospective.notes.filter { $0.kind == kind }
                return H.el("section", ["class": "card", "aria-labelledby": "notes-\(kind.rawValue)"], [
                    H.el("h2", ["id": "notes-\(kind.rawValue)"], text: kind.title),
                    notes.isEmpty ? H.el("p", ["class": "empty"], text: "Nothing yet.") : H.el("ul", notes.map { H.el("li", text: "\($0.text) (\($0.author?.displayName ?? "someone"))") }),
                ])
            }),
            canWrite ? H.el("section", ["class": "card", "aria-label": "Add a note"], [
                H.form(.retrospectiveAdd(sprint.id, .notes), csrf: csrf, class: "stack compact", label: "Add a retrospective note") { [
                    H.select("Kind", name: "kind", options: RetrospectiveNoteKind.allCases.map { ($0.rawValue, $0.title) }),
                    H.textarea("Note", name: "text", rows: 2, required: true),
                    H.button("Add the note"),
                ] },
            ]) : .empty,
            H.el("section", ["class": "card", "aria-labelledby": "actions-heading"], [
                H.el("h2", ["id": "actions-heading"], text: "Improvement actions of this sprint"),
                retrospective.actions.isEmpty ? H.el("p", ["class": "empty"], text: "No action agreed yet.") : H.el("ul", ["class": "plain"], retrospective.actions.map { action($0, carried: false) }),
                canWrite ? H.form(.retrospectiveAdd(sprint.id, .actions), csrf: csrf, class: "stack compact", label: "Agree an improvement action") { [
                    H.textarea("Action", name: "text", rows: 2, required: true),
                    H.select("Owner", name: "ownerId", options: owners, selected: ""),
                    H.button("Agree the action"),
                ] } : .empty,
            ]),
        ]).html
    }
}
