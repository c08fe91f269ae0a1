import Foundation
import Hummingbird
import SQLKit
import TandemCore

/// The planning page of a product (velocity, release burnups with their forecasts, the forecast form and journal) and
/// every chart at its page address for the session's images.
struct PlanningWeb: Sendable {
    let web: WebPages
    let planning: PlanningService
    let sprints: SprintService

    /// The table of contents: each page route and the handler that answers it (under "Handlers").
    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.Pattern.planning), use: showPlanning)
        router.post(RouterPath(SiteRoute.Pattern.planningForecast), use: makeForecast)
        router.get(RouterPath(SiteRoute.Pattern.release), use: showRelease)
        PlanningCharts.Addressed.register(on: router, prefix: "/", identity: { try web.requireLogin($0) }, planning: planning, sprints: sprints)
    }

    func releasePage(_ releaseID: String, identity: Identity, teamID requested: String?) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let data = try await planning.releasePageData(releaseID: releaseID, userID: identity.user.id)
        let teamID = requested ?? data.teams.first?.id
        let burnup = try await teamID.asyncMap { try await planning.burnup(releaseID: releaseID, teamID: $0, userID: identity.user.id) }
        let journal = try await planning.journal.list(productID: data.release.productID, userID: identity.user.id).items.filter { $0.releaseId == releaseID }
        return { csrf, flash in ReleasePage(identity: identity, csrf: csrf, data: data, teamID: teamID, burnup: burnup, journal: journal, flash: flash).html }
    }

    func page(_ productID: String, identity: Identity, shown: String?) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let data = try await planning.pageData(productID: productID, userID: identity.user.id)
        let journal = try await planning.journal.list(productID: productID, userID: identity.user.id)
        // Every open release's burnup, per team when the product has several.
        var burnups: [(team: String?, burnup: BurnupDTO)] = []
        for release in data.releases {
            for team in data.teams {
                burnups.append((data.teams.count > 1 ? team.name : nil, try await planning.burnup(releaseID: release.id, teamID: team.id, userID: identity.user.id)))
            }
        }
        var velocities: [PlanningPage.TeamPace] = []
        for team in data.teams {
            let velocity = try await sprints.velocity(teamID: team.id, userID: identity.user.id)
            // The team's own track record, from the closed sprints the velocity already holds.
            let record = TrackRecordDTO(TrackRecord.of(velocity.sprints.map(\.donePoints), horizon: 3), sprintNumbers: velocity.sprints.map(\.number))
            velocities.append(.init(name: team.name, velocity: velocity, trackRecord: record))
        }
        let shownForecast = try await shown.asyncMap { try await planning.journal.forecast($0, userID: identity.user.id) }
        let chosen = (burnups, velocities)
        return { csrf, flash in
            PlanningPage(identity: identity, csrf: csrf, data: data, burnups: chosen.0, velocities: chosen.1, journal: journal, shown: shownForecast, flash: flash).html
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

/// What the planning page reads besides the charts: the caller's access, the teams and the open releases.
struct PlanningPageData: Sendable {
    let access: ProductAccess
    let teams: [(id: String, name: String)]
    let releases: [(id: String, name: String, targetDate: String?)]
}

extension PlanningService {
    func pageData(productID: String, userID: String) async throws -> PlanningPageData {
        try await database.read { db in
            let access = try await ProductService.access(productID: productID, userID: userID, header: true, on: db)
            let teams = try await db.select().columns("id", "name").from("teams").where("product_id", .equal, productID).orderBy("name").all()
                .map { (id: try $0.decode(column: "id", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
            let releases = try await db.select().columns("id", "name", "target_date").from("releases").where("product_id", .equal, productID)
                .where("state", .notEqual, "released").orderBy("created_at").all()
                .map { row in (id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                               targetDate: try row.decodeNil(column: "target_date") ? nil : try row.decode(column: "target_date", as: String.self)) }
            return PlanningPageData(access: access, teams: teams, releases: releases)
        }
    }
}

// MARK: Handlers

extension PlanningWeb {
    @Sendable func showPlanning(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await page(try context.parameter("productId"), identity: identity, shown: request.uri.queryParameters["forecast"].map(String.init))
        return try await web.page(request, context) { csrf in model(csrf, nil) }
    }

    @Sendable func makeForecast(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await web.formAction(request, context, reshow: { try await page(productID, identity: identity, shown: nil) }) { form in
            var input = ForecastInput(mode: form["mode"])
            input.releaseId = form["releaseId"].isEmpty ? nil : form["releaseId"]
            input.unit = form["unit"].isEmpty ? nil : form["unit"]
            if !form["remainingPoints"].isEmpty {
                guard let remaining = Double(form["remainingPoints"]) else { throw DomainError.invalid(field: "remainingPoints", "must be a number") }
                if input.unit == "items" { input.remainingItems = remaining } else { input.remainingPoints = remaining }
            }
            if !form["splitLow"].isEmpty || !form["splitHigh"].isEmpty {
                guard let low = Double(form["splitLow"]), let high = Double(form["splitHigh"]) else {
                    throw DomainError.invalid(field: "splitRate", "needs both a low and a high number")
                }
                input.splitRate = Forecasting.SplitRate(low: low, high: high)
            }
            input.byDate = form["byDate"].isEmpty ? nil : form["byDate"]
            input.teamId = form["teamId"].isEmpty ? nil : form["teamId"]
            input.scopeGrowth = form["scopeGrowth"] == "on"
            input.save = true
            let forecast = try await planning.forecast(productID: productID, input: input, actorID: identity.user.id)
            return HTMLResponse.redirect(to: SiteRoute.planning(productID).path + "?forecast=\(forecast.id ?? "")#forecast")
        }
    }

    @Sendable func showRelease(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await releasePage(try context.parameter("releaseId"), identity: identity, teamID: try PlanningAPI.teamID(request))
        return try await web.page(request, context) { csrf in model(csrf, nil) }
    }
}
