import ArgumentParser
import TandemApp

/// `tandem migrate`: applies pending schema steps without serving (serve does this too).
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database schema steps and exit.")

    func run() async throws {
        let configuration = try loadConfiguration()
        let logger = makeLogger(configuration)
        let database = try await openDatabase(configuration, logger: logger)
        do {
            let applied = try await Migrator.migrate(database, logger: logger)
            print(applied.isEmpty ? "The schema is up to date." : "Applied: \(applied.joined(separator: ", "))")
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
