import Foundation
import SQLKit
import TandemCore

/// A stored sprint. Its figures columns are empty until it closes or is cancelled, then never written again.
struct SprintRow: Codable, Sendable {
    var id: String
    var teamId: String
    var productId: String
    var number: Int64
    var startDate: String
    var endDate: String
    var goal: String
    var state: SprintState
    var productGoalId: String?
    var focusFactor: Double?
    var version: Int64
    var recordLength: Int64
    var createdBy: String?
    var createdAt: Int64
    var startedBy: String?
    var startedAt: Int64?
    var closedBy: String?
    var closedAt: Int64?
    var goalMet: Int?
    var closeNote: String?
    var carryOver: CarryOver?
    var committedPoints: Double?
    var committedItems: Int?
    var addedPoints: Double?
    var addedItems: Int?
    var removedPoints: Double?
    var removedItems: Int?
    var reestimatedPoints: Double?
    var donePoints: Double?
    var doneItems: Int?
    var carriedOverPoints: Double?
    var carriedOverItems: Int?
    var personDays: Double?
    /// The person-days its people entered, frozen at close (`personDays` holds them × the focus factor, as before).
    var availableDays: Double?
    /// 1 for a sprint brought in with its history from another tool: no frozen commitment, so say/do and Sprint Goal
    /// success pass it over; velocity and forecasts count it.
    var imported: Int? = 0
    /// Its name in the tool it came from.
    var externalName: String? = nil
    var isImported: Bool { imported == 1 }

    /// The days as entered, for capacity: frozen, or recovered from the focus-discounted figure of older sprints.
    var enteredDays: Double {
        ClosedSprintFigure.enteredDays(availableDays: availableDays, frozenPersonDays: personDays, focusFactor: focusFactor)
    }

    var start: CalendarDay { CalendarDay(startDate) ?? CalendarDay(dayNumber: 0) }
    var end: CalendarDay { CalendarDay(endDate) ?? CalendarDay(dayNumber: 0) }

    /// The frozen figures of a closed or cancelled sprint.
    var frozenFigures: SprintFigures? {
        guard let committedPoints else { return nil }
        var figures = SprintFigures()
        figures.committedPoints = committedPoints
        figures.committedItems = committedItems ?? 0
        figures.addedPoints = addedPoints ?? 0
        figures.addedItems = addedItems ?? 0
        figures.removedPoints = removedPoints ?? 0
        figures.removedItems = removedItems ?? 0
        figures.reestimatedPoints = reestimatedPoints ?? 0
        figures.donePoints = donePoints ?? 0
        figures.doneItems = doneItems ?? 0
        figures.carriedOverPoints = carriedOverPoints ?? 0
        figures.carriedOverItems = carriedOverItems ?? 0
        return figures
    }

    mutating func freeze(_ figures: SprintFigures, availableDays: Double) {
        committedPoints = figures.committedPoints
        committedItems = figures.committedItems
        addedPoints = figures.addedPoints
        addedItems = figures.addedItems
        removedPoints = figures.removedPoints
        removedItems = figures.removedItems
        reestimatedPoints = figures.reestimatedPoints
        donePoints = figures.donePoints
        doneItems = figures.doneItems
        carriedOverPoints = figures.carriedOverPoints
        carriedOverItems = figures.carriedOverItems
        self.availableDays = availableDays
        self.personDays = CapacityPlan.focusedPersonDays(availableDays, focusFactor: focusFactor)
    }
}

/// A team's working calendar as stored on its row.
struct TeamCalendarRow: Codable, Sendable {
    var id: String
    var productId: String
    var name: String
    var timeZone: String
    var workingWeekdays: String
    var nonWorkingDates: String

    init(id: String, productId: String, name: String, timeZone: String, workingWeekdays: String, nonWorkingDates: String) {
        self.id = id
        self.productId = productId
        self.name = name
        self.timeZone = timeZone
        self.workingWeekdays = workingWeekdays
        self.nonWorkingDates = nonWorkingDates
    }

    /// A stored calendar that does not decode is an `unreadable_row` error here, never a silent Monday-to-Friday.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: container.decode(String.self, forKey: .id), productId: container.decode(String.self, forKey: .productId),
            name: container.decode(String.self, forKey: .name), timeZone: container.decode(String.self, forKey: .timeZone),
            workingWeekdays: container.decode(String.self, forKey: .workingWeekdays), nonWorkingDates: container.decode(String.self, forKey: .nonWorkingDates)
        )
        // try?: this is the check; the failure becomes the unreadable_row error below.
        guard (try? JSONDecoder().decode([Weekday].self, from: Data(workingWeekdays.utf8))) != nil,
              (try? JSONDecoder().decode([String].self, from: Data(nonWorkingDates.utf8))) != nil else {
            throw DomainError(.inconsistent, code: "unreadable_row", message: "The team \(name) has a stored working calendar this version of Tandem cannot read.")
        }
    }

    /// The calendar; the stored lists were checked when the row was read (or written by `setCalendar` from valid values).
    var calendar: WorkingCalendar {
        let weekdays = (try? JSONDecoder().decode([Weekday].self, from: Data(workingWeekdays.utf8))).map(Set.init) ?? WorkingCalendar.mondayToFriday
        let dates = ((try? JSONDecoder().decode([String].self, from: Data(nonWorkingDates.utf8))) ?? []).compactMap(CalendarDay.init)
        return WorkingCalendar(timeZone: timeZone, workingWeekdays: weekdays, nonWorkingDates: Set(dates))
    }
}

/// One entry of a sprint's record.
struct SprintEventRow: Codable, Sendable {
    var sprintId: String
    var seq: Int64
    var itemId: String
    var kind: SprintEventKind
    var points: Double
    var previousPoints: Double
    var day: String
    var note: String?
    var actorId: String?
    var createdAt: Int64

    var event: SprintEvent {
        SprintEvent(kind: kind, itemID: itemId, points: points, previousPoints: previousPoints, day: CalendarDay(day) ?? CalendarDay(dayNumber: 0))
    }
}
