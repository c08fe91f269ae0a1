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

    /// Sets the checklist; ticks follow their text, and items no longer meeting it drop from `ready` in the same transaction.
    public func setDefinitionOfReady(productID: String, items rawItems: [String], actorID: String) async throws -> [String] {
        let items = try Self.checklist(rawItems)
        return try await database.write { db in
            let access = try await BacklogStore.access(productID: productID, userID: actorID, on: db)
            try access.require(.setDefinitionOfReady)
            let old = access.product.definitionOfReadyItems
            try await db.update("products").set("definition_of_ready", to: JSONText.encode(items)).where("id", .equal, productID).run()
            let rows = try await db.select().column("*").from("backlog_items").where("product_id", .equal, productID)
                .where("deleted_at", .is, SQLLiteral.null).all(BacklogItemRow.self)
            var downgraded: [String] = []
            for var row in rows {
                let readiness = Refinement.realign(readiness: row.readinessFlags, from: old, to: items)
                let level = Refinement.settle(row.refinementLevel, estimate: row.estimate, readiness: readiness, definitionOfReady: items)
                let encoded = JSONText.encode(readiness)
                guard encoded != row.readiness || level != row.refinementLevel else { continue }
                if level != row.refinementLevel { downgraded.append(row.ref) }
                row.readiness = encoded
                row.refinement = level
                row.version += 1
                try await db.update("backlog_items").set("readiness", to: row.readiness).set("refinement", to: row.refinement)
                    .set("version", to: row.version).where("id", .equal, row.id).run()
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

    /// The Product Owner sets what "done" means for the product's increments; ticks follow their text. Work already
    /// done stays done: the definition applies from now on.
    public func setDefinitionOfDone(productID: String, items rawItems: [String], actorID: String) async throws -> [String] {
        let items = try Self.checklist(rawItems)
        return try await database.write { db in
            let access = try await BacklogStore.access(productID: productID, userID: actorID, on: db)
            try access.require(.setProductDirection, message: "The Product Owner sets the Definition of Done; the team proposes changes to it in the retrospective.")
            let old = access.product.definitionOfDoneItems
            try await db.update("products").set("definition_of_done", to: JSONText.encode(items)).where("id", .equal, productID).run()
            let rows = try await db.select().column("*").from("backlog_items").where("product_id", .equal, productID)
                .where("deleted_at", .is, SQLLiteral.null).all(BacklogItemRow.self)
            for row in rows {
                let encoded = JSONText.encode(Refinement.realign(readiness: row.doneCheckFlags, from: old, to: items))
                guard encoded != row.doneChecks else { continue }
                try await db.update("backlog_items").set("done_checks", to: encoded).set("version", to: row.version + 1).where("id", .equal, row.id).run()
            }
            try await ChangeLog.append(Change(.definitionOfDoneSet, subject: productID, ["items": .array(items.map(JSONValue.string))]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            return items
        }
    }
}

extension BacklogStore {
}
