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
        let series: [String: [Double]], order: [String]
        do {
            (series, order) = try Self.read(file)
        } catch let problem as FileProblem {
            FileHandle.standardError.write(Data("tandem backtest: \(problem.message)\n".utf8))
            throw ExitCode(65)
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

    /// A problem in the history file: exit 65 (data error) with the line it is on.
    struct FileProblem: Error {
        let message: String
    }

    /// The series per project, in the file's order. Every row is checked: a period that is neither a date nor a whole
    /// number, or a done count that is not a number from 0 to 1,000,000,000, names its line.
    static func read(_ file: String) throws -> (series: [String: [Double]], order: [String]) {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
        guard let text = String(data: data, encoding: .utf8) else { throw FileProblem(message: "\(file) is not UTF-8 text.") }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard lines.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw FileProblem(message: "\(file) is empty: expected a header (project,period,done) and one row per project and period.")
        }
        var series: [String: [Double]] = [:], order: [String] = []
        for (index, line) in lines.enumerated() where index > 0 && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let place = "\(file), line \(index + 1)"
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { throw FileProblem(message: "\(place): expected 3 fields (project,period,done), found \(fields.count).") }
            guard !fields[0].isEmpty else { throw FileProblem(message: "\(place): the project is empty.") }
            guard CalendarDay(fields[1]) != nil || (fields[1].count <= 9 && Int(fields[1]) != nil) else {
                throw FileProblem(message: "\(place): the period “\(fields[1].prefix(40))” is neither a date (2024-11-04) nor a whole number.")
            }
            guard let done = Double(fields[2]), done.isFinite, done >= 0, done <= Forecasting.maxVelocity else {
                throw FileProblem(message: "\(place): done “\(fields[2].prefix(40))\(fields[2].count > 40 ? "…" : "")” is not a number from 0 to 1,000,000,000.")
            }
            if series[fields[0]] == nil { order.append(fields[0]) }
            series[fields[0], default: []].append(done)
        }
        guard !order.isEmpty else { throw FileProblem(message: "\(file), line 1: only a header, no rows to replay.") }
        return (series, order)
    }
}
