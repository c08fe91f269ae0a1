import Foundation
import SQLKit
import TandemCore

/// A product's whole record as one JSON document, so a team can leave, keep an archive, or move a product to
/// another Tandem: every table that belongs to the product (found from the schema's own foreign keys, so a table a
/// later feature adds is exported without being named here), row by row with its stored values, the change stream
/// included, and the people those rows name. What members may not see yet stays out, as in the change stream
/// (unrevealed votes, a side's answers to a check still open), and so do what belongs to a person (notifications) or
/// to the instance (webhooks and their secrets). Written a page of rows at a time, so memory stays bounded at any size.
public struct ProductExport: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public init(database: TandemDatabase, stamps: Stamps = .system) {
        self.database = database
        self.stamps = stamps
    }

    public static let format = "tandem-export"
    public static let version = 1
    static let pageSize = 500

    /// Tables that never leave with a product: a person's own (notifications), the instance's (webhooks, their
    /// secrets and deliveries), or derived from the rest (the change counter).
    static let stayBehind: Set<String> = ["notifications", "webhooks", "webhook_deliveries", "webhook_redeliveries", "product_changes"]

    /// The rows members may not see yet, held back by the rules of the features that own them.
    static var withheld: [String: SQLQueryString] { BacklogSecrecy.shownRows.merging(PartnershipSecrecy.shownRows) { first, _ in first } }

    /// The key each table's rows appear under: its name in camelCase, `items` for the backlog, `product` for the one product.
    static func key(_ table: String) -> String {
        switch table {
        case "backlog_items": return "items"
        case "products": return "product"
        default: return camelCase(table)
        }
    }

    /// Only the Product Owner takes the whole product away.
    public func authorize(productID: String, userID: String) async throws {
        let access = try await ProductService(database: database, stamps: stamps).access(productID: productID, userID: userID)
        try access.require(.exportProduct)
    }

    /// Writes the document to `sink`, a piece at a time.
    public func write(productID: String, to sink: ([UInt8]) async throws -> Void) async throws {
        let catalog = try await TableCatalog.load(database)
        let scopes = catalog.productScopes(excluding: Self.stayBehind)
        // The product first, then the tables by name (the change stream last), each table's rows by id, so two
        // exports of the same product compare line by line.
        let tables = ["products"] + scopes.keys.filter { $0 != "products" && $0 != "changes" }.sorted() + (scopes["changes"] == nil ? [] : ["changes"])
        var people = Set<String>()
        var head = JSONWriter()
        head.raw("{\"format\":")
        head.string(Self.format)
        head.raw(",\"version\":")
        head.integer(Int64(Self.version))
        head.raw(",\"exportedAt\":")
        head.date(Date(timeIntervalSince1970: Double(stamps.now()) / 1000))
        try await sink(head.bytes)
        for name in tables {
            guard let table = catalog.tables[name], let scope = scopes[name] else { continue }
            var condition = scope.condition(productID)
            if let shown = Self.withheld[name] { condition = "(\(condition)) AND (\(shown))" }
            let single = name == "products"
            var opening = JSONWriter()
            opening.raw(",")
            opening.string(Self.key(name))
            single ? opening.raw(":") : opening.raw(":[")
            try await sink(opening.bytes)
            let userColumns = table.foreignKeys.filter { $0.parent == "users" }.map(\.column)
            // Pages walk a key in order, each page a range of it, so the whole table is read once: on SQLite its
            // rows' insertion order (rowid), on PostgreSQL the change numbers or the ids (indexed). Tables without
            // one (people on a team, a sprint's capacity) are small and use plain offsets.
            let key: String? = catalog.isSQLite ? "rowid" : table.column("seq") != nil ? "seq" : table.column("id") != nil ? "id" : nil
            var offset = 0, after: String? = nil, first = true
            while true {
                let rows = try await database.read { [offset, after, condition] db in
                    if let key {
                        let from: SQLQueryString = after.map { key == "id" ? " AND id > \(bind: $0)" : " AND \(unsafeRaw: key) > \(bind: Int64($0) ?? 0)" } ?? ""
                        return try await db.raw("SELECT \(unsafeRaw: key) AS export_key, * FROM \(ident: name) WHERE \(condition)\(from) ORDER BY \(unsafeRaw: key) LIMIT \(unsafeRaw: String(Self.pageSize))").all()
                    }
                    return try await db.raw("SELECT * FROM \(ident: name) WHERE \(condition) ORDER BY \(unsafeRaw: catalog.rowOrder) LIMIT \(unsafeRaw: String(Self.pageSize)) OFFSET \(unsafeRaw: String(offset))").all()
                }
                var json = JSONWriter(capacity: 64 * 1024)
                for row in rows {
                    if !first { json.raw(",") }
                    first = false
                    try Self.write(row, columns: table.columns, into: &json)
                    for column in userColumns { if let id = try row.decode(column: column, as: String?.self) { people.insert(id) } }
                }
                if !rows.isEmpty { try await sink(json.bytes) }
                offset += rows.count
                if let key, let last = rows.last {
                    after = key == "id" ? try last.decode(column: "export_key", as: String.self) : String(try last.decode(column: "export_key", as: Int64.self))
                }
                if rows.count < Self.pageSize || single { break }
            }
            if first && single { throw DomainError.notFound("The product") }
            if !single { try await sink(Array("]".utf8)) }
        }
        // The people the rows name: how to match them on import (by email), never their passwords.
        var tail = JSONWriter()
        tail.raw(",\"people\":[")
        let ids = people.sorted()
        var index = 0, firstPerson = true
        while index < ids.count {
            let slice = Array(ids[index..<min(index + Self.pageSize, ids.count)])
            let rows = try await database.read { db in
                try await db.select().columns("id", "email", "display_name").from("users").where("id", .in, slice).orderBy("id").all()
            }
            for row in rows {
                if !firstPerson { tail.raw(",") }
                firstPerson = false
                tail.raw("{\"id\":")
                tail.string(try row.decode(column: "id", as: String.self))
                tail.raw(",\"email\":")
                tail.string(try row.decode(column: "email", as: String.self))
                tail.raw(",\"displayName\":")
                tail.string(try row.decode(column: "display_name", as: String.self))
                tail.raw("}")
            }
            index += slice.count
        }
        tail.raw("]}\n")
        try await sink(tail.bytes)
    }

    /// One row as a JSON object: columns in camelCase, numbers as numbers, text as stored.
    static func write(_ row: any SQLRow, columns: [TableCatalog.Column], into json: inout JSONWriter) throws {
        json.raw("{")
        for (index, column) in columns.enumerated() {
            if index > 0 { json.raw(",") }
            json.string(camelCase(column.name))
            json.raw(":")
            if try row.decodeNil(column: column.name) {
                json.raw("null")
                continue
            }
            switch column.kind {
            case .integer: json.integer(try row.decode(column: column.name, as: Int64.self))
            case .real: json.number(try row.decode(column: column.name, as: Double.self))
            case .text: json.string(try row.decode(column: column.name, as: String.self))
            }
        }
        json.raw("}")
    }

    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_")
        return parts.enumerated().map { $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst() }.joined()
    }
}
