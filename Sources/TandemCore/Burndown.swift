/// One day of a sprint's burndown: what remained at its end, where the ideal line stood, and the scope that changed
/// that day (shown, not hidden).
public struct BurndownDay: Sendable, Equatable, Codable {
    public let date: String
    public let working: Bool
    public let remainingPoints: Double
    public let idealPoints: Double
    public let addedPoints: Double
    public let removedPoints: Double
}

/// The burndown of a sprint, read from its record only, so a closed sprint's burndown never changes.
public enum Burndown {
    /// Every calendar day from the sprint's first through `last` (today, the close, or the last day). The ideal line
    /// falls from the commitment to zero over the working days and stays flat on the others; work done on a
    /// non-working day still shows in `remainingPoints`. Added points include estimates raised mid-sprint, removed
    /// points estimates lowered.
    /// The ideal line over the whole timebox, for drawing the days still to come beside those lived: the commitment
    /// falls evenly over the working days and stays flat on the others.
    public static func ideal(events: [SprintEvent], calendar: WorkingCalendar, start: CalendarDay, end: CalendarDay) -> [IdealDay] {
        guard end >= start else { return [] }
        let committed = events.filter { $0.kind == .committed }.reduce(0) { $0 + $1.points }
        let workingTotal = calendar.workingDays(from: start, through: end).count
        var workedSoFar = 0
        return (0...(end.dayNumber - start.dayNumber)).map { offset in
            let day = start.adding(days: offset)
            let working = calendar.isWorkingDay(day)
            if working { workedSoFar += 1 }
            let ideal = workingTotal == 0 ? 0 : committed * Double(workingTotal - workedSoFar) / Double(workingTotal)
            return IdealDay(date: day.description, working: working, idealPoints: (ideal * 100).rounded() / 100)
        }
    }

    /// One day of the whole timebox on the ideal line.
    public struct IdealDay: Codable, Sendable, Equatable {
        public let date: String
        public let working: Bool
        public let idealPoints: Double
    }

    public static func days(events: [SprintEvent], calendar: WorkingCalendar, start: CalendarDay, end: CalendarDay, through last: CalendarDay) -> [BurndownDay] {
        guard last >= start else { return [] }
        let committed = events.filter { $0.kind == .committed }.reduce(0) { $0 + $1.points }
        let workingTotal = calendar.workingDays(from: start, through: end).count
        let days = (0...(min(last, end).dayNumber - start.dayNumber)).map { start.adding(days: $0) }
        let remaining = SprintFigures.remaining(events, days: days)
        var workedSoFar = 0
        return zip(days, remaining).map { day, remaining in
            let working = calendar.isWorkingDay(day)
            if working { workedSoFar += 1 }
            var added = 0.0, removed = 0.0
            for event in events where event.day == day {
                switch event.kind {
                case .added: added += event.points
                case .removed: removed += event.points
                case .reestimated:
                    let change = event.points - event.previousPoints
                    if change > 0 { added += change } else { removed -= change }
                default: break
                }
            }
            let ideal = workingTotal == 0 ? 0 : committed * Double(workingTotal - workedSoFar) / Double(workingTotal)
            return BurndownDay(date: day.description, working: working, remainingPoints: remaining, idealPoints: (ideal * 100).rounded() / 100,
                               addedPoints: added, removedPoints: removed)
        }
    }
}

/// One closed sprint on a release burnup: done and total scope, both cumulative, so growth in scope is visible.
public struct BurnupSprint: Sendable, Equatable, Codable {
    public let number: Int
    public let endDate: String
    public let donePoints: Double
    public let scopePoints: Double

    public init(number: Int, endDate: String, donePoints: Double, scopePoints: Double) {
        self.number = number
        self.endDate = endDate
        self.donePoints = donePoints
        self.scopePoints = scopePoints
    }
}

/// A release's burnup arithmetic.
public enum Burnup {
    /// A release item: its points now, the day it joined the backlog, the number of the sprint it was done in, and
    /// its re-estimates (the day and the estimate before), so a past sprint counts it as it was estimated then.
    public struct Item: Sendable {
        public let points: Double
        public let createdOn: CalendarDay
        public let doneInSprint: Int?
        public let reestimates: [(day: CalendarDay, before: Double?)]

        public init(points: Double, createdOn: CalendarDay, doneInSprint: Int?, reestimates: [(day: CalendarDay, before: Double?)] = []) {
            self.points = points
            self.createdOn = createdOn
            self.doneInSprint = doneInSprint
            self.reestimates = reestimates.sorted { $0.day < $1.day }
        }

        /// The points as they stood at the end of `day`: the estimate before the first re-estimate after it, or today's.
        public func points(asOf day: CalendarDay) -> Double {
            guard let next = reestimates.first(where: { $0.day > day }) else { return points }
            return next.before ?? 0
        }
    }

    /// Per closed sprint (in order): points done in it and before, and the scope of items that existed by its end,
    /// each item counted with its estimate as it stood at that end.
    public static func sprints(_ closed: [(number: Int, endDate: CalendarDay)], items: [Item]) -> [BurnupSprint] {
        closed.map { sprint in
            BurnupSprint(
                number: sprint.number, endDate: sprint.endDate.description,
                donePoints: items.filter { ($0.doneInSprint ?? .max) <= sprint.number }.reduce(0) { $0 + $1.points(asOf: sprint.endDate) },
                scopePoints: items.filter { $0.createdOn <= sprint.endDate }.reduce(0) { $0 + $1.points(asOf: sprint.endDate) }
            )
        }
    }

    /// The scope added in each sprint, the samples a forecast with `scopeGrowth` draws from.
    public static func growth(_ sprints: [BurnupSprint]) -> [Double] {
        zip(sprints.dropFirst(), sprints).map { max(0, $0.scopePoints - $1.scopePoints) }
    }
}

/// What a team's closed sprints say about its pace: the median, the spread a forecast samples from, and the say/do
/// ratio (done ÷ committed, additions not counted as commitment).
public struct VelocityStats: Sendable, Equatable, Codable {
    public let sprints: Int
    public let medianDonePoints: Double?
    public let lowestDonePoints: Double?
    public let highestDonePoints: Double?
    /// The distance between the 25th and the 75th percentile (nearest rank): how far apart typical sprints lie.
    public let interquartileRange: Double?
    public var sayDoRatio: Double?

    enum CodingKeys: String, CodingKey { case sprints, medianDonePoints, lowestDonePoints, highestDonePoints, interquartileRange, sayDoRatio }

    /// Optional figures are written as null: "no number yet" is an answer.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sprints, forKey: .sprints)
        try container.encode(medianDonePoints, forKey: .medianDonePoints)
        try container.encode(lowestDonePoints, forKey: .lowestDonePoints)
        try container.encode(highestDonePoints, forKey: .highestDonePoints)
        try container.encode(interquartileRange, forKey: .interquartileRange)
        try container.encode(sayDoRatio, forKey: .sayDoRatio)
    }

    /// Over the last `window` sprints given oldest first.
    public static func of(_ closed: [(committed: Double, done: Double)], window: Int = 10) -> VelocityStats {
        let used = Array(closed.suffix(window))
        let done = used.map(\.done)
        let committed = used.reduce(0) { $0 + $1.committed }
        let quartiles = Age.percentile(done, 0.75).flatMap { high in Age.percentile(done, 0.25).map { high - $0 } }
        return VelocityStats(
            sprints: used.count, medianDonePoints: done.isEmpty ? nil : CapacityPlan.median(done), lowestDonePoints: done.min(), highestDonePoints: done.max(),
            interquartileRange: quartiles, sayDoRatio: committed > 0 ? Signals.percent(done.reduce(0, +), of: committed) : nil
        )
    }
}
