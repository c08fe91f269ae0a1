import ArgumentParser
import Foundation
import TandemApp
import TandemCore

/// `tandem import …`: bring products in from files.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring a product in from a file.",
        subcommands: [FromTandem.self]
    )

    /// `tandem import tandem FILE.json [--as KEY]`: a Tandem export as a new product.
    struct FromTandem: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tandem",
            abstract: "Restore a `tandem export` document as a new product (people matched by email; new accounts must reset their password)."
        )

        @Argument(help: "A file written by `tandem export` or GET /api/v1/products/{id}/export.") var file: String
        @Option(name: .customLong("as"), help: "The new product's key (default: the exported key, when it is free).") var key: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("tandem: cannot read \(file).\n".utf8))
                throw ExitCode(66)
            }
            let configuration = try loadConfiguration()
            let logger = makeLogger(configuration)
            let database = try await openDatabase(configuration, logger: logger)
            let started = ContinuousClock.now
            do {
                _ = try await Migrator.migrate(database, logger: logger)
                let services = TandemServices(configuration: configuration, database: database)
                let summary = try await ProductImport(database: database, accounts: services.accounts).restore(data, as: key)
                await database.close()
                let elapsed = ContinuousClock.now - started
                print("Imported \(summary.key) (\(summary.productID)): \(summary.rows.values.reduce(0, +)) rows in \(summary.rows.count) tables, "
                      + "\(summary.rows["items"] ?? 0) items, \(summary.rows["sprints"] ?? 0) sprints, \(summary.rows["changes"] ?? 0) changes; "
                      + "\(summary.peopleMatched) people matched by email, \(summary.peopleCreated) new accounts (they set a password with `tandem user reset-password`); "
                      + "\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated))), the writer held \(String(format: "%.2f", summary.writerSeconds)) s.")
            } catch let error as DomainError {
                await database.close()
                FileHandle.standardError.write(Data("tandem: \(error.field.map { "\($0): " } ?? "")\(error.message) Nothing was imported.\n".utf8))
                throw ExitCode(65)
            } catch {
                await database.close()
                throw error
            }
        }
    }
}
