import Foundation
import Hummingbird
import TandemCore

/// Burndown, burnup, forecasts and the forecast journal, and each chart at its own `.svg` address.
struct PlanningAPI: Sendable {
    let planning: PlanningService
    let sprints: SprintService

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        PlanningCharts.Addressed.register(on: api, prefix: "", identity: { try $0.requireIdentity() }, planning: planning, sprints: sprints)
        api.get("sprints/:sprintId/burndown", use: getBurndown)
        api.get("releases/:releaseId/burnup", use: getBurnup)
        api.post("products/:productId/forecasts", use: createForecast)
        api.get("teams/:teamId/forecast-track-record", use: getForecastTrackRecord)
        api.get("products/:productId/forecasts", use: getForecasts)
    }

    /// The optional `teamId` filter: empty or left out means the product's only team.
    static func teamID(_ request: Request) throws -> String? {
        guard let raw = request.uri.queryParameters["teamId"], !raw.isEmpty else { return nil }
        guard raw.count <= 200 else { throw DomainError.invalid(field: "teamId", "is too long") }
        return String(raw)
    }
}

// MARK: Handlers

extension PlanningAPI {
    @Sendable func getBurndown(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await planning.burndown(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
    }

    @Sendable func getBurnup(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await planning.burnup(releaseID: try context.parameter("releaseId"), teamID: try Self.teamID(request), userID: identity.user.id))
    }

    @Sendable func createForecast(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ForecastInput.self, from: request)
        let forecast = try await planning.forecast(productID: try context.parameter("productId"), input: input, actorID: identity.user.id)
        return try JSONBody.response(forecast, status: forecast.id == nil ? .ok : .created)
    }

    @Sendable func getForecastTrackRecord(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let raw = request.uri.queryParameters["horizon"].map(String.init) ?? "3"
        let horizon = Int(try WholeNumberRule(1...6).validated(raw, field: "horizon"))
        return try JSONBody.response(try await planning.trackRecord(teamID: try context.parameter("teamId"), horizon: horizon, userID: identity.user.id))
    }

    @Sendable func getForecasts(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await planning.journal.list(productID: try context.parameter("productId"), userID: identity.user.id))
    }
}
