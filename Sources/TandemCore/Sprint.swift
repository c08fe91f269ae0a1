import Foundation

/// A date on the calendar with no time or zone: sprint dates are the team's calendar dates, so a sprint "ends on
/// Friday" wherever the server runs.
public struct CalendarDay: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// From `YYYY-MM-DD`; nil for anything `CalendarDateRule` refuses.
    public init?(_ text: String) {
        guard (try? InputRules.calendarDate.check(text, field: "date")) != nil else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Howard Hinnant's days-from-civil algorithm: exact for the proleptic Gregorian calendar.
    public init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        self.dayNumber = era * 146_097 + doe - 719_468
    }

    public var components: (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = components
        func pad(_ value: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// 1970-01-01 was a Thursday.
    public var weekday: Weekday { Weekday.allCases[((dayNumber % 7) + 7 + 3) % 7] }

    public func adding(days: Int) -> CalendarDay { CalendarDay(dayNumber: dayNumber + days) }

    /// The calendar date at `millis` (Unix time) in `timeZone`: what "today" is for a team.
    public static func on(millis: Int64, in timeZone: TimeZone) -> CalendarDay {
        let seconds = Double(millis) / 1000
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))
        let local = (millis >= 0 ? millis / 1000 : (millis - 999) / 1000) + Int64(offset)
        return CalendarDay(dayNumber: Int(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400))
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool { a.dayNumber < b.dayNumber }
}

/// The days of the week, named as the API writes them.
public enum Weekday: String, Codable, Sendable, CaseIterable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    public static func < (a: Weekday, b: Weekday) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// When a team works: weekends and holidays do not count in capacity or burn down, which is what teams using tools
/// that count every calendar day complain about.
public struct WorkingCalendar: Sendable, Equatable {
    public var timeZone: String
    public var workingWeekdays: Set<Weekday>
    public var nonWorkingDates: Set<CalendarDay>

    public init(timeZone: String = "UTC", workingWeekdays: Set<Weekday> = WorkingCalendar.mondayToFriday, nonWorkingDates: Set<CalendarDay> = []) {
        self.timeZone = timeZone
        self.workingWeekdays = workingWeekdays
        self.nonWorkingDates = nonWorkingDates
    }

    public static let mondayToFriday: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]

    public func isWorkingDay(_ day: CalendarDay) -> Bool {
        workingWeekdays.contains(day.weekday) && !nonWorkingDates.contains(day)
    }

    /// The working days from `start` through `end`, both included.
    public func workingDays(from start: CalendarDay, through end: CalendarDay) -> [CalendarDay] {
        guard start <= end else { return [] }
        return (start.dayNumber...end.dayNumber).map(CalendarDay.init(dayNumber:)).filter(isWorkingDay)
    }

    /// The team's "today", from the instant and its time zone (UTC if the zone is unknown to this machine).
    public func today(atMillis millis: Int64) -> CalendarDay {
        CalendarDay.on(millis: millis, in: TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!)
    }
}

/// Where a sprint is in its life. It never closes itself: past its end it is shown overdue until someone closes it.
public enum SprintState: String, Codable, Sendable, CaseIterable {
    case planned, active, closed, cancelled

    public var isOpen: Bool { self == .planned || self == .active }
}

/// The work state of an item in a Sprint Backlog.
public enum WorkState: String, Codable, Sendable, CaseIterable {
    case todo, doing, done

    public var title: String {
        switch self {
        case .todo: "To do"
        case .doing: "Doing"
        case .done: "Done"
        }
    }
}

/// Where a closed or cancelled sprint's unfinished items go.
public enum CarryOver: String, Codable, Sendable, CaseIterable {
    case top, bottom, nextSprint
}

/// The timebox rule: 1 to 28 calendar days, the end date included.
public enum SprintTimebox {
    public static let maximumDays = 28

    /// The length in calendar days, or `invalid_timebox` naming the field to change.
    public static func check(start: CalendarDay, end: CalendarDay) throws(DomainError) -> Int {
        let days = end.dayNumber - start.dayNumber + 1
        guard days >= 1 else {
            throw DomainError(.ruleBroken, code: "invalid_timebox", message: "The sprint must end on or after its start date.", field: "endDate")
        }
        guard days <= maximumDays else {
            throw DomainError(
                .ruleBroken, code: "invalid_timebox",
                message: "A sprint is at most \(maximumDays) days long; this one would last \(days). Shorter sprints give feedback sooner.",
                field: "endDate"
            )
        }
        return days
    }

    /// Whether two inclusive date ranges share a day.
    public static func overlaps(_ a: (start: CalendarDay, end: CalendarDay), _ b: (start: CalendarDay, end: CalendarDay)) -> Bool {
        a.start <= b.end && b.start <= a.end
    }
}

/// What happened to one item in a running sprint; the sprint's record is these, in order, never rewritten.
public enum SprintEventKind: String, Codable, Sendable, CaseIterable {
    /// In the Sprint Backlog when the sprint started.
    case committed
    case added
    case removed
    /// The estimate changed while the item was in the sprint; `points` is the new estimate, `previousPoints` the old.
    case reestimated
    case done
    /// Taken back from done.
    case reopened
    /// Unfinished when the sprint closed or was cancelled.
    case carriedOver
}

/// One entry of a sprint's record.
public struct SprintEvent: Sendable, Equatable {
    public var kind: SprintEventKind
    public var itemID: String
    public var points: Double
    public var previousPoints: Double
    public var day: CalendarDay

    public init(kind: SprintEventKind, itemID: String, points: Double, previousPoints: Double = 0, day: CalendarDay) {
        self.kind = kind
        self.itemID = itemID
        self.points = points
        self.previousPoints = previousPoints
        self.day = day
    }
}

/// A sprint's figures, kept apart so nobody mistakes scope added mid-sprint for the commitment: the basis of
/// velocity and of the say/do ratio.
public struct SprintFigures: Sendable, Equatable, Codable {
    public var committedPoints: Double = 0
    public var committedItems: Int = 0
    public var addedPoints: Double = 0
    public var addedItems: Int = 0
    public var removedPoints: Double = 0
    public var removedItems: Int = 0
    /// The net change of estimates made while items were in the sprint.
    public var reestimatedPoints: Double = 0
    public var donePoints: Double = 0
    public var doneItems: Int = 0
    public var carriedOverPoints: Double = 0
    public var carriedOverItems: Int = 0

    public init() {}

    /// Folds a sprint's record in order: an item counts as done if its last done-or-reopened event is `done` and it
    /// was not removed afterwards.
    public static func from(_ events: [SprintEvent]) -> SprintFigures {
        var figures = SprintFigures()
        var done: [String: Double] = [:]
        for event in events {
            switch event.kind {
            case .committed:
                figures.committedPoints += event.points
                figures.committedItems += 1
            case .added:
                figures.addedPoints += event.points
                figures.addedItems += 1
            case .removed:
                figures.removedPoints += event.points
                figures.removedItems += 1
                done[event.itemID] = nil
            case .reestimated:
                figures.reestimatedPoints += event.points - event.previousPoints
            case .done:
                done[event.itemID] = event.points
            case .reopened:
                done[event.itemID] = nil
            case .carriedOver:
                figures.carriedOverPoints += event.points
                figures.carriedOverItems += 1
            }
        }
        figures.donePoints = done.values.reduce(0, +)
        figures.doneItems = done.count
        return figures
    }

    /// Points still to do at the end of each working day, for a burndown: the commitment plus changes, less what was done.
    public static func remaining(_ events: [SprintEvent], days: [CalendarDay]) -> [Double] {
        days.map { day in
            var scope: [String: Double] = [:]
            var done = Set<String>()
            for event in events where event.day <= day {
                switch event.kind {
                case .committed, .added, .reestimated: scope[event.itemID] = event.points
                case .removed: scope[event.itemID] = nil; done.remove(event.itemID)
                // Unfinished at the end: still remaining on the last day, not burnt down.
                case .carriedOver: break
                case .done: done.insert(event.itemID)
                case .reopened: done.remove(event.itemID)
                }
            }
            return scope.filter { !done.contains($0.key) }.values.reduce(0, +)
        }
    }
}

/// A closed sprint as capacity planning reads it: its done points and the person-days its people entered, without
/// any focus factor, so the comparison with a coming sprint is like with like.
public struct ClosedSprintFigure: Sendable, Equatable {
    public var number: Int
    public var donePoints: Double
    public var personDays: Double

    public init(number: Int, donePoints: Double, personDays: Double) {
        self.number = number
        self.donePoints = donePoints
        self.personDays = personDays
    }

    /// The days a closed sprint's people entered. Sprints closed since the focus factor left the arithmetic froze
    /// them (`availableDays`); earlier ones froze days × focus factor, so dividing by the factor gives them back.
    public static func enteredDays(availableDays: Double?, frozenPersonDays: Double?, focusFactor: Double?) -> Double {
        if let availableDays { return availableDays }
        guard let frozenPersonDays else { return 0 }
        guard let focusFactor, focusFactor > 0 else { return frozenPersonDays }
        return (frozenPersonDays / focusFactor * 100).rounded() / 100
    }
}

/// Realistic commitments from evidence: yesterday's weather scaled by who is actually there. With too little
/// history it says so instead of guessing.
public struct CapacityPlan: Sendable, Equatable {
    public var committedPoints: Double
    public var capacityPoints: Double?
    public var personDays: Double
    public var basis: String
    public var warning: String?

    public static let historyNeeded = 3
    /// Committing more than this share of capacity is called overcommitment.
    public static let tolerance = 1.10

    /// `history`: the team's closed sprints, most recent first; the first three are used.
    public static func plan(committedPoints: Double, personDays: Double, history: [ClosedSprintFigure]) -> CapacityPlan {
        let used = Array(history.prefix(historyNeeded))
        guard used.count == historyNeeded else {
            let have = used.isEmpty ? "no closed sprint yet" : used.count == 1 ? "one closed sprint" : "\(used.count) closed sprints"
            return CapacityPlan(
                committedPoints: committedPoints, capacityPoints: nil, personDays: personDays,
                basis: "The team has \(have); capacity needs the done points of three, so Tandem does not guess a number.", warning: nil
            )
        }
        let names = used.map { "sprint \($0.number)" }.reversed().joined(separator: ", ")
        let medianDone = median(used.map(\.donePoints))
        let medianDays = median(used.map(\.personDays))
        guard medianDays > 0 else {
            return CapacityPlan(
                committedPoints: committedPoints, capacityPoints: nil, personDays: personDays,
                basis: "The last three sprints (\(names)) recorded no person-days, so their pace cannot be scaled to this sprint.", warning: nil
            )
        }
        let capacity = (medianDone * personDays / medianDays * 10).rounded() / 10
        let basis = "Median done of \(names): \(format(medianDone)) points over a median of \(format(medianDays)) person-days; "
            + "this sprint has \(format(personDays)) person-days, so \(format(medianDone)) × \(format(personDays)) ÷ \(format(medianDays)) = \(format(capacity)) points."
        return CapacityPlan(
            committedPoints: committedPoints, capacityPoints: capacity, personDays: personDays, basis: basis,
            warning: committedPoints > capacity * tolerance ? "overcommitted" : nil
        )
    }

    /// A sprint's person-days as its people entered them, or, with none recorded, every Developer for every working
    /// day. No focus factor: the team's usual focus is already inside the velocity it is compared with, and
    /// discounting this sprint's days alone would count it twice.
    public static func personDays(daysAvailable: [Double]?, developers: Int, workingDays: Int) -> Double {
        guard let daysAvailable, !daysAvailable.isEmpty else { return Double(developers * workingDays) }
        return (daysAvailable.reduce(0, +) * 100).rounded() / 100
    }

    /// Days × focus factor, as sprints froze it before the factor left the arithmetic; still frozen beside the
    /// entered days so a closed sprint's record reads as it did.
    public static func focusedPersonDays(_ personDays: Double, focusFactor: Double?) -> Double {
        (personDays * (focusFactor ?? 1) * 100).rounded() / 100
    }

    public static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Points as people write them: no trailing ".0". Any Double is safe here: past 2^53 (where `Int(_:)` would
    /// trap beyond Int's range) and for infinities the value is written in scientific notation instead.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "not a number" : value < 0 ? "-∞" : "∞" }
        guard abs(value) < 9_007_199_254_740_992 else { return String(format: "%.3g", value) }
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}

/// What a retrospective note is about.
public enum RetrospectiveNoteKind: String, Codable, Sendable, CaseIterable {
    case helped, hindered, idea

    public var title: String {
        switch self {
        case .helped: "What helped"
        case .hindered: "What hindered"
        case .idea: "Ideas"
        }
    }
}

/// An improvement action stays on the agenda until it is done.
public enum ImprovementActionState: String, Codable, Sendable, CaseIterable {
    case open, done
}

/// Stakeholders' feedback waits in the Product Owner's inbox until accepted into the backlog or declined with a reason.
public enum FeedbackState: String, Codable, Sendable, CaseIterable {
    case open, accepted, declined
}
