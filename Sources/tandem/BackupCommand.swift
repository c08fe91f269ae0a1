import ArgumentParser
import Foundation
import Logging
import TandemApp

/// `tandem backup --to FILE`: a consistent copy of the live SQLite database while the server runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to a new file while Tandem runs (PostgreSQL: use pg_dump)."
    )

    @Option(help: "The new file to write; it must not exist.") var to: String

    func run() async throws {
        let path = (to as NSString).expandingTildeInPath
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        try await withDatabase { database, logger in
            let report = try await DatabaseBackup(database: database, logger: logger).backup(to: absolute)
            print("Backed up \(report.rows) rows in \(report.tables) tables to \(absolute) (\(report.bytes / 1024) KiB, \(String(format: "%.2f", report.seconds)) s); integrity check ok.")
        }
    }
}

/// `tandem restore FILE`: brings a backup back into the configured database, all or nothing.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the configured SQLite database's content with a backup's (refuses a database in use without --force)."
    )

    @Argument(help: "A file made by `tandem backup`.") var file: String
    @Flag(help: "Replace the target's accounts and products too.") var force = false

    func run() async throws {
        guard FileManager.default.fileExists(atPath: file) else {
            FileHandle.standardError.write(Data("tandem: \(file) does not exist.\n".utf8))
            throw ExitCode(66)
        }
        try await withDatabase { database, logger in
            let report = try await DatabaseBackup(database: database, logger: logger).restore(from: file, force: force)
            print("Restored \(report.rows) rows in \(report.tables) tables from \(file) (\(String(format: "%.2f", report.seconds)) s).")
        }
    }
}

/// Opens the configured database for an administrative command, mapping a backup's refusals to exit codes.
private func withDatabase(_ body: (TandemDatabase, Logging.Logger) async throws -> Void) async throws {
    let configuration = try loadConfiguration()
    let logger = makeLogger(configuration)
    let database = try await openDatabase(configuration, logger: logger)
    do {
        try await body(database, logger)
        await database.close()
    } catch let failure as DatabaseBackup.Failure {
        await database.close()
        FileHandle.standardError.write(Data("tandem: \(failure.description)\n".utf8))
        switch failure {
        case .notSQLite: throw ExitCode(64)
        case .targetExists: throw ExitCode(73)
        case .notATandemDatabase, .damaged, .notEmpty: throw ExitCode(65)
        }
    } catch {
        await database.close()
        throw error
    }
}

/// `tandem copy --to postgres://…`: the whole instance into an empty PostgreSQL database, compared table by table.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy the whole instance from TANDEM_DATABASE_URL (SQLite) to an empty PostgreSQL database, then compare every table."
    )

    @Option(help: "The empty PostgreSQL database: postgres://USER:PASS@HOST:PORT/DB.") var to: String

    func run() async throws {
        guard let location = DatabaseLocation.parse(to), case .postgres = location else {
            FileHandle.standardError.write(Data("tandem: --to must be a postgres://USER:PASS@HOST:PORT/DB address.\n".utf8))
            throw ExitCode(64)
        }
        let configuration = try loadConfiguration()
        let logger = makeLogger(configuration)
        let source = try await openDatabase(configuration, logger: logger)
        let target: TandemDatabase
        do {
            target = try await TandemDatabase.open(location, logger: logger)
        } catch {
            await source.close()
            FileHandle.standardError.write(Data("tandem: cannot open the target \(location.redactedDescription): \(error)\n".utf8))
            throw ExitCodeError.unavailable
        }
        let started = ContinuousClock.now
        do {
            let comparisons = try await DatabaseCopy(source: source, target: target, logger: logger).copy { table, rows in
                FileHandle.standardError.write(Data("copied \(table): \(rows) rows\n".utf8))
            }
            await source.close()
            await target.close()
            let width = comparisons.map(\.table.count).max() ?? 5
            print("table".padding(toLength: width, withPad: " ", startingAt: 0) + "  rows here  rows there  checksum here     checksum there    same")
            for row in comparisons {
                print(row.table.padding(toLength: width, withPad: " ", startingAt: 0)
                      + "  " + String(row.sourceRows).leftPadded(9) + "  " + String(row.targetRows).leftPadded(10)
                      + "  " + row.sourceChecksum + "  " + row.targetChecksum + "  " + (row.matches ? "yes" : "NO"))
            }
            let elapsed = ContinuousClock.now - started
            let total = comparisons.reduce(0) { $0 + $1.targetRows }
            guard comparisons.allSatisfy(\.matches) else {
                FileHandle.standardError.write(Data("tandem: the copy differs from the source (marked NO above).\n".utf8))
                throw ExitCode(70)
            }
            print("Copied \(total) rows in \(comparisons.count) tables in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1)))); every count and checksum matches. Start Tandem with TANDEM_DATABASE_URL set to the new database.")
        } catch let failure as DatabaseCopy.Failure {
            await source.close()
            await target.close()
            FileHandle.standardError.write(Data("tandem: \(failure.description)\n".utf8))
            throw ExitCode(65)
        } catch {
            await source.close()
            await target.close()
            throw error
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
