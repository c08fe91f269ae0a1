import Foundation
import SQLKit
import TandemCore

/// A sprint's burndown: every day's remaining points against the ideal line, with the scope changes of the day.
public struct BurndownDTO: Encodable, Sendable {
    public let sprintId: String
    public let number: Int64
    public let state: SprintState
    public let committedPoints: Double
    public let days: [BurndownDay]
}

/// A release's burnup: per closed sprint of the team, done and total scope (cumulative), and where the remaining work
/// is forecast to end.
public struct BurnupDTO: Encodable, Sendable {
    public let releaseId: String
    public let name: String
    public let teamId: String
    public let sprints: [BurnupSprint]
    /// Done and total scope today, the running sprint's work included.
    public let donePointsNow: Double
    public let scopePointsNow: Double
    @NullEncodable public var forecast: ForecastDTO?
    /// Why there is no forecast (null when there is one).
    @NullEncodable public var forecastNote: String?
}

/// A Monte Carlo forecast: sprints (and dates) or points (or items) at the 50, 85 and 95% confidence levels.
public struct ForecastDTO: Codable, Sendable {
    public struct Bin: Codable, Sendable {
        public let value: Double
        public let trials: Int
    }

    @NullEncodable public var id: String?
    public let mode: Forecasting.Mode
    public let teamId: String
    /// `points`, or `items` for throughput: teams that do not estimate forecast on done items.
    public let unit: String
    public let percentiles: [String: Double]
    /// For `when`: the last day of the sprint each level finishes in, counted on from the last closed sprint.
    public let dates: [String: String]
    public let histogram: [Bin]
    public let trials: Int
    public let seed: UInt64
    public let basis: ForecastBasis
    @NullEncodable public var remaining: Double?
    @NullEncodable public var sprints: Int?
    @NullEncodable public var byDate: String?
    @NullEncodable public var releaseId: String?
    public let scopeGrowth: Bool
    @NullEncodable public var splitRate: Forecasting.SplitRate?
    /// For `howMuch`: the last day of the last sprint counted, so the figures say by when.
    public var horizonEnd: String?
    /// Which method made it (forecasts saved before there was a choice were `plain`).
    public var method: Forecasting.Method?
    /// What the forecast is about, in words: "how much in the next 3 sprints, to 2027-02-26".
    public var about: String?

    /// The words of `about`, from what every saved forecast carries (older journal entries have no `about` stored).
    static func about(mode: Forecasting.Mode, unit: String, remaining: Double?, sprints: Int?, byDate: String?, countedFrom: String, lengthDays: Int) -> String {
        switch mode {
        case .when:
            return "When the remaining \(Chart.number(remaining ?? 0)) \(unit) are done, counted from \(countedFrom)"
        case .howMuch:
            let count = sprints ?? 1
            let end = CalendarDay(countedFrom).map { $0.adding(days: count * lengthDays).description } ?? countedFrom
            return "How much in the next \(count) sprint\(count == 1 ? "" : "s"), from \(countedFrom) to \(end)" + (byDate.map { " (the last that ends by \($0))" } ?? "")
        }
    }
}

/// A team's forecast track record, as the API and the planning page show it.
public struct TrackRecordDTO: Codable, Sendable {
    public let unit: String
    public let horizonSprints: Int
    public let levels: [TrackRecord.Level]
    public let basis: String

    init(_ record: TrackRecord.Result, sprintNumbers: [Int64]) {
        unit = "points"
        horizonSprints = record.horizon
        levels = record.levels
        basis = record.basis(sprintNumbers: sprintNumbers)
    }
}

/// What a forecast sampled: which sprints, their values, and the cadence the dates are counted in.
public struct ForecastBasis: Codable, Sendable {
    public struct Sprint: Codable, Sendable {
        public let number: Int64
        public let endDate: String
        public let value: Double
    }

    public let sprints: [Sprint]
    public let sprintLengthDays: Int
    public let countedFrom: String
    /// Scope added per sprint to the release, sampled when `scopeGrowth` is on.
    public let scopeGrowth: [Double]
}

/// What a person asks a forecast.
public struct ForecastInput: Decodable, Sendable {
    public var mode: String
    public var teamId: String?
    public var releaseId: String?
    public var remainingPoints: Double?
    public var remainingItems: Double?
    public var byDate: String?
    public var sprints: Int?
    public var unit: String?
    public var history: Int?
    public var trials: Int?
    public var seed: Double?
    public var scopeGrowth: Bool?
    public var splitRate: Forecasting.SplitRate?
    public var save: Bool?
    /// `calibrated` (the default) or `plain`, for comparison.
    public var method: String?

    public init(mode: String) { self.mode = mode }
}

/// Empirical planning: burndowns and burnups from the record, and Monte Carlo forecasts from the team's own history.
public struct PlanningService: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    /// The largest seed a client can hold exactly (JSON numbers are doubles).
    static let maxSeed: UInt64 = 1 << 53 - 1
    static let maxTrials = 100_000
    public static let defaultHistory = 10

    public init(database: TandemDatabase, stamps: Stamps) {
        self.database = database
        self.stamps = stamps
    }

    // MARK: Burndown

    public func burndown(sprintID: String, userID: String) async throws -> BurndownDTO {
        try await database.read { db in
            let context = try await SprintStore.sprint(sprintID, userID: userID, on: db)
            return try await Self.burndown(context, now: stamps.now(), on: db)
        }
    }

    static func burndown(_ context: SprintContext, now: Int64, on db: any SQLDatabase) async throws -> BurndownDTO {
        let sprint = context.sprint
        let events = try await SprintStore.events(of: sprint.id, on: db).map(\.event)
        var last = sprint.end
        if sprint.state == .active { last = min(last, context.calendar.today(atMillis: now)) }
        if let closedAt = sprint.closedAt { last = min(last, context.calendar.today(atMillis: closedAt)) }
        let days = sprint.state == .planned ? [] : Burndown.days(events: events, calendar: context.calendar, start: sprint.start, end: sprint.end, through: last)
        return BurndownDTO(sprintId: sprint.id, number: sprint.number, state: sprint.state,
                           committedPoints: events.filter { $0.kind == .committed }.reduce(0) { $0 + $1.points }, days: days)
    }

    // MARK: Burnup

    public func burnup(releaseID: String, teamID: String?, userID: String) async throws -> BurnupDTO {
        let (release, team, burnup) = try await database.read { db in
            let release = try await Self.release(releaseID, userID: userID, on: db)
            let team = try await Self.team(productID: release.productID, teamID: teamID, field: "teamId", on: db)
            return (release, team, try await Self.burnup(releaseID: releaseID, teamID: team, on: db))
        }
        let remaining = burnup.remaining
        var dto = BurnupDTO(releaseId: releaseID, name: release.name, teamId: team, sprints: burnup.sprints, donePointsNow: burnup.done,
                            scopePointsNow: burnup.done + burnup.remaining, forecast: nil, forecastNote: nil)
        if remaining <= 0 {
            dto.forecastNote = "Nothing remains in the release."
            return dto
        }
        var input = ForecastInput(mode: Forecasting.Mode.when.rawValue)
        input.releaseId = releaseID
        input.teamId = team
        input.seed = 1
        do {
            dto.forecast = try await forecast(productID: release.productID, input: input, actorID: userID)
        } catch let error as DomainError where error.kind == .ruleBroken || error.kind == .invalid {
            dto.forecastNote = error.message
        }
        return dto
    }

    static func burnup(releaseID: String, teamID: String, on db: any SQLDatabase) async throws -> (sprints: [BurnupSprint], remaining: Double, done: Double) {
        let closed = try await db.select().columns("id", "number", "end_date").from("sprints").where("team_id", .equal, teamID)
            .where("state", .equal, SprintState.closed.rawValue).orderBy("number").all()
            .map { (id: try $0.decode(column: "id", as: String.self), number: Int(try $0.decode(column: "number", as: Int64.self)),
                    end: CalendarDay(try $0.decode(column: "end_date", as: String.self)) ?? CalendarDay(dayNumber: 0)) }
        let numbers = Dictionary(uniqueKeysWithValues: closed.map { ($0.id, $0.number) })
        // Each release item with the closed sprint its last done entry belongs to (if it is done), once per
        // re-estimate it had (the item.updated changes that changed its estimate), all in one statement.
        let rows = try await db.raw("""
            SELECT i.id, i.estimate, i.created_at, i.status, c.at AS changed_at, c.data AS change,
                   (SELECT e.sprint_id FROM sprint_events e WHERE e.item_id = i.id AND e.kind = 'done' ORDER BY e.created_at DESC, e.seq DESC LIMIT 1) AS done_sprint
            FROM backlog_items i LEFT JOIN changes c ON c.product_id = i.product_id AND c.subject_type = 'item' AND c.subject_id = i.id
                 AND c.type = \(bind: ChangeType.itemUpdated.rawValue) AND c.data LIKE \(bind: "%\"estimate\":{%")
            WHERE i.release_id = \(bind: releaseID) AND i.deleted_at IS NULL AND i.status <> 'declined'
            ORDER BY i.id
            """).all()
        var items: [Burnup.Item] = []
        var remaining = 0.0, done = 0.0
        var reestimates: [String: [(day: CalendarDay, before: Double?)]] = [:]
        var seen: [String] = []
        var byID: [String: any SQLRow] = [:]
        for row in rows {
            let r = RowReader(row: row)
            let id = try r.text("id")
            if byID[id] == nil { seen.append(id); byID[id] = row }
            if let text = try r.optionalText("change"), let at = try r.optionalInteger("changed_at") {
                // The LIKE only narrows: a title may hold the same characters, so the decoded change decides.
                if let estimate = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))["changes"]?["estimate"] {
                    reestimates[id, default: []].append((WorkingCalendar().today(atMillis: at), estimate["from"]?.number))
                }
            }
        }
        for id in seen {
            guard let row = byID[id] else { continue }
            let r = RowReader(row: row)
            let points = try row.decodeNil(column: "estimate") ? 0 : try row.decode(column: "estimate", as: Double.self)
            let status = try r.text("status")
            // Done in a closed sprint counts from that sprint; done in the running one, not yet; done outside any sprint,
            // from the last close.
            let doneSprint = try r.optionalText("done_sprint")
            let doneIn = doneSprint.map { numbers[$0] } ?? closed.last?.number
            items.append(Burnup.Item(points: points, createdOn: WorkingCalendar().today(atMillis: try r.integer("created_at")),
                                     doneInSprint: status == ItemStatus.done.rawValue ? doneIn : nil, reestimates: reestimates[id] ?? []))
            if status == ItemStatus.done.rawValue { done += points } else { remaining += points }
        }
        return (Burnup.sprints(closed.map { ($0.number, $0.end) }, items: items), remaining, done)
    }

    // MARK: Forecasts

    /// Runs (and, with `save`, journals) a forecast for a product's team.
    public func forecast(productID: String, input: ForecastInput, actorID: String) async throws -> ForecastDTO {
        guard let mode = Forecasting.Mode(rawValue: input.mode) else { throw DomainError.invalid(field: "mode", "must be when or howMuch") }
        let unit = input.unit ?? "points"
        guard unit == "points" || unit == "items" else { throw DomainError.invalid(field: "unit", "must be points or items") }
        let trials = input.trials ?? Forecasting.defaultTrials
        guard (1...Self.maxTrials).contains(trials) else { throw DomainError.invalid(field: "trials", "must be a whole number from 1 to \(Self.maxTrials)") }
        guard let method = Forecasting.Method(rawValue: input.method ?? Forecasting.Method.calibrated.rawValue) else {
            throw DomainError.invalid(field: "method", "must be calibrated or plain")
        }
        let history = input.history ?? Self.defaultHistory
        guard (Forecasting.minimumHistory...50).contains(history) else { throw DomainError.invalid(field: "history", "must be a whole number from 3 to 50") }
        let seed: UInt64
        if let raw = input.seed {
            guard raw.isFinite, raw >= 0, raw <= Double(Self.maxSeed), raw.rounded() == raw else {
                throw DomainError.invalid(field: "seed", "must be a whole number from 0 to \(Self.maxSeed)")
            }
            seed = UInt64(raw)
        } else {
            seed = UInt64.random(in: 0...Self.maxSeed)
        }
        // Every field is checked whatever the mode, so a bad value is never silently ignored.
        for (field, value) in [("remainingPoints", input.remainingPoints), ("remainingItems", input.remainingItems)] {
            if let value, !(value.isFinite && value >= 0 && value <= 1_000_000) { throw DomainError.invalid(field: field, "must be a number from 0 to 1000000") }
        }
        if let raw = input.byDate, CalendarDay(raw) == nil { throw DomainError.invalid(field: "byDate", "must be a date like 2027-03-31") }
        if let sprints = input.sprints, !(1...Forecasting.maxSprints).contains(sprints) {
            throw DomainError.invalid(field: "sprints", "must be a whole number from 1 to \(Forecasting.maxSprints)")
        }
        if let rate = input.splitRate, !(rate.low.isFinite && rate.high.isFinite && rate.low >= 1 && rate.high >= rate.low && rate.high <= 10) {
            throw DomainError.invalid(field: "splitRate", "needs 1 ≤ low ≤ high ≤ 10")
        }
        if input.scopeGrowth == true, input.unit == "items" { throw DomainError.invalid(field: "scopeGrowth", "is measured in points; forecast points to sample it") }
        if input.scopeGrowth == true, input.releaseId == nil { throw DomainError.invalid(field: "scopeGrowth", "needs a releaseId: growth is the release's own") }

        let (dto, saved) = try await database.read { db -> (ForecastDTO, Bool) in
            let access = try await ProductService.access(productID: productID, userID: actorID, on: db)
            let teamID = try await Self.team(productID: access.product.id, teamID: input.teamId, field: "teamId", on: db)
            let closed = try await db.select().column("*").from("sprints").where("team_id", .equal, teamID)
                .where("state", .equal, SprintState.closed.rawValue).orderBy("number", .descending).limit(history).all(SprintRow.self).reversed()
            let sampled = closed.map { ForecastBasis.Sprint(number: $0.number, endDate: $0.endDate, value: unit == "items" ? Double($0.doneItems ?? 0) : $0.donePoints ?? 0) }
            guard sampled.count >= Forecasting.minimumHistory, let last = closed.last else {
                throw DomainError(.ruleBroken, code: "not_enough_history", message: Forecasting.Refusal.notEnoughHistory(have: sampled.count).message,
                                  details: ["closedSprints": .number(Double(sampled.count))])
            }
            // The cadence: from one sprint's start to the next (a Monday-to-Friday sprint every week is 7 days).
            let starts = closed.map(\.start.dayNumber)
            let length = starts.count >= 2 ? max(1, starts[starts.count - 1] - starts[starts.count - 2]) : last.end.dayNumber - last.start.dayNumber + 1
            var growth: [Double] = []
            var remaining: Double?
            if let releaseID = input.releaseId {
                let release = try await Self.release(releaseID, userID: actorID, on: db)
                guard release.productID == productID else { throw DomainError.invalid(field: "releaseId", "is not a release of this product") }
                if mode == .when {
                    remaining = try await db.raw("""
                        SELECT CAST(\(unsafeRaw: unit == "items" ? "COUNT(*)" : "COALESCE(SUM(estimate), 0)") AS DOUBLE PRECISION) AS n FROM backlog_items
                        WHERE release_id = \(bind: releaseID) AND deleted_at IS NULL AND status IN ('open', 'planned')
                        """).first().map { try $0.decode(column: "n", as: Double.self) } ?? 0
                }
                if input.scopeGrowth == true {
                    growth = Burnup.growth(try await Self.burnup(releaseID: releaseID, teamID: teamID, on: db).sprints.suffix(history + 1).map { $0 })
                    if growth.isEmpty { throw DomainError(.ruleBroken, code: "not_enough_history", message: "Scope growth needs at least two closed sprints of the release's history.") }
                }
            }
            let velocities = sampled.map(\.value)
            var result: Forecasting.Result
            var sprintsAsked: Int?
            var byDate: String?
            do {
                switch mode {
                case .when:
                    if remaining == nil { remaining = unit == "items" ? input.remainingItems : input.remainingPoints }
                    guard let remaining else {
                        throw DomainError.invalid(field: unit == "items" ? "remainingItems" : "remainingPoints", "Give a releaseId or the remaining \(unit) to forecast when they are done.")
                    }
                    result = try Forecasting.when(velocities: velocities, remaining: remaining, trials: trials, seed: seed, scopeGrowth: growth,
                                                  splitRate: input.splitRate, method: method)
                case .howMuch:
                    if let raw = input.byDate {
                        guard let day = CalendarDay(raw) else { throw DomainError.invalid(field: "byDate", "must be a date like 2027-03-31") }
                        let fits = (day.dayNumber - last.end.dayNumber) / length
                        guard fits >= 1 else { throw DomainError.invalid(field: "byDate", "must leave room for at least one sprint after \(last.endDate) (sprints are \(length) days)") }
                        sprintsAsked = fits
                        byDate = raw
                    } else if let sprints = input.sprints {
                        sprintsAsked = sprints
                    } else {
                        throw DomainError.invalid(field: "byDate", "Give byDate (or a number of sprints) to forecast how much gets done.")
                    }
                    result = try Forecasting.howMuch(velocities: velocities, sprints: sprintsAsked ?? 1, trials: trials, seed: seed, method: method)
                }
            } catch let refusal as Forecasting.Refusal {
                switch refusal {
                case .notEnoughHistory: throw DomainError(.ruleBroken, code: "not_enough_history", message: refusal.message)
                case .noForecast(let why): throw DomainError(.ruleBroken, code: "no_forecast", message: why)
                case .invalid(let field, let why): throw DomainError.invalid(field: field, why)
                }
            }
            var dates: [String: String] = [:]
            if mode == .when {
                for (level, sprints) in result.percentiles { dates[String(level)] = last.end.adding(days: Int(sprints) * length).description }
            }
            var dto = ForecastDTO(
                id: nil, mode: mode, teamId: teamID, unit: unit,
                percentiles: Dictionary(uniqueKeysWithValues: result.percentiles.map { (String($0.key), $0.value) }), dates: dates,
                histogram: result.histogram.map { ForecastDTO.Bin(value: $0.value, trials: $0.trials) }, trials: result.trials, seed: seed,
                basis: ForecastBasis(sprints: sampled, sprintLengthDays: length, countedFrom: last.endDate, scopeGrowth: growth),
                remaining: mode == .when ? remaining : nil, sprints: sprintsAsked, byDate: byDate, releaseId: input.releaseId,
                scopeGrowth: input.scopeGrowth == true, splitRate: input.splitRate
            )
            if mode == .howMuch { dto.horizonEnd = last.end.adding(days: (sprintsAsked ?? 1) * length).description }
            dto.method = method
            dto.about = ForecastDTO.about(mode: mode, unit: unit, remaining: dto.remaining, sprints: sprintsAsked, byDate: byDate,
                                          countedFrom: last.endDate, lengthDays: length)
            return (dto, input.save == true)
        }
        guard saved else { return dto }
        return try await journal.save(dto, productID: productID, actorID: actorID)
    }

    public var journal: ForecastJournal { ForecastJournal(database: database, stamps: stamps) }

    /// How the team's forecasts would have fared on its own closed sprints (calibrated, `horizon` sprints ahead).
    public func trackRecord(teamID: String, horizon: Int, userID: String) async throws -> TrackRecordDTO {
        guard (1...6).contains(horizon) else { throw DomainError.invalid(field: "horizon", "must be a whole number of sprints from 1 to 6") }
        let closed = try await database.read { db -> [(number: Int64, done: Double)] in
            _ = try await SprintStore.team(teamID, userID: userID, on: db)
            return try await db.select().columns("number", "done_points").from("sprints").where("team_id", .equal, teamID)
                .where("state", .equal, SprintState.closed.rawValue).orderBy("number").all()
                .map { (try $0.decode(column: "number", as: Int64.self), try $0.decodeNil(column: "done_points") ? 0 : try $0.decode(column: "done_points", as: Double.self)) }
        }
        return TrackRecordDTO(TrackRecord.of(closed.map(\.done), horizon: horizon), sprintNumbers: closed.map(\.number))
    }

    /// A team's done points over its last closed sprints, oldest first, for the command line (no caller to check:
    /// whoever runs the binary holds the database).
    public static func velocities(teamID: String, last: Int = defaultHistory, on database: TandemDatabase) async throws -> [Double] {
        try await database.read { db in
            guard try await db.select().column("id").from("teams").where("id", .equal, teamID).first() != nil else {
                throw DomainError.notFound("The team \(teamID)")
            }
            return try await db.select().column("done_points").from("sprints").where("team_id", .equal, teamID)
                .where("state", .equal, SprintState.closed.rawValue).orderBy("number", .descending).limit(last).all()
                .map { try $0.decodeNil(column: "done_points") ? 0 : try $0.decode(column: "done_points", as: Double.self) }.reversed()
        }
    }

    // MARK: Shared reads

    struct ReleaseRef: Sendable {
        let id: String
        let productID: String
        let name: String
        let releasedAt: Int64?
    }

    static func release(_ releaseID: String, userID: String, on db: any SQLDatabase) async throws -> ReleaseRef {
        guard let row = try await db.select().columns("id", "product_id", "name", "released_at").from("releases").where("id", .equal, releaseID).first() else {
            throw DomainError.notFound("The release")
        }
        let r = RowReader(row: row)
        let release = ReleaseRef(id: try r.text("id"), productID: try r.text("product_id"), name: try r.text("name"), releasedAt: try r.optionalInteger("released_at"))
        do {
            _ = try await ProductService.access(productID: release.productID, userID: userID, on: db)
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.notFound("The release")
        }
        return release
    }

    /// The team a forecast speaks of: the one named, or the product's only team; with several, one must be named.
    static func team(productID: String, teamID: String?, field: String, on db: any SQLDatabase) async throws -> String {
        let teams = try await db.select().column("id").from("teams").where("product_id", .equal, productID).orderBy("name").all()
            .map { try $0.decode(column: "id", as: String.self) }
        if let teamID {
            guard teams.contains(teamID) else { throw DomainError(.ruleBroken, code: "unknown_team", message: "The team is not one of this product's teams.", field: field) }
            return teamID
        }
        guard teams.count == 1 else {
            throw teams.isEmpty
                ? DomainError(.ruleBroken, code: "not_enough_history", message: "The product has no team, so no sprint history to forecast from.")
                : DomainError(.ruleBroken, code: "team_required", message: "The product has \(teams.count) teams; name the one to forecast with teamId.", field: field)
        }
        return teams[0]
    }
}
