import ArgumentParser
import Foundation
import TandemApp
import TandemCore

/// `tandem forecast`: a Monte Carlo forecast from velocities given on the command line or read from a team's sprints.
struct Forecast: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forecast with Monte Carlo: sprints needed for --remaining work, or work done in --sprints sprints.",
        discussion: """
        The levels are confidence levels: for "when", that share of trials finished within the figure; for "how much", \
        that share of trials delivered at least the figure.
        """
    )

    @Option(help: "Done points (or items) of past sprints, comma-separated, like 21,18,25,30.") var velocities: String?
    @Option(help: "Read the velocities from this team's last 10 closed sprints (uses TANDEM_DATABASE_URL).") var team: String?
    @Option(help: "Work remaining: forecast how many sprints it needs.") var remaining: Double?
    @Option(help: "A number of sprints: forecast how much gets done in them.") var sprints: Int?
    @Option(help: "Trials to run (1 to 1,000,000).") var trials: Int = Forecasting.defaultTrials
    @Option(help: "Seed of the random generator; the same seed gives the same answer.") var seed: UInt64?
    @Flag(help: "Print {mode, percentiles, trials, seed} as JSON.") var json = false
    @Option(help: "calibrated (the default: trials lean on runs of busy or quiet sprints) or plain (every sprint drawn independently, for comparison).")
    var method: Forecasting.Method = .calibrated

    func validate() throws {
        guard (velocities == nil) != (team == nil) else { throw ValidationError("Give either --velocities or --team.") }
        guard (remaining == nil) != (sprints == nil) else { throw ValidationError("Give either --remaining (when) or --sprints (how much).") }
        if let remaining, !(remaining.isFinite && remaining >= 0) { throw ValidationError("--remaining must be a number of 0 or more.") }
        if let sprints, !(1...Forecasting.maxSprints).contains(sprints) { throw ValidationError("--sprints must be from 1 to \(Forecasting.maxSprints).") }
        guard (1...1_000_000).contains(trials) else { throw ValidationError("--trials must be from 1 to 1,000,000.") }
        if let velocities { _ = try Self.parse(velocities) }
    }

    static func parse(_ text: String) throws -> [Double] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !parts.isEmpty, !(parts.count == 1 && parts[0].isEmpty) else { throw ValidationError("--velocities needs at least one number.") }
        return try parts.map { part in
            guard let value = Double(part), value.isFinite else { throw ValidationError("--velocities: “\(part)” is not a number.") }
            guard value >= 0 else { throw ValidationError("--velocities: \(part) is negative; a sprint cannot finish less than nothing.") }
            guard value <= Forecasting.maxVelocity else { throw ValidationError("--velocities: \(part) is more than 1,000,000,000; no sprint finishes that much.") }
            return value
        }
    }

    func run() async throws {
        let history: [Double]
        if let velocities {
            history = try Self.parse(velocities)
        } else {
            let configuration = try loadConfiguration()
            let database = try await openDatabase(configuration, logger: makeLogger(configuration))
            do {
                history = try await PlanningService.velocities(teamID: team ?? "", on: database)
            } catch {
                await database.close()
                throw ValidationError("\(error)")
            }
            await database.close()
        }
        let seed = self.seed ?? UInt64.random(in: 0...(1 << 53 - 1))
        let result: Forecasting.Result
        do {
            if let remaining {
                result = try Forecasting.when(velocities: history, remaining: remaining, trials: trials, seed: seed, method: method)
            } else {
                result = try Forecasting.howMuch(velocities: history, sprints: sprints ?? 1, trials: trials, seed: seed, method: method)
            }
        } catch {
            throw ValidationError(error.message)
        }
        let levels = Forecasting.levels
        if json {
            let percentiles = levels.map { "\"\($0)\": \(Self.number(result.percentiles[$0] ?? 0))" }.joined(separator: ", ")
            print(#"{"mode": "\#(result.mode.rawValue)", "percentiles": {\#(percentiles)}, "trials": \#(result.trials), "seed": \#(result.seed)}"#)
            return
        }
        let what = result.mode == .when ? "sprints needed for \(Self.number(remaining ?? 0))" : "done in \(sprints ?? 0) sprint\(sprints == 1 ? "" : "s")"
        print("Monte Carlo forecast (\(method.rawValue)), \(result.trials) trials, seed \(result.seed), sampling \(history.map(Self.number).joined(separator: ", "))")
        print("Confidence | \(result.mode == .when ? "Sprints needed (at most)" : "Done (at least)")")
        for level in levels { print(String(format: "%9d%% | ", level) + Self.number(result.percentiles[level] ?? 0)) }
        print("(\(what))")
    }

    static func number(_ value: Double) -> String { CapacityPlan.format(value) }
}

extension Forecasting.Method: ExpressibleByArgument {}
