import Foundation
import SQLKit
import TandemCore

/// The queries and rules the backlog's services share: who the caller is in a product, finding an item by id or
/// reference, the ordering lock, and turning rows into what the API shows.
enum BacklogStore {

    /// The caller's access to a product, inside a transaction.
    static func access(productID: String, userID: String, on db: any SQLDatabase) async throws -> ProductAccess {
        try await ProductService.access(productID: productID, userID: userID, on: db)
    }

    /// An item by id or reference (`ATL-7`) with the caller's access to its product and the creator's name, in one
    /// query; an outsider gets "not found" as if it did not exist. `lock` also takes the product's ordering lock
    /// and the item's row (PostgreSQL row locks; SQLite serializes writers anyway).
    static func loadItem(_ idOrRef: String, userID: String, lock: Bool = false, on db: any SQLDatabase) async throws -> LoadedItem {
        let column = referenceColumn(idOrRef)
        // Product first, then item: the order every writer takes (a reorder locks the product, then updates items),
        // so two writers never wait on each other in a circle. `OF p, i` sets that order in PostgreSQL.
        let locking = lock && db.dialect.name == "postgresql" ? " FOR UPDATE OF p, i" : ""
        let rows = try await db.raw("""
            SELECT i.*, c.display_name AS creator_name, p.name AS product_name, p.key AS product_key, p.product_owner_id,
                   p.definition_of_ready, p.definition_of_done, p.estimate_scale, m.source, m.team_id, m.accountability
            FROM backlog_items i JOIN products p ON p.id = i.product_id
            LEFT JOIN users c ON c.id = i.created_by
            LEFT JOIN (\(MembershipQuery.subquery(userID: userID))) m ON m.product_id = i.product_id
            WHERE i.\(ident: column) = \(bind: idOrRef) AND i.deleted_at IS NULL\(unsafeRaw: locking)
            """).all()
        guard let first = rows.first else { throw DomainError.notFound("The item") }
        let item = try BacklogItemRow(row: first)
        let product = try ProductSettings(
            id: item.productId, name: try first.decode(column: "product_name", as: String.self),
            key: try first.decode(column: "product_key", as: String.self),
            productOwnerId: try first.decode(column: "product_owner_id", as: String.self),
            definitionOfReady: try first.decode(column: "definition_of_ready", as: String.self),
            definitionOfDone: try first.decode(column: "definition_of_done", as: String.self),
            estimateScale: try first.decode(column: "estimate_scale", as: String.self)
        )
        let membership = try MembershipQuery.membership(productOwnerID: product.productOwnerId, userID: userID, rows: rows)
        guard membership.isMember else { throw DomainError.notFound("The item") }
        let creator = try first.decodeNil(column: "creator_name") ? nil : try first.decode(column: "creator_name", as: String.self)
        return LoadedItem(row: item, access: ProductAccess(product: product, membership: membership, userID: userID), creatorName: creator)
    }

    /// An item read with everything a request about it needs.
    struct LoadedItem: Sendable {
        var row: BacklogItemRow
        let access: ProductAccess
        let creatorName: String?
        /// For `dtos(_:product:creators:on:)`, so the creator is not looked up again.
        var creators: [String: String] {
            guard let id = row.createdBy, let creatorName else { return [:] }
            return [id: creatorName]
        }
    }

    /// The same as a pair, for the many calls that need only the row and the access.
    static func itemAccess(_ idOrRef: String, userID: String, lock: Bool = false, on db: any SQLDatabase) async throws -> (BacklogItemRow, ProductAccess) {
        let loaded = try await loadItem(idOrRef, userID: userID, lock: lock, on: db)
        return (loaded.row, loaded.access)
    }

    /// References look like `ATL-7` (upper case and a dash); anything else is an id.
    static func referenceColumn(_ idOrRef: String) -> String {
        idOrRef.contains("-") && idOrRef.first?.isUppercase == true && !idOrRef.contains(where: \.isLowercase) ? "ref" : "id"
    }

    static func item(_ idOrRef: String, on db: any SQLDatabase) async throws -> BacklogItemRow {
        let column = referenceColumn(idOrRef)
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

    static func versionConflict(_ item: BacklogItemRow, product: ProductSettings, creators: [String: String] = [:], on db: any SQLDatabase) async throws -> DomainError {
        let current = try await dtos([item], product: product, creators: creators, on: db)[0]
        return DomainError(
            .conflict, code: "version_conflict",
            message: "The item changed since you loaded it (now version \(item.version)); look at the current state and try again.",
            field: "version", details: ["current": try JSONValue.from(current)]
        )
    }

    /// Runs a select of `backlog_items.*` plus `creator_name`, collecting the creators' names on the way.
    static func items(_ select: SQLSelectBuilder, creators: inout [String: String]) async throws -> [BacklogItemRow] {
        var rows: [BacklogItemRow] = []
        for raw in try await select.all() {
            let row = try BacklogItemRow(row: raw)
            if let creator = row.createdBy, try !raw.decodeNil(column: "creator_name") {
                creators[creator] = try raw.decode(column: "creator_name", as: String.self)
            }
            rows.append(row)
        }
        return rows
    }

    /// Loads what the API shows beyond the row: dependencies both ways (one query), the creators (one more,
    /// unless `creators` already names them all), the order warnings; the ticks are read against `product`'s
    /// Definitions as they stand.
    static func dtos(_ rows: [BacklogItemRow], product: ProductSettings, creators known: [String: String] = [:], on db: any SQLDatabase) async throws -> [ItemDTO] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.map(\.id)
        let links = try await db.raw("""
            SELECT 'blocker' AS direction, d.item_id AS owner_id, b.id, b.ref, b.title, b.status, b.rank
            FROM item_dependencies d JOIN backlog_items b ON b.id = d.blocker_id
            WHERE d.item_id IN (\(binds: ids)) AND b.deleted_at IS NULL
            UNION ALL
            SELECT 'blocked' AS direction, d.blocker_id AS owner_id, i.id, i.ref, i.title, i.status, i.rank
            FROM item_dependencies d JOIN backlog_items i ON i.id = d.item_id
            WHERE d.blocker_id IN (\(binds: ids)) AND i.deleted_at IS NULL
            ORDER BY rank
            """).all(LinkedItemRow.self)
        let blockers = links.filter { $0.direction == "blocker" }
        let blocked = links.filter { $0.direction == "blocked" }
        var creators = known
        let missing = Array(Set(rows.compactMap(\.createdBy)).subtracting(known.keys))
        if !missing.isEmpty {
            for row in try await db.select().columns("id", "display_name").from("users").where("id", .in, missing).all() {
                creators[try row.decode(column: "id", as: String.self)] = try row.decode(column: "display_name", as: String.self)
            }
        }
        let definitionOfReady = product.definitionOfReadyItems, definitionOfDone = product.definitionOfDoneItems
        let blockersByItem = Dictionary(grouping: blockers, by: \.ownerId)
        let blockedByItem = Dictionary(grouping: blocked, by: \.ownerId)
        return rows.map { row in
            let itemBlockers = blockersByItem[row.id] ?? []
            let warnings = row.itemStatus.isFinished ? [] : BacklogWarnings.orderedAboveBlocker(
                itemRank: row.rank,
                blockers: itemBlockers.map { ($0.id, $0.ref, $0.rank, $0.status) }
            )
            return ItemDTO(
                id: row.id, ref: row.ref, productId: row.productId, title: row.title,
                kind: row.kind, status: row.itemStatus, refinement: row.refinementLevel,
                estimate: row.estimate, rank: row.rank, version: row.version, warnings: warnings,
                description: row.description, acceptanceCriteria: row.acceptanceCriteria, readiness: row.readinessFlags(definitionOfReady),
                businessValue: row.businessValue, timeCriticality: row.timeCriticality, riskReduction: row.riskReduction,
                wsjf: row.wsjf, parentId: row.parentId, productGoalId: row.productGoalId, releaseId: row.releaseId, declineReason: row.declineReason,
                sprintId: row.sprintId, workState: row.workState, doneChecks: row.doneCheckFlags(definitionOfDone), assigneeId: row.assigneeId,
                blockedBy: itemBlockers.map(\.refDTO), blocks: (blockedByItem[row.id] ?? []).map(\.refDTO),
                createdBy: row.createdBy.map { PersonRef(id: $0, displayName: creators[$0] ?? "(removed)") },
                createdAt: Clock.date(row.createdAt), updatedAt: Clock.date(row.updatedAt)
            )
        }
    }


    /// WSJF as SQL over `table`'s columns: null for items without an estimate or a value input.
    static func wsjfScore(_ table: String) -> String {
        "((\(table).business_value + \(table).time_criticality + \(table).risk_reduction) * 1.0 / NULLIF(\(table).estimate, 0))"
    }

    /// Items after the one ranked `rank` in WSJF order (score descending, unscored last, ties by rank). Both sides
    /// use the same SQL expression, so equal scores compare equal on either engine; an unknown rank continues
    /// among the unscored items.
    static func afterInWSJFOrder(rank: String, productID: String) -> SQLQueryString {
        let item = SQLRaw(wsjfScore("backlog_items"))
        let cursor = SQLRaw(wsjfScore("c"))
        return SQLQueryString("""
            (EXISTS (SELECT 1 FROM backlog_items c WHERE c.product_id = \(bind: productID) AND c.rank = \(bind: rank) AND (
                (\(cursor) IS NULL AND \(item) IS NULL AND backlog_items.rank > c.rank)
                OR (\(cursor) IS NOT NULL AND (\(item) IS NULL OR \(item) < \(cursor) OR (\(item) = \(cursor) AND backlog_items.rank > c.rank)))))
            OR (NOT EXISTS (SELECT 1 FROM backlog_items c WHERE c.product_id = \(bind: productID) AND c.rank = \(bind: rank))
                AND \(item) IS NULL AND backlog_items.rank > \(bind: rank)))
            """)
    }
}

struct LinkedItemRow: Decodable {
    var direction: String
    var ownerId: String
    var id: String
    var ref: String
    var title: String
    var status: ItemStatus
    var rank: String

    var refDTO: ItemRefDTO { ItemRefDTO(id: id, ref: ref, title: title, status: status) }
}

extension LinkedItemRow: RowDecodable {
    /// Column by column, like `BacklogItemRow`: every backlog page reads the dependencies of its items.
    init(row: any SQLRow) throws {
        let raw = try row.decode(column: "status", as: String.self)
        guard let status = ItemStatus(rawValue: raw) else {
            throw DomainError(.inconsistent, code: "unreadable_row", message: "A stored item has a status this version of Tandem does not know: \(raw).")
        }
        self.init(
            direction: try row.decode(column: "direction", as: String.self), ownerId: try row.decode(column: "owner_id", as: String.self),
            id: try row.decode(column: "id", as: String.self), ref: try row.decode(column: "ref", as: String.self),
            title: try row.decode(column: "title", as: String.self), status: status, rank: try row.decode(column: "rank", as: String.self)
        )
    }
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

    /// The entry as the feed shows it; data that does not decode is an `unreadable_row` error, not an empty detail.
    func dto() throws -> ActivityDTO {
        let decoded: JSONValue
        do { decoded = try JSONDecoder().decode(JSONValue.self, from: Data(detail.utf8)) } catch {
            throw DomainError(.inconsistent, code: "unreadable_row", message: "The stored change \(id) has data this version of Tandem cannot read.")
        }
        return ActivityDTO(
            id: id, action: action,
            actor: actorId.map { PersonRef(id: $0, displayName: actorName ?? "(removed)") },
            subjectType: subjectType, subjectId: subjectId,
            detail: decoded,
            createdAt: Clock.date(createdAt)
        )
    }


}
