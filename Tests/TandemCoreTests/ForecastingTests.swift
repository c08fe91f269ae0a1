import Testing
@testable import TandemCore

@Suite("Monte Carlo forecasting")
struct ForecastingTests {
    @Test func aFixedSeedGivesAFixedAnswer() throws {
        let first = try Forecasting.when(velocities: [21, 18, 25, 30], remaining: 120, seed: 42)
        let again = try Forecasting.when(velocities: [21, 18, 25, 30], remaining: 120, seed: 42)
        #expect(first == again)
        #expect(first.percentiles == [50: 6, 85: 6, 95: 7], "pinned: 120 points at 18 to 30 a sprint (mean 23.5); a trial leaning on the 18s needs seven")
        let plain = try Forecasting.when(velocities: [21, 18, 25, 30], remaining: 120, seed: 42, method: .plain)
        #expect(plain.percentiles == [50: 6, 85: 6, 95: 6], "plain resampling, as before: five sprints rarely, six nearly always")
        #expect(first.trials == 10_000 && first.histogram.reduce(0) { $0 + $1.trials } == 10_000)
        let much = try Forecasting.howMuch(velocities: [21, 18, 25, 30], sprints: 3, seed: 7)
        #expect(much == (try Forecasting.howMuch(velocities: [21, 18, 25, 30], sprints: 3, seed: 7)))
        #expect(much.percentiles == [50: 68, 85: 54, 95: 54], "pinned: three sprints of 18 to 30 (mean 70.5), allowing for three quiet ones")
        #expect(try Forecasting.howMuch(velocities: [21, 18, 25, 30], sprints: 3, seed: 7, method: .plain).percentiles == [50: 69, 85: 61, 95: 57])
    }

    @Test func certainHistoryGivesCertainAnswers() throws {
        #expect(try Forecasting.when(velocities: [10, 10, 10], remaining: 25, seed: 1).percentiles == [50: 3, 85: 3, 95: 3])
        #expect(try Forecasting.when(velocities: [10, 10, 10], remaining: 0, seed: 1).percentiles == [50: 0, 85: 0, 95: 0], "nothing left is done now")
        #expect(try Forecasting.howMuch(velocities: [10, 10, 10], sprints: 3, seed: 1).percentiles == [50: 30, 85: 30, 95: 30])
        #expect(try Forecasting.when(velocities: [10, 10, 10], remaining: 25, seed: 1, splitRate: .init(low: 2, high: 2)).percentiles[85] == 5, "split to 50 points")
        #expect(try Forecasting.when(velocities: [10, 10, 10], remaining: 20, seed: 1, scopeGrowth: [5, 5, 5]).percentiles[85] == 4, "20 → 15 → 10 → 5 → 0")
    }

    /// The calibrated method lets each trial lean on some past sprints: over several sprints its 85% and 95% floors are
    /// lower than plain resampling's (runs of quiet sprints happen), one sprint ahead the two agree, and a trial that
    /// leans on a sprint which finished nothing leans anew after as many sprints as the history has, so it ends.
    @Test func calibratedLevelsAllowForRuns() throws {
        let history: [Double] = [12, 30, 8, 25, 18, 40, 5, 22, 15, 28]
        for sprints in [3, 6] {
            let calibrated = try Forecasting.howMuch(velocities: history, sprints: sprints, seed: 3)
            let plain = try Forecasting.howMuch(velocities: history, sprints: sprints, seed: 3, method: .plain)
            #expect(calibrated.percentiles[85]! < plain.percentiles[85]! && calibrated.percentiles[95]! < plain.percentiles[95]!, "\(sprints) sprints")
        }
        let nine = Array(history.dropLast())  // an odd count: no level falls exactly between two sprints
        let one = try Forecasting.howMuch(velocities: nine, sprints: 1, trials: 40_000, seed: 3)
        let onePlain = try Forecasting.howMuch(velocities: nine, sprints: 1, trials: 40_000, seed: 3, method: .plain)
        #expect(one.percentiles == onePlain.percentiles, "one sprint ahead, every sprint of the history is as likely either way")
        #expect(try Forecasting.when(velocities: [3, 8, 12, 5, 0, 9], remaining: 60, seed: 99).percentiles == [50: 10, 85: 15, 95: 19])
    }

    /// The generator's Gamma draws have the mean and variance of their shape (both equal it), above and below 1.
    @Test(arguments: [0.15, 0.5, 1, 3])
    func gammaDrawsHaveTheirShape(shape: Double) {
        var generator = SeededGenerator(seed: 11)
        let draws = (0..<200_000).map { _ in generator.gamma(shape: shape) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count)
        #expect(abs(mean - shape) < 0.02 * max(shape, 1) && abs(variance - shape) < 0.06 * max(shape, 1), "mean \(mean), variance \(variance)")
        #expect(draws.allSatisfy { $0 >= 0 && $0.isFinite })
    }

    /// The levels are confidence levels: for "when" that share of trials finished within the figure (and fewer within
    /// one sprint less); for "how much" that share delivered at least the figure.
    @Test func theLevelsAreConfidenceLevels() throws {
        let when = try Forecasting.when(velocities: [3, 8, 12, 5, 0, 9], remaining: 60, seed: 99)
        for level in Forecasting.levels {
            let figure = try #require(when.percentiles[level])
            let within = when.histogram.filter { $0.value <= figure }.reduce(0) { $0 + $1.trials }
            let withinOneLess = when.histogram.filter { $0.value <= figure - 1 }.reduce(0) { $0 + $1.trials }
            #expect(Double(within) >= Double(level) / 100 * 10_000 && Double(withinOneLess) < Double(level) / 100 * 10_000, "level \(level)")
        }
        #expect(when.percentiles[50]! <= when.percentiles[85]! && when.percentiles[85]! <= when.percentiles[95]!)
        let much = try Forecasting.howMuch(velocities: [1, 2, 3], sprints: 1, trials: 30_000, seed: 5)
        #expect(much.percentiles == [50: 2, 85: 1, 95: 1], "a third each: at least 2 in two thirds of trials, at least 1 in all")
    }

    @Test func refusalsSayWhy() {
        #expect(throws: Forecasting.Refusal.notEnoughHistory(have: 2)) { try Forecasting.when(velocities: [5, 8], remaining: 10, seed: 1) }
        #expect(Forecasting.Refusal.notEnoughHistory(have: 2).message == "A forecast needs at least 3 closed sprints to sample; there are 2.")
        #expect(throws: Forecasting.Refusal.self) { try Forecasting.when(velocities: [0, 0, 0], remaining: 10, seed: 1) }
        do {
            _ = try Forecasting.when(velocities: [1, 1, 1], remaining: 10, seed: 1, scopeGrowth: [1, 2, 1])
            Issue.record("scope growing as fast as the work is done never finishes")
        } catch {
            #expect(error.message.contains("more than 200 sprints"))
        }
        #expect(throws: Forecasting.Refusal.invalid(field: "velocities", "Velocities must be numbers of 0 or more.")) { try Forecasting.howMuch(velocities: [1, -2, 3], sprints: 2, seed: 1) }
        #expect(throws: Forecasting.Refusal.self) { try Forecasting.howMuch(velocities: [1, 2, 3], sprints: 0, seed: 1) }
        #expect(throws: Forecasting.Refusal.self) { try Forecasting.when(velocities: [1, 2, 3], remaining: 5, trials: 0, seed: 1) }
        #expect(throws: Forecasting.Refusal.self) { try Forecasting.when(velocities: [1, 2, 3], remaining: 5, seed: 1, splitRate: .init(low: 2, high: 1)) }
    }

    @Test func pinballLossPunishesEachSideByItsQuantile() {
        #expect(Forecasting.pinballLoss(actual: 10, predicted: 8, quantile: 0.85) == 1.7)
        #expect(abs(Forecasting.pinballLoss(actual: 10, predicted: 12, quantile: 0.85) - 0.3) < 1e-9)
        #expect(Forecasting.pinballLoss(actual: 10, predicted: 10, quantile: 0.5) == 0)
    }

    @Test func outcomesAreBinnedByRoundWidths() {
        #expect(Forecasting.bins([1, 1, 2, 5]) == [.init(value: 1, trials: 2), .init(value: 2, trials: 1), .init(value: 5, trials: 1)])
        #expect(Forecasting.bins((0..<100).map(Double.init)).count == 20, "width 5")
    }

    /// Past 2^53 an edge plus a width is the edge again; binning by stepping edges never ended there.
    @Test("binning ends whatever the values", arguments: [
        [1e16, 1e16, 1e16], [1e16, 1e16 + 2, 3e16], [1e300, 1e300], [0, 1e308, 1.7e308], [5e-324, 1e-320, 2e-320], [0, 0, 0],
        [Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude], [1, .infinity], [0, 9_007_199_254_740_993, 9_007_199_254_740_994],
    ])
    func binningEnds(values: [Double]) {
        let bins = Forecasting.bins(values.sorted())
        #expect(bins.map(\.trials).reduce(0, +) == values.count, "every value lands in one bin")
        #expect(bins.count <= 21)
    }

    @Test func velocitiesBeyondWhatAnySprintFinishesAreRefused() {
        #expect(throws: Forecasting.Refusal.self) { try Forecasting.howMuch(velocities: [1e16, 1e16, 1e16], sprints: 3, trials: 10, seed: 1) }
        #expect(throws: Forecasting.Refusal.self) { try Forecasting.when(velocities: [1e308, 1e308, 1e308], remaining: 5, seed: 1) }
        #expect((try? Forecasting.howMuch(velocities: [1e9, 1e9, 1e9], sprints: 200, trials: 100, seed: 1))?.percentiles[50] == 2e11)
    }
}

@Suite("A team's forecast track record")
struct TrackRecordTests {
    /// Worked out by hand: a steady 10 a sprint is forecast as exactly 30 for the next three at every level. From
    /// sprint 4 (after 10, 10, 10) the next three brought 30: met. From sprint 5 they brought 10 + 10 + 4 = 24: missed.
    @Test func aKnownHistoryGivesAKnownRecord() {
        let record = TrackRecord.of([10, 10, 10, 10, 10, 10, 4], horizon: 3)
        #expect(record.fromSprint == 4 && record.sprintsNeeded == 0)
        #expect(record.levels == Forecasting.levels.map { TrackRecord.Level(level: $0, met: 1, of: 2) })
    }

    @Test func tooFewSprintsSayHowManyMoreAreNeeded() {
        let record = TrackRecord.of([10, 12, 9, 11], horizon: 3)
        #expect(record.fromSprint == nil && record.sprintsNeeded == 2 && record.levels.allSatisfy { $0.met == 0 && $0.of == 0 })
    }
}
