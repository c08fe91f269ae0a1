/// Monte Carlo forecasting: the team's own sprint history, sampled with replacement, run forward many times, so a
/// date or a scope comes with the confidence it deserves instead of an average's false precision. Pure and seedable:
/// the same inputs and seed give the same answer.
public enum Forecasting {
    /// The confidence levels every forecast reports.
    public static let levels = [50, 85, 95]
    public static let defaultTrials = 10_000
    /// A forecast needing more sprints than this is no forecast: the work does not converge on the evidence.
    public static let maxSprints = 200
    public static let minimumHistory = 3
    /// More points (or items) than any team finishes in one sprint: larger inputs are typing errors, and bounding them
    /// keeps every sum of up to `maxSprints` of them finite and exact enough to bin.
    public static let maxVelocity = 1_000_000_000.0

    /// Why there is no forecast; each case says it in words a person can act on.
    public enum Refusal: Error, Equatable, Sendable {
        case notEnoughHistory(have: Int)
        case noForecast(String)
        case invalid(field: String, String)

        public var message: String {
            switch self {
            case .notEnoughHistory(let have):
                "A forecast needs at least \(Forecasting.minimumHistory) closed sprints to sample; there \(have == 1 ? "is" : "are") \(have)."
            case .noForecast(let why): why
            case .invalid(_, let why): why
            }
        }
    }

    /// A multiplier on the remaining work, drawn uniformly per trial: items grow as they are split while refined.
    public struct SplitRate: Sendable, Equatable, Codable {
        public let low: Double
        public let high: Double
        public init(low: Double, high: Double) {
            self.low = low
            self.high = high
        }
    }

    /// What a forecast answers: the level (50, 85, 95) to a number of sprints ("when") or of points or items ("how
    /// much"), and how the trials fell.
    public struct Result: Sendable, Equatable {
        public let mode: Mode
        /// For `when`: sprints within which that share of trials finished. For `howMuch`: what at least that share of
        /// trials delivered.
        public let percentiles: [Int: Double]
        public let histogram: [Bin]
        public let trials: Int
        public let seed: UInt64
    }

    public struct Bin: Sendable, Equatable {
        public let value: Double
        public let trials: Int
    }

    public enum Mode: String, Sendable, Codable, CaseIterable {
        case when, howMuch
    }

    /// How the trials draw from the history. `calibrated` (the default) lets each trial lean on some past sprints more
    /// than others before drawing, so runs of busy and of quiet sprints, which real teams have, are in the forecast;
    /// `plain` draws every sprint independently and evenly (kept for comparison: its 85% and 95% levels promise too
    /// much over several sprints, as the back-test shows).
    public enum Method: String, Sendable, Codable, CaseIterable {
        case calibrated, plain
    }

    /// How strongly a calibrated trial leans: the concentration of the Dirichlet weights it draws over the history.
    /// Chosen by the back-test on both public data sets at once (0.15: small enough that a six-sprint forecast allows
    /// for a run of quiet sprints, large enough that its pinball loss stays below plain resampling's).
    public static let lean = 0.15
    /// A lean lasts as many sprints as the history has (a run of busy or quiet sprints as long as the team's known
    /// past), then the trial leans anew: a trial leaning on a sprint that finished nothing does not stall forever.

    static func check(_ velocities: [Double], trials: Int) throws(Refusal) {
        guard velocities.count >= minimumHistory else { throw .notEnoughHistory(have: velocities.count) }
        guard velocities.allSatisfy({ $0.isFinite && $0 >= 0 }) else { throw .invalid(field: "velocities", "Velocities must be numbers of 0 or more.") }
        guard velocities.allSatisfy({ $0 <= maxVelocity }) else {
            throw .invalid(field: "velocities", "Velocities must be at most 1,000,000,000 per sprint; a larger number is a typing error.")
        }
        guard (1...1_000_000).contains(trials) else { throw .invalid(field: "trials", "Trials must be from 1 to 1,000,000.") }
    }

    /// How many sprints until `remaining` is done. Each trial draws a split multiplier (when given), then per sprint a
    /// velocity and (when given) a scope growth from the history until nothing remains. Allocates nothing per trial:
    /// the outcomes are counted into one array of `maxSprints` slots.
    public static func when(
        velocities: [Double], remaining: Double, trials: Int = defaultTrials, seed: UInt64,
        scopeGrowth: [Double] = [], splitRate: SplitRate? = nil, method: Method = .calibrated
    ) throws(Refusal) -> Result {
        try check(velocities, trials: trials)
        guard remaining.isFinite, remaining >= 0 else { throw .invalid(field: "remainingPoints", "The remaining work must be a number of 0 or more.") }
        if let splitRate {
            guard splitRate.low.isFinite, splitRate.high.isFinite, splitRate.low >= 1, splitRate.high >= splitRate.low, splitRate.high <= 10 else {
                throw .invalid(field: "splitRate", "The split rate needs 1 ≤ low ≤ high ≤ 10.")
            }
        }
        guard velocities.contains(where: { $0 > 0 }) else {
            throw .noForecast("Every sampled sprint finished nothing, so no number of sprints finishes the work.")
        }
        var counts = [Int](repeating: 0, count: maxSprints + 1)
        var generator = SeededGenerator(seed: seed)
        let growth = scopeGrowth.filter(\.isFinite)
        var lean = Lean(count: velocities.count)
        for _ in 0..<trials {
            var left = remaining
            if let splitRate { left *= splitRate.low + (splitRate.high - splitRate.low) * generator.unit() }
            var sprints = 0
            while left > 1e-9 {
                if method == .calibrated, sprints % velocities.count == 0 { lean.draw(using: &generator) }
                sprints += 1
                if sprints > maxSprints {
                    throw .noForecast("Some trials need more than \(maxSprints) sprints: at this pace\(growth.isEmpty ? "" : " and scope growth") the work does not finish.")
                }
                left -= velocities[method == .calibrated ? lean.pick(using: &generator) : Int(generator.next(upperBound: UInt64(velocities.count)))]
                if !growth.isEmpty { left += growth[Int(generator.next(upperBound: UInt64(growth.count)))] }
            }
            counts[sprints] += 1
        }
        var percentiles: [Int: Double] = [:]
        for level in levels {
            let needed = (Double(level) / 100 * Double(trials)).rounded(.up)
            var cumulative = 0
            for (sprints, count) in counts.enumerated() {
                cumulative += count
                if Double(cumulative) >= needed { percentiles[level] = Double(sprints); break }
            }
        }
        let histogram = counts.enumerated().filter { $0.element > 0 }.map { Bin(value: Double($0.offset), trials: $0.element) }
        return Result(mode: .when, percentiles: percentiles, histogram: histogram, trials: trials, seed: seed)
    }

    /// How much gets done in `sprints` sprints: the sum of that many sampled velocities per trial. The outcomes go
    /// into one array of `trials` numbers, sorted once.
    public static func howMuch(velocities: [Double], sprints: Int, trials: Int = defaultTrials, seed: UInt64, method: Method = .calibrated) throws(Refusal) -> Result {
        try check(velocities, trials: trials)
        guard (1...maxSprints).contains(sprints) else { throw .invalid(field: "sprints", "The number of sprints must be from 1 to \(maxSprints).") }
        var outcomes = [Double](repeating: 0, count: trials)
        var generator = SeededGenerator(seed: seed)
        var lean = Lean(count: velocities.count)
        for trial in 0..<trials {
            var done = 0.0
            if method == .calibrated {
                for sprint in 0..<sprints {
                    if sprint % velocities.count == 0 { lean.draw(using: &generator) }
                    done += velocities[lean.pick(using: &generator)]
                }
            } else {
                for _ in 0..<sprints { done += velocities[Int(generator.next(upperBound: UInt64(velocities.count)))] }
            }
            outcomes[trial] = done
        }
        outcomes.sort()
        var percentiles: [Int: Double] = [:]
        for level in levels {
            // At least `level`% of trials delivered this much or more.
            let index = Int((Double(100 - level) / 100 * Double(trials)).rounded(.down))
            percentiles[level] = outcomes[min(index, trials - 1)]
        }
        return Result(mode: .howMuch, percentiles: percentiles, histogram: bins(outcomes), trials: trials, seed: seed)
    }

    /// A calibrated trial's lean: Dirichlet(`lean`) weights over the history, drawn anew per trial into one buffer
    /// allocated once per forecast (nothing is allocated per trial), and the cumulative sums a draw searches.
    struct Lean {
        private var cumulative: [Double]

        init(count: Int) { cumulative = [Double](repeating: 0, count: count) }

        mutating func draw(using generator: inout SeededGenerator) {
            var total = 0.0
            for index in cumulative.indices {
                total += generator.gamma(shape: Forecasting.lean)
                cumulative[index] = total
            }
            // All weights underflowed (possible for a tiny shape): fall back to even weights.
            if !(total > 0) { for index in cumulative.indices { cumulative[index] = Double(index + 1) } }
        }

        /// An index drawn with the trial's weights.
        func pick(using generator: inout SeededGenerator) -> Int {
            let target = generator.unit() * (cumulative.last ?? 0)
            var low = 0, high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] > target { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }

    /// Sorted outcomes in at most 21 bins of round width, each named by its lower edge. Each value's bin is computed
    /// by division, never by stepping an edge forward: past 2^53 adding a width to an edge no longer moves it, and a
    /// loop waiting for it to pass a value would never end.
    static func bins(_ sorted: [Double]) -> [Bin] {
        guard let low = sorted.first, let high = sorted.last else { return [] }
        guard low.isFinite, high.isFinite, high > low else { return [Bin(value: low, trials: sorted.count)] }
        let width = max(1, ((high - low) / 20).rounded(.up))
        let base = (low / width).rounded(.down) * width
        var counts = [Int](repeating: 0, count: 21)
        for value in sorted {
            let position = ((value - base) / width).rounded(.down)
            counts[position.isFinite ? Int(min(max(position, 0), 20)) : 20] += 1
        }
        return counts.enumerated().compactMap { index, count in count > 0 ? Bin(value: base + Double(index) * width, trials: count) : nil }
    }

    /// The quantile loss of a level forecast `predicted` against the `actual` outcome at quantile `q` (0 to 1): the
    /// score a back-test sums, lower is better, and it rewards neither always-high nor always-low guesses.
    public static func pinballLoss(actual: Double, predicted: Double, quantile q: Double) -> Double {
        let error = actual - predicted
        return error >= 0 ? q * error : (q - 1) * error
    }
}

/// Replays a history of periods: at each point, forecasts the next `horizon` periods from the `window` before it and
/// sets the real outcome against the levels, so a team (or this project) sees how far the forecasts held.
public enum Backtest {
    public struct Report: Sendable, Equatable {
        public var forecasts = 0
        /// Points skipped because the periods before finished nothing at all.
        public var skipped = 0
        /// Per level: outcomes that met it (at least the level's figure; calibrated: about 50%, 85% and 95%).
        public var met: [Int: Int] = [:]
        /// Per level: outcomes below the level's figure (the complement of `met`).
        public var below: [Int: Int] = [:]
        /// Mean pinball loss over the three levels: the Monte Carlo figures, and the average projected forward.
        public var monteCarloLoss = 0.0
        public var averageLoss = 0.0

        /// The share of forecasts whose outcome met `level`, in percent.
        public func metShare(_ level: Int) -> Double { Double(met[level] ?? 0) / Double(max(forecasts, 1)) * 100 }
    }

    /// `every`: forecast from every n-th point only (1: every point).
    public static func run(_ series: [[Double]], horizon: Int, window: Int, trials: Int, seed: UInt64, method: Forecasting.Method = .calibrated, every: Int = 1) -> Report {
        var report = Report()
        var lossMC = 0.0, lossAverage = 0.0
        for values in series where values.count >= Forecasting.minimumHistory + horizon {
            for origin in stride(from: Forecasting.minimumHistory, through: values.count - horizon, by: max(every, 1)) {
                let history = Array(values[max(0, origin - window)..<origin])
                // try?: a window the forecast refuses (all zero, too short) is skipped, not an error of the back-test.
                guard let result = try? Forecasting.howMuch(velocities: history, sprints: horizon, trials: trials,
                                                          seed: seed &+ UInt64(report.forecasts + report.skipped), method: method) else {
                    report.skipped += 1
                    continue
                }
                let actual = values[origin..<(origin + horizon)].reduce(0, +)
                let average = history.reduce(0, +) / Double(history.count) * Double(horizon)
                for level in Forecasting.levels {
                    let figure = result.percentiles[level] ?? 0
                    if actual < figure { report.below[level, default: 0] += 1 } else { report.met[level, default: 0] += 1 }
                    let quantile = Double(100 - level) / 100
                    lossMC += Forecasting.pinballLoss(actual: actual, predicted: figure, quantile: quantile)
                    lossAverage += Forecasting.pinballLoss(actual: actual, predicted: average, quantile: quantile)
                }
                report.forecasts += 1
            }
        }
        let count = Double(max(report.forecasts, 1) * Forecasting.levels.count)
        report.monteCarloLoss = lossMC / count
        report.averageLoss = lossAverage / count
        return report
    }

    /// A history of finished tasks as periods: per project, the tasks finished in each `days`-long period from its
    /// first finished task to its last (empty periods count as 0), as a team's sprints would have seen them.
    public static func periods(finished: [(project: String, day: CalendarDay)], days: Int = 14) -> (series: [[Double]], projects: [String]) {
        var byProject: [String: [Int]] = [:], order: [String] = []
        for task in finished {
            if byProject[task.project] == nil { order.append(task.project) }
            byProject[task.project, default: []].append(task.day.dayNumber)
        }
        var series: [[Double]] = []
        for project in order {
            let days_ = byProject[project] ?? []
            guard let first = days_.min(), let last = days_.max() else { continue }
            var counts = [Double](repeating: 0, count: (last - first) / days + 1)
            for day in days_ { counts[(day - first) / days] += 1 }
            series.append(counts)
        }
        return (series, order)
    }
}

/// How a team's forecasts would have fared on its own history: from each closed sprint on (once three lie before
/// it), a calibrated "how much in the next `horizon` sprints" from the sprints before, set against what came.
public enum TrackRecord {
    public struct Level: Sendable, Equatable, Codable {
        public let level: Int
        public let met: Int
        public let of: Int
    }

    public struct Result: Sendable, Equatable {
        public let horizon: Int
        public let levels: [Level]
        /// The 1-based number (in the history given) of the first sprint forecast, or nil with too few sprints.
        public let fromSprint: Int?
        /// Closed sprints still needed before the first forecast can be judged (0 once there is one).
        public let sprintsNeeded: Int

        /// The record in words; `sprintNumbers` are the numbers of the sprints the history came from, oldest first.
        public func basis(sprintNumbers: [Int64]) -> String {
            let ahead = ["one", "two", "three", "four", "five", "six"][max(0, min(horizon, 6) - 1)] + "-sprint"
            guard let from = fromSprint, let of = levels.first?.of, of > 0 else {
                return "A \(ahead) forecast can be judged once \(Forecasting.minimumHistory + horizon) sprints have closed: \(sprintsNeeded) more to go."
            }
            let number = from - 1 < sprintNumbers.count ? "sprint \(sprintNumbers[from - 1])" : "the fourth closed sprint"
            let words = levels.map { "the \($0.level)% level was met \($0.met) time\($0.met == 1 ? "" : "s") in \($0.of)" }
            return "From \(number) on, forecasting a \(ahead) total from the sprints before: " + words.joined(separator: ", ") + "."
        }
    }

    /// `values`: done points (or items) per closed sprint, oldest first. Seeded, so the same history gives the same record.
    public static func of(_ values: [Double], horizon: Int, window: Int = 10, trials: Int = 2_000, seed: UInt64 = 1) -> Result {
        let first = Forecasting.minimumHistory
        guard values.count >= first + horizon else {
            return Result(horizon: horizon, levels: Forecasting.levels.map { Level(level: $0, met: 0, of: 0) }, fromSprint: nil,
                          sprintsNeeded: first + horizon - values.count)
        }
        var met: [Int: Int] = [:], judged = 0
        for origin in first...(values.count - horizon) {
            let history = Array(values[max(0, origin - window)..<origin])
            // try?: a window the forecast refuses is skipped: it promised nothing to check.
            guard let forecast = try? Forecasting.howMuch(velocities: history, sprints: horizon, trials: trials, seed: seed &+ UInt64(origin)) else { continue }
            let actual = values[origin..<(origin + horizon)].reduce(0, +)
            for level in Forecasting.levels where actual >= (forecast.percentiles[level] ?? .infinity) { met[level, default: 0] += 1 }
            judged += 1
        }
        return Result(horizon: horizon, levels: Forecasting.levels.map { Level(level: $0, met: met[$0] ?? 0, of: judged) }, fromSprint: first + 1, sprintsNeeded: 0)
    }
}
