import Foundation
import SQLKit
import TandemCore

/// A sprint read with everything a request about it needs: its team's calendar and the caller's access.
struct SprintContext: Sendable {
    var sprint: SprintRow
    let team: TeamCalendarRow
    let access: ProductAccess

    var calendar: WorkingCalendar { team.calendar }

    func require(_ action: ProductAction, message: String? = nil) throws { try access.require(action, message: message) }
}

/// The queries the sprint services share.
enum SprintStore {
    /// A team with its calendar and the caller's access to its product; outsiders get "not found".
    static func team(_ teamID: String, userID: String, header: Bool = false, on db: any SQLDatabase) async throws -> (TeamCalendarRow, ProductAccess) {
        guard let team = try await db.select().columns("id", "product_id", "name", "time_zone", "working_weekdays", "non_working_dates")
            .from("teams").where("id", .equal, teamID).first(TeamCalendarRow.self)
        else { throw DomainError.notFound("The team") }
        do {
            return (team, try await ProductService.access(productID: team.productId, userID: userID, header: header, on: db))
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.notFound("The team")
        }
    }

    /// A sprint, its team and the caller's access; `lock` takes the sprint's row for the rest of the transaction
    /// (PostgreSQL; SQLite serializes writers anyway).
    static func sprint(_ sprintID: String, userID: String, lock: Bool = false, header: Bool = false, on db: any SQLDatabase) async throws -> SprintContext {
        var query = db.select().column("*").from("sprints").where("id", .equal, sprintID)
        if lock { query = query.for(.update) }
        guard let sprint = try await query.first(SprintRow.self) else { throw DomainError.notFound("The sprint") }
        do {
            let (team, access) = try await team(sprint.teamId, userID: userID, header: header, on: db)
            return SprintContext(sprint: sprint, team: team, access: access)
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.notFound("The sprint")
        }
    }

    /// The items whose current Sprint Backlog is `sprintID`, in backlog order.
    static func items(of sprintID: String, on db: any SQLDatabase) async throws -> [BacklogItemRow] {
        try await db.select().column("*").from("backlog_items").where("sprint_id", .equal, sprintID)
            .where("deleted_at", .is, SQLLiteral.null).orderBy("rank").all(BacklogItemRow.self)
    }

    static func save(_ sprint: SprintRow, on db: any SQLDatabase) async throws {
        try await db.update("sprints").set(model: sprint, with: RowCoding.encoder).where("id", .equal, sprint.id).run()
    }

    /// Appends to the sprint's record; the counter increment orders entries and serializes writers of one sprint.
    static func record(
        _ kind: SprintEventKind, item: BacklogItemRow, points: Double? = nil, previousPoints: Double = 0, note: String? = nil,
        sprintID: String, day: CalendarDay, actorID: String?, now: Int64, on db: any SQLDatabase
    ) async throws {
        guard let row = try await db.raw("UPDATE sprints SET record_length = record_length + 1 WHERE id = \(bind: sprintID) RETURNING record_length").first()
        else { throw DomainError.notFound("The sprint") }
        let event = SprintEventRow(
            sprintId: sprintID, seq: try row.decode(column: "record_length", as: Int64.self), itemId: item.id, kind: kind,
            points: points ?? item.estimate ?? 0, previousPoints: previousPoints, day: day.description, note: note, actorId: actorID, createdAt: now
        )
        try await db.insert("sprint_events", event)
    }

    static func events(of sprintID: String, on db: any SQLDatabase) async throws -> [SprintEventRow] {
        try await db.select().column("*").from("sprint_events").where("sprint_id", .equal, sprintID).orderBy("seq").all(SprintEventRow.self)
    }

    /// Person-days as entered: the recorded capacity, or every Developer for every working day.
    static func personDays(_ sprint: SprintRow, calendar: WorkingCalendar, on db: any SQLDatabase) async throws -> (personDays: Double, workingDays: Int, recorded: Bool) {
        let workingDays = calendar.workingDays(from: sprint.start, through: sprint.end).count
        let capacity = try await db.select().column("days_available").from("sprint_capacity").where("sprint_id", .equal, sprint.id).all()
            .map { try $0.decode(column: "days_available", as: Double.self) }
        let developers = capacity.isEmpty ? try await db.raw("""
            SELECT COUNT(*) AS n FROM team_members WHERE team_id = \(bind: sprint.teamId) AND accountability = 'developer'
            """).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0 : 0
        let days = CapacityPlan.personDays(daysAvailable: capacity, developers: developers, workingDays: workingDays)
        return (days, workingDays, !capacity.isEmpty)
    }

    /// An item of a Sprint Backlog, its done checks read against the product's Definition of Done as it stands.
    static func itemDTO(_ row: BacklogItemRow, definitionOfDone: [String]) -> SprintItemDTO {
        SprintItemDTO(
            id: row.id, ref: row.ref, title: row.title, kind: row.kind, status: row.status, refinement: row.refinement,
            estimate: row.estimate, workState: row.workState, doneChecks: row.doneCheckFlags(definitionOfDone), version: row.version, assigneeId: row.assigneeId
        )
    }

    static func dto(_ context: SprintContext, now: Int64, on db: any SQLDatabase) async throws -> SprintDTO {
        let sprint = context.sprint
        let items = try await items(of: sprint.id, on: db)
        let figures: SprintFigures?
        switch sprint.state {
        case .planned: figures = nil
        case .active: figures = SprintFigures.from(try await events(of: sprint.id, on: db).map(\.event))
        case .closed, .cancelled: figures = sprint.frozenFigures
        }
        let today = context.calendar.today(atMillis: now)
        return SprintDTO(
            id: sprint.id, teamId: sprint.teamId, productId: sprint.productId, number: sprint.number, state: sprint.state,
            startDate: sprint.startDate, endDate: sprint.endDate, goal: sprint.goal.isEmpty ? nil : sprint.goal, productGoalId: sprint.productGoalId,
            overdue: sprint.state.isOpen && today > sprint.end,
            workingDays: context.calendar.workingDays(from: sprint.start, through: sprint.end).count,
            version: sprint.version, createdAt: Clock.date(sprint.createdAt), startedAt: sprint.startedAt.map(Clock.date),
            closedAt: sprint.closedAt.map(Clock.date), goalMet: sprint.goalMet.map { $0 != 0 }, closeNote: sprint.closeNote,
            carryOver: sprint.carryOver, figures: figures, items: items.map { [definitionOfDone = context.access.product.definitionOfDoneItems] in itemDTO($0, definitionOfDone: definitionOfDone) }
        )
    }

    static func sprintNotOpen(_ sprint: SprintRow) -> DomainError {
        DomainError(.conflict, code: "sprint_closed", message: "Sprint \(sprint.number) is \(sprint.state.rawValue); its record no longer changes.")
    }
}
