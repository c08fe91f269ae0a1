import Foundation
import SQLKit
import TandemCore

/// What each side owes the other, as numbers: the partnership signals of a product, computed from its data on
/// request (nothing cached), each with the data behind it.
public struct PartnershipSignals: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public struct Report: Encodable, Sendable {
        public let productId: String
        public let signals: [Signal]
        public let thresholds: [String: Double]
    }

    /// The signals with their trends. Today's values join the history (one value per signal and day, the last reading
    /// wins), written in its own short transaction only when a value changed since the day's last reading.
    public func report(productID: String, userID: String) async throws -> Report {
        let (report, changed) = try await database.read { db in
            let access = try await ProductService.access(productID: productID, userID: userID, on: db)
            return try await reportWithTrends(access: access, on: db)
        }
        try await record(changed, productID: productID)
        return report
    }

    public func report(access: ProductAccess) async throws -> Report {
        let (report, changed) = try await database.read { db in try await reportWithTrends(access: access, on: db) }
        try await record(changed, productID: access.product.id)
        return report
    }

    /// How many days of recorded history a tile's trend shows.
    static let historyDays = 30

    private func reportWithTrends(access: ProductAccess, on db: any SQLDatabase) async throws -> (Report, [Signal]) {
        let replay = try await Self.replay(productID: access.product.id, on: db)
        let current = try await report(access: access, replay: replay, on: db)
        let today = WorkingCalendar().today(atMillis: stamps.now())
        let since = today.adding(days: -(Self.historyDays - 1)).description
        var history: [String: [SignalPoint]] = [:], stored: [String: (Double?, Int64?)] = [:]
        for row in try await db.raw("""
            SELECT team_id, name, day, value, healthy FROM signal_history WHERE product_id = \(bind: access.product.id) AND day >= \(bind: since) ORDER BY day
            """).all() {
            let r = RowReader(row: row)
            let key = try r.text("team_id") + "/" + r.text("name"), day = try r.text("day")
            let value = try row.decodeNil(column: "value") ? nil : try row.decode(column: "value", as: Double.self)
            if day == today.description { stored[key] = (value, try r.optionalInteger("healthy")) } else { history[key, default: []].append(SignalPoint(at: day, value: value)) }
        }
        // The days nobody read the signals: those whose data carries its timestamps are replayed as they stood at
        // the end of each day, from the product's first recorded event on.
        let teams = Array(Set(current.signals.compactMap(\.teamId))).sorted()
        if let earliest = replay.earliest {
            let first = max(today.adding(days: -(Self.historyDays - 1)), WorkingCalendar().today(atMillis: earliest))
            var day = first
            let thresholds = SignalThresholds.with(current.thresholds)
            while day < today {
                let recorded = Set(history.filter { $0.value.contains { $0.at == day.description } }.keys)
                for signal in replay.signals(at: Int64(day.dayNumber + 1) * 86_400_000 - 1, teams: teams, thresholds: thresholds) {
                    let key = (signal.teamId ?? "") + "/" + signal.name
                    if !recorded.contains(key) { history[key, default: []].append(SignalPoint(at: day.description, value: signal.value)) }
                }
                day = day.adding(days: 1)
            }
            for key in history.keys { history[key]?.sort { $0.at < $1.at } }
        }
        var changed: [Signal] = []
        let signals = current.signals.map { signal -> Signal in
            let key = (signal.teamId ?? "") + "/" + signal.name
            let healthy = signal.healthy.map { $0 ? Int64(1) : 0 }
            if let (value, wasHealthy) = stored[key], value == signal.value, wasHealthy == healthy {} else { changed.append(signal) }
            guard signal.trend.isEmpty else { return signal }
            var withTrend = signal
            withTrend.trend = (history[key] ?? []) + [SignalPoint(at: today.description, value: signal.value)]
            return withTrend
        }
        return (Report(productId: current.productId, signals: signals, thresholds: current.thresholds), changed)
    }

    /// The time-stamped data the replayable signals are computed from (a product's questions, impediments, proposals,
    /// feedback and reorders: hundreds of rows, not millions).
    static func replay(productID: String, on db: any SQLDatabase) async throws -> SignalReplay {
        var replay = SignalReplay()
        replay.questions = try await db.raw("SELECT asked_at, answered_at, blocking FROM questions WHERE product_id = \(bind: productID)").all().map { row in
            let r = RowReader(row: row)
            return .init(askedAt: try r.integer("asked_at"), answeredAt: try r.optionalInteger("answered_at"), blocking: try r.integer("blocking") != 0)
        }
        replay.impediments = try await db.raw("SELECT team_id, created_at, resolved_at, escalated_at FROM impediments WHERE product_id = \(bind: productID)").all().map { row in
            let r = RowReader(row: row)
            return .init(teamID: try r.text("team_id"), createdAt: try r.integer("created_at"), resolvedAt: try r.optionalInteger("resolved_at"), escalatedAt: try r.optionalInteger("escalated_at"))
        }
        replay.proposals = try await db.raw("SELECT state, created_at, decided_at, decision_note FROM ordering_proposals WHERE product_id = \(bind: productID)").all().map { row in
            let r = RowReader(row: row)
            let decided = ["accepted", "declined"].contains(try r.text("state"))
            let note = try r.optionalText("decision_note") ?? ""
            return .init(createdAt: try r.integer("created_at"), decidedAt: try r.optionalInteger("decided_at"), silent: decided && note.isEmpty)
        }
        replay.feedback = try await db.raw("SELECT created_at, decided_at FROM feedback WHERE product_id = \(bind: productID)").all().map { row in
            let r = RowReader(row: row)
            return .init(createdAt: try r.integer("created_at"), decidedAt: try r.optionalInteger("decided_at"))
        }
        replay.silentReorders = try await db.raw("""
            SELECT at, data FROM changes WHERE product_id = \(bind: productID) AND type = \(bind: ChangeType.backlogReordered.rawValue)
            """).all().compactMap { row in
            let data = try JSONDecoder().decode(JSONValue.self, from: Data(try row.decode(column: "data", as: String.self).utf8))
            return (data["note"]?.string ?? "").isEmpty ? try row.decode(column: "at", as: Int64.self) : nil
        }
        return replay
    }

    private func record(_ changed: [Signal], productID: String) async throws {
        guard !changed.isEmpty else { return }
        let now = stamps.now()
        let day = WorkingCalendar().today(atMillis: now).description
        let rows = changed.map { signal -> SQLQueryString in
            "(\(bind: productID), \(bind: signal.teamId ?? ""), \(bind: signal.name), \(bind: day), \(bind: signal.value), \(bind: signal.healthy.map { $0 ? 1 : 0 }), \(bind: now))"
        }
        try await database.write { db in
            try await db.raw("""
                INSERT INTO signal_history (product_id, team_id, name, day, value, healthy, recorded_at) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (product_id, team_id, name, day) DO UPDATE SET value = excluded.value, healthy = excluded.healthy, recorded_at = excluded.recorded_at
                """).run()
        }
    }

    /// Sets thresholds by signal name (the Product Owner or a Scrum Master); the others keep their values.
    public func setThresholds(productID: String, values: [String: Double], actorID: String) async throws -> [String: Double] {
        let known = Set(SignalThresholds.fields.map(\.name))
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            guard known.contains(name) else { throw DomainError.invalid(field: name, "is not a partnership signal") }
            guard value.isFinite, value >= 0, value <= 10_000 else { throw DomainError.invalid(field: name, "must be a number from 0 to 10000") }
        }
        return try await database.write { db in
            let access = try await ProductService.access(productID: productID, userID: actorID, on: db)
            try access.require(.setDefinitionOfReady, message: "The Product Owner and the Scrum Masters set the partnership's thresholds.")
            var current = try await Self.overrides(productID, on: db)
            current.merge(values) { $1 }
            try await ProductSettingsStore.store(.signalThresholds, json: JSONText.encode(current), productID: productID, on: db)
            try await ChangeLog.append(Change(.signalThresholdsSet, subject: productID, ["thresholds": .object(values.mapValues(JSONValue.number))]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            return SignalThresholds.with(current).byName
        }
    }

    static func overrides(_ productID: String, on db: any SQLDatabase) async throws -> [String: Double] {
        guard let row = try await db.select().column("signal_thresholds").from("products").where("id", .equal, productID).first() else { return [:] }
        return try RowReader(row: row).json("signal_thresholds", as: [String: Double].self, in: "products")
    }

    /// Today's signals; those with time-stamped data come from `replay` at this moment, the same arithmetic that draws
    /// their trend.
    func report(access: ProductAccess, replay: SignalReplay, on db: any SQLDatabase) async throws -> Report {
        let productID = access.product.id
        let thresholds = SignalThresholds.with(try await Self.overrides(productID, on: db))
        let now = stamps.now()
        var signals: [Signal] = []

        // The top of the backlog: the ready run and how fresh the top 20 are.
        let top = try await db.raw("""
            SELECT ref, estimate, refinement, refined_at FROM backlog_items
            WHERE product_id = \(bind: productID) AND deleted_at IS NULL AND status = 'open' ORDER BY rank LIMIT 200
            """).all()
        var readyPoints = 0.0, readyItems = 0
        for row in top {
            guard try row.decode(column: "refinement", as: String.self) == RefinementLevel.ready.rawValue else { break }
            readyPoints += try row.decodeNil(column: "estimate") ? 0 : try row.decode(column: "estimate", as: Double.self)
            readyItems += 1
        }
        let refined = try top.prefix(20).map { try $0.decodeNil(column: "refined_at") ? nil : try $0.decode(column: "refined_at", as: Int64.self) }
        // The stale ones by reference, so the tile names them.
        let staleSince = now - 30 * 86_400_000
        let stale = try zip(top.prefix(20), refined).filter { ($0.1 ?? .min) < staleSince }.map { try $0.0.decode(column: "ref", as: String.self) }

        let teams = try await db.select().columns("id", "name").from("teams").where("product_id", .equal, productID).orderBy("name").all()
            .map { try $0.decode(column: "id", as: String.self) }
        let replayed = replay.signals(at: now, teams: teams, thresholds: thresholds)
        func product(_ name: String) throws -> Signal {
            guard let signal = replayed.first(where: { $0.name == name && $0.teamId == nil }) else {
                throw DomainError(.inconsistent, code: "signal_missing", message: "The partnership signal \(name) could not be computed.")
            }
            return signal
        }
        var teamSignals: [Signal] = []
        for teamID in teams {
            let closed = try await db.select().column("*").from("sprints").where("team_id", .equal, teamID)
                .where("state", .equal, SprintState.closed.rawValue).orderBy("number", .descending).limit(14).all(SprintRow.self)
            teamSignals.append(Signals.readyRunway(teamID: teamID, readyPointsAtTop: readyPoints, readyItemsAtTop: readyItems,
                                                   lastDone: closed.map { (Int($0.number), $0.donePoints ?? 0) }, threshold: thresholds.readyRunwaySprints))
            teamSignals.append(contentsOf: replayed.filter { $0.teamId == teamID })
            let upcoming = try await db.select().column("id").from("sprints").where("team_id", .equal, teamID)
                .where("state", .in, [SprintState.active.rawValue, SprintState.planned.rawValue]).orderBy("start_date").limit(1).first()
                .map { try $0.decode(column: "id", as: String.self) }
            if let upcoming {
                let context = try await SprintStore.sprint(upcoming, userID: access.userID, on: db)
                let plan = try await SprintService.planning(context, on: db)
                teamSignals.append(Signals.commitmentRealism(teamID: teamID, sprintNumber: Int(context.sprint.number), committed: plan.committedPoints,
                                                             capacity: plan.capacityPoints, capacityBasis: plan.basis, threshold: thresholds.commitmentRealismPercent))
            } else {
                teamSignals.append(Signals.commitmentRealism(teamID: teamID, sprintNumber: nil, committed: 0, capacity: nil, capacityBasis: "", threshold: thresholds.commitmentRealismPercent))
            }
            // The sprint signals' trends are their values at each close, from the sprints' frozen figures.
            // Imported sprints have no frozen commitment or Sprint Goal: say/do and goal success pass them over.
            let sayDo = closed.filter { !$0.isImported }.map { (number: Int($0.number), committed: $0.committedPoints ?? 0, done: $0.donePoints ?? 0) }
            var sayDoSignal = Signals.sayDoRatio(teamID: teamID, closed: sayDo, threshold: thresholds.sayDoPercent)
            sayDoSignal.trend = Signals.sprintTrend(sayDo, number: \.number) { Signals.sayDoRatio(teamID: teamID, closed: $0, threshold: thresholds.sayDoPercent) }
            teamSignals.append(sayDoSignal)
            let goals = closed.filter { !$0.isImported }.map { (number: Int($0.number), goalMet: $0.goalMet == 1) }
            var goalSignal = Signals.sprintGoalSuccess(teamID: teamID, closed: goals, threshold: thresholds.sprintGoalSuccessPercent)
            goalSignal.trend = Signals.sprintTrend(goals, number: \.number) { Signals.sprintGoalSuccess(teamID: teamID, closed: $0, threshold: thresholds.sprintGoalSuccessPercent) }
            teamSignals.append(goalSignal)
        }

        var freshness = Signals.backlogFreshness(refinedAt: refined, now: now, threshold: thresholds.backlogFreshnessPercent)
        freshness.detail = ["stale": .array(stale.map(JSONValue.string))]
        signals.append(freshness)
        signals.append(try product("questionAnswerTime"))
        signals.append(try product("openBlockingQuestions"))
        signals += teamSignals
        signals.append(try product("openProposals"))
        signals.append(try product("feedbackWaiting"))
        signals.append(try product("decisionsWithoutRationale"))
        // Every dependency of an unfinished item with both ranks and the blocker's status; the rule is TandemCore's.
        let pairs = try await db.raw("""
            SELECT i.id, i.ref, i.rank, i.status, b.id AS blocker_id, b.ref AS blocker_ref, b.rank AS blocker_rank, b.status AS blocker_status
            FROM item_dependencies d JOIN backlog_items i ON i.id = d.item_id JOIN backlog_items b ON b.id = d.blocker_id
            WHERE d.product_id = \(bind: productID) AND i.deleted_at IS NULL AND b.deleted_at IS NULL
            ORDER BY i.rank
            """).all()
        var aboveRefs: [String] = []
        for row in pairs {
            let r = RowReader(row: row)
            guard !(try r.known("status", as: ItemStatus.self, in: "backlog item")).isFinished else { continue }
            let blocker = (id: try r.text("blocker_id"), ref: try r.text("blocker_ref"), rank: try r.text("blocker_rank"),
                           status: try r.known("blocker_status", as: ItemStatus.self, in: "backlog item"))
            let ref = try r.text("ref")
            if !BacklogWarnings.orderedAboveBlocker(itemRank: try r.text("rank"), blockers: [blocker]).isEmpty, aboveRefs.last != ref {
                aboveRefs.append(ref)
            }
        }
        let above = aboveRefs.count
        var aboveSignal = Signals.count("orderedAboveBlockers", unit: "items", value: above, threshold: thresholds.orderedAboveBlockers,
                                        basis: above == 0 ? "No item is ordered above an unfinished blocker."
                                            : "\(above) item\(above == 1 ? " is" : "s are") ordered above an item that blocks \(above == 1 ? "it" : "them").")
        aboveSignal.detail = ["items": .array(aboveRefs.prefix(20).map(JSONValue.string))]
        signals.append(aboveSignal)
        let masters = try await db.raw("""
            SELECT tm.team_id, tm.user_id FROM team_members tm JOIN teams t ON t.id = tm.team_id
            WHERE t.product_id = \(bind: productID) AND tm.accountability = \(bind: Accountability.scrumMaster.rawValue)
            """).all().map { (teamID: try $0.decode(column: "team_id", as: String.self), userID: try $0.decode(column: "user_id", as: String.self)) }
        let conflicts = RoleConflict.find(productOwnerID: access.product.productOwnerId, scrumMasters: masters).count
        signals.append(Signals.count("roleConflicts", unit: "people", value: conflicts, threshold: thresholds.roleConflicts,
                                     basis: conflicts == 0 ? "Nobody holds both the Product Owner and the Scrum Master accountability." : "The Product Owner is also the Scrum Master of \(conflicts) team\(conflicts == 1 ? "" : "s")."))
        return Report(productId: productID, signals: signals, thresholds: thresholds.byName)
    }
}
