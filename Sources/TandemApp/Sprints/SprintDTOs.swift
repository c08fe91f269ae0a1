import Foundation
import TandemCore

/// A team's working calendar: its time zone, working weekdays and non-working dates.
public struct TeamCalendarDTO: Encodable, Sendable {
    public let teamId: String
    public let timeZone: String
    public let workingWeekdays: [Weekday]
    public let nonWorkingDates: [String]
    /// The team's date today, in its time zone.
    public let today: String
}

/// An item of a Sprint Backlog, as the board and the planning page show it.
public struct SprintItemDTO: Encodable, Sendable {
    public let id: String
    public let ref: String
    public let title: String
    public let kind: ItemKind
    public let status: ItemStatus
    public let refinement: RefinementLevel
    @NullEncodable public var estimate: Double?
    @NullEncodable public var workState: WorkState?
    public let doneChecks: [Bool]
    public let version: Int64
    /// The Developer who took it.
    @NullEncodable public var assigneeId: String? = nil
}

/// A sprint: its timebox, goal and state, its items, and its figures (live while it runs, frozen once it ends).
public struct SprintDTO: Encodable, Sendable {
    public let id: String
    public let teamId: String
    public let productId: String
    public let number: Int64
    public let state: SprintState
    public let startDate: String
    public let endDate: String
    @NullEncodable public var goal: String?
    @NullEncodable public var productGoalId: String?
    /// Open past its end date: shown, never closed automatically.
    public let overdue: Bool
    public let workingDays: Int
    public let version: Int64
    public let createdAt: Date
    @NullEncodable public var startedAt: Date?
    @NullEncodable public var closedAt: Date?
    @NullEncodable public var goalMet: Bool?
    @NullEncodable public var closeNote: String?
    @NullEncodable public var carryOver: CarryOver?
    /// Null before the sprint starts.
    @NullEncodable public var figures: SprintFigures?
    public let items: [SprintItemDTO]
}

/// The capacity recorded for a sprint and the person-days it gives.
public struct CapacityDTO: Encodable, Sendable {
    public struct Member: Encodable, Sendable {
        public let userId: String
        public let displayName: String
        public let daysAvailable: Double
    }
    public let sprintId: String
    public let members: [Member]
    @NullEncodable public var focusFactor: Double?
    public let workingDays: Int
    /// The person-days as entered: what capacity planning scales by.
    public let personDays: Double
    /// The same × the focus factor, kept as the note it now is: the team's usual focus is already in its velocity.
    public let focusedPersonDays: Double
    /// `recorded` when members' days were entered; `developers` when every Developer counts for every working day.
    public let source: String
}

/// A closed sprint used as evidence in planning.
public struct PlanningBasisSprintDTO: Encodable, Sendable {
    public let number: Int64
    public let donePoints: Double
    public let personDays: Double
}

/// The commitment against the capacity the evidence supports.
public struct PlanningDTO: Encodable, Sendable {
    public let sprintId: String
    public let committedPoints: Double
    @NullEncodable public var capacityPoints: Double?
    public let basis: String
    @NullEncodable public var warning: String?
    public let personDays: Double
    public let workingDays: Int
    public let basisSprints: [PlanningBasisSprintDTO]
}

/// One closed sprint in the team's velocity.
public struct VelocitySprintDTO: Encodable, Sendable {
    public let id: String
    public let number: Int64
    @NullEncodable public var goal: String?
    public let startDate: String
    public let endDate: String
    public let committedPoints: Double
    public let addedPoints: Double
    public let removedPoints: Double
    public let donePoints: Double
    public let goalMet: Bool
    public let carriedOverItems: Int
    public let carriedOverPoints: Double
    /// Frozen at close: the person-days × the focus factor (the figure sprints have always frozen).
    public let personDays: Double
    /// The person-days as entered, which capacity planning compares with a coming sprint's.
    public let availableDays: Double
    /// Brought in with its history from another tool (no frozen commitment; say/do passes it over), and its name there.
    public var imported: Bool = false
    @NullEncodable public var externalName: String? = nil
}

public struct VelocityDTO: Encodable, Sendable {
    public let teamId: String
    public let sprints: [VelocitySprintDTO]
    /// Median, spread and say/do ratio over the last 10 closed sprints (what a forecast samples).
    public let summary: VelocityStats
    @NullEncodable public var median: Double?
    /// How far apart the sprints lie: lowest, highest and interquartile range (the same as in `summary`).
    public let spread: Spread
    public struct Spread: Encodable, Sendable {
        @NullEncodable public var lowest: Double?
        @NullEncodable public var highest: Double?
        @NullEncodable public var interquartileRange: Double?
    }
    @NullEncodable public var sayDoRatio: Double?
}

/// One entry of a sprint's record, for the summary and the burndown.
public struct SprintEventDTO: Encodable, Sendable {
    public let kind: SprintEventKind
    public let itemId: String
    public let ref: String
    public let title: String
    public let points: Double
    public let previousPoints: Double
    public let day: String
    @NullEncodable public var note: String?
    @NullEncodable public var by: PersonRef?
}

/// The whole record of a sprint and the remaining points per working day.
public struct SprintRecordDTO: Encodable, Sendable {
    public struct BurndownDay: Encodable, Sendable {
        public let day: String
        public let remainingPoints: Double
    }
    public let sprintId: String
    public let events: [SprintEventDTO]
    public let burndown: [BurndownDay]
    /// Every calendar day with the ideal line and the day's scope changes (what `GET /sprints/{id}/burndown` answers).
    public let days: [TandemCore.BurndownDay]
    /// The ideal line over the whole timebox, the days still to come included, so a running sprint's chart spans it.
    public let ideal: [Burndown.IdealDay]
}
