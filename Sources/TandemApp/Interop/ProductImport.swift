import Foundation
import SQLKit
import TandemCore

/// A product exported by `ProductExport` brought back as a new product: every row with a new id (references
/// followed, ids inside stored JSON too), references to items re-keyed to the new product key, people matched by
/// email (or given accounts that cannot log in until their password is reset), the exported changes kept with their
/// numbers and times, and one `product.imported` change after them. All or nothing, in one transaction.
public struct ProductImport: Sendable {
    let database: TandemDatabase
    let accounts: AccountService
    let stamps: Stamps

    public init(database: TandemDatabase, accounts: AccountService, stamps: Stamps = .system) {
        self.database = database
        self.accounts = accounts
        self.stamps = stamps
    }

    /// What an import made.
    public struct Summary: Sendable {
        public let productID: String
        public let key: String
        public let rows: [String: Int]
        public let peopleMatched: Int
        public let peopleCreated: Int
        /// Every exported id and the id it has now (for comparing an export of the new product with the old one).
        public let ids: [String: String]
        /// How long the writer was held: every row is converted before the transaction opens.
        public let writerSeconds: Double
    }

    static let uuid = try! NSRegularExpression(pattern: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")  // a constant pattern: cannot fail

    static func problem(_ field: String, _ reason: String) -> DomainError { DomainError.invalid(field: field, reason) }

    public func restore(_ data: Data, as wantedKey: String?) async throws -> Summary {
        let problem = Self.problem
        guard let document = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {  // try?: any parse failure is this one answer
            throw problem("document", "The file is not a JSON document (cut off, or not an export).")
        }
        guard document["format"] as? String == ProductExport.format else { throw problem("format", "This is not a Tandem export (its format is not \"tandem-export\").") }
        guard (document["version"] as? NSNumber)?.intValue == ProductExport.version else {
            throw problem("version", "This export's version is not one this Tandem reads (\(ProductExport.version)).")
        }
        guard let product = document["product"] as? [String: Any], let oldProductID = product["id"] as? String, let oldKey = product["key"] as? String else {
            throw problem("product", "The export has no product with an id and a key.")
        }
        let key = try InputRules.productKey.validated((wantedKey ?? oldKey).uppercased(), field: "key")
        if (try? await ProductService(database: database, stamps: stamps).productID(key: key)) != nil {  // try?: not found is the good answer
            throw DomainError(.conflict, code: "key_taken", message: "A product with the key \(key) exists already; choose another with --as KEY.", field: "key")
        }
        let catalog = try await TableCatalog.load(database)
        let scopes = catalog.productScopes(excluding: ProductExport.stayBehind)
        let order = DatabaseCopy.parentsFirst(scopes.keys.sorted(), catalog: catalog)
        var rowsByTable: [String: [[String: Any]]] = [:]
        for table in order {
            let name = ProductExport.key(table)
            if table == "products" { rowsByTable[table] = [product]; continue }
            guard let value = document[name] else { continue }  // a table the export did not have (an older Tandem)
            guard let rows = value as? [[String: Any]] else { throw problem(name, "\(name) must be a list of rows.") }
            rowsByTable[table] = rows
        }
        // New ids for every row, and the people by email.
        var ids: [String: String] = [:]
        for (table, rows) in rowsByTable where catalog.tables[table]?.column("id") != nil {
            for (index, row) in rows.enumerated() {
                guard let id = row["id"] as? String else { throw problem("\(ProductExport.key(table))[\(index)].id", "Every row needs its id.") }
                ids[id] = stamps.newID()
            }
        }
        let people = try (document["people"] as? [[String: Any]] ?? []).enumerated().map { index, person -> (id: String, email: String, displayName: String) in
            guard let id = person["id"] as? String, let email = person["email"] as? String else { throw problem("people[\(index)]", "Each person needs an id and an email.") }
            return (id, email, person["displayName"] as? String ?? email)
        }
        let unusableHash = try await accounts.unusableHash()
        // People first (read), so every row can be converted before the writer is taken: the transaction only writes.
        let known = try await database.read { db in try await AccountService.existingIDs(emails: people.map(\.email), on: db) }
        var newPeople: [(id: String, email: String, displayName: String)] = []
        for person in people {
            if let id = known[person.email] { ids[person.id] = id; continue }
            let id = stamps.newID()
            ids[person.id] = id
            newPeople.append((id, person.email, person.displayName))
        }
        let newProductID = ids[oldProductID] ?? stamps.newID()
        let remap = Remapper(ids: ids, oldKey: oldKey, newKey: key)
        var batches: [(table: String, columns: [String], rows: [[any SQLExpression]])] = []
        var counts: [String: Int] = [:]
        var deferred: [(table: String, id: String, column: String, value: String)] = []
        for table in order {
            guard let rows = rowsByTable[table], let description = catalog.tables[table] else { continue }
            let selfReferences = Set(description.foreignKeys.filter { $0.parent == table }.map(\.column))
            var start = 0
            while start < rows.count {
                var converted: [[any SQLExpression]] = []
                for (offset, row) in rows[start..<min(start + 200, rows.count)].enumerated() {
                    let index = start + offset
                    var values: [any SQLExpression] = []
                    for column in description.columns {
                        let field = "\(ProductExport.key(table))[\(index)].\(ProductExport.camelCase(column.name))"
                        let raw = row[ProductExport.camelCase(column.name)]
                        if raw == nil || raw is NSNull {
                            guard column.nullable else { throw problem(field, "This field is required and missing.") }
                            values.append(SQLLiteral.null)
                            continue
                        }
                        switch column.kind {
                        case .integer:
                            guard let number = raw as? NSNumber else { throw problem(field, "This field must be a whole number.") }
                            values.append(SQLBind(number.int64Value))
                        case .real:
                            guard let number = raw as? NSNumber else { throw problem(field, "This field must be a number.") }
                            values.append(SQLBind(number.doubleValue))
                        case .text:
                            guard let text = raw as? String else { throw problem(field, "This field must be text.") }
                            var value = remap.text(text, column: column.name)
                            if table == "products" && column.name == "key" { value = key }
                            if selfReferences.contains(column.name) {
                                deferred.append((table, remap.text(row["id"] as? String ?? "", column: "id"), column.name, value))
                                values.append(SQLLiteral.null)
                            } else {
                                values.append(SQLBind(value))
                            }
                        }
                    }
                    converted.append(values)
                }
                batches.append((table, description.columns.map(\.name), converted))
                start += 200
            }
            counts[ProductExport.key(table)] = rows.count
        }
        let exportedAt = document["exportedAt"] as? String ?? ""
        let rows = counts.values.reduce(0, +)
        let prepared = Prepared(batches: batches, deferred: deferred)
        let started = ContinuousClock.now
        try await database.write { [stamps, newPeople] db in
            try await AccountService.accountsWithoutPassword(newPeople, unusableHash: unusableHash, stamps: stamps, on: db)
            for batch in prepared.batches {
                let insert = db.insert(into: batch.table).columns(batch.columns)
                for values in batch.rows { insert.values(values) }
                try await insert.run()
            }
            for reference in prepared.deferred {
                try await db.update(reference.table).set(reference.column, to: reference.value).where("id", .equal, reference.id).run()
            }
            // The change counter continues after the exported changes; the import is the next change.
            let latest = try await db.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "latest").from("changes")
                .where("product_id", .equal, newProductID).first()?.decode(column: "latest", as: Int64?.self) ?? 0
            try await ChangeLog.setCounter(productID: newProductID, to: latest, on: db)
            try await ChangeLog.append(Change(.productImported, subject: newProductID, [
                "fromKey": .string(oldKey), "exportedAt": .string(exportedAt),
                "rows": .number(Double(rows)), "peopleCreated": .number(Double(newPeople.count)),
            ]), productID: newProductID, actorID: nil, stamps: stamps, on: db)
        }
        let held = ContinuousClock.now - started
        return Summary(productID: newProductID, key: key, rows: counts, peopleMatched: people.count - newPeople.count, peopleCreated: newPeople.count,
                       ids: ids, writerSeconds: Double(held.components.seconds) + Double(held.components.attoseconds) / 1e18)
    }

    /// The rows converted and ready, handed to the transaction.
    final class Prepared: @unchecked Sendable {  // built before the transaction and only read in it
        let batches: [(table: String, columns: [String], rows: [[any SQLExpression]])]
        let deferred: [(table: String, id: String, column: String, value: String)]
        init(batches: [(table: String, columns: [String], rows: [[any SQLExpression]])], deferred: [(table: String, id: String, column: String, value: String)]) {
            self.batches = batches
            self.deferred = deferred
        }
    }

    /// Old ids to new ones wherever they stand (a whole value, or inside stored JSON), and item references to the new key.
    struct Remapper {
        let ids: [String: String]
        let oldKey: String
        let newKey: String

        func text(_ value: String, column: String) -> String {
            if let mapped = ids[value] { return mapped }
            if (column == "ref" || column == "subject_ref"), value.hasPrefix(oldKey + "-") { return newKey + value.dropFirst(oldKey.count) }
            guard value.utf8.count >= 36, value.contains("-") else { return value }
            let whole = NSRange(value.startIndex..., in: value)
            var result = value
            for match in ProductImport.uuid.matches(in: value, range: whole).reversed() {
                guard let range = Range(match.range, in: value), let mapped = ids[String(value[range])], let target = Range(match.range, in: result) else { continue }
                result.replaceSubrange(target, with: mapped)
            }
            if column == "data" {  // a change's data names items by reference too
                result = result.replacingOccurrences(of: "\"\(oldKey)-", with: "\"\(newKey)-")
            }
            return result
        }
    }
}
