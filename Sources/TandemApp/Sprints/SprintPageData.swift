import Foundation
import SQLKit
import TandemCore

/// Everything the sprint page shows, read in one go with the caller's access loaded once.
public struct SprintPageData: Sendable {
    public struct Member: Sendable {
        public let id: String
        public let name: String
        public let accountability: Accountability
    }
    public let access: ProductAccess
    public let teamName: String
    public let calendar: WorkingCalendar
    public let sprint: SprintDTO
    public let planning: PlanningDTO
    public let capacity: CapacityDTO
    /// Open items of the product not in an open sprint, in backlog order: what can be planned (the first
    /// `candidateLimit`, of those matching `search` when given).
    public let candidates: [SprintItemDTO]
    public let members: [Member]
    public let record: SprintRecordDTO
    /// The team's date today, for the working days left before the end.
    public var today: CalendarDay
    /// What the planning page's search asked for, and whether more items match than are listed.
    public var search = ""
    public var moreCandidates = false
    /// The next planned sprint, where unfinished work can be carried (the one closing would choose).
    public var nextPlanned: (id: String, number: Int64)?

    /// Working days from today through the last day (0 once it has passed).
    public var workingDaysLeft: Int {
        let from = max(today.dayNumber, CalendarDay(sprint.startDate)?.dayNumber ?? today.dayNumber)
        guard let end = CalendarDay(sprint.endDate), from <= end.dayNumber else { return 0 }
        return calendar.workingDays(from: CalendarDay(dayNumber: from), through: end).count
    }
}

/// The team's sprints page: its sprints, calendar and velocity.
public struct TeamSprintsData: Sendable {
    public let access: ProductAccess
    public let teamID: String
    public let teamName: String
    public let calendar: TeamCalendarDTO
    public let sprints: [SprintDTO]
    public let velocity: VelocityDTO
}

extension SprintService {
    /// How many open items the planning page lists at once: a 10,000-item backlog is searched, not scrolled.
    static let candidateLimit = 30

    /// `search` narrows the items that can be planned to those whose title or reference holds it.
    public func page(sprintID: String, userID: String, search: String = "") async throws -> SprintPageData {
        let context = try await database.read { db in try await SprintStore.sprint(sprintID, userID: userID, header: true, on: db) }
        let record = try await record(sprintID: sprintID, userID: userID)
        return try await database.read { db in
            let sprint = try await SprintStore.dto(context, now: stamps.now(), on: db)
            let words = search.trimmingCharacters(in: .whitespaces).prefix(100).lowercased()
            let pattern = "%" + words.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            let matching: SQLQueryString = words.isEmpty ? "" : " AND (LOWER(i.title) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(i.ref) LIKE \(bind: pattern) ESCAPE '\\')"
            let candidates = try await db.raw("""
                SELECT i.* FROM backlog_items i LEFT JOIN sprints s ON s.id = i.sprint_id
                WHERE i.product_id = \(bind: context.sprint.productId) AND i.deleted_at IS NULL AND i.status = 'open'
                  AND (i.sprint_id IS NULL OR s.state NOT IN ('planned', 'active'))\(matching)
                ORDER BY i.rank LIMIT \(unsafeRaw: String(Self.candidateLimit + 1))
                """).all().map { try BacklogItemRow(row: $0) }
            let members = try await Self.members(teamID: context.sprint.teamId, on: db)
            let next = try await db.select().columns("id", "number").from("sprints").where("team_id", .equal, context.sprint.teamId)
                .where("state", .equal, SprintState.planned.rawValue).where("id", .notEqual, context.sprint.id).orderBy("start_date").first()
            return SprintPageData(
                access: context.access, teamName: context.team.name, calendar: context.calendar, sprint: sprint,
                planning: try await Self.planning(context, on: db), capacity: try await capacityDTO(context, on: db),
                candidates: candidates.prefix(Self.candidateLimit).map { [definitionOfDone = context.access.product.definitionOfDoneItems] in SprintStore.itemDTO($0, definitionOfDone: definitionOfDone) }, members: members, record: record,
                today: context.calendar.today(atMillis: stamps.now()),
                search: String(words), moreCandidates: candidates.count > Self.candidateLimit,
                nextPlanned: try next.map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "number", as: Int64.self)) }
            )
        }
    }

    /// The sprint with the caller's access (and the partnership header), for pages that show no planning figures.
    public func sprintWithAccess(_ sprintID: String, userID: String) async throws -> (sprint: SprintDTO, access: ProductAccess, members: [SprintPageData.Member]) {
        try await database.read { db in
            let context = try await SprintStore.sprint(sprintID, userID: userID, header: true, on: db)
            return (try await SprintStore.dto(context, now: stamps.now(), on: db), context.access, try await Self.members(teamID: context.sprint.teamId, on: db))
        }
    }

    static func members(teamID: String, on db: any SQLDatabase) async throws -> [SprintPageData.Member] {
        try await db.raw("""
            SELECT u.id, u.display_name, tm.accountability FROM team_members tm JOIN users u ON u.id = tm.user_id
            WHERE tm.team_id = \(bind: teamID) ORDER BY u.display_name
            """).all().compactMap { row -> SprintPageData.Member? in
            guard let accountability = Accountability(rawValue: try row.decode(column: "accountability", as: String.self)) else { return nil }
            return SprintPageData.Member(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "display_name", as: String.self), accountability: accountability)
        }
    }

    public func teamPage(teamID: String, userID: String) async throws -> TeamSprintsData {
        let (team, access) = try await database.read { db in try await SprintStore.team(teamID, userID: userID, header: true, on: db) }
        return TeamSprintsData(
            access: access, teamID: teamID, teamName: team.name, calendar: calendarDTO(team),
            sprints: try await sprints(teamID: teamID, state: nil, userID: userID), velocity: try await velocity(teamID: teamID, userID: userID)
        )
    }

    /// The sprint a team member most likely wants: the running one, else the next planned one.
    public func productID(ofSprint sprintID: String, userID: String) async throws -> String {
        try await database.read { db in try await SprintStore.sprint(sprintID, userID: userID, on: db).sprint.productId }
    }
}
