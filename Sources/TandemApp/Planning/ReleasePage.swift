import Foundation
import SQLKit
import TandemCore

/// What the release page reads: the release, the caller's access, its items, and the teams to read the burnup for.
struct ReleasePageData: Sendable {
    struct Item: Sendable {
        let ref: String
        let title: String
        let estimate: Double?
        let status: String
    }

    let access: ProductAccess
    let release: PlanningService.ReleaseRef
    let targetDate: String?
    let releasedOn: String?
    let items: [Item]
    let teams: [(id: String, name: String)]
}

extension PlanningService {
    func releasePageData(releaseID: String, userID: String) async throws -> ReleasePageData {
        try await database.read { db in
            let release = try await Self.release(releaseID, userID: userID, on: db)
            let access = try await ProductService.access(productID: release.productID, userID: userID, header: true, on: db)
            let dates = try await db.select().columns("target_date", "released_on").from("releases").where("id", .equal, releaseID).first()
            let items = try await db.select().columns("ref", "title", "estimate", "status").from("backlog_items").where("release_id", .equal, releaseID)
                .where("deleted_at", .is, SQLLiteral.null).where("status", .notEqual, ItemStatus.declined.rawValue).orderBy("rank").all().map { row in
                    let r = RowReader(row: row)
                    return ReleasePageData.Item(ref: try r.text("ref"), title: try r.text("title"),
                                                estimate: try row.decodeNil(column: "estimate") ? nil : try row.decode(column: "estimate", as: Double.self), status: try r.text("status"))
                }
            let teams = try await db.select().columns("id", "name").from("teams").where("product_id", .equal, release.productID).orderBy("name").all()
                .map { (id: try $0.decode(column: "id", as: String.self), name: try $0.decode(column: "name", as: String.self)) }
            return ReleasePageData(access: access, release: release, targetDate: try dates.flatMap { try RowReader(row: $0).optionalText("target_date") },
                                   releasedOn: try dates.flatMap { try RowReader(row: $0).optionalText("released_on") }, items: items, teams: teams)
        }
    }
}

/// A release: its burnup with the forecast cone, when it will be done at each confidence level against its target
/// date, its items, and the forecasts saved about it with their outcomes.
struct ReleasePage {
    let identity: Identity
    let csrf: String
    let data: ReleasePageData
    let teamID: String?
    let burnup: BurnupDTO?
    let journal: [JournalEntryDTO]
    var flash: Layout.Flash?

    var html: HTML {
        let product = data.access.product
        let done = data.items.filter { $0.status == ItemStatus.done.rawValue }
        return Layout(title: "\(product.key) release \(data.release.name)", identity: identity, csrf: csrf, flash: flash, header: data.access.headerNode, content: [
            H.el("p", ["class": "crumbs"], [
                H.link(.home, "Products"), .text(" / "), H.link(.product(product.id), product.key), .text(" / "), H.link(.planning(product.id), "Planning"),
                .text(" / \(data.release.name)"),
            ]),
            H.el("h1", text: "Release \(data.release.name)"),
            H.el("p", ["class": "muted"], text: (data.releasedOn.map { "Released on \($0). " } ?? "") + (data.targetDate.map { "Target date \($0). " } ?? "No target date. ")
                + "\(done.count) of \(data.items.count) items done."),
            data.teams.count > 1 ? H.el("p", ["class": "row"], [H.el("span", text: "Team: ")] + data.teams.map { team in
                team.id == teamID ? H.el("strong", text: team.name) : H.el("a", ["href": SiteRoute.release(data.release.id).path + "?teamId=\(team.id)"], text: team.name)
            }) : .empty,
            H.el("section", ["class": "card", "aria-labelledby": "burnup-heading"], [
                H.el("h2", ["id": "burnup-heading"], text: "Burnup and forecast"),
                burnupBody,
            ]),
            H.el("section", ["class": "card", "aria-labelledby": "items-heading"], [
                H.el("h2", ["id": "items-heading"], text: "Items (\(data.items.count))"),
                data.items.isEmpty ? H.el("p", ["class": "empty"], text: "No item is in this release yet; link items to it on the item page.") : H.el("ul", ["class": "plain"], data.items.map { item in
                    H.el("li", [
                        H.link(.item(item.ref), item.ref), .text(" \(item.title) "),
                        H.el("span", ["class": "pill status \(item.status)"], text: item.status),
                        item.estimate.map { H.el("span", ["class": "pill points"], text: "\(Chart.number($0)) pt") } ?? H.el("span", ["class": "muted small"], text: " not estimated"),
                    ])
                }),
            ]),
            H.el("section", ["class": "card", "aria-labelledby": "release-journal-heading"], [
                H.el("h2", ["id": "release-journal-heading"], text: "Forecasts saved about this release"),
                journal.isEmpty ? H.el("p", ["class": "empty"], text: "None yet: forecasts run on the planning page are kept there.") : H.el("ul", ["class": "plain"], journal.map { entry in
                    H.el("li", text: "\(WorkingCalendar().today(atMillis: Int64(entry.createdAt.timeIntervalSince1970 * 1000))): 50% \(Chart.number(entry.percentiles["50"] ?? 0)), 85% \(Chart.number(entry.percentiles["85"] ?? 0)), 95% \(Chart.number(entry.percentiles["95"] ?? 0)) sprints; "
                        + (entry.outcome.map { "took \(Chart.number($0.value)) (\($0.within["85"] == true ? "within" : "outside") the 85% level)" } ?? "waiting for the release"))
                }),
            ]),
        ]).html
    }

    private var burnupBody: BodyNode {
        guard let burnup else { return H.el("p", ["class": "empty"], text: "Choose a team to read the burnup for.") }
        var nodes: [BodyNode] = [burnup.sprints.isEmpty ? H.el("p", ["class": "empty"], text: "No closed sprint yet.") : PlanningCharts.burnup(burnup, cone: PlanningCharts.cone(burnup)).figure]
        if let forecast = burnup.forecast {
            nodes.append(H.el("table", ["class": "figures forecast-levels"], [
                H.el("caption", ["class": "muted small"], text: "When the \(Chart.number(forecast.remaining ?? 0)) remaining points are done, sampling sprints \(forecast.basis.sprints.map { "\($0.number)" }.joined(separator: ", "))"),
                H.el("thead", [H.el("tr", ["Confidence", "Sprints", "Done by", "Against the target"].map { H.el("th", ["scope": "col"], text: $0) })]),
                H.el("tbody", Forecasting.levels.map { level in
                    let date = forecast.dates[String(level)] ?? ""
                    let verdict = data.targetDate.map { target in date <= target ? "in time" : "after the target" } ?? "–"
                    return H.el("tr", [H.el("th", ["scope": "row"], text: "\(level)%"), H.el("td", text: Chart.number(forecast.percentiles[String(level)] ?? 0)),
                                       H.el("td", text: date), H.el("td", text: verdict)])
                }),
            ]))
        } else if let note = burnup.forecastNote {
            nodes.append(H.el("p", ["class": "muted"], text: note))
        }
        return .group(nodes)
    }
}
