import Logging
import Metrics
import NIOCore
import SQLKit
import Synchronization

/// The statements one unit of work (a request, a benchmark iteration) sent to the database, counted through a
/// task-local so every service call underneath adds to it without being told.
public final class StatementTally: Sendable {
    @TaskLocal public static var current: StatementTally?
    private let count = Atomic<Int>(0)

    public init() {}

    public var statements: Int { count.load(ordering: .relaxed) }
    func add() { count.add(1, ordering: .relaxed) }
}

/// Every `SQLDatabase` a service is handed is this wrapper: it counts each statement (BEGIN and COMMIT excluded)
/// into `tandem_db_statements_total` by engine and into the current `StatementTally`, and forwards the rest.
struct CountingSQLDatabase: SQLDatabase {
    let base: any SQLDatabase
    let counter: Counter

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        tally()
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        tally()
        try await base.execute(sql: query, onRow)
    }

    private func tally() {
        counter.increment()
        StatementTally.current?.add()
    }
}
