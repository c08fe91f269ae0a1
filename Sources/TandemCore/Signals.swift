/// One partnership signal: a number with its unit, whether it is healthy, the threshold it is judged by, and the data
/// behind it. Without enough data `value` and `healthy` are nil and `basis` says why: never a made-up number.
public struct Signal: Codable, Sendable, Equatable {
    public let name: String
    public var teamId: String?
    public let value: Double?
    public let unit: String
    public let healthy: Bool?
    public let threshold: Double
    /// How `value` meets `threshold`: `atLeast`, `atMost`, or `noneOlderThan` (days, for counts of waiting things).
    public let comparison: String
    public let basis: String
    public var detail: [String: JSONValue]?
    /// The signal over time, oldest first: per closed sprint for the sprint signals, per recorded day for the others.
    public var trend: [SignalPoint] = []

    enum CodingKeys: String, CodingKey { case name, teamId, value, unit, healthy, threshold, comparison, basis, detail, trend }

    /// Optional members are written as null, not left out: "no number" is an answer the client reads.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(teamId, forKey: .teamId)
        try container.encode(value, forKey: .value)
        try container.encode(unit, forKey: .unit)
        try container.encode(healthy, forKey: .healthy)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(comparison, forKey: .comparison)
        try container.encode(basis, forKey: .basis)
        try container.encode(detail, forKey: .detail)
        try container.encode(trend, forKey: .trend)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        teamId = try container.decodeIfPresent(String.self, forKey: .teamId)
        value = try container.decodeIfPresent(Double.self, forKey: .value)
        unit = try container.decode(String.self, forKey: .unit)
        healthy = try container.decodeIfPresent(Bool.self, forKey: .healthy)
        threshold = try container.decode(Double.self, forKey: .threshold)
        comparison = try container.decode(String.self, forKey: .comparison)
        basis = try container.decode(String.self, forKey: .basis)
        detail = try container.decodeIfPresent([String: JSONValue].self, forKey: .detail)
        trend = try container.decodeIfPresent([SignalPoint].self, forKey: .trend) ?? []
    }

    public init(name: String, teamId: String? = nil, value: Double?, unit: String, healthy: Bool?, threshold: Double, comparison: String, basis: String, detail: [String: JSONValue]? = nil) {
        self.name = name
        self.teamId = teamId
        self.value = value
        self.unit = unit
        self.healthy = healthy
        self.threshold = threshold
        self.comparison = comparison
        self.basis = basis
        self.detail = detail
    }
}

/// One point of a signal's trend: when (a day like `2026-11-20`, or `Sprint 7`) and the value then (nil: no number then).
public struct SignalPoint: Codable, Sendable, Equatable {
    public let at: String
    public let value: Double?

    public init(at: String, value: Double?) {
        self.at = at
        self.value = value
    }

    enum CodingKeys: String, CodingKey { case at, value }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(at, forKey: .at)
        try container.encode(value, forKey: .value)
    }
}

/// The thresholds signals are judged by; each is a product setting with these defaults.
public struct SignalThresholds: Codable, Sendable, Equatable {
    public var readyRunwaySprints: Double = 2
    public var backlogFreshnessPercent: Double = 50
    public var questionAnswerHours: Double = 24
    public var openBlockingQuestions: Double = 0
    public var impedimentAgeDays: Double = 5
    public var escalatedImpedimentDays: Double = 10
    public var commitmentRealismPercent: Double = 110
    public var sayDoPercent: Double = 80
    public var sprintGoalSuccessPercent: Double = 70
    public var openProposalDays: Double = 5
    public var feedbackWaitingDays: Double = 14
    public var decisionsWithoutRationale: Double = 0
    public var orderedAboveBlockers: Double = 0
    public var roleConflicts: Double = 0

    public init() {}
    public static let defaults = SignalThresholds()

    /// The settable thresholds by the name of the signal they judge (key paths are immutable values; the array is never written).
    public nonisolated(unsafe) static let fields: [(name: String, path: WritableKeyPath<SignalThresholds, Double>)] = [
        ("readyRunway", \.readyRunwaySprints), ("backlogFreshness", \.backlogFreshnessPercent), ("questionAnswerTime", \.questionAnswerHours),
        ("openBlockingQuestions", \.openBlockingQuestions), ("impedimentAge", \.impedimentAgeDays), ("escalatedImpediments", \.escalatedImpedimentDays),
        ("commitmentRealism", \.commitmentRealismPercent), ("sayDoRatio", \.sayDoPercent), ("sprintGoalSuccess", \.sprintGoalSuccessPercent),
        ("openProposals", \.openProposalDays), ("feedbackWaiting", \.feedbackWaitingDays), ("decisionsWithoutRationale", \.decisionsWithoutRationale),
        ("orderedAboveBlockers", \.orderedAboveBlockers), ("roleConflicts", \.roleConflicts),
    ]

    /// The defaults with a product's overrides applied; unknown names are ignored (a stored setting of a later version).
    public static func with(_ overrides: [String: Double]) -> SignalThresholds {
        var thresholds = SignalThresholds()
        for (name, path) in fields { if let value = overrides[name] { thresholds[keyPath: path] = value } }
        return thresholds
    }

    public var byName: [String: Double] { Dictionary(uniqueKeysWithValues: Self.fields.map { ($0.name, self[keyPath: $0.path]) }) }
}

/// The signals' arithmetic, on plain values so each is table-tested against hand-computed fixtures.
public enum Signals {
    static func percent(_ part: Double, of whole: Double) -> Double { (part / whole * 1000).rounded() / 10 }
    static func round1(_ value: Double) -> Double { (value * 10).rounded() / 10 }
    static func days(_ text: Double) -> String { CapacityPlan.format(text) }
    /// "1 question waits", "2 questions wait": a number with its noun and verb agreeing.
    static func counted(_ count: Int, _ one: String, _ many: String, verb: (one: String, many: String)? = nil) -> String {
        "\(count) \(count == 1 ? one : many)" + (verb.map { " " + (count == 1 ? $0.one : $0.many) } ?? "")
    }

    /// Ready points at the top of the backlog against the team's pace: how many sprints of ready work wait.
    public static func readyRunway(teamID: String, readyPointsAtTop: Double, readyItemsAtTop: Int, lastDone: [(number: Int, donePoints: Double)], threshold: Double) -> Signal {
        let used = Array(lastDone.prefix(3))
        guard used.count == 3 else {
            return Signal(name: "readyRunway", teamId: teamID, value: nil, unit: "sprints", healthy: nil, threshold: threshold, comparison: "atLeast",
                          basis: "The team has \(used.count) closed sprint\(used.count == 1 ? "" : "s"); the runway needs the done points of three.")
        }
        let pace = CapacityPlan.median(used.map(\.donePoints))
        guard pace > 0 else {
            return Signal(name: "readyRunway", teamId: teamID, value: nil, unit: "sprints", healthy: nil, threshold: threshold, comparison: "atLeast",
                          basis: "The last three sprints finished nothing, so there is no pace to measure the runway by.")
        }
        let value = round1(readyPointsAtTop / pace)
        return Signal(name: "readyRunway", teamId: teamID, value: value, unit: "sprints", healthy: value >= threshold, threshold: threshold, comparison: "atLeast",
                      basis: "\(CapacityPlan.format(readyPointsAtTop)) ready points in the \(readyItemsAtTop) ready items at the top ÷ \(CapacityPlan.format(pace)) points, the median done of sprints \(used.map { String($0.number) }.reversed().joined(separator: ", ")).")
    }

    /// The share of the top items refined within the window (default 30 days).
    public static func backlogFreshness(refinedAt: [Int64?], now: Int64, windowDays: Int = 30, threshold: Double) -> Signal {
        guard !refinedAt.isEmpty else {
            return Signal(name: "backlogFreshness", value: nil, unit: "%", healthy: nil, threshold: threshold, comparison: "atLeast", basis: "The backlog has no open items.")
        }
        let since = now - Int64(windowDays) * 86_400_000
        let fresh = refinedAt.filter { ($0 ?? .min) >= since }.count
        let value = percent(Double(fresh), of: Double(refinedAt.count))
        return Signal(name: "backlogFreshness", value: value, unit: "%", healthy: value >= threshold, threshold: threshold, comparison: "atLeast",
                      basis: "\(fresh) of the top \(refinedAt.count) items were refined in the last \(windowDays) days.")
    }

    /// Median hours the Product Owner took to answer over the window; the p90 in detail.
    public static func questionAnswerTime(hours: [Double], windowDays: Int = 30, threshold: Double) -> Signal {
        guard let median = hours.isEmpty ? nil : CapacityPlan.median(hours) else {
            return Signal(name: "questionAnswerTime", value: nil, unit: "hours", healthy: nil, threshold: threshold, comparison: "atMost",
                          basis: "No question was answered in the last \(windowDays) days.")
        }
        let value = round1(median)
        return Signal(name: "questionAnswerTime", value: value, unit: "hours", healthy: value <= threshold, threshold: threshold, comparison: "atMost",
                      basis: "The median over the \(hours.count) questions answered in the last \(windowDays) days.",
                      detail: ["p90": .number(round1(Age.percentile(hours, 0.9) ?? median)), "answered": .number(Double(hours.count))])
    }

    public static func openBlockingQuestions(count: Int, oldestHours: Double?, threshold: Double) -> Signal {
        Signal(name: "openBlockingQuestions", value: Double(count), unit: "questions", healthy: Double(count) <= threshold, threshold: threshold, comparison: "atMost",
               basis: count == 0 ? "No blocking question waits for an answer." : counted(count, "blocking question", "blocking questions", verb: ("waits", "wait")) + " for the Product Owner.",
               detail: oldestHours.map { ["oldestHours": .number(round1($0))] })
    }

    /// Median age of the team's open impediments, with age buckets in detail.
    public static func impedimentAge(teamID: String, openAgesDays: [Int], threshold: Double) -> Signal {
        let buckets: [String: JSONValue] = [
            "under2Days": .number(Double(openAgesDays.filter { $0 < 2 }.count)),
            "2to7Days": .number(Double(openAgesDays.filter { (2...7).contains($0) }.count)),
            "over7Days": .number(Double(openAgesDays.filter { $0 > 7 }.count)),
        ]
        guard !openAgesDays.isEmpty else {
            return Signal(name: "impedimentAge", teamId: teamID, value: 0, unit: "days", healthy: true, threshold: threshold, comparison: "atMost",
                          basis: "No open impediments.", detail: buckets)
        }
        let value = round1(CapacityPlan.median(openAgesDays.map(Double.init)))
        return Signal(name: "impedimentAge", teamId: teamID, value: value, unit: "days", healthy: value <= threshold, threshold: threshold, comparison: "atMost",
                      basis: "The median age of \(openAgesDays.count) open impediment\(openAgesDays.count == 1 ? "" : "s").", detail: buckets)
    }

    /// Open impediments escalated to the organisation; healthy while none waits longer than the threshold.
    public static func escalatedImpediments(teamID: String, escalatedAgesDays: [Int], threshold: Double) -> Signal {
        let oldest = escalatedAgesDays.max()
        return Signal(name: "escalatedImpediments", teamId: teamID, value: Double(escalatedAgesDays.count), unit: "impediments",
                      healthy: (oldest ?? 0) <= Int(threshold), threshold: threshold, comparison: "noneOlderThan",
                      basis: escalatedAgesDays.isEmpty ? "Nothing is escalated." : "\(escalatedAgesDays.count) escalated, the oldest \(oldest ?? 0) days ago.",
                      detail: oldest.map { ["oldestDays": .number(Double($0))] })
    }

    /// Committed against capacity of the running or next sprint.
    public static func commitmentRealism(teamID: String, sprintNumber: Int?, committed: Double, capacity: Double?, capacityBasis: String, threshold: Double) -> Signal {
        guard let sprintNumber else {
            return Signal(name: "commitmentRealism", teamId: teamID, value: nil, unit: "%", healthy: nil, threshold: threshold, comparison: "atMost",
                          basis: "The team has no running or planned sprint.")
        }
        guard let capacity, capacity > 0 else {
            return Signal(name: "commitmentRealism", teamId: teamID, value: nil, unit: "%", healthy: nil, threshold: threshold, comparison: "atMost",
                          basis: "Sprint \(sprintNumber): \(capacityBasis)")
        }
        let value = percent(committed, of: capacity)
        return Signal(name: "commitmentRealism", teamId: teamID, value: value, unit: "%", healthy: value <= threshold, threshold: threshold, comparison: "atMost",
                      basis: "Sprint \(sprintNumber): \(CapacityPlan.format(committed)) points committed against a capacity of \(CapacityPlan.format(capacity)).")
    }

    /// Done against committed over the last three closed sprints (additions do not count as commitment).
    public static func sayDoRatio(teamID: String, closed: [(number: Int, committed: Double, done: Double)], threshold: Double) -> Signal {
        let used = Array(closed.prefix(3))
        let committed = used.reduce(0) { $0 + $1.committed }, done = used.reduce(0) { $0 + $1.done }
        guard !used.isEmpty, committed > 0 else {
            return Signal(name: "sayDoRatio", teamId: teamID, value: nil, unit: "%", healthy: nil, threshold: threshold, comparison: "atLeast",
                          basis: used.isEmpty ? "No closed sprint yet." : "The last sprints committed no points.")
        }
        let value = percent(done, of: committed)
        return Signal(name: "sayDoRatio", teamId: teamID, value: value, unit: "%", healthy: value >= threshold, threshold: threshold, comparison: "atLeast",
                      basis: "\(CapacityPlan.format(done)) points done ÷ \(CapacityPlan.format(committed)) committed in sprints \(used.map { String($0.number) }.reversed().joined(separator: ", ")).")
    }

    public static func sprintGoalSuccess(teamID: String, closed: [(number: Int, goalMet: Bool)], threshold: Double) -> Signal {
        let used = Array(closed.prefix(6))
        guard !used.isEmpty else {
            return Signal(name: "sprintGoalSuccess", teamId: teamID, value: nil, unit: "%", healthy: nil, threshold: threshold, comparison: "atLeast", basis: "No closed sprint yet.")
        }
        let met = used.filter(\.goalMet).count
        let value = percent(Double(met), of: Double(used.count))
        return Signal(name: "sprintGoalSuccess", teamId: teamID, value: value, unit: "%", healthy: value >= threshold, threshold: threshold, comparison: "atLeast",
                      basis: "\(met) of the last \(used.count) Sprint Goals met (sprints \(used.map { String($0.number) }.reversed().joined(separator: ", "))).")
    }

    /// Things waiting for the Product Owner (proposals, feedback): healthy while none waits longer than the threshold.
    public static func waiting(_ name: String, unit: String, agesDays: [Int], threshold: Double, what: (one: String, many: String)) -> Signal {
        let oldest = agesDays.max()
        return Signal(name: name, value: Double(agesDays.count), unit: unit, healthy: (oldest ?? 0) <= Int(threshold), threshold: threshold, comparison: "noneOlderThan",
                      basis: agesDays.isEmpty ? "No \(what.one) waits." : counted(agesDays.count, what.one, what.many, verb: ("waits", "wait"))
                          + (agesDays.count == 1 ? ", for \(oldest ?? 0) day\(oldest == 1 ? "" : "s")." : ", the oldest for \(oldest ?? 0) days."),
                      detail: oldest.map { ["oldestDays": .number(Double($0))] })
    }

    /// A sprint signal as it stood at the close of each of the last `count` closed sprints, oldest first: the same
    /// arithmetic over the sprints closed by then, so the trend and today's number can never disagree.
    public static func sprintTrend<Sprint>(_ closedNewestFirst: [Sprint], number: (Sprint) -> Int, count: Int = 8, signal: ([Sprint]) -> Signal) -> [SignalPoint] {
        (0..<min(count, closedNewestFirst.count)).reversed().map { skipped in
            SignalPoint(at: "Sprint \(number(closedNewestFirst[skipped]))", value: signal(Array(closedNewestFirst.dropFirst(skipped))).value)
        }
    }

    /// A count that is healthy at or below its threshold (usually zero).
    public static func count(_ name: String, unit: String, value: Int, threshold: Double, basis: String) -> Signal {
        Signal(name: name, value: Double(value), unit: unit, healthy: Double(value) <= threshold, threshold: threshold, comparison: "atMost", basis: basis)
    }
}

/// The signals whose data carries its own timestamps, computed as they stood at any past moment: the trend of a
/// product's first days needs no stored reading, and it is the same arithmetic as today's number.
public struct SignalReplay: Sendable {
    public struct Question: Sendable {
        public let askedAt: Int64, answeredAt: Int64?, blocking: Bool
        public init(askedAt: Int64, answeredAt: Int64?, blocking: Bool) { self.askedAt = askedAt; self.answeredAt = answeredAt; self.blocking = blocking }
    }

    public struct Impediment: Sendable {
        public let teamID: String, createdAt: Int64, resolvedAt: Int64?, escalatedAt: Int64?
        public init(teamID: String, createdAt: Int64, resolvedAt: Int64?, escalatedAt: Int64?) {
            self.teamID = teamID; self.createdAt = createdAt; self.resolvedAt = resolvedAt; self.escalatedAt = escalatedAt
        }
    }

    /// Something waiting for the Product Owner (a proposal, a piece of feedback) from `createdAt` until `decidedAt`;
    /// `silent` when it was decided without a note.
    public struct Waiting: Sendable {
        public let createdAt: Int64, decidedAt: Int64?, silent: Bool
        public init(createdAt: Int64, decidedAt: Int64?, silent: Bool = false) { self.createdAt = createdAt; self.decidedAt = decidedAt; self.silent = silent }
    }

    public var questions: [Question] = []
    public var impediments: [Impediment] = []
    public var proposals: [Waiting] = []
    public var feedback: [Waiting] = []
    /// When reorders without a note were applied.
    public var silentReorders: [Int64] = []

    public init() {}

    /// The names this replay can compute.
    public static let names: Set<String> = [
        "questionAnswerTime", "openBlockingQuestions", "impedimentAge", "escalatedImpediments", "openProposals", "feedbackWaiting", "decisionsWithoutRationale",
    ]

    /// The earliest moment any of the data speaks of.
    public var earliest: Int64? {
        (questions.map(\.askedAt) + impediments.map(\.createdAt) + proposals.map(\.createdAt) + feedback.map(\.createdAt) + silentReorders).min()
    }

    /// Each replayable signal as it stood at `moment`, the team signals once per team in `teams`.
    public func signals(at moment: Int64, teams: [String], thresholds: SignalThresholds, windowDays: Int = 30) -> [Signal] {
        let window = Int64(windowDays) * 86_400_000
        func open(_ start: Int64, _ end: Int64?) -> Bool { start <= moment && (end.map { $0 > moment } ?? true) }
        var signals: [Signal] = []
        let answered = questions.compactMap { q in q.answeredAt.flatMap { $0 <= moment && $0 > moment - window ? Age.hours(from: q.askedAt, to: $0) : nil } }
        signals.append(Signals.questionAnswerTime(hours: answered, threshold: thresholds.questionAnswerHours))
        let blocking = questions.filter { $0.blocking && open($0.askedAt, $0.answeredAt) }.map { Age.hours(from: $0.askedAt, to: moment) }
        signals.append(Signals.openBlockingQuestions(count: blocking.count, oldestHours: blocking.max(), threshold: thresholds.openBlockingQuestions))
        for team in teams {
            let standing = impediments.filter { $0.teamID == team && open($0.createdAt, $0.resolvedAt) }
            signals.append(Signals.impedimentAge(teamID: team, openAgesDays: standing.map { Age.days(from: $0.createdAt, to: moment) }, threshold: thresholds.impedimentAgeDays))
            let escalated = standing.compactMap { $0.escalatedAt.flatMap { $0 <= moment ? Age.days(from: $0, to: moment) : nil } }
            signals.append(Signals.escalatedImpediments(teamID: team, escalatedAgesDays: escalated, threshold: thresholds.escalatedImpedimentDays))
        }
        let waitingProposals = proposals.filter { open($0.createdAt, $0.decidedAt) }.map { Age.days(from: $0.createdAt, to: moment) }
        signals.append(Signals.waiting("openProposals", unit: "proposals", agesDays: waitingProposals, threshold: thresholds.openProposalDays, what: ("ordering proposal", "ordering proposals")))
        let waitingFeedback = feedback.filter { open($0.createdAt, $0.decidedAt) }.map { Age.days(from: $0.createdAt, to: moment) }
        signals.append(Signals.waiting("feedbackWaiting", unit: "feedback", agesDays: waitingFeedback, threshold: thresholds.feedbackWaitingDays, what: ("piece of feedback", "pieces of feedback")))
        let silentProposals = proposals.filter { p in p.silent && (p.decidedAt.map { $0 <= moment && $0 > moment - window } ?? false) }.count
        let reorders = silentReorders.filter { $0 <= moment && $0 > moment - window }.count
        signals.append(Signals.count("decisionsWithoutRationale", unit: "decisions", value: silentProposals + reorders, threshold: thresholds.decisionsWithoutRationale,
                                     basis: Signals.counted(silentProposals, "proposal decision", "proposal decisions") + " and " + Signals.counted(reorders, "reorder", "reorders")
                                         + " of the last \(windowDays) days without a note."))
        return signals
    }
}
