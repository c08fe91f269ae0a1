import ArgumentParser
import Foundation
import TandemCore

/// `tandem backtest FILE.csv`: how often real outcomes fell below the forecast levels, on a history file.
struct Backtest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay a history (CSV: project,period,done) and report how the Monte Carlo levels held against the real outcomes."
    )

    @Argument(help: "A CSV file with a header and one row per project and period: project,week_start,done.") var file: String
    @Option(help: "Periods to forecast ahead from each point.") var horizon: Int = 4
    @Option(help: "Periods before each point to sample from.") var window: Int = 10
    @Option(help: "Trials per forecast.") var trials: Int = 2_000
    @Option(help: "Seed of the random generator.") var seed: UInt64 = 1

    func validate() throws {
        guard (1...52).contains(horizon) else { throw ValidationError("--horizon must be from 1 to 52.") }
        guard (3...200).contains(window) else { throw ValidationError("--window must be from 3 to 200.") }
        guard (1...100_000).contains(trials) else { throw ValidationError("--trials must be from 1 to 100,000.") }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("Cannot read \(file).")
        }
        var series: [String: [Double]] = [:], order: [String] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() where number > 0 {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 3, let done = Double(fields[fields.count - 1].trimmingCharacters(in: .whitespaces)), done >= 0 else {
                throw ValidationError("\(file), line \(number + 1): expected project,period,done with done a number of 0 or more.")
            }
            let project = String(fields[0])
            if series[project] == nil { order.append(project) }
            series[project, default: []].append(done)
        }
        let report = TandemCore.Backtest.run(order.compactMap { series[$0] }, horizon: horizon, window: window, trials: trials, seed: seed)
        print("Back-test of \(file): \(order.count) projects, \(report.forecasts) forecasts of the next \(horizon) periods from the \(window) before (\(report.skipped) skipped: nothing done before)")
        for level in Forecasting.levels {
            let share = Double(report.below[level] ?? 0) / Double(max(report.forecasts, 1)) * 100
            print(String(format: "  outcome below the %d%% level: %5.1f%% of forecasts (calibrated: %d%%)", level, share, 100 - level))
        }
        print(String(format: "  mean pinball loss over the three levels: Monte Carlo %.2f, average projection %.2f (%.0f%% %@)",
                     report.monteCarloLoss, report.averageLoss, abs(1 - report.monteCarloLoss / max(report.averageLoss, 1e-9)) * 100,
                     report.monteCarloLoss <= report.averageLoss ? "lower" : "higher"))
    }
}
