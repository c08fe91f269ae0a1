import Crypto
import Foundation
import Logging
import SQLKit

/// Moving a whole instance (every product, person, token and session) to an empty PostgreSQL database: the schema
/// is created there by the same steps, every table's rows are copied in one transaction on the target (parents
/// before children; a row's reference to a row of its own table filled in after all are there), and then each
/// table's row count and a checksum of its content are compared on both sides.
public struct DatabaseCopy: Sendable {
    let source: TandemDatabase
    let target: TandemDatabase
    let logger: Logger

    public init(source: TandemDatabase, target: TandemDatabase, logger: Logger) {
        self.source = source
        self.target = target
        self.logger = logger
    }

    /// One table compared after the copy.
    public struct Comparison: Sendable {
        public let table: String
        public let sourceRows: Int
        public let targetRows: Int
        public let sourceChecksum: String
        public let targetChecksum: String
        public var matches: Bool { sourceRows == targetRows && sourceChecksum == targetChecksum }
    }

    public enum Failure: Error, CustomStringConvertible {
        case targetNotPostgres
        case sourceNotSQLite
        case targetNotEmpty(table: String, rows: Int)
        public var description: String {
            switch self {
            case .sourceNotSQLite: "This instance already runs on PostgreSQL; copy it with pg_dump and pg_restore (see the README)."
            case .targetNotPostgres: "The target must be a postgres://USER:PASS@HOST:PORT/DB address."
            case .targetNotEmpty(let table, let rows): "The target database is not empty (\(table) holds \(rows) rows); copy into a new, empty database."
            }
        }
    }

    /// The column types the target declares, which say how to read each source value.
    private typealias Kind = TableCatalog.Kind

    static let batch = 1_000

    /// Copies everything, then compares; `progress` hears each table as it is done.
    public func copy(progress: @Sendable (String, Int) -> Void = { _, _ in }) async throws -> [Comparison] {
        guard case .postgres = target.location else { throw Failure.targetNotPostgres }
        guard case .sqlite = source.location else { throw Failure.sourceNotSQLite }
        _ = try await Migrator.migrate(source, logger: logger)
        _ = try await Migrator.migrate(target, logger: logger)
        let sourceCatalog = try await TableCatalog.load(source), targetCatalog = try await TableCatalog.load(target)
        let tables = sourceCatalog.tables.keys.sorted()
        // The schema steps' own bookkeeping is written by the migration on both sides; everything else must be empty.
        for table in tables where table != "schema_migrations" {
            let rows = try await Self.count(table, on: target)
            if rows > 0 { throw Failure.targetNotEmpty(table: table, rows: rows) }
        }
        let order = Self.parentsFirst(tables.filter { $0 != "schema_migrations" }, catalog: sourceCatalog)
        // The target's declared column types say how to read each source value (SQLite's are only affinities).
        let kinds: [String: [(String, Kind)]] = Dictionary(uniqueKeysWithValues: tables.map { table in
            (table, targetCatalog.tables[table]?.columns.map { ($0.name, $0.kind) } ?? [])
        })
        let selfReferences: [String: [String]] = Dictionary(uniqueKeysWithValues: order.compactMap { table in
            let columns = sourceCatalog.tables[table]?.foreignKeys.filter { $0.parent == table }.map(\.column) ?? []
            return columns.isEmpty ? nil : (table, columns)
        })
        try await target.write { db in
            for table in order {
                let columns = kinds[table] ?? []
                let deferred = Set(selfReferences[table] ?? [])
                var offset = 0, copied = 0
                while true {
                    let rows = try await source.read { [offset] db in
                        try await db.raw("SELECT * FROM \(ident: table) ORDER BY \(unsafeRaw: Self.order(source)) LIMIT \(unsafeRaw: String(Self.batch)) OFFSET \(unsafeRaw: String(offset))").all()
                    }
                    var start = 0
                    while start < rows.count {  // 250 rows a statement: well under PostgreSQL's 65,535 parameters
                        let insert = db.insert(into: table).columns(columns.map(\.0))
                        for row in rows[start..<min(start + 250, rows.count)] {
                            insert.values(try columns.map { name, kind in deferred.contains(name) ? SQLLiteral.null : try Self.value(row, name, kind) })
                        }
                        try await insert.run()
                        start += 250
                    }
                    copied += rows.count
                    offset += rows.count
                    if rows.count < Self.batch { break }
                }
                progress(table, copied)
            }
            // References within one table (an item's parent), now that every row is there.
            for (table, names) in selfReferences {
                let key = kinds[table]?.first?.0 ?? "id"
                var offset = 0
                while true {
                    let rows = try await source.read { [offset] db in
                        try await db.raw("SELECT \(ident: key), \(unsafeRaw: names.map { "\"\($0)\"" }.joined(separator: ", ")) FROM \(ident: table) ORDER BY \(unsafeRaw: Self.order(source)) LIMIT \(unsafeRaw: String(Self.batch)) OFFSET \(unsafeRaw: String(offset))").all()
                    }
                    for row in rows {
                        for name in names where !(try row.decodeNil(column: name)) {
                            try await db.update(table).set(name, to: try row.decode(column: name, as: String.self))
                                .where(key, .equal, try row.decode(column: key, as: String.self)).run()
                        }
                    }
                    offset += rows.count
                    if rows.count < Self.batch { break }
                }
            }
        }
        var comparisons: [Comparison] = []
        for table in tables {
            var columns = kinds[table] ?? []
            if table == "schema_migrations" { columns = columns.filter { $0.0 == "name" } }  // each side applied the steps at its own time
            comparisons.append(Comparison(
                table: table, sourceRows: try await Self.count(table, on: source), targetRows: try await Self.count(table, on: target),
                sourceChecksum: try await Self.checksum(table, columns: columns, on: source), targetChecksum: try await Self.checksum(table, columns: columns, on: target)
            ))
        }
        return comparisons
    }

    private static func value(_ row: any SQLRow, _ name: String, _ kind: Kind) throws -> any SQLExpression {
        if try row.decodeNil(column: name) { return SQLLiteral.null }
        switch kind {
        case .text: return SQLBind(try row.decode(column: name, as: String.self))
        case .integer: return SQLBind(try row.decode(column: name, as: Int64.self))
        case .real: return SQLBind(try row.decode(column: name, as: Double.self))
        }
    }

    private static func order(_ db: TandemDatabase) -> String {
        if case .sqlite = db.location { return "rowid" }
        return "1"
    }

    /// The tables ordered so each comes after the tables it refers to.
    static func parentsFirst(_ tables: [String], catalog: TableCatalog) -> [String] {
        var ordered: [String] = [], placed = Set<String>()
        let among = Set(tables)  // parents outside the set (people, for a product's tables) are there already
        while ordered.count < tables.count {
            let ready = tables.filter { table in
                !placed.contains(table) && Set(catalog.tables[table]?.foreignKeys.map(\.parent) ?? []).intersection(among).subtracting([table]).isSubset(of: placed)
            }
            let next = ready.isEmpty ? tables.filter { !placed.contains($0) } : ready  // a cycle would be copied as listed
            for table in next { ordered.append(table); placed.insert(table) }
        }
        return ordered
    }

    static func count(_ table: String, on db: TandemDatabase) async throws -> Int {
        try await db.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0 }
    }

    /// A SHA-256 over the table's rows in the order of their text, each value as text (numbers written alike on
    /// both engines), so equal content gives equal sums whatever the engine.
    private static func checksum(_ table: String, columns: [(String, Kind)], on db: TandemDatabase) async throws -> String {
        let isSQLite: Bool = if case .sqlite = db.location { true } else { false }
        let list = columns.map(\.0).map { isSQLite ? "CAST(\"\($0)\" AS TEXT) AS \"\($0)\"" : "\"\($0)\"::text AS \"\($0)\"" }.joined(separator: ", ")
        var lines: [String] = []
        var offset = 0
        while true {
            let rows = try await db.read { [offset] sql in
                try await sql.raw("SELECT \(unsafeRaw: list) FROM \(ident: table) ORDER BY \(unsafeRaw: isSQLite ? "rowid" : "1") LIMIT 5000 OFFSET \(unsafeRaw: String(offset))").all()
            }
            for row in rows {
                lines.append(try columns.map { name, kind -> String in
                    guard let text = try row.decode(column: name, as: String?.self) else { return "∅" }
                    if kind == .real, let number = Double(text) { return String(number) }  // 3.0 on SQLite, 3 on PostgreSQL
                    return text
                }.joined(separator: "\u{1F}"))
            }
            offset += rows.count
            if rows.count < 5000 { break }
        }
        var hash = SHA256()
        for line in lines.sorted() { hash.update(data: Data((line + "\n").utf8)) }
        return hash.finalize().map { String(format: "%02x", $0) }.joined().prefix(16).description
    }
}
