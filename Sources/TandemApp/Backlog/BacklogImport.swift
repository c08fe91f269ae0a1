import Foundation
import SQLKit
import TandemCore

/// An item from another tool, as an import writes it.
public struct ImportedItem: Sendable {
    /// Where it came from, for the problem messages (a file's line).
    public var line: Int
    /// Its key there (`ORB-12`): a second import of the same file updates the item instead of adding it again.
    public var externalRef: String
    public var title: String
    public var description: String
    public var kind: ItemKind
    /// Its type there, kept on the item (a company's own types become stories).
    public var sourceType: String
    public var done: Bool
    public var points: Double?
    public var createdAt: Int64?
    /// The external ref of its epic, when it has one in the same import.
    public var epicRef: String?
    /// External refs of the items it is blocked by, when they are in the same import.
    public var blockedBy: [String]

    public init(line: Int, externalRef: String, title: String, description: String, kind: ItemKind, sourceType: String, done: Bool, points: Double?,
                createdAt: Int64?, epicRef: String?, blockedBy: [String]) {
        (self.line, self.externalRef, self.title, self.description, self.kind, self.sourceType) = (line, externalRef, title, description, kind, sourceType)
        (self.done, self.points, self.createdAt, self.epicRef, self.blockedBy) = (done, points, createdAt, epicRef, blockedBy)
    }
}

/// The backlog's import path: it keeps the rules that guard the data (a title, text within its limits, ranks unique
/// and in the given order, an epic and a blocker in the same product, no dependency cycle) and skips those that guard
/// a live process (readiness, who may place an item). New items go to the bottom in the order given; items an earlier
/// import brought (matched by their external ref) are updated in place. Each is a change in the stream, as if made
/// by hand. Runs inside the caller's transaction.
public enum BacklogImport {
    public struct Result: Sendable {
        public var created = 0
        public var updated = 0
        public var dependencies = 0
        public var cyclesSkipped = 0
        /// Item ids by external ref.
        public var ids: [String: String] = [:]
    }

    /// The data rules, checked before any transaction opens; each failure names the line.
    public static func check(_ items: [ImportedItem]) -> [(line: Int, field: String, reason: String)] {
        var problems: [(line: Int, field: String, reason: String)] = []
        for item in items {
            do { _ = try BacklogStore.title(item.title) } catch let error as DomainError { problems.append((item.line, "Summary", error.message)) } catch {}
            do { _ = try BacklogStore.longText(item.description, field: "description") } catch let error as DomainError { problems.append((item.line, "Description", error.message)) } catch {}
        }
        return problems
    }

    static func write(_ items: [ImportedItem], productID: String, productKey: String, actorID: String, stamps: Stamps, on db: any SQLDatabase) async throws -> Result {
        var result = Result()
        let refs = items.map(\.externalRef)
        var existing: [String: BacklogItemRow] = [:]
        for chunk in stride(from: 0, to: refs.count, by: 500).map({ Array(refs[$0..<min($0 + 500, refs.count)]) }) {
            for row in try await db.select().column("*").from("backlog_items").where("product_id", .equal, productID).where("external_ref", .in, chunk).all() {
                let item = try RowCoding.decode(row, as: BacklogItemRow.self)
                existing[try row.decode(column: "external_ref", as: String.self)] = item
            }
        }
        var lastRank = try await BacklogStore.rank(for: .bottom, movingItemID: nil, productID: productID, on: db).key
        var first = true
        for item in items {
            let title = try BacklogStore.title(item.title)
            let description = try BacklogStore.longText(item.description, field: "description")
            let status: ItemStatus = item.done ? .done : .open
            let refinement: RefinementLevel = item.points == nil ? .idea : .estimated
            let now = stamps.now()
            if let current = existing[item.externalRef] {
                var changes: [String: JSONValue] = [:]
                func note(_ field: String, _ from: JSONValue, _ to: JSONValue) { if from != to { changes[field] = ["from": from, "to": to] } }
                note("title", .string(current.title), .string(title))
                note("description", .string(current.description), .string(description))
                note("kind", .string(current.kind.rawValue), .string(item.kind.rawValue))
                note("estimate", current.estimate.map(JSONValue.number) ?? .null, item.points.map(JSONValue.number) ?? .null)
                note("status", .string(current.status.rawValue), .string(status.rawValue))
                result.ids[item.externalRef] = current.id
                guard !changes.isEmpty else { continue }
                try await db.update("backlog_items").set("title", to: title).set("description", to: description).set("kind", to: item.kind.rawValue)
                    .set("estimate", to: item.points).set("status", to: status.rawValue).set("source_type", to: item.sourceType)
                    .set("version", to: current.version + 1).set("updated_by", to: actorID).set("updated_at", to: now).where("id", .equal, current.id).run()
                try await ChangeLog.append(Change(.itemUpdated, subject: current.id, ref: current.ref, ["changes": .object(changes), "version": .number(Double(current.version + 1))]),
                                           productID: productID, actorID: actorID, stamps: stamps, on: db)
                result.updated += 1
                continue
            }
            let number = try await ProductSettingsStore.nextItemNumber(productID: productID, on: db)
            // The first new item takes the bottom key; each next one a key after the one before, in the file's order.
            let rank = first ? lastRank : try BacklogStore.key(between: lastRank, nil).key
            first = false
            lastRank = rank
            let row = BacklogItemRow(
                id: stamps.newID(), productId: productID, number: number, ref: "\(productKey)-\(number)", kind: item.kind, title: title,
                description: description, acceptanceCriteria: "", estimate: item.points, status: status, refinement: refinement, readiness: "[]",
                businessValue: nil, timeCriticality: nil, riskReduction: nil, parentId: nil, rank: rank, version: 1, declineReason: nil,
                createdBy: actorID, updatedBy: actorID, createdAt: item.createdAt ?? now, updatedAt: now, refinedAt: now, deletedAt: nil
            )
            try await db.insert("backlog_items", row)
            try await db.update("backlog_items").set("external_ref", to: item.externalRef).set("source_type", to: item.sourceType).where("id", .equal, row.id).run()
            try await ChangeLog.append(Change(.itemCreated, subject: row.id, ref: row.ref, ["ref": .string(row.ref), "title": .string(title), "position": try JSONValue.from(PositionDTO(.bottom))]),
                                       productID: productID, actorID: actorID, stamps: stamps, on: db)
            result.ids[item.externalRef] = row.id
            result.created += 1
        }
        if lastRank.count > RankKey.maxLength { try await BacklogStore.rebalance(productID: productID, on: db) }
        // Epics, then "blocked by", once every item has its id.
        for item in items {
            guard let id = result.ids[item.externalRef], let epic = item.epicRef.flatMap({ result.ids[$0] }), epic != id else { continue }
            try await db.update("backlog_items").set("parent_id", to: epic).where("id", .equal, id).run()
        }
        var blockers: [String: [String]] = [:]
        for row in try await db.select().columns("item_id", "blocker_id").from("item_dependencies").where("product_id", .equal, productID).all() {
            blockers[try row.decode(column: "item_id", as: String.self), default: []].append(try row.decode(column: "blocker_id", as: String.self))
        }
        for item in items {
            guard let id = result.ids[item.externalRef] else { continue }
            for blockerRef in item.blockedBy {
                guard let blocker = result.ids[blockerRef], !(blockers[id] ?? []).contains(blocker) else { continue }
                if DependencyGraph.cycle(adding: id, blockedBy: blocker, blockers: blockers) != nil { result.cyclesSkipped += 1; continue }
                try await db.insert(into: "item_dependencies").columns("item_id", "blocker_id", "product_id", "created_by", "created_at")
                    .values(SQLBind(id), SQLBind(blocker), SQLBind(productID), SQLBind(actorID), SQLBind(stamps.now())).run()
                blockers[id, default: []].append(blocker)
                let ref = try await db.select().column("ref").from("backlog_items").where("id", .equal, id).first()?.decode(column: "ref", as: String.self)
                let blockerTandemRef = try await db.select().column("ref").from("backlog_items").where("id", .equal, blocker).first()?.decode(column: "ref", as: String.self) ?? blockerRef
                try await ChangeLog.append(Change(.dependencyAdded, subject: id, ref: ref, ["blockedBy": .string(blocker), "blockerRef": .string(blockerTandemRef)]),
                                           productID: productID, actorID: actorID, stamps: stamps, on: db)
                result.dependencies += 1
            }
        }
        return result
    }
}
