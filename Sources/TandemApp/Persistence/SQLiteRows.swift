import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit over one SQLite connection, as SQLiteKit's own `sql()` but with rows (`SQLiteColumns`) that read text,
/// integers and reals straight from `SQLiteData`. SQLiteKit's row decoder casts every value to a protocol
/// existential first (`as? any SQLiteDataConvertible.Type`): with 25 columns × 50 items that cast and its generic
/// metadata lookups were 8% of a backlog request's CPU (`perf`). Other types go through SQLiteKit's decoder.
struct SQLiteSQLDatabase: SQLDatabase {
    let connection: SQLiteConnection
    private let encoder = SQLiteDataEncoder()
    private let decoder = SQLiteDataDecoder()

    init(_ connection: SQLiteConnection) { self.connection = connection }

    var eventLoop: any EventLoop { connection.eventLoop }
    var logger: Logger { connection.logger }
    var dialect: any SQLDialect { SQLiteDialect() }
    var version: (any SQLDatabaseReportedVersion)? { connection.sql().version }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let (sql, rawBinds) = serialize(query)
        let binds: [SQLiteData]
        do { binds = try rawBinds.map { try encoder.encode($0) } } catch { return eventLoop.makeFailedFuture(error) }
        let decoder = decoder
        return connection.query(sql, binds) { onRow(SQLiteColumns(row: $0, decoder: decoder)) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, rawBinds) = serialize(query)
        let binds = try rawBinds.map { try encoder.encode($0) }
        let decoder = decoder
        try await connection.query(sql, binds) { onRow(SQLiteColumns(row: $0, decoder: decoder)) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

/// One SQLite row as SQLKit's `SQLRow`, reading the common column types without a protocol cast.
struct SQLiteColumns: SQLRow {
    let row: SQLiteRow
    let decoder: SQLiteDataDecoder

    struct MissingColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "No column \(column) in the row." }
    }

    var allColumns: [String] { row.columns.map(\.name) }

    func contains(column: String) -> Bool { row.column(column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let data = row.column(column) else { return true }
        return data == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let data = row.column(column) else { throw MissingColumn(column: column) }
        switch data {
        case .text(let text) where D.self == String.self: return text as! D
        case .integer(let value) where D.self == Int64.self: return Int64(value) as! D
        case .integer(let value) where D.self == Int.self: return value as! D
        case .float(let value) where D.self == Double.self: return value as! D
        case .integer(let value) where D.self == Double.self: return Double(value) as! D
        default: return try decoder.decode(D.self, from: data)
        }
    }
}
