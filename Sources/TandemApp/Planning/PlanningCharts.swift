import Foundation
import Hummingbird
import TandemCore

/// The planning charts: the release burnup with its forecast cone and the forecast histogram with its levels.
enum PlanningCharts {
    /// Done and total scope per closed sprint; after the last, the forecast: the median line and a cone down to what
    /// 85% of trials deliver, with the 50/85/95% finishing sprints marked.
    static func burnup(_ burnup: BurnupDTO, cone: [(median: Double, low: Double)], id: String = "burnup") -> Chart {
        let past = burnup.sprints
        let future = cone.count
        let last = past.last
        let categories = past.map { "\($0.number)" } + (0..<future).map { "+\($0 + 1)" }
        var markers: [Chart.Marker] = []
        if let forecast = burnup.forecast, !past.isEmpty {
            for level in Forecasting.levels {
                if let sprints = forecast.percentiles[String(level)], sprints >= 1 {
                    markers.append(.init(at: Double(past.count - 1) + sprints, label: "\(level)%: \(forecast.dates[String(level)] ?? "")"))
                }
            }
        }
        // The cone starts at the last sprint's done points and fans out after it.
        let lead: [Double?] = past.dropLast().map { _ in nil } + [last?.donePoints]
        let median: [Double?] = lead + cone.map { Optional($0.median) }
        let low: [Double?] = lead + cone.map { Optional($0.low) }
        // The scope now: items that joined the release since the last close count too.
        let now = burnup.scopePointsNow
        let scope: [Double?] = past.map { Optional($0.scopePoints) } + cone.map { _ in now }
        let done: [Double?] = past.map { Optional($0.donePoints) } + cone.map { _ in nil }
        let series: [Chart.Series] = [
            .init(name: "Forecast cone (median to 85% sure)", values: median, kind: .band(lower: low), color: "#2f5bea"),
            .init(name: "Total scope", values: scope, kind: .dashed, color: "#b5590f"),
            .init(name: "Done", values: done, kind: .line, color: "#2f8f5b"),
        ]
        return Chart(id: id, title: "Release \(burnup.name): done and total scope per sprint, with the forecast", xAxis: "Sprint (+n: sprints from now)",
                     yAxis: "Points", categories: categories, series: series, markers: markers)
    }

    /// How the trials fell, with the 50/85/95% levels marked.
    static func histogram(_ forecast: ForecastDTO) -> Chart {
        let unit = forecast.mode == .when ? "Sprints needed" : forecast.unit == "items" ? "Items done" : "Points done"
        let values = forecast.histogram.map(\.value)
        return Chart(
            id: "forecast-histogram", title: "Forecast: how \(Chart.number(Double(forecast.trials))) trials fell", xAxis: unit, yAxis: "Trials",
            categories: values.map(Chart.number),
            series: [.init(name: "Trials", values: forecast.histogram.map { Double($0.trials) }, kind: .bars, color: "#2f5bea")],
            markers: Forecasting.levels.compactMap { level in
                guard let figure = forecast.percentiles[String(level)] else { return nil }
                let index = values.lastIndex { $0 <= figure } ?? 0
                return Chart.Marker(at: Double(index), label: "\(level)%: \(Chart.number(figure))")
            }
        )
    }

    /// The cone after the last sprint: for each sprint to the 95% level, what half and what 85% of trials deliver.
    static func cone(_ burnup: BurnupDTO) -> [(median: Double, low: Double)] {
        guard let forecast = burnup.forecast, let last = burnup.sprints.last, let far = forecast.percentiles["95"], far >= 1 else { return [] }
        let velocities = forecast.basis.sprints.map(\.value)
        let total = burnup.scopePointsNow
        return (1...Int(min(far, 30))).compactMap { sprints in
            // try?: a horizon the forecast refuses draws no cone point; the chart says so in its note.
            guard let result = try? Forecasting.howMuch(velocities: velocities, sprints: sprints, trials: 2_000, seed: forecast.seed) else { return nil }
            return (min(last.donePoints + (result.percentiles[50] ?? 0), total), min(last.donePoints + (result.percentiles[85] ?? 0), total))
        }
    }

    /// The charts with an address of their own, served the same at `/api/v1/…` (token) and at the page path (session).
    enum Addressed {
        case velocity(teamID: String)
        case burndown(sprintID: String)
        case burnup(releaseID: String, teamID: String?)
        case histogram(forecastID: String)

        static func register(on router: some RouterMethods<TandemRequestContext>, prefix: String,
                             identity: @escaping @Sendable (TandemRequestContext) throws -> Identity,
                             planning: PlanningService, sprints: SprintService) {
            let routes: [(String, @Sendable (Request, TandemRequestContext) throws -> Addressed)] = [
                ("teams/:teamId/velocity.svg", { _, context in .velocity(teamID: try context.parameter("teamId")) }),
                ("sprints/:sprintId/burndown.svg", { _, context in .burndown(sprintID: try context.parameter("sprintId")) }),
                ("releases/:releaseId/burnup.svg", { request, context in .burnup(releaseID: try context.parameter("releaseId"), teamID: try PlanningAPI.teamID(request)) }),
                ("forecasts/:forecastId/histogram.svg", { _, context in .histogram(forecastID: try context.parameter("forecastId")) }),
            ]
            for (path, chart) in routes {
                router.get(RouterPath(prefix + path)) { request, context -> Response in
                    let userID = try identity(context).user.id
                    return svgResponse(try await chart(request, context).chart(userID: userID, planning: planning, sprints: sprints))
                }
            }
        }

        func chart(userID: String, planning: PlanningService, sprints: SprintService) async throws -> Chart {
            switch self {
            case .velocity(let teamID): return Charts.velocityChart(try await sprints.velocity(teamID: teamID, userID: userID).sprints)
            case .burndown(let sprintID): return Charts.burndownChart(try await planning.burndown(sprintID: sprintID, userID: userID).days)
            case .burnup(let releaseID, let teamID):
                let burnup = try await planning.burnup(releaseID: releaseID, teamID: teamID, userID: userID)
                return PlanningCharts.burnup(burnup, cone: PlanningCharts.cone(burnup))
            case .histogram(let forecastID): return PlanningCharts.histogram(try await planning.journal.forecast(forecastID, userID: userID))
            }
        }
    }

    static func svgResponse(_ chart: Chart) -> Response {
        Response(status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: chart.svg(standalone: true))))
    }
}
