import Foundation
import SQLKit
import TandemCore

/// What a sprint's creator or editor sends.
public struct SprintInput: Sendable {
    public var startDate: String?
    public var endDate: String?
    public var goal: String?
    public var version: Int64?

    public init(startDate: String? = nil, endDate: String? = nil, goal: String? = nil, version: Int64? = nil) {
        self.startDate = startDate
        self.endDate = endDate
        self.goal = goal
        self.version = version
    }
}

/// How a sprint ends: whether its goal was met, what the team says about it, and where unfinished work goes.
public struct SprintClosing: Sendable {
    public var goalMet: Bool
    public var note: String
    public var carryOver: CarryOver

    public init(goalMet: Bool, note: String, carryOver: CarryOver = .top) {
        self.goalMet = goalMet
        self.note = note
        self.carryOver = carryOver
    }
}

/// Sprints of a team: the timebox on the team's calendar, capacity, the Sprint Backlog, start, close and cancel, and
/// the honest record in between. Each change is one transaction that re-checks the caller's accountability.
public struct SprintService: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public init(database: TandemDatabase, stamps: Stamps) {
        self.database = database
        self.stamps = stamps
    }

    // MARK: Team calendar

    public func calendar(teamID: String, userID: String) async throws -> TeamCalendarDTO {
        try await database.read { db in
            let (team, _) = try await SprintStore.team(teamID, userID: userID, on: db)
            return calendarDTO(team)
        }
    }

    /// Replaces the parts sent; working days of open sprints follow, closed sprints keep their frozen person-days.
    public func setCalendar(teamID: String, timeZone: String?, workingWeekdays: [String]?, nonWorkingDates: [String]?, actorID: String) async throws -> TeamCalendarDTO {
        if let timeZone {
            // try?: the check and the lookup answer together with one message naming the field.
            guard (try? InputRules.timeZone.check(timeZone, field: "timeZone")) != nil, TimeZone(identifier: timeZone) != nil else {
                throw DomainError.invalid(field: "timeZone", "must be a time zone name like Europe/Berlin or UTC")
            }
        }
        let weekdays = try workingWeekdays.map { names -> [Weekday] in
            let days = try names.enumerated().map { index, name -> Weekday in
                guard let day = Weekday(rawValue: name) else {
                    throw DomainError.invalid(field: "workingWeekdays[\(index)]", "must be a weekday name like monday")
                }
                return day
            }
            guard !days.isEmpty else { throw DomainError.invalid(field: "workingWeekdays", "must name at least one working day") }
            guard Set(days).count == days.count else { throw DomainError.invalid(field: "workingWeekdays", "must not repeat a day") }
            return days.sorted()
        }
        let dates = try nonWorkingDates.map { raw -> [String] in
            guard raw.count <= InputRules.nonWorkingDates else { throw DomainError.invalid(field: "nonWorkingDates", "must have at most \(InputRules.nonWorkingDates) dates") }
            guard Set(raw).count == raw.count else { throw DomainError.invalid(field: "nonWorkingDates", "must not repeat a date") }
            return try raw.enumerated().map { index, date in try InputRules.calendarDate.validated(date, field: "nonWorkingDates[\(index)]") }.sorted()
        }
        return try await database.write { db in
            var (team, access) = try await SprintStore.team(teamID, userID: actorID, on: db)
            try access.require(.setTeamCalendar(teamID: teamID))
            if let timeZone { team.timeZone = timeZone }
            if let weekdays { team.workingWeekdays = JSONText.encode(weekdays.map(\.rawValue)) }
            if let dates { team.nonWorkingDates = JSONText.encode(dates) }
            try await ProductSettingsStore.storeCalendar(teamID: teamID, timeZone: team.timeZone, workingWeekdays: team.workingWeekdays,
                                                         nonWorkingDates: team.nonWorkingDates, on: db)
            try await ChangeLog.append(Change(.teamCalendarSet, subject: teamID, ["timeZone": .string(team.timeZone)]), productID: team.productId, actorID: actorID, stamps: stamps, on: db)
            return calendarDTO(team)
        }
    }

    func calendarDTO(_ team: TeamCalendarRow) -> TeamCalendarDTO {
        let calendar = team.calendar
        return TeamCalendarDTO(
            teamId: team.id, timeZone: calendar.timeZone, workingWeekdays: calendar.workingWeekdays.sorted(),
            nonWorkingDates: calendar.nonWorkingDates.sorted().map(\.description), today: calendar.today(atMillis: stamps.now()).description
        )
    }

    // MARK: Sprints

    public func sprints(teamID: String, state: SprintState?, userID: String) async throws -> [SprintDTO] {
        try await database.read { db in
            let (team, access) = try await SprintStore.team(teamID, userID: userID, on: db)
            var query = db.select().column("*").from("sprints").where("team_id", .equal, teamID)
            if let state { query = query.where("state", .equal, state.rawValue) }
            let rows = try await query.orderBy("number", .descending).all(SprintRow.self)
            var result: [SprintDTO] = []
            for row in rows {
                result.append(try await SprintStore.dto(SprintContext(sprint: row, team: team, access: access), now: stamps.now(), on: db))
            }
            return result
        }
    }

    public func sprint(_ sprintID: String, userID: String) async throws -> SprintDTO {
        try await database.read { db in
            try await SprintStore.dto(try await SprintStore.sprint(sprintID, userID: userID, on: db), now: stamps.now(), on: db)
        }
    }

    public func createSprint(teamID: String, input: SprintInput, actorID: String) async throws -> SprintDTO {
        let start = try Self.date(input.startDate, field: "startDate")
        let end = try Self.date(input.endDate, field: "endDate")
        _ = try SprintTimebox.check(start: start, end: end)
        let goal = try input.goal.map { try InputRules.sprintGoal.validated($0, field: "goal") } ?? ""
        let id = stamps.newID()
        return try await database.write { db in
            let (team, access) = try await SprintStore.team(teamID, userID: actorID, on: db)
            try access.require(.runSprint(teamID: teamID))
            // The team's row orders sprint numbers: two creations at once take turns.
            _ = try await db.select().column("id").from("teams").where("id", .equal, teamID).for(.update).first()
            try await Self.checkOverlap(teamID: teamID, start: start, end: end, except: nil, on: db)
            let last = try await db.raw("SELECT MAX(number) AS n FROM sprints WHERE team_id = \(bind: teamID)").first()
            let number = (try last.flatMap { try $0.decodeNil(column: "n") ? nil : try $0.decode(column: "n", as: Int64.self) } ?? 0) + 1
            let now = stamps.now()
            let sprint = SprintRow(
                id: id, teamId: teamID, productId: team.productId, number: number, startDate: start.description, endDate: end.description,
                goal: goal, state: .planned, productGoalId: nil, focusFactor: nil, version: 1, recordLength: 0, createdBy: actorID, createdAt: now
            )
            try await db.insert("sprints", sprint)
            try await ChangeLog.append(Change(.sprintCreated, subject: id, ["number": .number(Double(number)), "startDate": .string(sprint.startDate), "endDate": .string(sprint.endDate)]), productID: team.productId, actorID: actorID, stamps: stamps, on: db)
            return try await SprintStore.dto(SprintContext(sprint: sprint, team: team, access: access), now: now, on: db)
        }
    }

    /// Changes a planned sprint's dates or goal; once it starts, its timebox and goal hold.
    public func updateSprint(_ sprintID: String, input: SprintInput, actorID: String) async throws -> SprintDTO {
        let start = try input.startDate.map { try Self.date($0, field: "startDate") }
        let end = try input.endDate.map { try Self.date($0, field: "endDate") }
        let goal = try input.goal.map { try InputRules.sprintGoal.validated($0, field: "goal") }
        return try await database.write { db in
            var context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
            try context.require(.runSprint(teamID: context.sprint.teamId))
            if let version = input.version, version != context.sprint.version {
                throw DomainError(.conflict, code: "version_conflict", message: "The sprint changed since you loaded it; reload and try again.", field: "version",
                                  details: ["currentVersion": .number(Double(context.sprint.version))])
            }
            guard context.sprint.state == .planned else { throw Self.notPlanned(context.sprint) }
            let newStart = start ?? context.sprint.start, newEnd = end ?? context.sprint.end
            _ = try SprintTimebox.check(start: newStart, end: newEnd)
            try await Self.checkOverlap(teamID: context.sprint.teamId, start: newStart, end: newEnd, except: sprintID, on: db)
            context.sprint.startDate = newStart.description
            context.sprint.endDate = newEnd.description
            if let goal { context.sprint.goal = goal }
            context.sprint.version += 1
            try await SprintStore.save(context.sprint, on: db)
            try await ChangeLog.append(Change(.sprintUpdated, subject: sprintID, ["startDate": .string(context.sprint.startDate), "endDate": .string(context.sprint.endDate), "goal": .string(context.sprint.goal)]), productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
            return try await SprintStore.dto(context, now: stamps.now(), on: db)
        }
    }

    // MARK: Capacity and planning

    public func capacity(sprintID: String, userID: String) async throws -> CapacityDTO {
        try await database.read { db in try await capacityDTO(try await SprintStore.sprint(sprintID, userID: userID, on: db), on: db) }
    }

    /// Records who is there for how many days; members left out are not available at all.
    public func setCapacity(sprintID: String, members: [(userID: String, daysAvailable: Double)], focusFactor: Double?, actorID: String) async throws -> CapacityDTO {
        if let focusFactor, !(focusFactor > 0 && focusFactor <= 1) {
            throw DomainError.invalid(field: "focusFactor", "must be more than 0 and at most 1")
        }
        guard Set(members.map(\.userID)).count == members.count else { throw DomainError.invalid(field: "members", "must name each person once") }
        for (index, member) in members.enumerated() where !(member.daysAvailable >= 0 && member.daysAvailable <= Double(SprintTimebox.maximumDays)) {
            throw DomainError.invalid(field: "members[\(index)].daysAvailable", "must be between 0 and \(SprintTimebox.maximumDays)")
        }
        return try await database.write { db in
            var context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
            try context.require(.runSprint(teamID: context.sprint.teamId))
            guard context.sprint.state.isOpen else { throw SprintStore.sprintNotOpen(context.sprint) }
            let workingDays = context.calendar.workingDays(from: context.sprint.start, through: context.sprint.end).count
            let teamMembers = Set(try await db.select().column("user_id").from("team_members").where("team_id", .equal, context.sprint.teamId).all()
                .map { try $0.decode(column: "user_id", as: String.self) })
            for (index, member) in members.enumerated() {
                guard teamMembers.contains(member.userID) else {
                    throw DomainError(.ruleBroken, code: "not_a_team_member", message: "Capacity is recorded for the team's members; this person is not one.", field: "members[\(index)].userId")
                }
                guard member.daysAvailable <= Double(workingDays) else {
                    throw DomainError.invalid(field: "members[\(index)].daysAvailable", "must be at most the sprint's \(workingDays) working days")
                }
            }
            try await db.delete(from: "sprint_capacity").where("sprint_id", .equal, sprintID).run()
            for member in members {
                try await db.insert(into: "sprint_capacity").columns("sprint_id", "user_id", "days_available")
                    .values(SQLBind(sprintID), SQLBind(member.userID), SQLBind(member.daysAvailable)).run()
            }
            context.sprint.focusFactor = focusFactor
            context.sprint.version += 1
            try await SprintStore.save(context.sprint, on: db)
            try await ChangeLog.append(Change(.sprintCapacitySet, subject: sprintID, ["members": .number(Double(members.count)), "focusFactor": focusFactor.map(JSONValue.number) ?? .null]), productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
            return try await capacityDTO(context, on: db)
        }
    }

    func capacityDTO(_ context: SprintContext, on db: any SQLDatabase) async throws -> CapacityDTO {
        let rows = try await db.raw("""
            SELECT c.user_id, c.days_available, u.display_name FROM sprint_capacity c JOIN users u ON u.id = c.user_id
            WHERE c.sprint_id = \(bind: context.sprint.id) ORDER BY u.display_name
            """).all()
        let members = try rows.map {
            CapacityDTO.Member(
                userId: try $0.decode(column: "user_id", as: String.self), displayName: try $0.decode(column: "display_name", as: String.self),
                daysAvailable: try $0.decode(column: "days_available", as: Double.self)
            )
        }
        let (personDays, workingDays, recorded) = try await SprintStore.personDays(context.sprint, calendar: context.calendar, on: db)
        return CapacityDTO(
            sprintId: context.sprint.id, members: members, focusFactor: context.sprint.focusFactor, workingDays: workingDays,
            personDays: personDays, focusedPersonDays: CapacityPlan.focusedPersonDays(personDays, focusFactor: context.sprint.focusFactor),
            source: recorded ? "recorded" : "developers"
        )
    }

    /// The commitment against what the team's last three closed sprints support, scaled by this sprint's person-days.
    public func planning(sprintID: String, userID: String) async throws -> PlanningDTO {
        try await database.read { db in
            let context = try await SprintStore.sprint(sprintID, userID: userID, on: db)
            return try await Self.planning(context, on: db)
        }
    }

    static func planning(_ context: SprintContext, on db: any SQLDatabase) async throws -> PlanningDTO {
        let items = try await SprintStore.items(of: context.sprint.id, on: db)
        let committed = items.reduce(0) { $0 + ($1.estimate ?? 0) }
        let (personDays, workingDays, _) = try await SprintStore.personDays(context.sprint, calendar: context.calendar, on: db)
        let history = try await db.select().column("*").from("sprints")
            .where("team_id", .equal, context.sprint.teamId).where("state", .equal, SprintState.closed.rawValue)
            .where("number", .lessThan, context.sprint.number)
            .orderBy("number", .descending).limit(CapacityPlan.historyNeeded).all(SprintRow.self)
        let figures = history.map { ClosedSprintFigure(number: Int($0.number), donePoints: $0.donePoints ?? 0, personDays: $0.enteredDays) }
        let plan = CapacityPlan.plan(committedPoints: committed, personDays: personDays, history: figures)
        return PlanningDTO(
            sprintId: context.sprint.id, committedPoints: plan.committedPoints, capacityPoints: plan.capacityPoints, basis: plan.basis,
            warning: plan.warning, personDays: personDays, workingDays: workingDays,
            basisSprints: figures.count == CapacityPlan.historyNeeded
                ? figures.reversed().map { PlanningBasisSprintDTO(number: Int64($0.number), donePoints: $0.donePoints, personDays: $0.personDays) } : []
        )
    }

    // MARK: Sprint Backlog

    /// Plans an item into the sprint. Only ready items, unless the override says why (recorded).
    public func addItem(sprintID: String, itemID: String, override: Bool, reason rawReason: String?, actorID: String) async throws -> SprintItemDTO {
        try await addItems(sprintID: sprintID, itemIDs: [itemID], override: override, reason: rawReason, actorID: actorID, field: { _ in "itemId" })[0]
    }

    /// Plans several items at once, all or none, in one transaction; `field` names each item's input in an error.
    public func addItems(
        sprintID: String, itemIDs: [String], override: Bool, reason rawReason: String?, actorID: String, field: @escaping @Sendable (Int) -> String = { "itemIds[\($0)]" }
    ) async throws -> [SprintItemDTO] {
        let reason = try rawReason.map { try InputRules.reason.validated($0, field: "reason") }
        if override, reason == nil {
            throw DomainError.invalid(field: "reason", "is required with an override: say why an item that is not ready goes into the sprint")
        }
        guard !itemIDs.isEmpty else { throw DomainError.invalid(field: field(0), "Choose at least one item to plan.") }
        guard itemIDs.count <= 200 else { throw DomainError.invalid(field: field(200), "Plan at most 200 items at once.") }
        return try await database.write { db in
            let context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
            let sprint = context.sprint
            guard sprint.state.isOpen else { throw SprintStore.sprintNotOpen(sprint) }
            try context.require(.changeSprintBacklog(teamID: sprint.teamId, sprintRunning: sprint.state == .active))
            var added: [SprintItemDTO] = []
            for (index, itemID) in itemIDs.enumerated() {
                var item: BacklogItemRow
                do {
                    item = try await Self.item(itemID, of: sprint, on: db)
                } catch let error as DomainError where error.field == "itemId" {
                    throw DomainError(error.kind, code: error.code, message: error.message, field: field(index), details: error.details)
                }
                if item.sprintId == sprint.id { added.append(SprintStore.itemDTO(item, definitionOfDone: context.access.product.definitionOfDoneItems)); continue }
                if let other = item.sprintId,
                   let otherState = try await db.select().column("state").from("sprints").where("id", .equal, other).first(),
                   SprintState(rawValue: try otherState.decode(column: "state", as: String.self))?.isOpen == true {
                    throw DomainError(.ruleBroken, code: "item_in_sprint", message: "\(item.ref) is already in another open sprint.", field: field(index))
                }
                guard item.status == .open else {
                    throw DomainError(.ruleBroken, code: "item_finished", message: "\(item.ref) is \(item.status.rawValue); only open items can be planned.", field: field(index))
                }
                if item.refinement != .ready && !override {
                    let missing = Refinement.missing(for: .ready, estimate: item.estimate, readiness: item.readinessFlags(context.access.product.definitionOfReadyItems), definitionOfReady: context.access.product.definitionOfReadyItems)
                    throw DomainError(
                        .ruleBroken, code: "item_not_ready",
                        message: "\(item.ref) is not ready (it is \(item.refinement.rawValue)). Refine it first, or override with a reason.",
                        field: field(index), details: ["missing": .array(missing.map { .string($0.message) })]
                    )
                }
                let now = stamps.now()
                item.sprintId = sprint.id
                item.workState = .todo
                item.status = .planned
                item.touch(by: actorID, at: now)
                try await BacklogStore.save(item, on: db)
                if sprint.state == .active {
                    try await SprintStore.record(.added, item: item, note: reason, sprintID: sprint.id, day: context.calendar.today(atMillis: now), actorID: actorID, now: now, on: db)
                }
                var detail: [String: JSONValue] = ["itemId": .string(item.id), "ref": .string(item.ref)]
                if override, item.refinement != .ready, let reason { detail["override"] = .string(reason) }
                try await ChangeLog.append(Change(.sprintItemAdded, subject: sprint.id, detail), productID: sprint.productId, actorID: actorID, stamps: stamps, on: db)
                added.append(SprintStore.itemDTO(item, definitionOfDone: context.access.product.definitionOfDoneItems))
            }
            return added
        }
    }

    /// Takes an item out of the Sprint Backlog; it keeps its place in the Product Backlog.
    public func removeItem(sprintID: String, itemID: String, actorID: String) async throws {
        try await database.write { db in
            let context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
            let sprint = context.sprint
            guard sprint.state.isOpen else { throw SprintStore.sprintNotOpen(sprint) }
            try context.require(.changeSprintBacklog(teamID: sprint.teamId, sprintRunning: sprint.state == .active))
            var item = try await Self.item(itemID, of: sprint, on: db)
            guard item.sprintId == sprint.id else { throw DomainError.notFound("The item in this sprint") }
            let now = stamps.now()
            item.sprintId = nil
            item.workState = nil
            item.status = .open
            item.touch(by: actorID, at: now)
            try await BacklogStore.save(item, on: db)
            if sprint.state == .active {
                try await SprintStore.record(.removed, item: item, sprintID: sprint.id, day: context.calendar.today(atMillis: now), actorID: actorID, now: now, on: db)
            }
            try await ChangeLog.append(Change(.sprintItemRemoved, subject: sprint.id, ["itemId": .string(item.id), "ref": .string(item.ref)]), productID: sprint.productId, actorID: actorID, stamps: stamps, on: db)
        }
    }

    static func item(_ idOrRef: String, of sprint: SprintRow, on db: any SQLDatabase) async throws -> BacklogItemRow {
        guard let item = try await DomainError.nilIfNotFound({ try await BacklogStore.item(idOrRef, on: db) }), item.productId == sprint.productId else {
            throw DomainError(.ruleBroken, code: "unknown_item", message: "Choose an item of this product's backlog.", field: "itemId")
        }
        return item
    }

    // MARK: Start, close, cancel

    /// Starts the sprint: it needs a Sprint Goal, serves the active Product Goal, and freezes its commitment.
    public func start(sprintID: String, goal rawGoal: String?, actorID: String) async throws -> SprintDTO {
        let goal = try rawGoal.map { try InputRules.sprintGoal.validated($0, field: "goal") }
        do {
            return try await database.write { db in
                var context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
                try context.require(.runSprint(teamID: context.sprint.teamId))
                guard context.sprint.state == .planned else { throw Self.notPlanned(context.sprint) }
                if let goal, !goal.isEmpty { context.sprint.goal = goal }
                guard !context.sprint.goal.isEmpty else {
                    throw DomainError(.ruleBroken, code: "sprint_goal_required", message: "A sprint starts with a Sprint Goal: say why this sprint is valuable.", field: "goal")
                }
                if let active = try await db.select().column("number").from("sprints").where("team_id", .equal, context.sprint.teamId)
                    .where("state", .equal, SprintState.active.rawValue).first() {
                    throw Self.activeSprintExists(number: try active.decode(column: "number", as: Int64.self))
                }
                let now = stamps.now()
                let day = context.calendar.today(atMillis: now)
                context.sprint.productGoalId = try await db.select().column("id").from("product_goals")
                    .where("product_id", .equal, context.sprint.productId).where("state", .equal, ProductGoalState.active.rawValue).first()
                    .map { try $0.decode(column: "id", as: String.self) }
                context.sprint.state = .active
                context.sprint.startedAt = now
                context.sprint.startedBy = actorID
                context.sprint.version += 1
                try await SprintStore.save(context.sprint, on: db)
                for item in try await SprintStore.items(of: sprintID, on: db) {
                    try await SprintStore.record(.committed, item: item, sprintID: sprintID, day: day, actorID: actorID, now: now, on: db)
                }
                context.sprint.recordLength = try await db.select().column("record_length").from("sprints").where("id", .equal, sprintID).first()
                    .map { try $0.decode(column: "record_length", as: Int64.self) } ?? 0
                try await ChangeLog.append(Change(.sprintStarted, subject: sprintID, ["goal": .string(context.sprint.goal)]), productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
                return try await SprintStore.dto(context, now: now, on: db)
            }
        } catch where RowCoding.isUniqueViolation(error) {
            throw Self.activeSprintExists(number: nil)
        }
    }

    /// Closes a running sprint: any member of the Scrum Team may. Unfinished items are carried over and counted.
    public func close(sprintID: String, closing: SprintClosing, actorID: String) async throws -> SprintDTO {
        let note = try InputRules.note.validated(closing.note, field: "note")
        return try await database.write { db in
            var context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
            try context.require(.runSprint(teamID: context.sprint.teamId))
            guard context.sprint.state == .active else {
                throw DomainError(.conflict, code: "sprint_not_active", message: context.sprint.state == .planned
                    ? "Sprint \(context.sprint.number) has not started; start it, or edit its plan." : "Sprint \(context.sprint.number) is already \(context.sprint.state.rawValue).")
            }
            try await end(&context, as: .closed, carryOver: closing.carryOver, actorID: actorID, on: db)
            context.sprint.goalMet = closing.goalMet ? 1 : 0
            context.sprint.closeNote = note
            try await SprintStore.save(context.sprint, on: db)
            try await ChangeLog.append(Change(.sprintClosed, subject: sprintID, ["goalMet": .bool(closing.goalMet), "note": .string(note), "carryOver": .string(closing.carryOver.rawValue),
                         "donePoints": .number(context.sprint.donePoints ?? 0)]), productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
            return try await SprintStore.dto(context, now: stamps.now(), on: db)
        }
    }

    /// The Product Owner's right: a sprint whose goal became obsolete ends now; its items return like a close, and no
    /// velocity is recorded.
    public func cancel(sprintID: String, reason rawReason: String, actorID: String) async throws -> SprintDTO {
        let reason = try InputRules.reason.validated(rawReason, field: "reason")
        return try await database.write { db in
            var context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
            try context.require(.cancelSprint, message: "Only the Product Owner may cancel a sprint (the Scrum Guide gives them that right).")
            guard context.sprint.state.isOpen else { throw SprintStore.sprintNotOpen(context.sprint) }
            try await end(&context, as: .cancelled, carryOver: .top, actorID: actorID, on: db)
            context.sprint.closeNote = reason
            try await SprintStore.save(context.sprint, on: db)
            try await ChangeLog.append(Change(.sprintCancelled, subject: sprintID, ["reason": .string(reason)]), productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
            return try await SprintStore.dto(context, now: stamps.now(), on: db)
        }
    }

    /// Ends the sprint: unfinished items go where `carryOver` says (in their old relative order), each recorded as
    /// carried over; the figures are computed from the record and frozen on the sprint's row.
    func end(_ context: inout SprintContext, as state: SprintState, carryOver: CarryOver, actorID: String, on db: any SQLDatabase) async throws {
        let sprint = context.sprint
        let now = stamps.now()
        let day = context.calendar.today(atMillis: now)
        let unfinished = try await SprintStore.items(of: sprint.id, on: db).filter { $0.workState != .done }
        var next: SprintRow?
        if carryOver == .nextSprint {
            next = try await db.select().column("*").from("sprints").where("team_id", .equal, sprint.teamId)
                .where("state", .equal, SprintState.planned.rawValue).where("id", .notEqual, sprint.id)
                .orderBy("start_date").limit(1).first(SprintRow.self)
            guard next != nil else {
                throw DomainError(.ruleBroken, code: "no_next_sprint", message: "The team has no planned sprint to carry the unfinished items into; plan one first, or carry them to the backlog.", field: "carryOver")
            }
        }
        if !unfinished.isEmpty && carryOver != .nextSprint { try await BacklogStore.lockOrder(productID: sprint.productId, on: db) }
        let ranks = try await Self.carryOverRanks(count: unfinished.count, to: carryOver, productID: sprint.productId, on: db)
        for (index, var item) in unfinished.enumerated() {
            if sprint.state == .active {
                try await SprintStore.record(.carriedOver, item: item, sprintID: sprint.id, day: day, actorID: actorID, now: now, on: db)
            }
            if let next {
                item.sprintId = next.id
                item.workState = .todo
                item.status = .planned
            } else {
                item.sprintId = nil
                item.workState = nil
                item.status = .open
                item.rank = ranks[index]
            }
            item.touch(by: actorID, at: now)
            try await BacklogStore.save(item, on: db)
        }
        let figures = SprintFigures.from(try await SprintStore.events(of: sprint.id, on: db).map(\.event))
        let personDays = try await SprintStore.personDays(sprint, calendar: context.calendar, on: db).personDays
        context.sprint.recordLength = try await db.select().column("record_length").from("sprints").where("id", .equal, sprint.id).first()
            .map { try $0.decode(column: "record_length", as: Int64.self) } ?? sprint.recordLength
        context.sprint.freeze(figures, availableDays: personDays)
        context.sprint.state = state
        context.sprint.carryOver = carryOver
        context.sprint.closedAt = now
        context.sprint.closedBy = actorID
        context.sprint.version += 1
    }

    /// Rank keys for `count` items going to the top (before the first item) or the bottom (after the last), in order.
    static func carryOverRanks(count: Int, to place: CarryOver, productID: String, on db: any SQLDatabase) async throws -> [String] {
        guard count > 0, place != .nextSprint else { return [] }
        let edge = try await db.raw("SELECT \(unsafeRaw: place == .top ? "MIN" : "MAX")(rank) AS r FROM backlog_items WHERE product_id = \(bind: productID)").first()
        let bound = try edge.flatMap { try $0.decodeNil(column: "r") ? nil : try $0.decode(column: "r", as: String.self) }
        var keys: [String] = []
        if place == .top {
            var upper = bound
            for _ in 0..<count {
                let key = try RankKey.between(nil, upper)
                keys.insert(key, at: 0)
                upper = key
            }
        } else {
            var lower = bound
            for _ in 0..<count {
                let key = try RankKey.between(lower, nil)
                keys.append(key)
                lower = key
            }
        }
        return keys
    }

    /// The product's most recently started sprint (running or ended), whose review page holds the feedback inbox.
    public func latestStartedSprint(productID: String, userID: String) async throws -> String? {
        try await database.read { db in
            _ = try await ProductService.access(productID: productID, userID: userID, on: db)
            return try await db.select().column("id").from("sprints").where("product_id", .equal, productID)
                .where("state", .in, [SprintState.active.rawValue, SprintState.closed.rawValue]).orderBy("start_date", .descending).first()
                .map { try $0.decode(column: "id", as: String.self) }
        }
    }

    /// The running sprint of a team in which the caller is a Developer, if any: where their day's work is.
    public func runningSprintOfDeveloper(productID: String, userID: String) async throws -> String? {
        try await database.read { db in
            let access = try await ProductService.access(productID: productID, userID: userID, on: db)
            let teams = access.membership.teamAccountabilities.filter { $0.value == .developer }.map(\.key)
            guard !teams.isEmpty else { return nil }
            return try await db.select().column("id").from("sprints").where("team_id", .in, teams).where("state", .equal, SprintState.active.rawValue)
                .orderBy("start_date").first().map { try $0.decode(column: "id", as: String.self) }
        }
    }

    // MARK: Velocity and record

    public func velocity(teamID: String, userID: String) async throws -> VelocityDTO {
        try await database.read { db in
            _ = try await SprintStore.team(teamID, userID: userID, on: db)
            let rows = try await db.select().column("*").from("sprints").where("team_id", .equal, teamID)
                .where("state", .equal, SprintState.closed.rawValue).orderBy("number").all(SprintRow.self)
            var summary = VelocityStats.of(rows.map { (committed: $0.committedPoints ?? 0, done: $0.donePoints ?? 0) })
            // Say/do compares a frozen commitment with what was done; imported sprints have none, so it reads the others.
            let committedOnes = rows.filter { !$0.isImported }
            summary.sayDoRatio = VelocityStats.of(committedOnes.map { (committed: $0.committedPoints ?? 0, done: $0.donePoints ?? 0) }).sayDoRatio
            return VelocityDTO(teamId: teamID, sprints: rows.map { row in
                VelocitySprintDTO(
                    id: row.id, number: row.number, goal: row.goal.isEmpty ? nil : row.goal, startDate: row.startDate, endDate: row.endDate,
                    committedPoints: row.committedPoints ?? 0, addedPoints: row.addedPoints ?? 0, removedPoints: row.removedPoints ?? 0,
                    donePoints: row.donePoints ?? 0, goalMet: row.goalMet == 1, carriedOverItems: row.carriedOverItems ?? 0,
                    carriedOverPoints: row.carriedOverPoints ?? 0, personDays: row.personDays ?? 0, availableDays: row.enteredDays,
                    imported: row.isImported, externalName: row.externalName
                )
            }, summary: summary, median: summary.medianDonePoints,
               spread: .init(lowest: summary.lowestDonePoints, highest: summary.highestDonePoints, interquartileRange: summary.interquartileRange),
               sayDoRatio: summary.sayDoRatio)
        }
    }

    /// Every entry of the sprint's record and the remaining points per working day up to today or the end.
    public func record(sprintID: String, userID: String) async throws -> SprintRecordDTO {
        try await database.read { db in
            let context = try await SprintStore.sprint(sprintID, userID: userID, on: db)
            let rows = try await db.raw("""
                SELECT e.*, i.ref, i.title, u.display_name FROM sprint_events e JOIN backlog_items i ON i.id = e.item_id
                LEFT JOIN users u ON u.id = e.actor_id WHERE e.sprint_id = \(bind: sprintID) ORDER BY e.seq
                """).all()
            var events: [SprintEvent] = []
            var dtos: [SprintEventDTO] = []
            for row in rows {
                let event = try RowCoding.decode(row, as: SprintEventRow.self)
                events.append(event.event)
                let name = try row.decodeNil(column: "display_name") ? nil : try row.decode(column: "display_name", as: String.self)
                dtos.append(SprintEventDTO(
                    kind: event.kind, itemId: event.itemId, ref: try row.decode(column: "ref", as: String.self),
                    title: try row.decode(column: "title", as: String.self), points: event.points, previousPoints: event.previousPoints,
                    day: event.day, note: event.note, by: event.actorId.map { PersonRef(id: $0, displayName: name ?? "(removed)") }
                ))
            }
            let sprint = context.sprint
            var last = sprint.end
            if sprint.state == .active { last = min(last, context.calendar.today(atMillis: stamps.now())) }
            if let closedAt = sprint.closedAt { last = min(last, context.calendar.today(atMillis: closedAt)) }
            let days = sprint.state == .planned ? [] : context.calendar.workingDays(from: sprint.start, through: last)
            let remaining = SprintFigures.remaining(events, days: days)
            return SprintRecordDTO(
                sprintId: sprintID, events: dtos,
                burndown: zip(days, remaining).map { SprintRecordDTO.BurndownDay(day: $0.0.description, remainingPoints: $0.1) },
                days: sprint.state == .planned ? [] : Burndown.days(events: events, calendar: context.calendar, start: sprint.start, end: sprint.end, through: last),
                ideal: sprint.state == .planned ? [] : Burndown.ideal(events: events, calendar: context.calendar, start: sprint.start, end: sprint.end)
            )
        }
    }

    // MARK: Rules

    static func date(_ raw: String?, field: String) throws -> CalendarDay {
        guard let raw else { throw DomainError.invalid(field: field, "is required") }
        let text = try InputRules.calendarDate.validated(raw, field: field)
        guard let day = CalendarDay(text) else { throw DomainError.invalid(field: field, "must be a calendar date like 2026-12-31") }
        return day
    }

    static func checkOverlap(teamID: String, start: CalendarDay, end: CalendarDay, except: String?, on db: any SQLDatabase) async throws {
        var query = db.select().columns("id", "number", "start_date", "end_date").from("sprints").where("team_id", .equal, teamID)
            .where("state", .notEqual, SprintState.cancelled.rawValue)
            .where("start_date", .lessThanOrEqual, end.description).where("end_date", .greaterThanOrEqual, start.description)
        if let except { query = query.where("id", .notEqual, except) }
        if let other = try await query.first() {
            let number = try other.decode(column: "number", as: Int64.self)
            var error = DomainError(
                .ruleBroken, code: "sprint_overlap",
                message: "These dates overlap sprint \(number) (\(try other.decode(column: "start_date", as: String.self)) to \(try other.decode(column: "end_date", as: String.self))); a team runs one sprint at a time.",
                field: "startDate"
            )
            error.details["sprintId"] = .string(try other.decode(column: "id", as: String.self))
            throw error
        }
    }

    static func notPlanned(_ sprint: SprintRow) -> DomainError {
        DomainError(.conflict, code: "sprint_not_planned", message: "Sprint \(sprint.number) is \(sprint.state.rawValue); only a planned sprint can be changed or started.")
    }

    static func activeSprintExists(number: Int64?) -> DomainError {
        DomainError(
            .ruleBroken, code: "active_sprint_exists",
            message: "The team already runs sprint\(number.map { " \($0)" } ?? ""); close it before starting another.", field: "state"
        )
    }
}
