import Foundation
import Logging
import SQLKit

/// A consistent copy of a live SQLite database, and bringing one back. The copy is `VACUUM INTO`: one read
/// transaction, so it holds every write committed before it began and none half-done, while
/// the server goes on writing. Restoring migrates the copy to the running schema first, then replaces every table's
/// rows in one transaction on the writer, so a server running on the target sees the restored data (its change
/// counters moved; live streams ahead of them get `reset`) and never a mixture.
public struct DatabaseBackup: Sendable {
    let database: TandemDatabase
    let logger: Logger

    public init(database: TandemDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// What a backup or restore did.
    public struct Report: Sendable {
        public let tables: Int
        public let rows: Int
        public let bytes: Int
        public let seconds: Double
    }

    public enum Failure: Error, CustomStringConvertible {
        case notSQLite
        case targetExists(String)
        case notATandemDatabase(String)
        case damaged(String)
        case notEmpty(accounts: Int, products: Int)

        public var description: String {
            switch self {
            case .notSQLite:
                "This instance runs on PostgreSQL: back it up with pg_dump (see the README), e.g. pg_dump --format=custom --file=tandem.dump \"$TANDEM_DATABASE_URL\"."
            case .targetExists(let path): "\(path) exists already; choose a new file name (a backup never overwrites)."
            case .notATandemDatabase(let path): "\(path) is not a Tandem database (not SQLite, or without Tandem's schema)."
            case .damaged(let detail): "The backup file fails SQLite's integrity check: \(detail)"
            case .notEmpty(let accounts, let products):
                "The target database holds \(accounts) accounts and \(products) products; restoring replaces them. Add --force to do it anyway."
            }
        }
    }

    /// Copies the database into a new file at `path`.
    public func backup(to path: String) async throws -> Report {
        guard case .sqlite = database.location else { throw Failure.notSQLite }
        guard !FileManager.default.fileExists(atPath: path) else { throw Failure.targetExists(path) }
        let started = ContinuousClock.now
        // On the writer connection (the readers are query-only), outside a transaction: VACUUM INTO reads in one read
        // transaction and takes no write lock on the file, so a server using it goes on writing meanwhile.
        _ = try await database.withSQLiteWriter { db in try await db.raw("VACUUM INTO \(bind: path)").run() }
        let source = try await TandemDatabase.open(.sqlite(path: path), logger: logger)
        do {
            let counted = try await Self.count(source)
            try await Self.check(source)
            await source.close()
            let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            return Report(tables: counted.tables, rows: counted.rows, bytes: bytes ?? 0, seconds: Self.seconds(since: started))
        } catch {
            await source.close()
            throw error
        }
    }

    /// Replaces this database's content with the backup's, all or nothing.
    public func restore(from path: String, force: Bool) async throws -> Report {
        guard case .sqlite(let target) = database.location else { throw Failure.notSQLite }
        let started = ContinuousClock.now
        // Work on a copy, so an older backup is migrated without touching the file the person keeps.
        let working = (target as NSString).deletingLastPathComponent + "/.restore-\(UUID().uuidString.lowercased()).sqlite"
        try FileManager.default.copyItem(atPath: path, toPath: working)
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: working + suffix) } }  // try?: a leftover temp file is harmless
        let source: TandemDatabase
        do { source = try await TandemDatabase.open(.sqlite(path: working), logger: logger) } catch { throw Failure.notATandemDatabase(path) }
        let tables: [String]
        do {
            let known = (try? await source.read { db in  // try?: a file SQLite cannot read is not a Tandem database either
                try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").all().count
            }) ?? 0
            guard known == 1 else { throw Failure.notATandemDatabase(path) }
            try await Self.check(source)
            _ = try await Migrator.migrate(source, logger: logger)
            tables = try await Self.tables(source)
            await source.close()
        } catch {
            await source.close()
            throw error
        }
        _ = try await Migrator.migrate(database, logger: logger)
        let held = try await database.read { db in
            (try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0,
             // every product has its change counter (plumbing's own table), so this counts the products
             try await db.raw("SELECT COUNT(*) AS n FROM product_changes").first()?.decode(column: "n", as: Int.self) ?? 0)
        }
        if !force && (held.0 > 0 || held.1 > 0) { throw Failure.notEmpty(accounts: held.0, products: held.1) }
        let rows = try await database.withSQLiteWriter { db in
            try await db.raw("ATTACH DATABASE \(bind: working) AS restored").run()
            do {
                try await db.raw("BEGIN IMMEDIATE").run()
                var rows = 0
                do {
                    try await db.raw("PRAGMA defer_foreign_keys = ON").run()
                    // Every table emptied first, then filled: a cascade from a parent emptied later would
                    // otherwise remove rows already copied into its children.
                    for table in tables { try await db.raw("DELETE FROM main.\(ident: table)").run() }
                    for table in tables {
                        let columns = try await db.raw("SELECT name FROM pragma_table_info(\(bind: table))").all().map { try $0.decode(column: "name", as: String.self) }
                        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                        // OR REPLACE: a trigger may have written the row already (a change moves its product's counter).
                        try await db.raw("INSERT OR REPLACE INTO main.\(ident: table) (\(unsafeRaw: list)) SELECT \(unsafeRaw: list) FROM restored.\(ident: table)").run()
                        rows += try await db.raw("SELECT COUNT(*) AS n FROM main.\(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0
                    }
                    let broken = try await db.raw("PRAGMA foreign_key_check").all().count
                    guard broken == 0 else { throw Failure.damaged("\(broken) rows refer to rows that are not there") }
                    try await db.raw("COMMIT").run()
                } catch {
                    try? await db.raw("ROLLBACK").run()  // try?: the restore's own error is the one to report; nothing was committed
                    throw error
                }
                try await db.raw("DETACH DATABASE restored").run()
                return rows
            } catch {
                try? await db.raw("DETACH DATABASE restored").run()  // try?: as above
                throw error
            }
        } ?? 0
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return Report(tables: tables.count, rows: rows, bytes: bytes ?? 0, seconds: Self.seconds(since: started))
    }

    static func tables(_ db: TandemDatabase) async throws -> [String] {
        try await db.read { db in
            try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
                .map { try $0.decode(column: "name", as: String.self) }
        }
    }

    static func count(_ db: TandemDatabase) async throws -> (tables: Int, rows: Int) {
        let tables = try await tables(db)
        var rows = 0
        for table in tables {
            rows += try await db.read { db in try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0 }
        }
        return (tables.count, rows)
    }

    static func check(_ db: TandemDatabase) async throws {
        let result = try await db.read { db in try await db.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) } }
        guard result == ["ok"] else { throw Failure.damaged(result.prefix(3).joined(separator: "; ")) }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
