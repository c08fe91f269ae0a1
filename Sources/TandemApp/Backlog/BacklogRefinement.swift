import Foundation
import SQLKit
import TandemCore

/// Refinement: the product's Definition of Ready and how each item measures up to it.
public struct BacklogRefinement: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public init(database: TandemDatabase, stamps: Stamps) {
        self.database = database
        self.stamps = stamps
    }

    // MARK: Definition of Ready

    public func definitionOfReady(productID: String, userID: String) async throws -> [String] {
        try await database.read { db in try await BacklogStore.access(productID: productID, userID: userID, on: db).product.definitionOfReadyItems }
    }

    /// Sets the checklist as one change. Ticks are kept by text, so no item is rewritten and no item's version moves
    /// (open edit forms stay valid); only the ready items that no longer meet it drop a level, set-based, in the
    /// same transaction: a few statements however long the backlog.
    public func setDefinitionOfReady(productID: String, items rawItems: [String], actorID: String) async throws -> [String] {
        let items = try Self.checklist(rawItems)
        return try await database.write { db in
            let access = try await BacklogStore.access(productID: productID, userID: actorID, on: db)
            try access.require(.setDefinitionOfReady)
            try await ProductSettingsStore.store(.definitionOfReady, json: JSONText.encode(items), productID: productID, on: db)
            let ready = try await db.select().columns("id", "ref", "estimate", "readiness").from("backlog_items")
                .where("product_id", .equal, productID).where("deleted_at", .is, SQLLiteral.null)
                .where("refinement", .equal, RefinementLevel.ready.rawValue).orderBy("rank").all()
            var settled: [RefinementLevel: [String]] = [:]
            var downgraded: [String] = []
            for row in ready {
                let r = RowReader(row: row)
                let estimate = try row.decodeNil(column: "estimate") ? nil : try row.decode(column: "estimate", as: Double.self)
                let flags = Checklist.flags(ticked: try JSONText.strings(try r.text("readiness")), definition: items)
                let level = Refinement.settle(.ready, estimate: estimate, readiness: flags, definitionOfReady: items)
                guard level != .ready else { continue }
                settled[level, default: []].append(try r.text("id"))
                downgraded.append(try r.text("ref"))
            }
            for (level, ids) in settled.sorted(by: { $0.key < $1.key }) {
                for chunk in stride(from: 0, to: ids.count, by: 1000).map({ ids[$0..<min($0 + 1000, ids.count)] }) {
                    try await db.update("backlog_items").set("refinement", to: level.rawValue).where("id", .in, Array(chunk)).run()
                }
            }
            try await ChangeLog.append(Change(.definitionOfReadySet, subject: productID, ["items": .array(items.map(JSONValue.string)), "noLongerReady": .array(downgraded.map(JSONValue.string))]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            return items
        }
    }

    /// A definition's entries as sent: at most 30, each one line, none repeated (entries differing only in
    /// surrounding spaces are one entry).
    static func checklist(_ rawItems: [String]) throws -> [String] {
        guard rawItems.count <= InputRules.definitionOfReadyEntries else {
            throw DomainError.invalid(field: "items", "must have at most \(InputRules.definitionOfReadyEntries) entries")
        }
        guard Set(rawItems).count == rawItems.count else { throw DomainError.invalid(field: "items", "must not repeat an entry") }
        var checked: [String] = []
        for (index, raw) in rawItems.enumerated() {
            let item = try InputRules.definitionOfReadyItem.validated(raw, field: "items[\(index)]")
            if !checked.contains(item) { checked.append(item) }
        }
        return checked
    }

    // MARK: Definition of Done

    public func definitionOfDone(productID: String, userID: String) async throws -> [String] {
        try await database.read { db in try await BacklogStore.access(productID: productID, userID: userID, on: db).product.definitionOfDoneItems }
    }

    /// The Product Owner sets what "done" means for the product's increments as one change; ticks are kept by text,
    /// so no item is rewritten. Work already done stays done: the definition applies from now on.
    public func setDefinitionOfDone(productID: String, items rawItems: [String], actorID: String) async throws -> [String] {
        let items = try Self.checklist(rawItems)
        return try await database.write { db in
            let access = try await BacklogStore.access(productID: productID, userID: actorID, on: db)
            try access.require(.setProductDirection, message: "The Product Owner sets the Definition of Done; the team proposes changes to it in the retrospective.")
            try await ProductSettingsStore.store(.definitionOfDone, json: JSONText.encode(items), productID: productID, on: db)
            try await ChangeLog.append(Change(.definitionOfDoneSet, subject: productID, ["items": .array(items.map(JSONValue.string))]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            return items
        }
    }
}

