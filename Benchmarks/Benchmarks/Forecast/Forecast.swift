import Benchmark
import TandemCore

/// A 10,000-trial "when" forecast over a 500-point release, and a 10,000-trial "how much", calibrated (the default)
/// and plain: the forecaster allocates a fixed handful of arrays per forecast (the outcome counts, the lean's weights,
/// the result), never one per trial, so mallocs stay flat whatever the trials.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .microseconds,
        warmupIterations: 3,
        maxDuration: .seconds(10),
        maxIterations: 200
    )
    let velocities: [Double] = [21, 18, 25, 30, 13, 22, 27, 19, 24, 16]
    Benchmark("Forecast when: 10,000 trials, 500 points") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Forecasting.when(velocities: velocities, remaining: 500, trials: 10_000, seed: 42))
        }
    }
    Benchmark("Forecast when: 100,000 trials, 500 points (allocations must not grow)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Forecasting.when(velocities: velocities, remaining: 500, trials: 100_000, seed: 42))
        }
    }
    Benchmark("Forecast how much: 10,000 trials, 10 sprints") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Forecasting.howMuch(velocities: velocities, sprints: 10, trials: 10_000, seed: 42))
        }
    }
    Benchmark("Forecast how much: 100,000 trials, 10 sprints (allocations must not grow)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Forecasting.howMuch(velocities: velocities, sprints: 10, trials: 100_000, seed: 42))
        }
    }
    Benchmark("Forecast when, plain: 10,000 trials, 500 points") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Forecasting.when(velocities: velocities, remaining: 500, trials: 10_000, seed: 42, method: .plain))
        }
    }
}
