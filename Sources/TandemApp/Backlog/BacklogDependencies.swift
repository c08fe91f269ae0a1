import Foundation
import SQLKit
import TandemCore

/// "Blocked by" links between items, kept acyclic.
public struct BacklogDependencies: Sendable {
    let database: TandemDatabase

    public init(database: TandemDatabase) {
        self.database = database
    }

    /// Records "item is blocked by blocker"; refuses cycles (with the path) and links across products.
    public func addDependency(itemIDOrRef: String, blockedBy blockerIDOrRef: String, actorID: String) async throws -> (item: ItemDTO, blocker: ItemRefDTO) {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            try access.require(.editItem(createdByCaller: item.createdBy == actorID))
            let unknown = DomainError.invalid(field: "blockedBy", "Choose an item of this backlog as the blocker.")
            guard let blocker = try? await BacklogStore.item(blockerIDOrRef, on: db) else { throw unknown }
            if blocker.productId != item.productId {
                // An item of a product the caller cannot see is answered exactly like one that does not exist.
                let other = try await ProductService.membership(productID: blocker.productId, userID: actorID, on: db)
                guard other.isMember else { throw unknown }
                throw DomainError(.ruleBroken, code: "cross_product_dependency", message: "Dependencies link items of one product only.", field: "blockedBy")
            }
            let existing = try await db.select().column("item_id").from("item_dependencies")
                .where("item_id", .equal, item.id).where("blocker_id", .equal, blocker.id).first()
            if existing != nil {
                throw DomainError(.conflict, code: "dependency_exists", message: "\(item.ref) is already blocked by \(blocker.ref).", field: "blockedBy")
            }
            let edges = try await db.select().columns("item_id", "blocker_id").from("item_dependencies")
                .where("product_id", .equal, item.productId).all(EdgeRow.self)
            let blockers = Dictionary(grouping: edges, by: \.itemId).mapValues { $0.map(\.blockerId) }
            if let path = DependencyGraph.cycle(adding: item.id, blockedBy: blocker.id, blockers: blockers) {
                let refs = try await db.select().columns("id", "ref").from("backlog_items").where("id", .in, Array(Set(path))).all(IDRefRow.self)
                let refByID = Dictionary(uniqueKeysWithValues: refs.map { ($0.id, $0.ref) })
                throw DomainError(
                    .ruleBroken, code: "dependency_cycle",
                    message: "That would close a cycle: " + path.map { refByID[$0] ?? $0 }.joined(separator: " → ") + ".",
                    field: "blockedBy",
                    details: ["path": .array(path.map(JSONValue.string)), "refs": .array(path.map { .string(refByID[$0] ?? $0) })]
                )
            }
            try await db.insert(into: "item_dependencies").columns("item_id", "blocker_id", "product_id", "created_by", "created_at")
                .values(SQLBind(item.id), SQLBind(blocker.id), SQLBind(item.productId), SQLBind(actorID), SQLBind(RowCoding.now())).run()
            try await ActivityLog.record(
                on: db, productID: item.productId, actorID: actorID, action: "item.dependency_added", subjectType: "item", subjectID: item.id,
                detail: ["blockedBy": .string(blocker.id), "blockerRef": .string(blocker.ref)]
            )
            let dto = try await BacklogStore.dtos([item], on: db)[0]
            return (dto, ItemRefDTO(id: blocker.id, ref: blocker.ref, title: blocker.title, status: blocker.itemStatus))
        }
    }

    public func removeDependency(itemIDOrRef: String, blockerIDOrRef: String, actorID: String) async throws {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            try access.require(.editItem(createdByCaller: item.createdBy == actorID))
            let blocker = try? await BacklogStore.item(blockerIDOrRef, on: db)
            let blockerID = blocker?.id ?? blockerIDOrRef
            let existing = try await db.select().column("item_id").from("item_dependencies")
                .where("item_id", .equal, item.id).where("blocker_id", .equal, blockerID).first()
            guard existing != nil else { throw DomainError.notFound("The dependency") }
            try await db.delete(from: "item_dependencies").where("item_id", .equal, item.id).where("blocker_id", .equal, blockerID).run()
            try await ActivityLog.record(
                on: db, productID: item.productId, actorID: actorID, action: "item.dependency_removed", subjectType: "item", subjectID: item.id,
                detail: ["blockedBy": .string(blockerID), "blockerRef": blocker.map { .string($0.ref) } ?? .null]
            )
        }
    }

    /// Every dependency of the product with the items it links (deleted items left out).
    public func dependencyGraph(productID: String, userID: String) async throws -> DependencyGraphDTO {
        try await database.read { db in
            _ = try await BacklogStore.access(productID: productID, userID: userID, on: db)
            return try await BacklogStore.graph(productID: productID, on: db)
        }
    }
}

extension BacklogStore {
    static func graph(productID: String, on db: any SQLDatabase) async throws -> DependencyGraphDTO {
        let edges = try await db.raw("""
            SELECT d.item_id, d.blocker_id FROM item_dependencies d
            JOIN backlog_items i ON i.id = d.item_id JOIN backlog_items b ON b.id = d.blocker_id
            WHERE d.product_id = \(bind: productID) AND i.deleted_at IS NULL AND b.deleted_at IS NULL
            ORDER BY i.rank, b.rank
            """).all(EdgeRow.self)
        let ids = Array(Set(edges.flatMap { [$0.itemId, $0.blockerId] }))
        let nodes = ids.isEmpty ? [] : try await db.select().column("*").from("backlog_items").where("id", .in, ids)
            .orderBy("rank").all(BacklogItemRow.self)
        return DependencyGraphDTO(
            nodes: nodes.map { .init(id: $0.id, ref: $0.ref, title: $0.title, status: $0.itemStatus, refinement: $0.refinementLevel, rank: $0.rank) },
            edges: edges.map { .init(itemId: $0.itemId, blockedBy: $0.blockerId) }
        )
    }
}

struct EdgeRow: Decodable {
    var itemId: String
    var blockerId: String
}

struct IDRefRow: Decodable {
    var id: String
    var ref: String
}
