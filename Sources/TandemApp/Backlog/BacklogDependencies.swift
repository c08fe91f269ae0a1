import Foundation
import SQLKit
import TandemCore

/// "Blocked by" links between items, kept acyclic.
public struct BacklogDependencies: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public init(database: TandemDatabase, stamps: Stamps) {
        self.database = database
        self.stamps = stamps
    }

    /// Records "item is blocked by blocker"; refuses cycles (with the path) and links across products.
    public func addDependency(itemIDOrRef: String, blockedBy blockerIDOrRef: String, actorID: String) async throws -> (item: ItemDTO, blocker: ItemRefDTO) {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            try access.require(.editItem(createdByCaller: item.createdBy == actorID))
            let unknown = DomainError.invalid(field: "blockedBy", "Choose an item of this backlog as the blocker.")
            guard let blocker = try await DomainError.nilIfNotFound({ try await BacklogStore.item(blockerIDOrRef, on: db) }) else { throw unknown }
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
                .values(SQLBind(item.id), SQLBind(blocker.id), SQLBind(item.productId), SQLBind(actorID), SQLBind(stamps.now())).run()
            try await ChangeLog.append(Change(.dependencyAdded, subject: item.id, ref: item.ref, ["blockedBy": .string(blocker.id), "blockerRef": .string(blocker.ref)]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            let dto = try await BacklogStore.dtos([item], product: access.product, on: db)[0]
            return (dto, ItemRefDTO(id: blocker.id, ref: blocker.ref, title: blocker.title, status: blocker.itemStatus))
        }
    }

    public func removeDependency(itemIDOrRef: String, blockerIDOrRef: String, actorID: String) async throws {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            try access.require(.editItem(createdByCaller: item.createdBy == actorID))
            let blocker = try await DomainError.nilIfNotFound({ try await BacklogStore.item(blockerIDOrRef, on: db) })
            let blockerID = blocker?.id ?? blockerIDOrRef
            let existing = try await db.select().column("item_id").from("item_dependencies")
                .where("item_id", .equal, item.id).where("blocker_id", .equal, blockerID).first()
            guard existing != nil else { throw DomainError.notFound("The dependency") }
            try await db.delete(from: "item_dependencies").where("item_id", .equal, item.id).where("blocker_id", .equal, blockerID).run()
            try await ChangeLog.append(Change(.dependencyRemoved, subject: item.id, ref: item.ref, ["blockedBy": .string(blockerID), "blockerRef": blocker.map { .string($0.ref) } ?? .null]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
        }
    }

    /// Every dependency of the product with the items it links (deleted items left out).
    public func dependencyGraph(productID: String, userID: String) async throws -> DependencyGraphDTO {
        try await dependencyGraph(access: try await ProductService(database: database, stamps: stamps).access(productID: productID, userID: userID))
    }

    /// Every live dependency of the product with both of its items, in one query.
    public func dependencyGraph(access: ProductAccess) async throws -> DependencyGraphDTO {
        try await database.read { db in try await BacklogStore.graph(productID: access.product.id, on: db) }
    }
}

extension BacklogStore {
    static func graph(productID: String, on db: any SQLDatabase) async throws -> DependencyGraphDTO {
        let rows = try await db.raw("""
            SELECT d.item_id, d.blocker_id,
                   i.ref AS item_ref, i.title AS item_title, i.status AS item_status, i.refinement AS item_refinement, i.rank AS item_rank,
                   b.ref AS blocker_ref, b.title AS blocker_title, b.status AS blocker_status, b.refinement AS blocker_refinement, b.rank AS blocker_rank
            FROM item_dependencies d
            JOIN backlog_items i ON i.id = d.item_id JOIN backlog_items b ON b.id = d.blocker_id
            WHERE d.product_id = \(bind: productID) AND i.deleted_at IS NULL AND b.deleted_at IS NULL
            ORDER BY i.rank, b.rank
            """).all(GraphEdgeRow.self)
        var nodes: [String: DependencyGraphDTO.Node] = [:]
        for row in rows {
            nodes[row.itemId] = try row.node(blocker: false)
            nodes[row.blockerId] = try row.node(blocker: true)
        }
        return DependencyGraphDTO(
            nodes: nodes.values.sorted { $0.rank < $1.rank },
            edges: rows.map { .init(itemId: $0.itemId, blockedBy: $0.blockerId) }
        )
    }
}

/// One edge of the graph with both of its items.
private struct GraphEdgeRow: Decodable {
    var itemId: String, blockerId: String
    var itemRef: String, itemTitle: String, itemStatus: String, itemRefinement: String, itemRank: String
    var blockerRef: String, blockerTitle: String, blockerStatus: String, blockerRefinement: String, blockerRank: String

    func node(blocker: Bool) throws -> DependencyGraphDTO.Node {
        let id = blocker ? blockerId : itemId
        let refinement = blocker ? blockerRefinement : itemRefinement
        guard let level = RefinementLevel(rawValue: refinement) else {
            throw DomainError(.inconsistent, code: "unknown_refinement", message: "The item \(id) has the unknown refinement level '\(refinement)'.")
        }
        return DependencyGraphDTO.Node(
            id: id, ref: blocker ? blockerRef : itemRef, title: blocker ? blockerTitle : itemTitle,
            status: try BacklogItemRow.itemStatus(blocker ? blockerStatus : itemStatus, of: id), refinement: level,
            rank: blocker ? blockerRank : itemRank
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
