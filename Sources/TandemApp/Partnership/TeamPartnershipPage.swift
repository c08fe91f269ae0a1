import Foundation
import TandemCore

/// A team's side of the partnership: its impediments, its working agreement and its partnership health checks.
struct TeamPartnershipPage {
    let identity: Identity
    let csrf: String
    let team: TeamPartnership
    let impediments: ImpedimentListDTO
    let agreement: WorkingAgreementDTO
    let checks: PartnershipTrendDTO
    let members: [PersonRef]
    var flash: Layout.Flash?

    func may(_ action: ProductAction) -> Bool { PermissionPolicy.decide(action, for: team.access.membership) == .allowed }

    var html: HTML {
        let product = team.access.product
        return Layout(title: "\(team.teamName) partnership", identity: identity, csrf: csrf, flash: flash, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "), H.link(.dashboard(product.id), "Partnership"), .text(" / \(team.teamName)")]),
            H.el("h1", text: "\(team.teamName): impediments, working agreement and health checks"),
            impedimentSection,
            H.el("div", ["class": "item-layout"], [agreementSection, checkSection]),
        ], skipLinks: [("impediments-heading", "Skip to the impediments"), ("checks-heading", "Skip to the health checks")]).html
    }

    // MARK: Impediments

    private var impedimentSection: BodyNode {
        let open = impediments.items.filter { $0.state != .resolved }
        let resolved = impediments.items.filter { $0.state == .resolved }
        return H.el("section", ["class": "card", "aria-labelledby": "impediments-heading"], [
            H.el("h2", ["id": "impediments-heading"], text: "Impediments (\(open.count) open)"),
            H.el("p", ["class": "muted small"], text: impediments.medianDaysToResolve.map { "Resolved in a median of \(CapacityPlan.format($0)) days." } ?? "None resolved yet."),
            open.isEmpty ? H.el("p", ["class": "empty"], text: "Nothing stands in the team's way.") : H.el("ul", ["class": "plain impediments"], open.map(impediment)),
            H.el("details", ["open": FormEcho.concerns(.impediments(team.teamID)) ? "" : nil], [
                H.el("summary", text: "Raise an impediment"),
                H.form(.impediments(team.teamID), csrf: csrf, class: "stack compact", label: "Raise an impediment") { [
                    H.field("What is in the way", name: "title"),
                    H.textarea("Details", name: "detail", rows: 2),
                    H.field("Blocked items (references like \(product.key)-12, separated by commas)", name: "items", required: false),
                    H.button("Raise it"),
                ] },
            ]),
            resolved.isEmpty ? .empty : H.el("details", [
                H.el("summary", text: "Resolved (\(resolved.count))"),
                H.el("ul", ["class": "plain"], resolved.reversed().map { entry in
                    H.el("li", text: "\(entry.title): \(entry.resolution ?? "") (in \(entry.ageDays) days)")
                }),
            ]),
        ])
    }

    private var product: ProductSettings { team.access.product }

    private func impediment(_ entry: ImpedimentDTO) -> BodyNode {
        let bucket = entry.ageDays < 2 ? "fresh" : entry.ageDays <= 7 ? "ageing" : "old"
        let canHandle = may(.handleImpediment(teamID: team.teamID, ownsIt: entry.owner?.id == identity.user.id))
        return H.el("li", ["class": "card impediment age-\(bucket)", "data-id": entry.id], [
            H.el("h3", [.text(entry.title), entry.level == .organisation ? H.el("span", ["class": "badge unhealthy"], text: " Escalated") : .empty]),
            H.el("p", ["class": "small"], text: "\(entry.ageDays) day\(entry.ageDays == 1 ? "" : "s") old · \(entry.state == .inProgress ? "in progress" : "open") · owner \(entry.owner?.displayName ?? "nobody")"),
            entry.detail.isEmpty ? .empty : H.el("p", ["class": "prose small"], text: entry.detail),
            entry.items.isEmpty ? .empty : H.el("p", ["class": "small"], [.text("Blocks ")] + entry.items.flatMap { [H.link(.item($0.ref), $0.ref), .text(" ")] }),
            entry.escalationNote.map { H.el("p", ["class": "rationale"], text: "Escalated: \($0)") } ?? .empty,
            canHandle ? H.el("details", ["open": FormEcho.concerns(.impediment(entry.id, .update)) ? "" : nil], [
                H.el("summary", text: "Update"),
                H.form(.impediment(entry.id, .update), csrf: csrf, class: "stack compact", label: "Update the impediment: \(entry.title)") { [
                    H.select("State", name: "state", options: [("open", "Open"), ("inProgress", "In progress"), ("resolved", "Resolved")], selected: entry.state.rawValue),
                    H.select("Owner", name: "ownerId", options: members.map { ($0.id, $0.displayName) }, selected: entry.owner?.id),
                    H.textarea("Resolution (required to resolve)", name: "resolution", rows: 2),
                    H.button("Save"),
                ] },
            ]) : .empty,
            canHandle && entry.level == .team ? H.el("details", ["open": FormEcho.concerns(.impediment(entry.id, .escalate)) ? "" : nil], [
                H.el("summary", text: "Escalate to the organisation"),
                H.form(.impediment(entry.id, .escalate), csrf: csrf, class: "stack compact", label: "Escalate: \(entry.title)") { [
                    H.textarea("Why the team cannot remove it", name: "note", rows: 2, required: true),
                    H.button("Escalate", class: "button secondary"),
                ] },
            ]) : .empty,
        ])
    }

    // MARK: Working agreement

    private var agreementSection: BodyNode {
        let canWrite = may(.setWorkingAgreement(teamID: team.teamID))
        let agreed = agreement.agreedBy.contains { $0.id == identity.user.id }
        return H.el("section", ["class": "card", "aria-labelledby": "agreement-heading"], [
            H.el("h2", ["id": "agreement-heading"], text: agreement.version == 0 ? "Working agreement" : "Working agreement, version \(agreement.version)"),
            agreement.items.isEmpty ? H.el("p", ["class": "empty"], text: "No working agreement yet.") : H.el("ol", agreement.items.map { H.el("li", text: $0) }),
            agreement.version == 0 ? .empty : H.el("p", ["class": "small"], text: "Agreed by " + (agreement.agreedBy.map(\.displayName).joined(separator: ", ")) + (agreement.waitingFor.isEmpty ? "." : "; waiting for " + agreement.waitingFor.map(\.displayName).joined(separator: ", ") + ".")),
            canWrite && agreement.version > 0 && !agreed ? H.form(.workingAgreement(team.teamID, agree: true), csrf: csrf, class: "inline", label: "Agree to the working agreement") { [H.button("I agree to version \(agreement.version)")] } : .empty,
            canWrite ? H.el("details", ["open": FormEcho.concerns(.workingAgreement(team.teamID)) ? "" : nil], [
                H.el("summary", text: agreement.version == 0 ? "Write the agreement" : "Write a new version"),
                H.form(.workingAgreement(team.teamID), csrf: csrf, class: "stack compact", label: "Write the working agreement") { [
                    H.textarea("One agreement per line", name: "items", value: agreement.items.joined(separator: "\n"), rows: 5),
                    H.button("Save the new version"),
                ] },
            ]) : .empty,
        ])
    }

    // MARK: Health checks

    private var checkSection: BodyNode {
        let pending = checks.checks.first { $0.results == nil }
        let latest = checks.checks.first { $0.results != nil }
        var body: [BodyNode] = [H.el("h2", ["id": "checks-heading"], text: "Partnership health check")]
        if let pending {
            let mySide: PartnershipSide? = pending.productOwner?.id == identity.user.id ? .productOwner : pending.scrumMaster?.id == identity.user.id ? .scrumMaster : nil
            let answered = mySide.map { $0 == .productOwner ? pending.answered.productOwner : pending.answered.scrumMaster } ?? false
            body.append(H.el("p", text: "A check opened \(pending.openedAt.formatted(.dateTime.day().month(.abbreviated))) waits for " + [
                pending.answered.productOwner ? nil : pending.productOwner?.displayName, pending.answered.scrumMaster ? nil : pending.scrumMaster?.displayName,
            ].compactMap { $0 }.joined(separator: " and ") + ". Neither sees the other's answer before both have answered."))
            if let mySide, !answered { body.append(answerForm(pending, side: mySide)) }
        } else if may(.openPartnershipCheck(teamID: team.teamID)) {
            body.append(H.form(.partnershipChecks(team.teamID), csrf: csrf, class: "inline", label: "Open a partnership health check") { [H.button("Open a health check")] })
        }
        if let latest, let results = latest.results {
            body.append(H.el("h3", text: "Latest results (\(latest.completedAt?.formatted(.dateTime.day().month(.abbreviated).year()) ?? ""))"))
            body.append(PartnershipCharts.radar(results.foundations))
            body.append(H.el("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": "Foundations side by side"], [H.el("table", ["class": "figures gaps"], [
                H.el("caption", ["class": "muted small"], text: "Each foundation as the Product Owner and the Scrum Master rated it (1 to 5); a gap of 2 or more is the conversation to have."),
                H.el("thead", [H.el("tr", ["Foundation", "Product Owner", "Scrum Master", "Gap"].map { H.el("th", ["scope": "col"], text: $0) })]),
                H.el("tbody", results.foundations.map { row in
                    H.el("tr", ["class": row.highlighted ? "gap" : nil], [
                        H.el("th", ["scope": "row"], text: row.foundation.title), H.el("td", text: "\(row.productOwner)"), H.el("td", text: "\(row.scrumMaster)"),
                        H.el("td", text: row.highlighted ? "\(row.gap): talk about it" : "\(row.gap)"),
                    ])
                }),
            ])]))
            if !results.unmetByScrumMaster.isEmpty || !results.unmetByProductOwner.isEmpty {
                body.append(H.el("h3", text: "Expectations not met"))
                body.append(H.el("ul", (results.unmetByScrumMaster.map { "By the Scrum Master: \($0.text)" } + results.unmetByProductOwner.map { "By the Product Owner: \($0.text)" }).map { H.el("li", text: $0) }))
            }
            if checks.trend.count > 1 { body.append(H.el("h3", text: "Trend")); body.append(PartnershipCharts.trend(checks.trend)) }
        } else if pending == nil {
            body.append(H.el("p", ["class": "empty"], text: "No check yet."))
        }
        return H.el("section", ["class": "card", "aria-labelledby": "checks-heading"], body)
    }

    /// Nothing is answered for the person: every rating and every expectation starts unchosen, so a form sent
    /// untouched is refused instead of reading as a healthy partnership.
    private func answerForm(_ check: PartnershipCheckDTO, side: PartnershipSide) -> BodyNode {
        let other: PartnershipSide = side == .productOwner ? .scrumMaster : .productOwner
        return H.form(.partnershipCheck(check.id), csrf: csrf, class: "stack compact health-check", label: "Answer the health check") {
            [H.el("p", ["class": "muted small"], text: "Rate each foundation from 1 (weak) to 5 (strong), and say of each expectation whether it was met. Nothing is chosen for you.")]
            + PartnershipFoundation.allCases.map { foundation in
                H.radios(foundation.title, name: "rating-\(foundation.rawValue)", options: PartnershipFoundation.ratings.map { ("\($0)", "\($0)") }, class: "choices rating")
            } + [
                H.el("h3", text: "What the \(other == .scrumMaster ? "Scrum Master" : "Product Owner") gave you"),
            ] + Expectations.owed(by: other).map { expectation in
                H.radios("\(expectation.service): \(expectation.text)", name: "met-\(expectation.id)", options: [("met", "Met"), ("unmet", "Not met")], class: "choices expectation")
            } + [
                H.textarea("Comment (shown with the results)", name: "comment", rows: 2),
                H.button("Send my answer"),
            ]
        }
    }
}

/// The partnership charts, drawn with the chart module; the tables beside them carry the same numbers.
enum PartnershipCharts {
    /// Both partners' ratings of the seven foundations on a radar (the Product Owner solid, the Scrum Master dashed).
    static func radar(_ foundations: [FoundationComparison]) -> BodyNode {
        Chart.radar(id: "radar", title: "Foundations as the Product Owner and the Scrum Master rated them (1 to 5)", axes: foundations.map(\.foundation.title), series: [
            .init(name: "Product Owner", values: foundations.map { Double($0.productOwner) }, kind: .line, color: "#2f5bea"),
            .init(name: "Scrum Master", values: foundations.map { Double($0.scrumMaster) }, kind: .dashed, color: "#b5590f"),
        ], maximum: 5)
    }

    /// Each foundation's average rating over the completed checks, one line each.
    static func trend(_ points: [PartnershipTrendDTO.Point]) -> BodyNode {
        Chart(
            id: "foundation-trend", title: "Each foundation's average rating over the last \(points.count) checks", xAxis: "Check completed", yAxis: "Average rating",
            categories: points.map { WorkingCalendar().today(atMillis: Clock.millis($0.completedAt)).description },
            series: PartnershipFoundation.allCases.enumerated().map { index, foundation in
                .init(name: foundation.title, values: points.map { point in
                    point.foundations.first { $0.foundation == foundation }.map { Double($0.productOwner + $0.scrumMaster) / 2 }
                }, kind: .line, color: Chart.palette[index % Chart.palette.count])
            },
            wideWidth: 480
        ).figure
    }
}
