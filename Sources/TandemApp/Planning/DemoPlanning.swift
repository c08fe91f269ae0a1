import Foundation
import SQLKit
import TandemCore

/// The demo's planning: release 1.0 holds the sprints' work and the top of the backlog, so its burnup shows scope
/// growing and its forecast a cone; forecasts saved at past closes (on the walking clock, from the sprints closed by
/// then) have met their outcomes, so the journal shows a calibration.
enum DemoPlanning {
    static let releaseName = "1.0: forecasts you can trust"

    /// The release, created once; nil when the demo already had its sprints (then nothing is re-seeded).
    static func release(productID: String, services: TandemServices, people: [String: String]) async throws -> String? {
        guard let po = people["po@tandem.demo"] else { return nil }
        let existing = try await services.direction.releases(productID: productID, userID: po)
        guard existing.isEmpty else { return nil }
        let today = WorkingCalendar().today(atMillis: services.stamps.now())
        return try await services.direction.createRelease(productID: productID, name: releaseName, targetDate: today.adding(days: 49).description, actorID: po).id
    }

    /// After each past close from the third: a "how much in the next two sprints" forecast, and after the fourth a
    /// "when" for 60 points, saved by the Scrum Master or the Product Owner.
    static func afterClose(number: Int, stamps: Stamps, productID: String, teamID: String, people: [String: String], services: TandemServices) async throws {
        guard number >= 3, number <= 6, let po = people["po@tandem.demo"], let sm = people["sm@tandem.demo"] else { return }
        let planning = PlanningService(database: services.database, stamps: stamps)
        var much = ForecastInput(mode: Forecasting.Mode.howMuch.rawValue)
        much.sprints = 2
        much.seed = Double(number)
        much.save = true
        _ = try await planning.forecast(productID: productID, input: much, actorID: sm)
        if number == 4 {
            var when = ForecastInput(mode: Forecasting.Mode.when.rawValue)
            when.remainingPoints = 60
            when.seed = 4
            when.save = true
            _ = try await planning.forecast(productID: productID, input: when, actorID: po)
        }
    }

    /// The top of the open backlog joins the release, so it has work left to forecast.
    static func finish(productID: String, releaseID: String, services: TandemServices, people: [String: String]) async throws {
        guard let po = people["po@tandem.demo"] else { return }
        let top = try await services.database.read { db in
            try await db.select().columns("id", "version").from("backlog_items").where("product_id", .equal, productID)
                .where("status", .equal, ItemStatus.open.rawValue).where("deleted_at", .is, SQLLiteral.null).where("release_id", .is, SQLLiteral.null)
                .where("estimate", .isNot, SQLLiteral.null).orderBy("rank").limit(8).all()
                .map { (id: try $0.decode(column: "id", as: String.self), version: try $0.decode(column: "version", as: Int64.self)) }
        }
        for item in top {
            _ = try await services.backlog.items.updateItem(item.id, changes: ["version": .number(Double(item.version)), "releaseId": .string(releaseID)], ifMatch: nil, actorID: po)
        }
    }
}
