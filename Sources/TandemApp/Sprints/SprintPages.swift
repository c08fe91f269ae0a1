import Foundation
import TandemCore

/// Small SVG charts drawn on the server: no script, readable by screen readers through their titles and tables.
enum Charts {
    /// Bars of committed and done points per sprint, with the median done as the team's pace; a missed Sprint Goal is
    /// marked by an asterisk on the sprint's number.
    /// `id` must be unique in the page (the chart's title is referenced by it).
    /// `width`: the desktop drawing's, 960 in a full-width card, 480 in a half.
    static func velocity(_ sprints: [VelocitySprintDTO], id: String = "velocity", width: Double = 960) -> BodyNode {
        guard !sprints.isEmpty else { return H.el("p", ["class": "empty"], text: "No closed sprint yet: velocity appears after the first close.") }
        var chart = velocityChart(sprints, id: id)
        chart.wideWidth = width
        return chart.figure
    }

    static func velocityChart(_ sprints: [VelocitySprintDTO], id: String = "velocity") -> Chart {
        let median = CapacityPlan.median(sprints.suffix(10).map(\.donePoints))
        return Chart(
            id: id, title: "Velocity: committed and done points per sprint", xAxis: "Sprint (* Sprint Goal missed)", yAxis: "Points",
            categories: sprints.map { "\($0.number)\($0.goalMet ? "" : "*")" },
            series: [
                .init(name: "Committed", values: sprints.map(\.committedPoints), kind: .bars, color: "#aebde9"),
                .init(name: "Done", values: sprints.map(\.donePoints), kind: .bars, color: "#2f8f5b"),
                .init(name: "Median done", values: sprints.map { _ in median }, kind: .dashed, color: "#7a3db8"),
            ]
        )
    }

    /// Remaining points per day against the ideal line (flat on non-working days), with the points added and removed
    /// each day as bars: scope changes show instead of hiding in the line.
    /// `whole`: the ideal line over the whole timebox, so a running sprint's chart shows the days still to come.
    static func burndown(_ days: [BurndownDay], whole: [Burndown.IdealDay] = [], width: Double = 480) -> BodyNode {
        guard !days.isEmpty else { return H.el("p", ["class": "empty"], text: "The burndown starts with the sprint.") }
        var chart = burndownChart(days, whole: whole)
        chart.wideWidth = width
        return chart.figure
    }

    static func burndownChart(_ days: [BurndownDay], whole: [Burndown.IdealDay] = []) -> Chart {
        let ahead = whole.dropFirst(days.count)
        let pad = { (values: [Double?]) in values + ahead.map { _ in nil } }
        return Chart(
            id: "burndown", title: "Burndown: points remaining per day against the ideal line", xAxis: "Day (* not a working day)", yAxis: "Points",
            categories: days.map { String($0.date.suffix(5)) + ($0.working ? "" : "*") } + ahead.map { String($0.date.suffix(5)) + ($0.working ? "" : "*") },
            series: [
                .init(name: "Added", values: pad(days.map { $0.addedPoints > 0 ? $0.addedPoints : nil }), kind: .bars, color: "#d08a2a"),
                .init(name: "Removed", values: pad(days.map { $0.removedPoints > 0 ? $0.removedPoints : nil }), kind: .bars, color: "#8a8f98"),
                .init(name: "Ideal", values: days.map(\.idealPoints) + ahead.map(\.idealPoints), kind: .dashed, color: "#777777"),
                .init(name: "Remaining", values: pad(days.map(\.remainingPoints)), kind: .line, color: "#2f5bea"),
            ]
        )
    }
}

/// A team's sprints: plan the next one, see the overdue one, the calendar and the velocity.
struct TeamSprintsPage {
    let identity: Identity
    let csrf: String
    let data: TeamSprintsData
    var flash: Layout.Flash?

    var html: HTML {
        let product = data.access.product
        let canPlan = PermissionPolicy.decide(.runSprint(teamID: data.teamID), for: data.access.membership) == .allowed
        let canCalendar = PermissionPolicy.decide(.setTeamCalendar(teamID: data.teamID), for: data.access.membership) == .allowed
        var plan: [BodyNode] = [H.el("h2", ["id": "plan-heading"], text: "Plan a sprint")]
        if canPlan {
            plan.append(H.form(.teamSprints(data.teamID), csrf: csrf, class: "stack compact", label: "Plan a sprint") { [
                H.field("First day", name: "startDate", type: "date"),
                H.field("Last day (included; at most 28 days)", name: "endDate", type: "date"),
                H.textarea("Sprint Goal (can wait until the start)", name: "goal", rows: 2),
                H.button("Plan the sprint"),
            ] })
        } else {
            plan.append(H.el("p", ["class": "muted"], text: "The team's Scrum Master and Developers and the Product Owner plan sprints."))
        }
        let calendar = data.calendar
        var calendarBody: [BodyNode] = [
            H.el("h2", ["id": "calendar-heading"], text: "Working calendar"),
            H.el("p", text: "Time zone \(calendar.timeZone); working days \(calendar.workingWeekdays.map(\.title).joined(separator: ", ")). Today is \(calendar.today)."),
            calendar.nonWorkingDates.isEmpty ? H.el("p", ["class": "muted"], text: "No non-working dates.")
                : H.el("p", text: "Non-working: \(calendar.nonWorkingDates.joined(separator: ", "))"),
        ]
        if canCalendar {
            calendarBody.append(H.el("details", ["open": FormEcho.concerns(.teamCalendar(data.teamID)) ? "" : nil], [
                H.el("summary", text: "Change the calendar"),
                H.form(.teamCalendar(data.teamID), csrf: csrf, class: "stack compact", label: "Change the working calendar") { [
                    H.field("Time zone", name: "timeZone", value: calendar.timeZone),
                    H.el("fieldset", [H.el("legend", text: "Working weekdays")] + Weekday.allCases.map { day in
                        H.el("label", ["class": "check"], [
                            H.void("input", ["type": "checkbox", "name": "day-\(day.rawValue)", "value": "on", "checked": calendar.workingWeekdays.contains(day) ? "" : nil]),
                            .text(" \(day.title)"),
                        ])
                    }),
                    H.textarea("Non-working dates (one per line, like 2026-12-25)", name: "nonWorkingDates", value: calendar.nonWorkingDates.joined(separator: "\n"), rows: 3),
                    H.button("Save the calendar"),
                ] },
            ]))
        }
        return Layout(title: "\(data.teamName) sprints", identity: identity, csrf: csrf, flash: flash, header: data.access.headerNode, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / \(data.teamName) sprints")]),
            H.el("h1", text: "Sprints of \(data.teamName)"),
            H.el("div", ["class": "item-layout"], [
                H.el("section", ["class": "card", "aria-labelledby": "sprints-heading"], [
                    H.el("h2", ["id": "sprints-heading"], text: "Sprints"),
                    data.sprints.isEmpty ? H.el("p", ["class": "empty"], text: "No sprint yet.") : H.el("ul", ["class": "plain sprint-list"], data.sprints.map { sprint in
                        H.el("li", [
                            H.link(.sprint(sprint.id), "Sprint \(sprint.number)"),
                            .text(" · \(sprint.startDate) to \(sprint.endDate) · "),
                            H.el("span", ["class": "state \(sprint.state.rawValue)"], text: sprint.state.rawValue),
                            sprint.overdue ? H.el("span", ["class": "overdue"], text: " overdue: past its end, waiting to be closed") : .empty,
                            sprint.goal.map { H.el("p", ["class": "muted small"], text: $0) } ?? .empty,
                        ])
                    }),
                    H.el("h2", text: "Velocity"),
                    Charts.velocity(data.velocity.sprints, width: 480),
                    velocityTable,
                ]),
                H.el("div", [H.el("section", ["class": "card", "aria-labelledby": "plan-heading"], plan), H.el("section", ["class": "card", "aria-labelledby": "calendar-heading"], calendarBody)]),
            ]),
        ]).html
    }

    private var velocityTable: BodyNode {
        guard !data.velocity.sprints.isEmpty else { return .empty }
        // On a phone the table scrolls inside its own box (focusable, so keyboard users can scroll it too).
        return H.el("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": "Velocity per sprint"], [H.el("table", ["class": "figures"], [
            H.el("caption", ["class": "muted small"], text: "Committed at the start, added later, done, and carried over, per closed sprint."),
            H.el("thead", [H.el("tr", ["Sprint", "Committed", "Added", "Done", "Carried over", "Sprint Goal"].map { H.el("th", ["scope": "col"], text: $0) })]),
            H.el("tbody", data.velocity.sprints.map { sprint in
                // An imported sprint has only what was done in it: no commitment was frozen, no Sprint Goal judged.
                sprint.imported ? H.el("tr", ["class": "imported"], [
                    H.el("th", ["scope": "row"], [.text("\(sprint.number)"), H.el("span", ["class": "sprint-name"], text: sprint.externalName ?? "")]),
                    H.el("td", text: "–"), H.el("td", text: "–"), H.el("td", text: CapacityPlan.format(sprint.donePoints)), H.el("td", text: "–"),
                    H.el("td", text: "Imported"),
                ]) : H.el("tr", [
                    H.el("th", ["scope": "row"], text: "\(sprint.number)"),
                    H.el("td", text: CapacityPlan.format(sprint.committedPoints)), H.el("td", text: CapacityPlan.format(sprint.addedPoints)),
                    H.el("td", text: CapacityPlan.format(sprint.donePoints)),
                    H.el("td", text: "\(sprint.carriedOverItems) (\(CapacityPlan.format(sprint.carriedOverPoints)) points)"),
                    H.el("td", text: sprint.goalMet ? "Met" : "Missed"),
                ])
            }),
        ])])
    }
}

/// One sprint: planning while planned, the board while it runs, the summary once it ended.
struct SprintPage {
    let identity: Identity
    let csrf: String
    let data: SprintPageData
    var flash: Layout.Flash?

    var sprint: SprintDTO { data.sprint }
    var membership: ProductMembership { data.access.membership }
    func may(_ action: ProductAction) -> Bool { PermissionPolicy.decide(action, for: membership) == .allowed }
    var canChangeBacklog: Bool { may(.changeSprintBacklog(teamID: sprint.teamId, sprintRunning: sprint.state == .active)) }
    var canRun: Bool { may(.runSprint(teamID: sprint.teamId)) }

    var html: HTML {
        let product = data.access.product
        let title: String
        let body: [BodyNode]
        switch sprint.state {
        case .planned:
            title = "Sprint \(sprint.number) planning"
            body = [H.el("div", ["class": "item-layout"], [H.el("div", [commitmentSection, backlogSection]), H.el("div", [startSection, capacitySection, editSection])])]
        case .active:
            title = "Sprint \(sprint.number) board"
            body = [boardSection, H.el("div", ["class": "item-layout"], [H.el("div", [progressSection, addSection]), H.el("div", [closeSection, definitionOfDoneSection])])]
        case .closed, .cancelled:
            title = "Sprint \(sprint.number) summary"
            body = [summarySection]
        }
        return Layout(title: title, identity: identity, csrf: csrf, flash: flash, header: data.access.headerNode, liveProduct: product.id, content: [
            H.el("p", ["class": "crumbs"], [
                H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "),
                H.link(.teamSprints(sprint.teamId), "\(data.teamName) sprints"), .text(" / Sprint \(sprint.number)"),
            ]),
            H.el("h1", [.text(title + " "), H.el("span", ["class": "state \(sprint.state.rawValue)"], text: sprint.state.rawValue)]),
            H.el("p", ["class": "sprint-meta"], [
                .text("\(sprint.startDate) to \(sprint.endDate), \(sprint.workingDays) working days. "),
                H.el("strong", text: sprint.goal.map { "Sprint Goal: \($0)" } ?? "No Sprint Goal yet."),
                sprint.overdue ? H.el("span", ["class": "overdue", "role": "status"], text: " This sprint is past its end date and still open: close it when the team is ready.") : .empty,
            ]),
            H.el("p", [H.link(.sprintReview(sprint.id), "Sprint Review"), .text(" · "), H.link(.retrospective(sprint.id), "Retrospective")]),
        ] + body).html
    }

    // MARK: Planning

    private var commitmentSection: BodyNode {
        let planning = data.planning
        let capacity = planning.capacityPoints
        let ratio = capacity.map { $0 > 0 ? planning.committedPoints / $0 : 0 }
        var body: [BodyNode] = [H.el("h2", ["id": "commitment-heading"], text: "Commitment against capacity")]
        if let capacity, let ratio {
            body.append(H.el("meter", [
                "min": "0", "max": CapacityPlan.format(max(capacity * 1.5, planning.committedPoints)), "low": CapacityPlan.format(capacity * 0.9),
                "high": CapacityPlan.format(capacity * CapacityPlan.tolerance), "optimum": CapacityPlan.format(capacity * 0.8),
                "value": CapacityPlan.format(planning.committedPoints), "class": "capacity", "aria-label": "Committed points against capacity",
            ], text: "\(CapacityPlan.format(planning.committedPoints)) of \(CapacityPlan.format(capacity))"))
            body.append(H.el("p", ["class": "meter-words"], text: "\(CapacityPlan.format(planning.committedPoints)) points planned against a capacity of \(CapacityPlan.format(capacity)) points (\(Int((ratio * 100).rounded()))%)."))
        } else {
            body.append(H.el("p", ["class": "meter-words"], text: "\(CapacityPlan.format(planning.committedPoints)) points planned; no capacity figure yet."))
        }
        if planning.warning == "overcommitted" {
            body.append(H.el("p", ["class": "flash warning", "role": "status"], text: "Overcommitted: the plan is more than 110% of what the last three sprints support. Coach the team to a commitment it can keep, or take items out."))
        }
        body.append(H.el("p", ["class": "muted small"], text: planning.basis))
        return H.el("section", ["class": "card", "aria-labelledby": "commitment-heading"], body)
    }

    private var backlogSection: BodyNode {
        var body: [BodyNode] = [H.el("h2", ["id": "sprint-backlog-heading"], text: "Sprint Backlog (\(sprint.items.count) items)")]
        body.append(sprint.items.isEmpty ? H.el("p", ["class": "empty"], text: "Nothing planned yet.") : H.el("ul", ["class": "plain sprint-items"], sprint.items.map { item in
            H.el("li", [
                H.link(.item(item.ref), item.ref), .text(" \(item.title) · \(item.estimate.map { CapacityPlan.format($0) + " points" } ?? "no estimate")"),
                item.refinement == .ready ? .empty : H.el("span", ["class": "warning small"], text: " (\(item.refinement.rawValue), planned by override)"),
                canChangeBacklog ? H.form(.sprintItemRemove(sprint.id, itemID: item.id), csrf: csrf, class: "inline", label: "Take \(item.ref) out of the sprint") { [H.button("Take out", class: "link")] } : .empty,
            ])
        }))
        body.append(addForm)
        return H.el("section", ["class": "card", "aria-labelledby": "sprint-backlog-heading"], body)
    }

    /// Finding work to plan: a search over the whole backlog (so a 10,000-item backlog is never one long list), and a
    /// checklist of the first matches in backlog order that adds every ticked item at once.
    private var addForm: BodyNode {
        guard canChangeBacklog else { return H.el("p", ["class": "muted small"], text: sprint.state == .active ? "Once the sprint runs, the Developers change its backlog." : "The team's Developers and Scrum Master fill the Sprint Backlog.") }
        let search = H.el("form", ["method": "get", "action": SiteRoute.sprint(sprint.id).path + "#add-items", "class": "search-row", "role": "search", "aria-label": "Find items to plan"], [
            H.el("label", ["class": "field"], [
                H.el("span", text: "Find items by title or reference"),
                H.void("input", ["type": "search", "name": "q", "value": data.search, "placeholder": "e.g. checkout or \(data.access.product.key)-12"]),
            ]),
            H.button("Find", class: "button secondary"),
        ])
        guard !data.candidates.isEmpty else {
            return H.el("div", ["id": "add-items"], [search, H.el("p", ["class": "muted"], text: data.search.isEmpty ? "No open item to plan." : "No open item matches “\(data.search)”.")])
        }
        let shown = data.search.isEmpty ? "The first \(data.candidates.count) open items in backlog order" : "Open items matching “\(data.search)”, in backlog order"
        return H.el("div", ["id": "add-items"], [
            search,
            H.form(.sprintAction(sprint.id, .items), csrf: csrf, class: "stack compact", label: "Add items to the sprint") { [
                H.el("fieldset", ["class": "candidates"], [
                    H.el("legend", text: shown + (data.moreCandidates ? " (more match: narrow the search)" : "")),
                    H.el("ul", ["class": "plain"], data.candidates.map { item in
                        H.el("li", [H.el("label", ["class": "check"], [
                            H.void("input", ["type": "checkbox", "name": "itemIds", "value": item.id]),
                            H.el("span", [
                                H.el("span", ["class": "ref"], text: item.ref), .text(" \(item.title) "),
                                H.el("span", ["class": "pill points"], text: item.estimate.map { CapacityPlan.format($0) + " pt" } ?? "? pt"),
                                .text(" "),
                                H.el("span", ["class": "pill level \(item.refinement.rawValue)"], text: item.refinement.rawValue),
                            ]),
                        ])])
                    }),
                    H.message(for: "itemIds"),
                ]),
                H.el("label", ["class": "check"], [H.void("input", ["type": "checkbox", "name": "override", "value": "on"]), .text(" Plan them even though some are not ready")]),
                H.textarea("Why (required with the override; recorded)", name: "reason", rows: 2),
                H.button("Add the ticked items to the sprint"),
            ] },
        ])
    }

    private var addSection: BodyNode {
        H.el("section", ["class": "card", "aria-labelledby": "add-heading"], [H.el("h2", ["id": "add-heading"], text: "Add work"), addForm])
    }

    private var startSection: BodyNode {
        guard canRun else { return .empty }
        return H.el("section", ["class": "card", "aria-labelledby": "start-heading"], [
            H.el("h2", ["id": "start-heading"], text: "Start the sprint"),
            H.el("p", ["class": "muted small"], text: "Starting freezes the commitment: the items and points in the Sprint Backlog now. Later changes are recorded as added, removed or re-estimated."),
            H.form(.sprintAction(sprint.id, .start), csrf: csrf, class: "stack compact", label: "Start the sprint") { [
                H.textarea("Sprint Goal (required)", name: "goal", value: sprint.goal ?? "", rows: 2, required: true),
                H.button("Start sprint \(sprint.number)"),
            ] },
        ])
    }

    private var capacitySection: BodyNode {
        let developers = data.members.filter { $0.accountability == .developer }
        var body: [BodyNode] = [
            H.el("h2", ["id": "capacity-heading"], text: "Capacity"),
            H.el("p", text: "\(CapacityPlan.format(data.capacity.personDays)) person-days over \(data.capacity.workingDays) working days" + (data.capacity.source == "recorded" ? " (recorded)." : ", counting every Developer for every working day until capacity is recorded.")),
            data.capacity.focusFactor.map { focus in
                H.el("p", ["class": "muted small"], text: "Focus factor \(CapacityPlan.format(focus)) recorded as a note. Capacity does not use it: the team's usual focus is already inside the done points of its past sprints, which are compared with these days as entered.")
            } ?? .empty,
        ]
        if canRun && !developers.isEmpty {
            let recorded = Dictionary(uniqueKeysWithValues: data.capacity.members.map { ($0.userId, $0.daysAvailable) })
            body.append(H.form(.sprintAction(sprint.id, .capacity), csrf: csrf, class: "stack compact", label: "Record capacity") {
                developers.map { member in
                    H.field("\(member.name): days available", name: "days-\(member.id)", type: "number",
                            value: CapacityPlan.format(recorded[member.id] ?? Double(data.capacity.workingDays)), extra: ["min": "0", "max": "\(data.capacity.workingDays)", "step": "0.5"])
                } + [
                    H.field("Focus factor (0 to 1, optional; kept as a note, capacity does not use it)", name: "focusFactor", type: "number", value: data.capacity.focusFactor.map { String($0) }, required: false, extra: ["min": "0.05", "max": "1", "step": "0.05"]),
                    H.button("Save capacity"),
                ]
            })
        }
        return H.el("section", ["class": "card", "aria-labelledby": "capacity-heading"], body)
    }

    private var editSection: BodyNode {
        var body: [BodyNode] = []
        if canRun {
            body.append(H.el("details", ["open": FormEcho.concerns(.sprintAction(sprint.id, .edit)) ? "" : nil], [
                H.el("summary", text: "Change dates or goal"),
                H.form(.sprintAction(sprint.id, .edit), csrf: csrf, class: "stack compact", label: "Change the sprint's dates or goal") { [
                    H.field("First day", name: "startDate", type: "date", value: sprint.startDate),
                    H.field("Last day", name: "endDate", type: "date", value: sprint.endDate),
                    H.textarea("Sprint Goal", name: "goal", value: sprint.goal ?? "", rows: 2),
                    H.void("input", ["type": "hidden", "name": "version", "value": "\(sprint.version)"]),
                    H.button("Save", class: "button secondary"),
                ] },
            ]))
        }
        if may(.cancelSprint) { body.append(cancelForm) }
        return body.isEmpty ? .empty : H.el("section", ["class": "card", "aria-label": "Change or cancel the sprint"], body)
    }

    private var cancelForm: BodyNode {
        H.el("details", ["open": FormEcho.concerns(.sprintAction(sprint.id, .cancel)) ? "" : nil], [
            H.el("summary", text: "Cancel the sprint (Product Owner)"),
            H.form(.sprintAction(sprint.id, .cancel), csrf: csrf, class: "stack compact", label: "Cancel the sprint") { [
                H.textarea("Why the Sprint Goal became obsolete", name: "reason", rows: 2, required: true),
                H.button("Cancel sprint \(sprint.number)", class: "button danger"),
            ] },
        ])
    }

    // MARK: Board

    private var boardSection: BodyNode {
        let dod = data.access.product.definitionOfDoneItems
        let canMove = canChangeBacklog
        return H.el("section", ["class": "board", "aria-label": "Sprint board", "data-board": "", "data-can-move": canMove ? "true" : "false"], WorkState.allCases.map { state in
            let items = sprint.items.filter { ($0.workState ?? .todo) == state }
            return H.el("section", ["class": "column", "data-state": state.rawValue, "aria-labelledby": "column-\(state.rawValue)"], [
                H.el("h2", ["id": "column-\(state.rawValue)"], text: "\(state.title) (\(items.count))"),
                H.el("ul", ["class": "plain cards"], items.map { item in card(item, dod: dod, canMove: canMove) }),
            ])
        })
    }

    /// A card: what it is, who took it, and its own small forms (move to another column, take it or hand it back),
    /// each a button of its own so keyboard and no-script users do everything the drag does.
    private func card(_ item: SprintItemDTO, dod: [String], canMove: Bool) -> BodyNode {
        let state = item.workState ?? .todo
        let assignee = item.assigneeId.flatMap { id in data.members.first { $0.id == id } }
        var body: [BodyNode] = [
            H.el("p", [H.link(.item(item.ref), item.ref), .text(" "), H.el("span", ["class": "title"], text: item.title)]),
            H.el("p", ["class": "card-meta small"], [
                H.el("span", ["class": "pill points"], text: item.estimate.map { CapacityPlan.format($0) + " points" } ?? "no estimate"),
                .text(" "),
                assignee.map { H.el("span", ["class": "assignee", "data-assignee": $0.id], text: "Taken by \($0.name)") }
                    ?? H.el("span", ["class": "assignee muted"], text: "Nobody has taken it"),
            ]),
        ]
        var actions: [BodyNode] = []
        let mayAssign = may(.assignSprintWork(teamID: sprint.teamId))
        let isDeveloper = membership.isDeveloper(ofTeam: sprint.teamId)
        if mayAssign && state != .done {
            if isDeveloper && item.assigneeId != identity.user.id {
                actions.append(assignForm(item, to: "me", title: item.assigneeId == nil ? "Take it" : "Take it over", label: "Take \(item.ref)"))
            }
            if item.assigneeId != nil && (item.assigneeId == identity.user.id || !isDeveloper) {
                actions.append(assignForm(item, to: "", title: "Hand back", label: "Hand \(item.ref) back"))
            }
        }
        if canMove {
            for target in WorkState.allCases where target != state && target != .done {
                actions.append(H.form(.itemWork(item.id), csrf: csrf, class: "inline work-form", label: "Move \(item.ref) to \(target.title)", variant: target.rawValue) { [
                    H.void("input", ["type": "hidden", "name": "workState", "value": target.rawValue]),
                    H.void("input", ["type": "hidden", "name": "version", "value": "\(item.version)"]),
                    H.el("button", ["type": "submit", "class": "button small secondary", "data-target": target.rawValue], text: "Move to \(target.title)"),
                ] })
            }
        }
        if !actions.isEmpty { body.append(H.el("div", ["class": "card-actions"], actions)) }
        if canMove && state != .done {
            body.append(H.form(.itemWork(item.id), csrf: csrf, class: "stack compact work-form", label: "Move \(item.ref) to Done", variant: WorkState.done.rawValue) {
                var fields: [BodyNode] = [
                    H.void("input", ["type": "hidden", "name": "workState", "value": WorkState.done.rawValue]),
                    H.void("input", ["type": "hidden", "name": "version", "value": "\(item.version)"]),
                ]
                if !dod.isEmpty {
                    fields.append(H.el("fieldset", ["class": "dod"], [H.el("legend", ["class": "small"], text: "Definition of Done")] + dod.enumerated().map { index, text in
                        H.el("label", ["class": "check small"], [
                            H.void("input", ["type": "checkbox", "name": "done\(index)", "value": "on", "checked": index < item.doneChecks.count && item.doneChecks[index] ? "" : nil]),
                            .text(" \(text)"),
                        ])
                    } + [H.message(for: "workState")]))
                }
                fields.append(H.el("button", ["type": "submit", "class": "button small", "data-target": WorkState.done.rawValue], text: "Move to Done"))
                return fields
            })
        }
        return H.el("li", ["class": "card work", "id": "card-\(item.ref)", "data-id": item.id, "data-ref": item.ref, "data-state": state.rawValue,
                           "draggable": canMove ? "true" : nil, "tabindex": canMove ? "0" : nil,
                           "aria-label": "\(item.ref) \(item.title), \(state.title)" + (assignee.map { ", taken by \($0.name)" } ?? "")], body)
    }

    private func assignForm(_ item: SprintItemDTO, to assignee: String, title: String, label: String) -> BodyNode {
        H.form(.itemAssignee(item.id), csrf: csrf, class: "inline", label: label, variant: assignee.isEmpty ? "hand-back" : "take") { [
            H.void("input", ["type": "hidden", "name": "assigneeId", "value": assignee]),
            H.void("input", ["type": "hidden", "name": "version", "value": "\(item.version)"]),
            H.el("button", ["type": "submit", "class": "button small secondary"], text: title),
        ] }
    }

    private var progressSection: BodyNode {
        let figures = sprint.figures ?? SprintFigures()
        return H.el("section", ["class": "card", "aria-labelledby": "progress-heading"], [
            H.el("h2", ["id": "progress-heading"], text: "Progress"),
            figuresList(figures),
            Charts.burndown(data.record.days, whole: data.record.ideal),
        ])
    }

    private func figuresList(_ figures: SprintFigures) -> BodyNode {
        H.el("dl", ["class": "figures"], [
            ("Committed at the start", Self.amount(figures.committedPoints, figures.committedItems)),
            ("Added during the sprint", Self.amount(figures.addedPoints, figures.addedItems)),
            ("Removed", Self.amount(figures.removedPoints, figures.removedItems)),
            ("Re-estimated (net)", CapacityPlan.format(figures.reestimatedPoints) + " points"),
            ("Done", Self.amount(figures.donePoints, figures.doneItems)),
            ("Carried over", Self.amount(figures.carriedOverPoints, figures.carriedOverItems)),
        ].flatMap { [H.el("dt", text: $0.0), H.el("dd", text: $0.1)] })
    }

    /// Closing is for good, so it takes two deliberate steps: this form (the person says whether the Sprint Goal was
    /// met; nothing is chosen for them), then a confirmation that names what will happen (`SprintClosePage`).
    private var closeSection: BodyNode {
        guard canRun else { return .empty }
        let unfinished = sprint.items.filter { $0.workState != .done }
        let left = data.workingDaysLeft
        return H.el("section", ["class": "card", "aria-labelledby": "close-heading"], [
            H.el("h2", ["id": "close-heading"], text: "Close the sprint"),
            left > 0 ? H.el("p", ["class": "flash warning"], text: "The timebox is not over: \(left) working day\(left == 1 ? "" : "s") left (the last day is \(sprint.endDate)).") : .empty,
            H.el("p", ["class": "muted small"], text: unfinished.isEmpty ? "Every item is done."
                : "\(unfinished.count) unfinished item\(unfinished.count == 1 ? "" : "s") will be carried over and counted as such."),
            H.form(.sprintAction(sprint.id, .close), csrf: csrf, class: "stack compact", label: "Close the sprint") { [
                H.radios("Was the Sprint Goal met?", name: "goalMet", options: [("true", "Yes, the Sprint Goal was met"), ("false", "No, the Sprint Goal was missed")]),
                H.textarea("Note (what happened)", name: "note", rows: 2),
                H.select("Unfinished items go", name: "carryOver", options: [
                    ("top", "to the top of the Product Backlog"), ("bottom", "to the bottom of the Product Backlog"),
                    ("nextSprint", data.nextPlanned.map { "into sprint \($0.number), planned next" } ?? "into the next planned sprint (none planned yet)"),
                ]),
                H.button("Review the close…", class: "button secondary"),
            ] },
        ] + (may(.cancelSprint) ? [cancelForm] : []))
    }

    private var definitionOfDoneSection: BodyNode {
        let dod = data.access.product.definitionOfDoneItems
        var body: [BodyNode] = [
            H.el("h2", ["id": "dod-heading"], text: "Definition of Done"),
            dod.isEmpty ? H.el("p", ["class": "empty"], text: "No Definition of Done yet.") : H.el("ol", dod.map { H.el("li", text: $0) }),
        ]
        if may(.setProductDirection) {
            body.append(H.el("details", ["open": FormEcho.concerns(.definitionOfDone(data.access.product.id)) ? "" : nil], [
                H.el("summary", text: "Edit the Definition of Done"),
                H.form(.definitionOfDone(data.access.product.id), csrf: csrf, class: "stack compact", label: "Edit the Definition of Done") { [
                    H.textarea("One condition per line", name: "items", value: dod.joined(separator: "\n"), rows: 4),
                    H.void("input", ["type": "hidden", "name": "sprintId", "value": sprint.id]),
                    H.button("Save", class: "button secondary"),
                ] },
            ]))
        }
        return H.el("section", ["class": "card", "aria-labelledby": "dod-heading"], body)
    }

    // MARK: Summary

    private var summarySection: BodyNode {
        let figures = sprint.figures ?? SprintFigures()
        let outcome: BodyNode = sprint.state == .cancelled
            ? H.el("p", ["class": "outcome declined"], text: "Cancelled by the Product Owner: \(sprint.closeNote ?? "")")
            : H.el("p", [
                H.el("span", ["class": "outcome \(sprint.goalMet == true ? "accepted" : "declined")"], text: sprint.goalMet == true ? "Sprint Goal met" : "Sprint Goal missed"),
                sprint.closeNote.flatMap { $0.isEmpty ? nil : H.el("span", text: ": “\($0)”") } ?? .empty,
            ])
        let done = sprint.items.filter { $0.workState == .done || $0.status == .done }
        return H.el("div", ["class": "item-layout"], [
            H.el("section", ["class": "card", "aria-labelledby": "summary-heading"], [
                H.el("h2", ["id": "summary-heading"], text: "Outcome"),
                outcome,
                figuresList(figures),
                H.el("p", ["class": "muted small"], text: "These figures were frozen when the sprint ended; later changes to its items do not rewrite them."),
                H.el("h3", text: "Done in this sprint"),
                done.isEmpty ? H.el("p", ["class": "empty"], text: "Nothing was done.") : H.el("ul", ["class": "plain"], done.map { H.el("li", [H.link(.item($0.ref), $0.ref), .text(" \($0.title)")]) }),
            ]),
            H.el("section", ["class": "card", "aria-labelledby": "record-heading"], [
                H.el("h2", ["id": "record-heading"], text: "Burndown and record"),
                Charts.burndown(data.record.days),
                H.el("ol", ["class": "plain record"], data.record.events.map { event in
                    H.el("li", text: "\(event.day): \(event.ref) \(Self.words(event.kind)) (\(CapacityPlan.format(event.points)) points)\(event.note.map { ", “\($0)”" } ?? "")")
                }),
            ]),
        ])
    }

    static func amount(_ points: Double, _ items: Int) -> String {
        "\(CapacityPlan.format(points)) \(points == 1 ? "point" : "points"), \(items) \(items == 1 ? "item" : "items")"
    }

    static func words(_ kind: SprintEventKind) -> String {
        switch kind {
        case .committed: "committed at the start"
        case .added: "added"
        case .removed: "removed"
        case .reestimated: "re-estimated"
        case .done: "done"
        case .reopened: "reopened"
        case .carriedOver: "carried over"
        }
    }
}

/// The second step of closing: what will happen, said before it happens, with the one button that does it.
struct SprintClosePage {
    let identity: Identity
    let csrf: String
    let data: SprintPageData
    let closing: SprintClosing

    var html: HTML {
        let sprint = data.sprint
        let product = data.access.product
        let unfinished = sprint.items.filter { $0.workState != .done }
        let done = sprint.items.filter { $0.workState == .done }
        let points = { (items: [SprintItemDTO]) in CapacityPlan.format(items.compactMap(\.estimate).reduce(0, +)) }
        let destination: String
        switch closing.carryOver {
        case .top: destination = "to the top of the Product Backlog"
        case .bottom: destination = "to the bottom of the Product Backlog"
        case .nextSprint: destination = data.nextPlanned.map { "into sprint \($0.number)" } ?? "into the next planned sprint"
        }
        let left = data.workingDaysLeft
        var consequences: [BodyNode] = [
            H.el("li", text: closing.goalMet ? "The Sprint Goal is recorded as met." : "The Sprint Goal is recorded as missed."),
            H.el("li", text: "\(done.count) done item\(done.count == 1 ? "" : "s") (\(points(done)) points) make the sprint's velocity."),
        ]
        if unfinished.isEmpty {
            consequences.append(H.el("li", text: "Nothing is carried over: every item is done."))
        } else {
            consequences.append(H.el("li", [
                .text("\(unfinished.count) unfinished item\(unfinished.count == 1 ? "" : "s") (\(points(unfinished)) points) go \(destination): "),
                H.el("span", text: unfinished.map { "\($0.ref) \($0.title)" }.joined(separator: "; ")),
            ]))
        }
        consequences.append(H.el("li", text: "The sprint's figures (committed, added, removed, done, carried over) freeze; later changes to its items never rewrite them. Closing cannot be undone."))
        return Layout(title: "Close sprint \(sprint.number)?", identity: identity, csrf: csrf, header: data.access.headerNode, content: [
            H.el("p", ["class": "crumbs"], [
                H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "),
                H.link(.sprint(sprint.id), "Sprint \(sprint.number)"), .text(" / Close"),
            ]),
            H.el("h1", text: "Close sprint \(sprint.number) for good?"),
            H.el("section", ["class": "card narrow-wide", "aria-labelledby": "consequences-heading"], [
                H.el("h2", ["id": "consequences-heading"], text: "What closing does"),
                left > 0 ? H.el("p", ["class": "flash warning", "role": "status"],
                                text: "The timebox is not over: \(left) working day\(left == 1 ? "" : "s") left, the last day is \(sprint.endDate). Close early only if the team agrees the sprint is over.") : .empty,
                H.el("ul", ["class": "consequences"], consequences),
                closing.note.isEmpty ? .empty : H.el("p", ["class": "rationale"], text: "Note: \(closing.note)"),
                H.form(.sprintAction(sprint.id, .close), csrf: csrf, class: "inline", label: "Confirm closing the sprint") { [
                    H.void("input", ["type": "hidden", "name": "goalMet", "value": closing.goalMet ? "true" : "false"]),
                    H.void("input", ["type": "hidden", "name": "note", "value": closing.note]),
                    H.void("input", ["type": "hidden", "name": "carryOver", "value": closing.carryOver.rawValue]),
                    H.void("input", ["type": "hidden", "name": "confirm", "value": "yes"]),
                    H.button("Close sprint \(sprint.number)"),
                ] },
                .text(" "),
                H.link(.sprint(sprint.id), "Not yet: back to the board", class: "button secondary"),
            ]),
        ]).html
    }
}
