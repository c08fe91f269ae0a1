import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import Synchronization

/// The one handle services use: reads go to any connection, each write is one transaction.
///
/// SQLite allows one writer at a time, so all writes are serialized through a single connection
/// (two writers fighting over the lock were 13x slower when measured); readers use their own
/// connections and see committed data thanks to WAL. PostgreSQL uses a `PostgresClient` pool.
public final class TandemDatabase: Sendable {
    public let location: DatabaseLocation
    private let engine: Engine
    let logger: Logger
    /// `tandem_db_statements_total{engine}`, shared by every connection of this handle.
    private let statements: Counter
    /// Closing twice would hand SQLite a freed handle (seen as a crash), so only the first close acts.
    private let closed = Atomic<Bool>(false)
    /// Woken after each committed write with the products it changed (and the people it told something).
    public let changeSignal = ChangeSignal()

    private enum Engine: Sendable {
        case sqlite(writer: SQLiteConnection, readers: [SQLiteConnection], gate: SerialGate, next: RoundRobin)
        case postgres(client: PostgresClient, runner: Task<Void, Never>)
    }

    private init(location: DatabaseLocation, engine: Engine, logger: Logger) {
        self.location = location
        self.engine = engine
        self.logger = logger
        // swift-metrics binds a metric to the factory in place when it is made: bootstrap first, or it counts into nothing.
        _ = TandemMetrics.registry
        self.statements = Counter(label: "tandem_db_statements_total", dimensions: [("engine", location.engine)])
    }

    private func counting(_ db: any SQLDatabase) -> any SQLDatabase {
        CountingSQLDatabase(base: db, counter: statements)
    }

    /// Opens (and for SQLite creates) the database; call `close()` when done.
    public static func open(_ location: DatabaseLocation, logger: Logger, postgresOptions: [(String, String)] = []) async throws -> TandemDatabase {
        switch location {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            // A file that is not a SQLite database fails at the first statement: every connection opened so far is
            // closed before the error goes up (SQLiteNIO traps on a connection released open).
            var opened: [SQLiteConnection] = []
            let writer: SQLiteConnection
            var readers: [SQLiteConnection] = []
            do {
                writer = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                opened.append(writer)
                for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000", "PRAGMA synchronous=NORMAL"] {
                    _ = try await writer.query(pragma)
                }
                for _ in 0..<3 {
                    let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                    opened.append(reader)
                    for pragma in ["PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000", "PRAGMA query_only=ON"] {
                        _ = try await reader.query(pragma)
                    }
                    readers.append(reader)
                }
            } catch {
                for connection in opened { try? await connection.close() }  // try?: the open's own error is the one to report
                throw error
            }
            return TandemDatabase(
                location: location,
                engine: .sqlite(writer: writer, readers: readers, gate: SerialGate(), next: RoundRobin()),
                logger: logger
            )
        case .postgres(let host, let port, let username, let password, let database):
            var config = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: .disable
            )
            config.options.maximumConnections = 10
            config.options.additionalStartupParameters = postgresOptions
            let client = PostgresClient(configuration: config, backgroundLogger: logger)
            let runner = Task { await client.run() }
            let db = TandemDatabase(location: location, engine: .postgres(client: client, runner: runner), logger: logger)
            // Fail at start, not on the first request, when the server is unreachable.
            do { try await db.ping() } catch {
                runner.cancel()
                throw error
            }
            return db
        }
    }

    /// Runs read-only work on any connection.
    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch engine {
        case .sqlite(_, let readers, _, let next):
            let index = next.counter.wrappingAdd(1, ordering: .relaxed).oldValue
            return try await body(counting(SQLiteSQLDatabase(readers[abs(index % readers.count)])))
        case .postgres(let client, _):
            return try await client.withConnection { connection in try await body(counting(connection.sql())) }
        }
    }

    /// Runs `body` as one transaction: all of it is stored, or nothing is. Once it has committed, the followers of
    /// what it changed are woken.
    public func write<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let pending = PendingWakes()
        let result = try await PendingWakes.$current.withValue(pending) { try await transaction(body) }
        changeSignal.wake(products: pending.products, users: pending.users)
        return result
    }

    /// SQLite only: `body` on the writer connection outside any transaction, while no other write runs (for
    /// `ATTACH`, which a transaction may not do). Nil on PostgreSQL.
    func withSQLiteWriter<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T? {
        guard case .sqlite(let writer, _, let gate, _) = engine else { return nil }
        await gate.acquire()
        do {
            let result = try await body(SQLiteSQLDatabase(writer))
            await gate.release()
            changeSignal.wakeAll()
            return result
        } catch {
            await gate.release()
            throw error
        }
    }

    private func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch engine {
        case .sqlite(let writer, _, let gate, _):
            await gate.acquire()
            do {
                let db: any SQLDatabase = SQLiteSQLDatabase(writer)
                try await db.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(counting(db))
                    try await db.raw("COMMIT").run()
                    await gate.release()
                    return result
                } catch {
                    // try?: the write already failed and that error is rethrown; a failed ROLLBACK (connection gone) rolls back anyway.
                    try? await db.raw("ROLLBACK").run()
                    throw error
                }
            } catch {
                await gate.release()
                throw error
            }
        case .postgres(let client, _):
            // Writers lock the product before its items, so deadlocks should not happen; should one (or a
            // serialization failure) happen anyway, PostgreSQL rolled the transaction back whole, so it is run again,
            // a few times, rather than answered as a server error.
            var attempt = 1
            while true {
                do {
                    return try await client.withTransaction(logger: logger) { connection in
                        try await body(counting(connection.sql()))
                    }
                } catch let error as PostgresTransactionError {
                    // Callers decide by their own error (a 404, a unique violation), not by PostgresNIO's wrapper.
                    let cause = error.closureError ?? error.commitError ?? error.beginError ?? error
                    guard attempt < 4, Self.isRetryable(cause) else { throw cause }
                    attempt += 1
                    logger.debug("retrying a transaction", metadata: ["attempt": "\(attempt)"])
                }
            }
        }
    }

    /// Deadlocks and serialization failures: the transaction was rolled back whole and may simply run again.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40P01" || state == "40001"
    }

    /// Holds one connection listening on `channel` while `consume` reads its payloads (PostgreSQL only).
    func listen(on channel: String, consume: @Sendable (AsyncMapSequence<PostgresNotificationSequence, String>) async throws -> Void) async throws {
        guard case .postgres(let client, _) = engine else { return }
        try await client.withConnection { connection in
            try await connection.listen(on: channel) { notifications in try await consume(notifications.map(\.payload)) }
        }
    }

    /// Answers whether the database responds; `/healthz` uses it.
    public func ping() async throws {
        _ = try await read { db in try await db.raw("SELECT 1 AS one").all() }
    }

    public func close() async {
        guard closed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        switch engine {
        case .sqlite(let writer, let readers, _, _):
            // try?: shutting down; a connection that fails to close is gone either way.
            for connection in readers + [writer] { try? await connection.close() }
        case .postgres(_, let runner):
            runner.cancel()
        }
    }
}

/// Spreads reads over the reader connections.
final class RoundRobin: Sendable {
    let counter = Atomic<Int>(0)
}

/// A first-come-first-served async lock: SQLite transactions must not interleave on the writer.
actor SerialGate {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !busy {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
    }
}
