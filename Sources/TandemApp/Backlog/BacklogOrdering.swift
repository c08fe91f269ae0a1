import Foundation
import SQLKit
import TandemCore

/// The order of the Product Backlog: moves by the Product Owner and delegates, reordering, proposals from everyone else.
public struct BacklogOrdering: Sendable {
    let database: TandemDatabase

    public init(database: TandemDatabase) {
        self.database = database
    }

    /// Moves one item; only its rank (and version) is written.
    public func move(_ idOrRef: String, to position: BacklogPosition, version: Int64?, actorID: String, proposalID: String? = nil) async throws -> ItemDTO {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(idOrRef, userID: actorID, on: db)
            if proposalID == nil { try access.require(.orderBacklog, message: BacklogStore.orderMessage) }
            try await BacklogStore.lockOrder(productID: item.productId, on: db)
            // Re-read under the lock: a concurrent move may have committed while we waited.
            let current = try await BacklogStore.item(item.id, on: db)
            if let version, current.version != version { throw try await BacklogStore.versionConflict(current, on: db) }
            return try await BacklogStore.performMove(current, to: position, actorID: actorID, authority: proposalID == nil ? access.orderingAuthority : "productOwner", proposalID: proposalID, on: db)
        }
    }

    /// Applies an order to many items at once: they trade the places they hold now, everything else stays put.
    /// One transaction, one activity record: one decision.
    public func reorder(productID: String, itemIDs requested: [String]?, basis rawBasis: String?, note: String?, actorID: String) async throws -> [ItemDTO] {
        let basis = rawBasis ?? (requested == nil ? nil : "manual")
        guard let basis, ["wsjf", "manual"].contains(basis) else {
            throw DomainError.invalid(field: "basis", "must be \"wsjf\" (order by WSJF) or \"manual\" with itemIds")
        }
        if basis == "manual", (requested ?? []).count < 2 { throw DomainError.invalid(field: "itemIds", "must list at least two items in the wanted order") }
        return try await database.write { db in
            let access = try await BacklogStore.access(productID: productID, userID: actorID, on: db)
            try access.require(.orderBacklog, message: BacklogStore.orderMessage)
            try await BacklogStore.lockOrder(productID: productID, on: db)
            let items: [BacklogItemRow]
            if basis == "wsjf" {
                items = try await db.select().column("*").from("backlog_items").where("product_id", .equal, productID)
                    .where("deleted_at", .is, SQLLiteral.null).where("status", .in, ItemStatus.shownByDefault.map(\.rawValue))
                    .orderBy("rank").all(BacklogItemRow.self).filter { $0.wsjf != nil }
            } else {
                let ids = requested ?? []
                guard Set(ids).count == ids.count else { throw DomainError.invalid(field: "itemIds", "must not list an item twice") }
                var found: [BacklogItemRow] = []
                for (index, id) in ids.enumerated() {
                    guard let item = try? await BacklogStore.item(id, on: db), item.productId == productID, !item.itemStatus.isFinished else {
                        throw DomainError.invalid(field: "itemIds[\(index)]", "is not an open item of this backlog")
                    }
                    found.append(item)
                }
                items = found
            }
            let slots = items.map(\.rank).sorted()
            let wanted = basis == "wsjf"
                ? items.sorted { ($0.wsjf ?? 0, $1.rank) > ($1.wsjf ?? 0, $0.rank) }
                : items
            let now = RowCoding.now()
            let changed = zip(wanted, slots).filter { $0.0.rank != $0.1 }
            try await BacklogStore.assignRanks(changed.map(\.0.id), keys: changed.map(\.1), on: db)
            for (item, _) in changed {
                try await db.update("backlog_items").set("version", to: item.version + 1).set("updated_at", to: now)
                    .set("updated_by", to: actorID).where("id", .equal, item.id).run()
            }
            try await ActivityLog.record(
                on: db, productID: productID, actorID: actorID, action: "backlog.reordered", subjectType: "product", subjectID: productID,
                detail: [
                    "basis": .string(basis), "authority": .string(access.orderingAuthority),
                    "order": .array(wanted.map { .string($0.ref) }), "moved": .number(Double(changed.count)),
                    "note": note.map(JSONValue.string) ?? .null,
                ]
            )
            let refreshed = try await db.select().column("*").from("backlog_items").where("id", .in, wanted.map(\.id)).orderBy("rank").all(BacklogItemRow.self)
            return try await BacklogStore.dtos(refreshed, on: db)
        }
    }

    // MARK: Ordering delegates

    public func orderingDelegates(productID: String, userID: String) async throws -> [PersonRef] {
        try await database.read { db in
            _ = try await BacklogStore.access(productID: productID, userID: userID, on: db)
            return try await BacklogStore.delegates(productID: productID, on: db)
        }
    }

    /// Replaces the set of people the Product Owner delegates ordering to; each must belong to the product.
    public func setOrderingDelegates(productID: String, userIDs: [String], actorID: String) async throws -> [PersonRef] {
        try await database.write { db in
            let access = try await BacklogStore.access(productID: productID, userID: actorID, on: db)
            try access.require(.manageOrderingDelegates)
            for (index, userID) in Set(userIDs).sorted().enumerated() {
                let membership = try await ProductService.membership(productID: productID, productOwnerID: access.product.productOwnerId, userID: userID, on: db)
                guard membership.isMember else { throw DomainError.invalid(field: "userIds[\(index)]", "is not a member of this product") }
            }
            try await db.delete(from: "ordering_delegates").where("product_id", .equal, productID).run()
            for userID in Set(userIDs) where userID != access.product.productOwnerId {
                try await db.insert(into: "ordering_delegates").columns("product_id", "user_id", "created_at")
                    .values(SQLBind(productID), SQLBind(userID), SQLBind(RowCoding.now())).run()
            }
            try await ActivityLog.record(
                on: db, productID: productID, actorID: actorID, action: "product.ordering_delegates_set", subjectType: "product", subjectID: productID,
                detail: ["userIds": .array(Set(userIDs).sorted().map(JSONValue.string))]
            )
            return try await BacklogStore.delegates(productID: productID, on: db)
        }
    }

    // MARK: Proposals

    public func propose(itemIDOrRef: String, position: BacklogPosition, rationale rawRationale: String, actorID: String) async throws -> ProposalDTO {
        let rationale = rawRationale.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rationale.isEmpty else { throw DomainError.invalid(field: "rationale", "is required: tell the Product Owner why") }
        do { _ = try Validate.text(rationale, field: "rationale", in: 1...InputLimits.rationale) } catch { throw DomainError.invalid(error) }
        return try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(itemIDOrRef, userID: actorID, on: db)
            try access.require(.proposeOrder)
            guard !item.itemStatus.isFinished else {
                throw DomainError(.ruleBroken, code: "not_in_backlog", message: "\(item.ref) is \(item.status); only open and planned items are ordered.")
            }
            var anchorID: String?
            if let anchor = position.anchor {
                anchorID = try await BacklogStore.anchor(anchor, productID: item.productId, movingItemID: item.id, position: position, on: db).id
            }
            let kind = switch position {
            case .top: "top"
            case .bottom: "bottom"
            case .before: "before"
            case .after: "after"
            }
            let row = ProposalRow(
                id: RowCoding.newID(), productId: item.productId, itemId: item.id, proposerId: actorID, position: kind, anchorId: anchorID,
                rationale: rationale, state: "open", decidedBy: nil, decisionNote: nil, createdAt: RowCoding.now(), decidedAt: nil
            )
            try await db.insert("ordering_proposals", row)
            try await ActivityLog.record(
                on: db, productID: item.productId, actorID: actorID, action: "proposal.opened", subjectType: "item", subjectID: item.id,
                detail: ["proposalId": .string(row.id), "position": try JSONValue.from(PositionDTO(row.backlogPosition)), "rationale": .string(rationale)]
            )
            return try await BacklogStore.proposalDTOs([row], on: db)[0]
        }
    }

    public func proposals(productID: String, state: String?, userID: String) async throws -> [ProposalDTO] {
        if let state, !["open", "accepted", "declined"].contains(state) {
            throw DomainError.invalid(field: "state", "must be open, accepted or declined")
        }
        return try await database.read { db in
            _ = try await BacklogStore.access(productID: productID, userID: userID, on: db)
            let query = db.select().column("*").from("ordering_proposals").where("product_id", .equal, productID)
            if let state { query.where("state", .equal, state) }
            let rows = try await query.orderBy("created_at").orderBy("id").all(ProposalRow.self)
            return try await BacklogStore.proposalDTOs(rows, on: db)
        }
    }

    /// Accepting performs the move, on the Product Owner's authority, in the same transaction.
    public func decide(proposalID: String, accept: Bool, note rawNote: String?, actorID: String) async throws -> ProposalDTO {
        let note = rawNote?.trimmingCharacters(in: .whitespacesAndNewlines)
        if !accept, note?.isEmpty ?? true {
            throw DomainError.invalid(field: "note", "is required when declining: the proposer and the team read it")
        }
        if let note { do { _ = try Validate.text(note, field: "note", in: 0...InputLimits.note) } catch { throw DomainError.invalid(error) } }
        return try await database.write { db in
            guard var proposal = try await db.select().column("*").from("ordering_proposals").where("id", .equal, proposalID).first(ProposalRow.self) else {
                throw DomainError.notFound("The proposal")
            }
            let access: ProductAccess
            do { access = try await BacklogStore.access(productID: proposal.productId, userID: actorID, on: db) } catch { throw DomainError.notFound("The proposal") }
            try access.require(.decideProposal, message: "Only the Product Owner accepts or declines ordering proposals.")
            guard proposal.state == "open" else {
                throw DomainError(.conflict, code: "proposal_decided", message: "This proposal was already \(proposal.state).")
            }
            if accept {
                try await BacklogStore.lockOrder(productID: proposal.productId, on: db)
                let item = try await BacklogStore.item(proposal.itemId, on: db)
                let position = proposal.backlogPosition
                if let anchor = position.anchor, (try? await BacklogStore.item(anchor, on: db)) == nil {
                    throw DomainError(.conflict, code: "anchor_gone", message: "The item this proposal placed \(item.ref) next to no longer exists; decline it instead.")
                }
                _ = try await BacklogStore.performMove(item, to: position, actorID: actorID, authority: "productOwner", proposalID: proposal.id, on: db)
            }
            proposal.state = accept ? "accepted" : "declined"
            proposal.decidedBy = actorID
            proposal.decisionNote = note?.isEmpty == true ? nil : note
            proposal.decidedAt = RowCoding.now()
            try await db.update("ordering_proposals").set(model: proposal, with: RowCoding.encoder).where("id", .equal, proposal.id).run()
            try await ActivityLog.record(
                on: db, productID: proposal.productId, actorID: actorID, action: accept ? "proposal.accepted" : "proposal.declined",
                subjectType: "item", subjectID: proposal.itemId,
                detail: ["proposalId": .string(proposal.id), "note": proposal.decisionNote.map(JSONValue.string) ?? .null]
            )
            return try await BacklogStore.proposalDTOs([proposal], on: db)[0]
        }
    }
}

extension BacklogStore {
    /// A new rank for `position`, computed from the neighbours inside the caller's transaction.
    /// `rebalanced` asks the caller to rebuild the product's keys after writing, because this one grew past the bound.
    static func rank(for position: BacklogPosition, movingItemID: String?, productID: String, on db: any SQLDatabase) async throws -> (key: String, rebalanced: Bool) {
        func extreme(_ function: String, _ build: (SQLSelectBuilder) -> Void = { _ in }) async throws -> String? {
            let query = db.select().column(SQLFunction(function, args: SQLIdentifier("rank")), as: "r").from("backlog_items")
                .where("product_id", .equal, productID)
            if let movingItemID { query.where("id", .notEqual, movingItemID) }
            build(query)
            guard let row = try await query.first(), try !row.decodeNil(column: "r") else { return nil }
            return try row.decode(column: "r", as: String.self)
        }
        let lower: String?
        let upper: String?
        switch position {
        case .top:
            (lower, upper) = (nil, try await extreme("MIN"))
        case .bottom:
            (lower, upper) = (try await extreme("MAX"), nil)
        case .before(let anchorID), .after(let anchorID):
            let anchor = try await BacklogStore.anchor(anchorID, productID: productID, movingItemID: movingItemID, position: position, on: db)
            if case .before = position {
                upper = anchor.rank
                lower = try await extreme("MAX") { $0.where("rank", .lessThan, anchor.rank) }
            } else {
                lower = anchor.rank
                upper = try await extreme("MIN") { $0.where("rank", .greaterThan, anchor.rank) }
            }
        }
        let key: String
        do { key = try RankKey.between(lower, upper) } catch {
            throw DomainError(.inconsistent, code: "order_corrupt", message: "The backlog order could not be computed: \(error.reason)")
        }
        return (key, key.count > RankKey.maxLength)
    }

    static func anchor(_ idOrRef: String, productID: String, movingItemID: String?, position: BacklogPosition, on db: any SQLDatabase) async throws -> BacklogItemRow {
        let field = if case .before = position { "before" } else { "after" }
        // Another product's item is answered like a missing one, so a move cannot probe which references exist elsewhere.
        guard let anchor = try? await item(idOrRef, on: db), anchor.productId == productID else {
            throw DomainError.invalid(field: field, "Choose an item of this backlog to place it next to.")
        }
        guard anchor.id != movingItemID else { throw DomainError.invalid(field: field, "must name another item than the one being moved") }
        return anchor
    }

    /// Gives every item of the product a fresh, short key in the current order (rare: a key grew past the bound).
    static func rebalance(productID: String, on db: any SQLDatabase) async throws {
        let ids = try await db.select().column("id").from("backlog_items").where("product_id", .equal, productID)
            .orderBy("rank").all().map { try $0.decode(column: "id", as: String.self) }
        try await assignRanks(ids, keys: RankKey.sequence(count: ids.count), on: db)
    }

    /// Writes `keys` to `ids` in two passes, because a unique index is checked row by row on PostgreSQL.
    static func assignRanks(_ ids: [String], keys: [String], on db: any SQLDatabase) async throws {
        for id in ids {
            try await db.update("backlog_items").set("rank", to: "~" + id).where("id", .equal, id).run()
        }
        for (id, key) in zip(ids, keys) {
            try await db.update("backlog_items").set("rank", to: key).where("id", .equal, id).run()
        }
    }

    static func performMove(_ item: BacklogItemRow, to position: BacklogPosition, actorID: String, authority: String, proposalID: String?, on db: any SQLDatabase) async throws -> ItemDTO {
        guard !item.itemStatus.isFinished else {
            throw DomainError(.ruleBroken, code: "not_in_backlog", message: "\(item.ref) is \(item.status); only open and planned items are ordered.")
        }
        let before = try await neighbourRefs(of: item, on: db)
        let (key, rebalance) = try await rank(for: position, movingItemID: item.id, productID: item.productId, on: db)
        let now = RowCoding.now()
        try await db.update("backlog_items").set("rank", to: key).set("version", to: item.version + 1)
            .set("updated_at", to: now).set("updated_by", to: actorID).where("id", .equal, item.id).run()
        if rebalance { try await BacklogStore.rebalance(productID: item.productId, on: db) }
        let moved = try await BacklogStore.item(item.id, on: db)
        let after = try await neighbourRefs(of: moved, on: db)
        var detail: [String: JSONValue] = [
            "authority": .string(authority),
            "from": ["after": before.previous.map(JSONValue.string) ?? .null, "before": before.next.map(JSONValue.string) ?? .null, "rank": .string(item.rank)],
            "to": ["after": after.previous.map(JSONValue.string) ?? .null, "before": after.next.map(JSONValue.string) ?? .null, "rank": .string(moved.rank)],
            "position": try JSONValue.from(PositionDTO(position)),
        ]
        if let proposalID { detail["proposalId"] = .string(proposalID) }
        try await ActivityLog.record(on: db, productID: item.productId, actorID: actorID, action: "item.moved", subjectType: "item", subjectID: item.id, detail: detail)
        return try await dtos([moved], on: db)[0]
    }

    /// The references of the items just above and below, for the log's "from where to where".
    static func neighbourRefs(of item: BacklogItemRow, on db: any SQLDatabase) async throws -> (previous: String?, next: String?) {
        let previous = try await db.select().column("ref").from("backlog_items").where("product_id", .equal, item.productId)
            .where("rank", .lessThan, item.rank).where("deleted_at", .is, SQLLiteral.null)
            .orderBy("rank", .descending).limit(1).first()?.decode(column: "ref", as: String.self)
        let next = try await db.select().column("ref").from("backlog_items").where("product_id", .equal, item.productId)
            .where("rank", .greaterThan, item.rank).where("deleted_at", .is, SQLLiteral.null)
            .orderBy("rank").limit(1).first()?.decode(column: "ref", as: String.self)
        return (previous, next)
    }

    static func delegates(productID: String, on db: any SQLDatabase) async throws -> [PersonRef] {
        try await db.raw("""
            SELECT u.id, u.display_name FROM ordering_delegates d JOIN users u ON u.id = d.user_id
            WHERE d.product_id = \(bind: productID) ORDER BY u.display_name
            """).all(PersonRow.self).map { PersonRef(id: $0.id, displayName: $0.displayName) }
    }

    static func proposalDTOs(_ rows: [ProposalRow], on db: any SQLDatabase) async throws -> [ProposalDTO] {
        guard !rows.isEmpty else { return [] }
        let itemIDs = Array(Set(rows.map(\.itemId) + rows.compactMap(\.anchorId)))
        let items = try await db.select().columns("id", "ref", "title", "status").from("backlog_items").where("id", .in, itemIDs).all(ItemRefRow.self)
        let itemsByID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0.dto) })
        let userIDs = Array(Set(rows.compactMap(\.proposerId) + rows.compactMap(\.decidedBy)))
        let people = userIDs.isEmpty ? [] : try await db.select().columns("id", "display_name").from("users").where("id", .in, userIDs).all(PersonRow.self)
        let peopleByID = Dictionary(uniqueKeysWithValues: people.map { ($0.id, PersonRef(id: $0.id, displayName: $0.displayName)) })
        return rows.map { row in
            ProposalDTO(
                id: row.id, productId: row.productId,
                item: itemsByID[row.itemId] ?? ItemRefDTO(id: row.itemId, ref: "?", title: "(deleted)", status: .open),
                itemId: row.itemId,
                proposer: row.proposerId.flatMap { peopleByID[$0] },
                position: PositionDTO(row.backlogPosition), anchor: row.anchorId.flatMap { itemsByID[$0] },
                rationale: row.rationale, state: row.state, decidedBy: row.decidedBy.flatMap { peopleByID[$0] },
                decisionNote: row.decisionNote, createdAt: Clock.date(row.createdAt), decidedAt: row.decidedAt.map(Clock.date)
            )
        }
    }
}

extension ProposalRow {
    var backlogPosition: BacklogPosition {
        switch position {
        case "before": .before(anchorId ?? "")
        case "after": .after(anchorId ?? "")
        case "top": .top
        default: .bottom
        }
    }
}

struct PersonRow: Decodable {
    var id: String
    var displayName: String
}

struct ItemRefRow: Decodable {
    var id: String
    var ref: String
    var title: String
    var status: String
    var dto: ItemRefDTO { ItemRefDTO(id: id, ref: ref, title: title, status: ItemStatus(rawValue: status) ?? .open) }
}
