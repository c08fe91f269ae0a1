import SQLKit

/// The database's own description of its tables, on either engine: columns with their kind and nullability, and
/// foreign keys. Whole-instance tools (copy, export) read rows generically through it instead of naming tables.
public struct TableCatalog: Sendable {
    public enum Kind: Sendable { case text, integer, real }

    public struct Column: Sendable {
        public let name: String
        public let kind: Kind
        public let nullable: Bool
    }

    public struct ForeignKey: Sendable {
        public let column: String
        public let parent: String
        public let parentColumn: String
    }

    public struct Table: Sendable {
        public let name: String
        public let columns: [Column]
        public let foreignKeys: [ForeignKey]
        public func column(_ name: String) -> Column? { columns.first { $0.name == name } }
    }

    public let tables: [String: Table]
    public let isSQLite: Bool

    /// The rows' natural order for paging: insertion order on SQLite, physical order on PostgreSQL.
    public var rowOrder: String { isSQLite ? "rowid" : "ctid" }

    public static func load(_ database: TandemDatabase) async throws -> TableCatalog {
        let isSQLite: Bool = if case .sqlite = database.location { true } else { false }
        let tables = try await database.read { db -> [String: Table] in
            var found: [String: Table] = [:]
            if isSQLite {
                let names = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                for name in names {
                    let columns = try await db.raw("SELECT name, type, \"notnull\" + pk AS required FROM pragma_table_info(\(bind: name)) ORDER BY cid").all().map { row in
                        Column(name: try row.decode(column: "name", as: String.self), kind: kind(try row.decode(column: "type", as: String.self)),
                               nullable: try row.decode(column: "required", as: Int.self) == 0)
                    }
                    let keys = try await db.raw("SELECT \"from\" AS child, \"table\" AS parent, \"to\" AS parent_column FROM pragma_foreign_key_list(\(bind: name))").all().map { row in
                        ForeignKey(column: try row.decode(column: "child", as: String.self), parent: try row.decode(column: "parent", as: String.self),
                                   parentColumn: (try row.decode(column: "parent_column", as: String?.self)) ?? "id")
                    }
                    found[name] = Table(name: name, columns: columns, foreignKeys: keys)
                }
            } else {
                let columns = try await db.raw("""
                    SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
                    WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                    """).all()
                var byTable: [String: [Column]] = [:]
                for row in columns {
                    byTable[try row.decode(column: "table_name", as: String.self), default: []].append(Column(
                        name: try row.decode(column: "column_name", as: String.self), kind: kind(try row.decode(column: "data_type", as: String.self)),
                        nullable: try row.decode(column: "is_nullable", as: String.self) == "YES"))
                }
                let keys = try await db.raw("""
                    SELECT kcu.table_name, kcu.column_name, ccu.table_name AS parent, ccu.column_name AS parent_column
                    FROM information_schema.table_constraints tc
                    JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
                    JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
                    WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
                    """).all()
                var keysByTable: [String: [ForeignKey]] = [:]
                for row in keys {
                    keysByTable[try row.decode(column: "table_name", as: String.self), default: []].append(ForeignKey(
                        column: try row.decode(column: "column_name", as: String.self), parent: try row.decode(column: "parent", as: String.self),
                        parentColumn: try row.decode(column: "parent_column", as: String.self)))
                }
                let tableNames = try await db.raw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'").all()
                    .map { try $0.decode(column: "table_name", as: String.self) }
                for name in tableNames {
                    found[name] = Table(name: name, columns: byTable[name] ?? [], foreignKeys: keysByTable[name] ?? [])
                }
            }
            return found
        }
        return TableCatalog(tables: tables, isSQLite: isSQLite)
    }

    static func kind(_ declared: String) -> Kind {
        let type = declared.lowercased()
        if type.contains("int") { return .integer }
        if type.contains("real") || type.contains("double") || type.contains("float") || type.contains("numeric") { return .real }
        return .text
    }

    /// How to pick out one product's rows of a table.
    public indirect enum Scope: Sendable {
        /// The products table itself.
        case product
        /// A required `product_id`-like reference to the product.
        case column(String)
        /// A required reference to a row of a table already scoped (an estimation vote through its round).
        case through(column: String, parent: String, parentColumn: String, parentScope: Scope)

        public func condition(_ productID: String) -> SQLQueryString {
            switch self {
            case .product: "id = \(bind: productID)"
            case .column(let name): "\(ident: name) = \(bind: productID)"
            case .through(let column, let parent, let parentColumn, let parentScope):
                "\(ident: column) IN (SELECT \(ident: parentColumn) FROM \(ident: parent) WHERE \(parentScope.condition(productID)))"
            }
        }
    }

    /// Each table's scope: `product_id` itself, or a required reference to a table already scoped. Tables no path
    /// reaches (people, their tokens) are absent.
    public func productScopes(excluding: Set<String>) -> [String: Scope] {
        var scopes: [String: Scope] = ["products": .product]
        var changed = true
        while changed {
            changed = false
            for table in tables.values.sorted(by: { $0.name < $1.name }) where scopes[table.name] == nil && !excluding.contains(table.name) {
                if let key = table.foreignKeys.first(where: { $0.parent == "products" && table.column($0.column)?.nullable == false }) {
                    scopes[table.name] = .column(key.column)
                    changed = true
                } else if let key = table.foreignKeys.first(where: { $0.parent != table.name && scopes[$0.parent] != nil && table.column($0.column)?.nullable == false }),
                          let parentScope = scopes[key.parent] {
                    scopes[table.name] = .through(column: key.column, parent: key.parent, parentColumn: key.parentColumn, parentScope: parentScope)
                    changed = true
                }
            }
        }
        return scopes
    }
}
