import Foundation
import SQLKit
import TandemCore

/// The queries and rules the backlog's services share: who the caller is in a product, finding an item by id or
/// reference, the ordering lock, and turning rows into what the API shows.
enum BacklogStore {

    /// What a handler needs to decide: the product's backlog settings and the caller's accountabilities.
    struct Access: Sendable {
        let product: ProductBacklogSettings
        let membership: ProductMembership
        let userID: String

        /// Applies the policy; a denial carries `message` when the action has a better explanation than "only X may".
        func require(_ action: ProductAction, message: String? = nil) throws {
            switch PermissionPolicy.decide(action, for: membership) {
            case .allowed: return
            case .hidden: throw DomainError.notFound("The product")
            case .denied(let whoMay): throw DomainError.notAllowed(message ?? "Only \(whoMay) may do this.")
            }
        }

        /// The authority a move is made on, for the activity log.
        var orderingAuthority: String { membership.isProductOwner ? "productOwner" : "delegate" }
    }

    static func access(productID: String, userID: String, on db: any SQLDatabase) async throws -> Access {
        guard let product = try await db.select().columns("id", "key", "product_owner_id", "definition_of_ready", "estimate_scale")
            .from("products").where("id", .equal, productID).first(ProductBacklogSettings.self)
        else { throw DomainError.notFound("The product") }
        let membership = try await ProductService.membership(productID: productID, productOwnerID: product.productOwnerId, userID: userID, on: db)
        guard membership.isMember else { throw DomainError.notFound("The product") }
        return Access(product: product, membership: membership, userID: userID)
    }

    /// An item by id or by reference (`ATL-7`), hidden from outsiders as if it did not exist.
    static func itemAccess(_ idOrRef: String, userID: String, on db: any SQLDatabase) async throws -> (BacklogItemRow, Access) {
        let item = try await item(idOrRef, on: db)
        do {
            return (item, try await access(productID: item.productId, userID: userID, on: db))
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.notFound("The item")
        }
    }

    static func item(_ idOrRef: String, on db: any SQLDatabase) async throws -> BacklogItemRow {
        let column = idOrRef.contains("-") && idOrRef.first?.isUppercase == true && !idOrRef.contains(where: \.isLowercase) ? "ref" : "id"
        guard let item = try await db.select().column("*").from("backlog_items")
            .where(SQLIdentifier(column), .equal, SQLBind(idOrRef)).where("deleted_at", .is, SQLLiteral.null)
            .first(BacklogItemRow.self)
        else { throw DomainError.notFound("The item") }
        return item
    }

    /// Takes the product's ordering lock (a row lock on PostgreSQL; SQLite already serializes writers).
    static func lockOrder(productID: String, on db: any SQLDatabase) async throws {
        _ = try await db.select().column("id").from("products").where("id", .equal, productID).for(.update).first()
    }

    static func versionConflict(_ item: BacklogItemRow, on db: any SQLDatabase) async throws -> DomainError {
        let current = try await dtos([item], on: db)[0]
        return DomainError(
            .conflict, code: "version_conflict",
            message: "The item changed since you loaded it (now version \(item.version)); look at the current state and try again.",
            field: "version", details: ["current": try JSONValue.from(current)]
        )
    }

    /// Loads what the API shows beyond the row: dependencies both ways, the creator, the order warnings.
    static func dtos(_ rows: [BacklogItemRow], on db: any SQLDatabase) async throws -> [ItemDTO] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        let blockers = try await db.raw("""
            SELECT d.item_id AS owner_id, b.id, b.ref, b.title, b.status, b.rank
            FROM item_dependencies d JOIN backlog_items b ON b.id = d.blocker_id
            WHERE d.item_id IN (\(binds: ids)) AND b.deleted_at IS NULL
            ORDER BY b.rank
            """).all(LinkedItemRow.self)
        let blocked = try await db.raw("""
            SELECT d.blocker_id AS owner_id, i.id, i.ref, i.title, i.status, i.rank
            FROM item_dependencies d JOIN backlog_items i ON i.id = d.item_id
            WHERE d.blocker_id IN (\(binds: ids)) AND i.deleted_at IS NULL
            ORDER BY i.rank
            """).all(LinkedItemRow.self)
        let creatorIDs = Array(Set(rows.compactMap(\.createdBy)))
        var creators: [String: String] = [:]
        if !creatorIDs.isEmpty {
            for row in try await db.select().columns("id", "display_name").from("users").where("id", .in, creatorIDs).all() {
                creators[try row.decode(column: "id", as: String.self)] = try row.decode(column: "display_name", as: String.self)
            }
        }
        let blockersByItem = Dictionary(grouping: blockers, by: \.ownerId)
        let blockedByItem = Dictionary(grouping: blocked, by: \.ownerId)
        return rows.map { row in
            let itemBlockers = blockersByItem[row.id] ?? []
            let warnings = row.itemStatus.isFinished ? [] : BacklogWarnings.orderedAboveBlocker(
                itemRank: row.rank,
                blockers: itemBlockers.map { ($0.id, $0.ref, $0.rank, ItemStatus(rawValue: $0.status) ?? .open) }
            )
            return ItemDTO(
                id: row.id, ref: row.ref, productId: row.productId, title: row.title,
                kind: ItemKind(rawValue: row.kind) ?? .story, status: row.itemStatus, refinement: row.refinementLevel,
                estimate: row.estimate, rank: row.rank, version: row.version, warnings: warnings,
                description: row.description, acceptanceCriteria: row.acceptanceCriteria, readiness: row.readinessFlags,
                businessValue: row.businessValue, timeCriticality: row.timeCriticality, riskReduction: row.riskReduction,
                wsjf: row.wsjf, parentId: row.parentId, declineReason: row.declineReason,
                blockedBy: itemBlockers.map(\.refDTO), blocks: (blockedByItem[row.id] ?? []).map(\.refDTO),
                createdBy: row.createdBy.map { PersonRef(id: $0, displayName: creators[$0] ?? "(removed)") },
                createdAt: Clock.date(row.createdAt), updatedAt: Clock.date(row.updatedAt)
            )
        }
    }

}

struct LinkedItemRow: Decodable {
    var ownerId: String
    var id: String
    var ref: String
    var title: String
    var status: String
    var rank: String

    var refDTO: ItemRefDTO { ItemRefDTO(id: id, ref: ref, title: title, status: ItemStatus(rawValue: status) ?? .open) }
}

struct ActivityJoinRow: Decodable {
    var id: String
    var action: String
    var actorId: String?
    var actorName: String?
    var subjectType: String
    var subjectId: String
    var detail: String
    var createdAt: Int64

    var dto: ActivityDTO {
        ActivityDTO(
            id: id, action: action,
            actor: actorId.map { PersonRef(id: $0, displayName: actorName ?? "(removed)") },
            subjectType: subjectType, subjectId: subjectId,
            detail: (try? JSONDecoder().decode(JSONValue.self, from: Data(detail.utf8))) ?? .null,
            createdAt: Clock.date(createdAt)
        )
    }
}
