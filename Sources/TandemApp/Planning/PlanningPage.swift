import Foundation
import TandemCore

/// Empirical planning for a product: each team's velocity, each open release's burnup with its forecast, a forecast
/// on demand, and the journal that shows how far the team's forecasts have held.
struct PlanningPage {
    let identity: Identity
    let csrf: String
    let data: PlanningPageData
    /// One team's pace: its velocity and how its forecasts would have fared on its own history.
    struct TeamPace: Sendable {
        let name: String
        let velocity: VelocityDTO
        let trackRecord: TrackRecordDTO
    }

    let burnups: [(team: String?, burnup: BurnupDTO)]
    let velocities: [TeamPace]
    let journal: ForecastJournalDTO
    let shown: ForecastDTO?
    var flash: Layout.Flash?

    var html: HTML {
        let product = data.access.product
        return Layout(title: "\(product.key) planning", identity: identity, csrf: csrf, flash: flash, header: data.access.headerNode, content: [
            H.el("p", ["class": "crumbs"], [H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / Planning")]),
            H.el("h1", text: "Empirical planning for \(product.name)"),
            H.el("p", ["class": "muted"], text: "Forecasts sample the team's own closed sprints many times over and say how sure each date is; the journal shows how often past forecasts held."),
            H.el("details", ["class": "method"], [
                H.el("summary", text: "How the forecasts are made, and why their 85% deserves its name"),
                H.el("p", text: "Each of the 10,000 trials first leans on some of the team's past sprints more than on others (a run of busy sprints, or of quiet ones), then draws the sprints ahead from its history with that lean. Real teams have such runs: holidays, a hard problem, a good stretch. Drawing every sprint independently, as forecasts often do, forgets them, and its 85% promise over three or six sprints then held only about three times in four on 39 open-source projects' weekly histories; with the lean it held 85 to 88 times in 100."),
                H.el("p", text: "“When” levels are sprints needed (85%: that share of trials finished within them). “How much” levels are floors (85%: that share of trials delivered at least that much). Below, each team's track record says how often the levels held on its own past sprints."),
            ]),
            H.el("section", ["class": "card", "aria-labelledby": "velocity-heading"], [H.el("h2", ["id": "velocity-heading"], text: "Velocity")] + velocities.enumerated().flatMap { index, team in
                let summary = team.velocity.summary
                return [
                    H.el("h3", text: team.name),
                    Charts.velocity(team.velocity.sprints, id: index == 0 ? "velocity" : "velocity-\(index + 1)"),
                    H.el("p", ["class": "muted small"], text: summary.medianDonePoints.map { median in
                        "Median \(Chart.number(median)) points over the last \(summary.sprints) sprints (from \(Chart.number(summary.lowestDonePoints ?? 0)) to \(Chart.number(summary.highestDonePoints ?? 0)))"
                            + (summary.sayDoRatio.map { "; say/do \(Chart.number($0))%." } ?? ".")
                    } ?? "No closed sprint yet."),
                ]
            }),
            trackRecordSection,
            releasesSection,
            forecastSection,
            journalSection,
        ]).html
    }

    /// Each team's forecasts set against its own history: how often each level would have held.
    private var trackRecordSection: BodyNode {
        H.el("section", ["class": "card", "aria-labelledby": "track-heading"], [H.el("h2", ["id": "track-heading"], text: "Track record: how the forecasts would have fared")]
            + velocities.flatMap { team -> [BodyNode] in
                let record = team.trackRecord
                let judged = record.levels.first?.of ?? 0
                return [
                    velocities.count > 1 ? H.el("h3", text: team.name) : .empty,
                    H.el("p", text: record.basis),
                    judged == 0 ? .empty : H.el("ul", ["class": "track-record"], record.levels.map { level in
                        H.el("li", [H.el("strong", text: "\(level.level)% level: "), .text("met \(level.met) of \(level.of) (\(Int((Double(level.met) / Double(level.of) * 100).rounded()))%)")])
                    }),
                ]
            } + [H.el("p", ["class": "muted small"], text: journal.calibration.known == 0 ? "No saved forecast has met its outcome yet; the journal below will say how the saved ones held."
                : "The journal below says how the \(journal.calibration.known) saved forecasts with a known outcome held.")])
    }

    private var releasesSection: BodyNode {
        var body: [BodyNode] = [H.el("h2", ["id": "releases-heading"], text: "Releases")]
        if data.releases.isEmpty { body.append(H.el("p", ["class": "empty"], text: "No open release.")) }
        for (index, entry) in burnups.enumerated() {
            let burnup = entry.burnup
            body.append(H.el("h3", [H.link(.release(burnup.releaseId), burnup.name), entry.team.map { H.el("span", ["class": "muted small"], text: " · \($0)") } ?? .empty]))
            body.append(burnup.sprints.isEmpty ? H.el("p", ["class": "empty"], text: "No closed sprint yet.") : PlanningCharts.burnup(burnup, cone: PlanningCharts.cone(burnup), id: index == 0 ? "burnup" : "burnup-\(index + 1)").figure)
            if let forecast = burnup.forecast {
                body.append(H.el("p", ["class": "forecast-levels"], text: "Done by " + Forecasting.levels.map { level in
                    "\(forecast.dates[String(level)] ?? "?") (\(level)% sure)"
                }.joined(separator: ", ") + ": \(Chart.number(forecast.remaining ?? 0)) points remain."))
            } else if let note = burnup.forecastNote {
                body.append(H.el("p", ["class": "muted"], text: note))
            }
        }
        return H.el("section", ["class": "card", "aria-labelledby": "releases-heading"], body)
    }

    private var forecastSection: BodyNode {
        var body: [BodyNode] = [
            H.el("h2", ["id": "forecast-heading"], text: "Forecast"),
            H.form(.planningForecast(data.access.product.id), csrf: csrf, class: "stack compact", label: "Run a forecast") { [
                H.select("Question", name: "mode", options: [("when", "When will it be done?"), ("howMuch", "How much by a date?")], selected: "when"),
                H.select("Release (for “when”)", name: "releaseId", options: [("", "None: use the points below")] + data.releases.map { ($0.id, $0.name) }),
                H.field("Remaining points or items (without a release)", name: "remainingPoints", type: "number", required: false),
                H.select("Count", name: "unit", options: [("points", "Points (velocity)"), ("items", "Items (throughput, for teams that do not estimate)")], selected: "points"),
                H.field("By date (for “how much”)", name: "byDate", type: "date", required: false),
                data.teams.count > 1 ? H.select("Team", name: "teamId", options: data.teams.map { ($0.id, $0.name) }) : .empty,
                H.el("label", ["class": "check"], [H.void("input", ["type": "checkbox", "name": "scopeGrowth", "value": "on"]), .text(" Sample the release's scope growth too")]),
                H.el("fieldset", [
                    H.el("legend", text: "Split rate: items grow as they are split while refined (optional, 1 to 10)"),
                    H.field("Low", name: "splitLow", type: "number", required: false),
                    H.field("High", name: "splitHigh", type: "number", required: false),
                ]),
                H.button("Forecast and keep it in the journal"),
            ] },
        ]
        if let shown {
            body.append(H.el("div", ["id": "forecast"], [
                H.el("h3", text: shown.about ?? (shown.mode == .when ? "When" : "How much")),
                H.el("p", ["class": "forecast-levels"], text: Forecasting.levels.map { level in
                    let figure = Chart.number(shown.percentiles[String(level)] ?? 0)
                    return shown.mode == .when ? "\(level)%: within \(figure) sprints (\(shown.dates[String(level)] ?? ""))"
                        : "\(level)%: at least \(figure) \(shown.unit)" + (shown.horizonEnd.map { " by \($0)" } ?? "")
                }.joined(separator: " · ")),
                shown.mode == .howMuch ? H.el("p", ["class": "muted small"], text: Self.howMuchReading) : .empty,
                PlanningCharts.histogram(shown).figure,
                H.el("p", ["class": "muted small"], text: "Sampled sprints \(shown.basis.sprints.map { "\($0.number)" }.joined(separator: ", ")); \(Chart.number(Double(shown.trials))) trials, seed \(shown.seed)."),
            ]))
        }
        return H.el("section", ["class": "card", "aria-labelledby": "forecast-heading"], body)
    }

    /// Why a "how much" forecast's 85% figure is below its 50% one: each is a floor that share of trials reached.
    static let howMuchReading = "“How much” levels are floors: at least that much was done in that share of trials, so the 85% figure is below the 50% one; it is the safer promise."

    private var journalSection: BodyNode {
        let calibration = journal.calibration
        return H.el("section", ["class": "card", "aria-labelledby": "journal-heading"], [
            H.el("h2", ["id": "journal-heading"], text: "Forecast journal"),
            H.el("p", text: calibration.known == 0 ? "No saved forecast has met its outcome yet."
                : "Of \(calibration.known) forecasts with a known outcome, \(calibration.within["85"] ?? 0) fell within the 85% level (\(Chart.number((calibration.share["85"] ?? nil) ?? 0))%)."),
            journal.items.isEmpty ? H.el("p", ["class": "empty"], text: "No forecast saved yet.") : H.el("div", ["class": "table-scroll", "tabindex": "0", "role": "region", "aria-label": "Forecast journal"], [
                H.el("table", ["class": "figures"], [
                    H.el("caption", ["class": "muted small"], text: "“When” levels are sprints needed: the 85% figure is at or above the 50% one. " + Self.howMuchReading),
                    H.el("thead", [H.el("tr", ["Made", "Question", "50%", "85%", "95%", "Outcome"].map { H.el("th", ["scope": "col"], text: $0) })]),
                    H.el("tbody", journal.items.prefix(30).map { entry in
                        H.el("tr", [
                            H.el("td", [H.el("a", ["href": SiteRoute.planning(data.access.product.id).path + "?forecast=\(entry.id)#forecast"],
                                             text: WorkingCalendar().today(atMillis: Int64(entry.createdAt.timeIntervalSince1970 * 1000)).description)]),
                            H.el("td", text: entry.about + (entry.mode == .when ? " (sprints)" : " (\(entry.unit))")),
                            H.el("td", text: Chart.number(entry.percentiles["50"] ?? 0)), H.el("td", text: Chart.number(entry.percentiles["85"] ?? 0)),
                            H.el("td", text: Chart.number(entry.percentiles["95"] ?? 0)),
                            H.el("td", text: entry.outcome.map { "\(Chart.number($0.value)): " + ($0.within["85"] == true ? "within 85%" : "outside 85%") } ?? "Waiting"),
                        ])
                    }),
                ]),
            ]),
        ])
    }
}
