import ArgumentParser
import Foundation
import TandemCore

/// `tandem backtest FILE.csv`: how often real outcomes met the forecast levels, on a history file.
struct Backtest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay a history and report how often the real outcome met each Monte Carlo level (calibrated against plain resampling).",
        discussion: """
        The file is either project,period,done rows (a header first; the period a date like 2024-11-04 or a whole \
        number), or, with --sprints-from-tasks, a task export with project and finished_date columns, whose finished \
        tasks are counted per two-week sprint from each project's first finished task to its last. For each horizon, \
        every point forecasts "how much in the next h periods" from the --window periods before it; a calibrated 85% \
        level is met by about 85 outcomes in 100.
        """
    )

    @Argument(help: "A CSV history: project,period,done rows, or a task export with --sprints-from-tasks.") var file: String
    @Option(help: "Periods to forecast ahead from each point, comma-separated (like 1,3,6).") var horizons: String = "1,3,6"
    @Option(help: "One horizon (kept for scripts written before --horizons).") var horizon: Int?
    @Option(help: "Periods before each point to sample from.") var window: Int = 10
    @Option(help: "Trials per forecast.") var trials: Int = 2_000
    @Option(help: "Seed of the random generator.") var seed: UInt64 = 1
    @Option(help: "Forecast from every n-th point only (1: every point).") var every: Int = 1
    @Flag(help: "Read a task export (project, finished_date) and count finished tasks per two-week sprint.") var sprintsFromTasks = false

    func chosenHorizons() throws -> [Int] {
        if let horizon { return [horizon] }
        let parts = horizons.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0.map { (1...52).contains($0) } ?? false }) else {
            throw ValidationError("--horizons must be whole numbers from 1 to 52, comma-separated.")
        }
        return parts.compactMap { $0 }
    }

    func validate() throws {
        _ = try chosenHorizons()
        guard (3...200).contains(window) else { throw ValidationError("--window must be from 3 to 200.") }
        guard (1...100_000).contains(trials) else { throw ValidationError("--trials must be from 1 to 100,000.") }
        guard (1...1000).contains(every) else { throw ValidationError("--every must be from 1 to 1,000.") }
    }

    func run() throws {
        let series: [[Double]], projects: Int
        do {
            if sprintsFromTasks {
                let read = try Self.readTasks(file)
                (series, projects) = (read.series, read.projects.count)
            } else {
                let (bySeries, order) = try Self.read(file)
                (series, projects) = (order.compactMap { bySeries[$0] }, order.count)
            }
        } catch let problem as FileProblem {
            FileHandle.standardError.write(Data("tandem backtest: \(problem.message)\n".utf8))
            throw ExitCode(65)
        }
        let horizons = try chosenHorizons()
        print("Back-test of \(file): \(projects) projects, \(series.reduce(0) { $0 + $1.count }) periods; forecasts of the next h periods from the \(window) before, every \(every == 1 ? "point" : "\(every)th point"), \(trials) trials, seed \(seed)")
        print("Outcome met the level (calibrated: 50% ≈ 50, ties lift it a little; 85% ≈ 85; 95% ≈ 95), and the mean pinball loss (lower is better):")
        print("   h | method     | forecasts |   50% |   85% |   95% | pinball | average projected")
        for h in horizons {
            for method in [Forecasting.Method.calibrated, .plain] {
                let report = TandemCore.Backtest.run(series, horizon: h, window: window, trials: trials, seed: seed, method: method, every: every)
                print(String(format: "%4d | %-10@ | %9d | %5.1f | %5.1f | %5.1f | %7.2f | %7.2f", h, method.rawValue, report.forecasts,
                             report.metShare(50), report.metShare(85), report.metShare(95), report.monteCarloLoss, report.averageLoss))
            }
        }
    }

    /// A problem in the history file: exit 65 (data error) with the line it is on.
    struct FileProblem: Error {
        let message: String
    }

    static func lines(_ file: String) throws -> [Substring] {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
        guard let text = String(data: data, encoding: .utf8) else { throw FileProblem(message: "\(file) is not UTF-8 text.") }
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        guard lines.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw FileProblem(message: "\(file) is empty: expected a header and one row per line.")
        }
        return lines
    }

    /// The series per project, in the file's order. Every row is checked: a period that is neither a date nor a whole
    /// number, or a done count that is not a number from 0 to 1,000,000,000, names its line.
    static func read(_ file: String) throws -> (series: [String: [Double]], order: [String]) {
        let lines = try lines(file)
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

    /// A task export: the header names the `project` and `finished_date` columns (quoted or not); unfinished tasks
    /// (an empty finished date) are left out.
    static func readTasks(_ file: String) throws -> (series: [[Double]], projects: [String]) {
        let lines = try lines(file)
        func fields(_ line: Substring) -> [String] {
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
        }
        let header = fields(lines[0])
        guard let project = header.firstIndex(of: "project"), let finished = header.firstIndex(of: "finished_date") else {
            throw FileProblem(message: "\(file), line 1: the header needs a project and a finished_date column.")
        }
        var tasks: [(project: String, day: CalendarDay)] = []
        for (index, line) in lines.enumerated() where index > 0 && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let row = fields(line)
            guard row.count == header.count else { throw FileProblem(message: "\(file), line \(index + 1): expected \(header.count) fields, found \(row.count).") }
            if row[finished].isEmpty { continue }
            guard let day = CalendarDay(row[finished]) else {
                throw FileProblem(message: "\(file), line \(index + 1): the finished date “\(row[finished].prefix(40))” is not a date like 2024-11-04.")
            }
            tasks.append((row[project], day))
        }
        guard !tasks.isEmpty else { throw FileProblem(message: "\(file): no finished task to count.") }
        return TandemCore.Backtest.periods(finished: tasks)
    }
}
