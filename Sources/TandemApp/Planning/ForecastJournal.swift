import Foundation
import SQLKit
import TandemCore

/// One saved forecast and, once known, where the real outcome fell against its levels.
public struct JournalEntryDTO: Encodable, Sendable {
    public struct Outcome: Encodable, Sendable {
        /// Sprints taken (`when`) or points/items delivered (`howMuch`).
        public let value: Double
        /// Per level: for `when`, finished within the level's sprints; for `howMuch`, delivered at least its figure.
        public let within: [String: Bool]
        public let basis: String
    }

    public let id: String
    public let createdAt: Date
    @NullEncodable public var createdBy: PersonRef?
    public let mode: Forecasting.Mode
    public let teamId: String
    @NullEncodable public var releaseId: String?
    public let unit: String
    public let percentiles: [String: Double]
    /// What it forecast, in words: the remaining work for "when"; the sprints and their dates for "how much".
    public let about: String
    /// The method that made it: forecasts saved before the calibrated method were `plain`.
    public let method: Forecasting.Method
    /// The whole forecast as it was answered: inputs, dates, histogram and basis.
    public let forecast: JSONValue
    /// `waiting` until the release is done or the sprints it spoke of have closed; then `known`.
    public let status: String
    @NullEncodable public var outcome: Outcome?
}

/// How far the team's forecasts can be trusted so far.
public struct CalibrationDTO: Encodable, Sendable {
    public let known: Int
    /// Per level, how many known outcomes fell within it, and the share (null before the first known outcome).
    public let within: [String: Int]
    public let share: [String: Double?]

    enum CodingKeys: String, CodingKey { case known, within, share }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(known, forKey: .known)
        try container.encode(within, forKey: .within)
        var shares = container.nestedContainer(keyedBy: AnyKey.self, forKey: .share)
        for (level, value) in share.sorted(by: { $0.key < $1.key }) { try shares.encode(value, forKey: AnyKey(level)) }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

public struct ForecastJournalDTO: Encodable, Sendable {
    public let items: [JournalEntryDTO]
    public let calibration: CalibrationDTO
}

/// The forecast journal: saved forecasts, their outcomes when known, and the calibration so far.
public struct ForecastJournal: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    func save(_ forecast: ForecastDTO, productID: String, actorID: String) async throws -> ForecastDTO {
        var withID = forecast
        withID.id = stamps.newID()
        let saved = withID
        let text = String(decoding: try JSONEncoder().encode(saved), as: UTF8.self)
        try await database.write { db in
            _ = try await ProductService.access(productID: productID, userID: actorID, on: db)
            try await db.insert(into: "forecasts")
                .columns("id", "product_id", "team_id", "release_id", "mode", "unit", "counted_from", "remaining", "sprints", "p50", "p85", "p95", "forecast", "created_by", "created_at")
                .values(SQLBind(saved.id), SQLBind(productID), SQLBind(saved.teamId), SQLBind(saved.releaseId), SQLBind(saved.mode.rawValue), SQLBind(saved.unit),
                        SQLBind(saved.basis.countedFrom), SQLBind(saved.remaining), SQLBind(saved.sprints), SQLBind(saved.percentiles["50"] ?? 0),
                        SQLBind(saved.percentiles["85"] ?? 0), SQLBind(saved.percentiles["95"] ?? 0), SQLBind(text), SQLBind(actorID), SQLBind(stamps.now()))
                .run()
            try await ChangeLog.append(Change(.forecastSaved, subject: saved.id ?? "", ["mode": .string(saved.mode.rawValue)]), productID: productID, actorID: actorID, stamps: stamps, on: db)
        }
        return saved
    }

    public func list(productID: String, userID: String) async throws -> ForecastJournalDTO {
        try await database.read { db in
            _ = try await ProductService.access(productID: productID, userID: userID, on: db)
            let rows = try await db.raw("""
                SELECT f.*, u.display_name, r.released_on FROM forecasts f LEFT JOIN users u ON u.id = f.created_by LEFT JOIN releases r ON r.id = f.release_id
                WHERE f.product_id = \(bind: productID) ORDER BY f.created_at DESC, f.id
                """).all()
            var closedByTeam: [String: [(end: String, points: Double, items: Double)]] = [:]
            var entries: [JournalEntryDTO] = []
            for row in rows {
                let r = RowReader(row: row)
                let teamID = try r.text("team_id")
                if closedByTeam[teamID] == nil {
                    closedByTeam[teamID] = try await db.select().columns("end_date", "done_points", "done_items").from("sprints").where("team_id", .equal, teamID)
                        .where("state", .equal, SprintState.closed.rawValue).orderBy("number").all().map { row in
                            (end: try row.decode(column: "end_date", as: String.self),
                             points: try row.decodeNil(column: "done_points") ? 0 : try row.decode(column: "done_points", as: Double.self),
                             items: try row.decodeNil(column: "done_items") ? 0 : Double(try row.decode(column: "done_items", as: Int.self)))
                        }
                }
                let mode = try r.known("mode", as: Forecasting.Mode.self, in: "forecasts")
                let unit = try r.text("unit")
                let percentiles = ["50": try row.decode(column: "p50", as: Double.self), "85": try row.decode(column: "p85", as: Double.self),
                                   "95": try row.decode(column: "p95", as: Double.self)]
                let after = (closedByTeam[teamID] ?? []).filter { [countedFrom = try r.optionalText("counted_from") ?? ""] in $0.end > countedFrom }
                let values = after.map { unit == "items" ? $0.items : $0.points }
                let outcome = Self.outcome(
                    mode: mode, percentiles: percentiles, closedAfter: values, ends: after.map(\.end),
                    remaining: try row.decodeNil(column: "remaining") ? nil : try row.decode(column: "remaining", as: Double.self),
                    sprints: try r.optionalInteger("sprints").map(Int.init), releasedOn: try r.optionalText("released_on"), hasRelease: try r.optionalText("release_id") != nil
                )
                let forecast = try JSONDecoder().decode(JSONValue.self, from: Data(try r.text("forecast").utf8))
                let about = ForecastDTO.about(
                    mode: mode, unit: unit, remaining: try row.decodeNil(column: "remaining") ? nil : try row.decode(column: "remaining", as: Double.self),
                    sprints: try r.optionalInteger("sprints").map(Int.init), byDate: forecast["byDate"]?.string, countedFrom: try r.text("counted_from"),
                    lengthDays: Int(forecast["basis"]?["sprintLengthDays"]?.number ?? 14)
                )
                entries.append(JournalEntryDTO(
                    id: try r.text("id"), createdAt: try r.date("created_at"), createdBy: try r.person("created_by", "display_name"), mode: mode, teamId: teamID,
                    releaseId: try r.optionalText("release_id"), unit: unit, percentiles: percentiles, about: about,
                    method: forecast["method"]?.string.flatMap(Forecasting.Method.init(rawValue:)) ?? .plain, forecast: forecast,
                    status: outcome == nil ? "waiting" : "known", outcome: outcome
                ))
            }
            let known = entries.compactMap(\.outcome)
            var within: [String: Int] = [:], share: [String: Double?] = [:]
            for level in Forecasting.levels.map(String.init) {
                within[level] = known.filter { $0.within[level] == true }.count
                share[level] = known.isEmpty ? nil : (Double(within[level] ?? 0) / Double(known.count) * 1000).rounded() / 10
            }
            return ForecastJournalDTO(items: entries, calibration: CalibrationDTO(known: known.count, within: within, share: share))
        }
    }

    /// The real outcome, once known: a release done (sprints closed until its day), the remaining work done by the
    /// sprints closed since, or the sprints a "how much" spoke of all closed.
    static func outcome(mode: Forecasting.Mode, percentiles: [String: Double], closedAfter values: [Double], ends: [String],
                        remaining: Double?, sprints: Int?, releasedOn: String?, hasRelease: Bool) -> JournalEntryDTO.Outcome? {
        let value: Double, basis: String
        switch mode {
        case .when:
            if hasRelease {
                guard let releasedOn else { return nil }
                // The sprints that ended before the release day, and the one it happened in.
                value = Double(ends.filter { $0 < releasedOn }.count + 1)
                basis = "The release was done on \(releasedOn)."
            } else {
                guard let remaining else { return nil }
                var done = 0.0, taken = 0
                for sprint in values where done < remaining { done += sprint; taken += 1 }
                guard done >= remaining else { return nil }
                value = Double(taken)
                basis = "The sprints closed since delivered the remaining \(Chart.number(remaining))."
            }
        case .howMuch:
            guard let sprints, values.count >= sprints else { return nil }
            value = values.prefix(sprints).reduce(0, +)
            basis = "The \(sprints) sprint\(sprints == 1 ? "" : "s") after the forecast delivered \(Chart.number(value))."
        }
        var within: [String: Bool] = [:]
        for (level, figure) in percentiles { within[level] = mode == .when ? value <= figure : value >= figure }
        return JournalEntryDTO.Outcome(value: value, within: within, basis: basis)
    }
}

extension ForecastJournal {
    /// One saved forecast as it was answered (for its histogram).
    public func forecast(_ forecastID: String, userID: String) async throws -> ForecastDTO {
        let text = try await database.read { db -> String in
            guard let row = try await db.select().columns("product_id", "forecast").from("forecasts").where("id", .equal, forecastID).first() else {
                throw DomainError.notFound("The forecast")
            }
            do {
                _ = try await ProductService.access(productID: try row.decode(column: "product_id", as: String.self), userID: userID, on: db)
            } catch let error as DomainError where error.kind == .notFound {
                throw DomainError.notFound("The forecast")
            }
            return try row.decode(column: "forecast", as: String.self)
        }
        return try JSONDecoder().decode(ForecastDTO.self, from: Data(text.utf8))
    }
}
