import Foundation
import SQLKit
import TandemCore

/// The order of the Product Backlog: moves by the Product Owner and delegates, reordering, proposals from everyone else.
public struct BacklogOrdering: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public init(database: TandemDatabase, stamps: Stamps) {
        self.database = database
        self.stamps = stamps
    }

    /// Moves one item; only its rank (and version) is written.
    ///
    /// Six statements with the caller's authentication: the item with its product, lock and the caller's access;
    /// every neighbour and bound in one query; the update; the activity record; the item's dependencies.
    public func move(_ idOrRef: String, to position: BacklogPosition, version: Int64?, actorID: String, proposalID: String? = nil) async throws -> ItemDTO {
        try await database.write { db in
            // Read under the lock: a concurrent move waits here and then sees this one's result.
            let loaded = try await BacklogStore.loadItem(idOrRef, userID: actorID, lock: true, on: db)
            if proposalID == nil { try loaded.access.require(.orderBacklog, message: BacklogStore.orderMessage) }
            if let version, loaded.row.version != version {
                throw try await BacklogStore.versionConflict(loaded.row, product: loaded.access.product, creators: loaded.creators, on: db)
            }
            let authority = proposalID == nil ? loaded.access.orderingAuthority : "productOwner"
            return try await BacklogStore.performMove(
                loaded.row, to: position, product: loaded.access.product, actorID: actorID, authority: authority, proposalID: proposalID, creators: loaded.creators, stamps: stamps, on: db
            )
        }
    }

    /// Applies an order to many items at once: they trade the places they hold now, everything else stays put.
    /// One transaction, one activity record: one decision.
    public func reorder(productID: String, itemIDs requested: [String]?, basis rawBasis: String?, note rawNote: String?, actorID: String) async throws -> [ItemDTO] {
        let note = try rawNote.map { try InputRules.note.validated($0, field: "note") }.flatMap { $0.isEmpty ? nil : $0 }
        let basis = rawBasis ?? (requested == nil ? nil : "manual")
        guard let basis, ["wsjf", "manual"].contains(basis) else {
            throw DomainError.invalid(field: "basis", "must be \"wsjf\" (order by WSJF) or \"manual\" with itemIds")
        }
        if basis == "manual", (requested ?? []).count < 2 { throw DomainError.invalid(field: "itemIds", "must list at least two items in the wanted order") }
        if basis == "wsjf", requested != nil { throw DomainError.invalid(field: "itemIds", "must be left out when ordering by WSJF: WSJF decides the order") }
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
                    guard let item = try await DomainError.nilIfNotFound({ try await BacklogStore.item(id, on: db) }), item.productId == productID, !item.itemStatus.isFinished else {
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
            let now = stamps.now()
            let changed = zip(wanted, slots).filter { $0.0.rank != $0.1 }
            try await BacklogStore.assignRanks(changed.map(\.0.id), keys: changed.map(\.1), on: db)
            for (item, _) in changed {
                try await db.update("backlog_items").set("version", to: item.version + 1).set("updated_at", to: now)
                    .set("updated_by", to: actorID).where("id", .equal, item.id).run()
            }
            try await ChangeLog.append(Change(.backlogReordered, subject: productID, [
                    "basis": .string(basis), "authority": .string(access.orderingAuthority),
                    "order": .array(wanted.map { .string($0.ref) }), "moved": .number(Double(changed.count)),
                    "note": note.map(JSONValue.string) ?? .null,
                ]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            let refreshed = try await db.select().column("*").from("backlog_items").where("id", .in, wanted.map(\.id)).orderBy("rank").all(BacklogItemRow.self)
            return try await BacklogStore.dtos(refreshed, product: access.product, on: db)
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
                    .values(SQLBind(productID), SQLBind(userID), SQLBind(stamps.now())).run()
            }
            try await ChangeLog.append(Change(.orderingDelegatesSet, subject: productID, ["userIds": .array(Set(userIDs).sorted().map(JSONValue.string))]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            return try await BacklogStore.delegates(productID: productID, on: db)
        }
    }

    // MARK: Proposals

    public func propose(itemIDOrRef: String, position: BacklogPosition, rationale rawRationale: String, actorID: String) async throws -> ProposalDTO {
        let rationale = try InputRules.rationale.validated(rawRationale, field: "rationale")
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
            let kind: PlacementKind = switch position {
            case .top: .top
            case .bottom: .bottom
            case .before: .before
            case .after: .after
            }
            let row = ProposalRow(
                id: stamps.newID(), productId: item.productId, itemId: item.id, proposerId: actorID, position: kind, anchorId: anchorID,
                rationale: rationale, state: .open, decidedBy: nil, decisionNote: nil, createdAt: stamps.now(), decidedAt: nil
            )
            try await db.insert("ordering_proposals", row)
            try await ChangeLog.append(Change(.proposalOpened, subject: item.id, ref: item.ref, ["proposalId": .string(row.id), "position": try JSONValue.from(PositionDTO(row.backlogPosition)), "rationale": .string(rationale)]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            return try await BacklogStore.proposals(where: "pr.id = \(bind: row.id)", on: db)[0]
        }
    }

    public func proposals(productID: String, state: ProposalState?, userID: String) async throws -> [ProposalDTO] {
        let access = try await ProductService(database: database, stamps: stamps).access(productID: productID, userID: userID)
        return try await proposals(access: access, state: state)
    }

    /// The product's proposals, oldest first, optionally of one state or one item; one query with their items and people.
    public func proposals(access: ProductAccess, state: ProposalState?, itemID: String? = nil) async throws -> [ProposalDTO] {
        try await database.read { db in
            var condition: SQLQueryString = "pr.product_id = \(bind: access.product.id)"
            if let state { condition = "\(condition) AND pr.state = \(bind: state.rawValue)" }
            if let itemID { condition = "\(condition) AND pr.item_id = \(bind: itemID)" }
            return try await BacklogStore.proposals(where: condition, on: db)
        }
    }

    /// What the backlog page shows in one query: the open proposals waiting for the Product Owner, and the caller's
    /// own most recent ones with their outcome (newest first), so a proposer sees what became of them.
    public func proposalsForBacklog(access: ProductAccess, recent: Int = 10) async throws -> (open: [ProposalDTO], mine: [ProposalDTO]) {
        let all = try await database.read { db in
            try await BacklogStore.proposals(
                where: "pr.product_id = \(bind: access.product.id) AND (pr.state = \(bind: ProposalState.open.rawValue) OR pr.proposer_id = \(bind: access.userID))",
                on: db
            )
        }
        let mine = all.filter { $0.proposer?.id == access.userID }.reversed().prefix(recent)
        return (all.filter { $0.state == .open }, Array(mine))
    }

    /// One proposal, for someone who can see its product (anyone else: not found).
    public func proposal(_ proposalID: String, userID: String) async throws -> ProposalDTO {
        try await database.read { db in
            guard let proposal = try await BacklogStore.proposals(where: "pr.id = \(bind: proposalID)", on: db).first else {
                throw DomainError.notFound("The proposal")
            }
            do { _ = try await BacklogStore.access(productID: proposal.productId, userID: userID, on: db) } catch let error as DomainError where error.kind == .notFound { throw DomainError.notFound("The proposal") }
            return proposal
        }
    }

    /// Accepting performs the move, on the Product Owner's authority, in the same transaction.
    public func decide(proposalID: String, accept: Bool, note rawNote: String?, actorID: String) async throws -> ProposalDTO {
        let note = try (accept ? InputRules.note : InputRules.declineNote).validated(rawNote ?? "", field: "note")
        return try await database.write { db in
            guard var proposal = try await db.select().column("*").from("ordering_proposals").where("id", .equal, proposalID).first(ProposalRow.self) else {
                throw DomainError.notFound("The proposal")
            }
            let access: ProductAccess
            do { access = try await BacklogStore.access(productID: proposal.productId, userID: actorID, on: db) } catch let error as DomainError where error.kind == .notFound { throw DomainError.notFound("The proposal") }
            try access.require(.decideProposal, message: "Only the Product Owner accepts or declines ordering proposals.")
            guard proposal.state == .open else {
                throw DomainError(.conflict, code: "proposal_decided", message: "This proposal was already \(proposal.state.rawValue).")
            }
            if accept {
                try await BacklogStore.lockOrder(productID: proposal.productId, on: db)
                let item = try await BacklogStore.item(proposal.itemId, on: db)
                let position = proposal.backlogPosition
                if let anchor = position.anchor, (try await DomainError.nilIfNotFound({ try await BacklogStore.item(anchor, on: db) })) == nil {
                    throw DomainError(.conflict, code: "anchor_gone", message: "The item this proposal placed \(item.ref) next to no longer exists; decline it instead.")
                }
                _ = try await BacklogStore.performMove(item, to: position, product: access.product, actorID: actorID, authority: "productOwner", proposalID: proposal.id, stamps: stamps, on: db)
            }
            proposal.state = accept ? .accepted : .declined
            proposal.decidedBy = actorID
            proposal.decisionNote = note.isEmpty ? nil : note
            proposal.decidedAt = stamps.now()
            try await db.update("ordering_proposals").set(model: proposal, with: RowCoding.encoder).where("id", .equal, proposal.id).run()
            let decided = try await BacklogStore.proposals(where: "pr.id = \(bind: proposal.id)", on: db)[0]
            try await ChangeLog.append(Change(accept ? .proposalAccepted : .proposalDeclined, subject: proposal.itemId, ref: decided.item.ref,
                                              ["proposalId": .string(proposal.id), "note": proposal.decisionNote.map(JSONValue.string) ?? .null]),
                                       productID: proposal.productId, actorID: actorID, stamps: stamps, on: db)
            if let proposer = proposal.proposerId, proposer != actorID {
                try await NotificationLog.notify([proposer], kind: accept ? "proposal.accepted" : "proposal.declined",
                                                 text: "Your proposal to move \(decided.item.ref) was \(accept ? "accepted" : "declined")\(note.isEmpty ? "" : ": \(note)")",
                                                 link: "/products/\(proposal.productId)/backlog", productID: proposal.productId, stamps: stamps, on: db)
            }
            return decided
        }
    }

    /// The proposer takes an open proposal back; the Product Owner no longer sees it waiting.
    public func withdraw(proposalID: String, actorID: String) async throws -> ProposalDTO {
        try await database.write { db in
            guard var proposal = try await db.select().column("*").from("ordering_proposals").where("id", .equal, proposalID).first(ProposalRow.self) else {
                throw DomainError.notFound("The proposal")
            }
            do { _ = try await BacklogStore.access(productID: proposal.productId, userID: actorID, on: db) } catch let error as DomainError where error.kind == .notFound { throw DomainError.notFound("The proposal") }
            guard proposal.proposerId == actorID else {
                throw DomainError.notAllowed("Only the person who proposed a move can withdraw it; the Product Owner declines it instead.")
            }
            guard proposal.state == .open else {
                throw DomainError(.conflict, code: "proposal_decided", message: "This proposal was already \(proposal.state.rawValue).")
            }
            proposal.state = .withdrawn
            proposal.decidedBy = actorID
            proposal.decidedAt = stamps.now()
            try await db.update("ordering_proposals").set(model: proposal, with: RowCoding.encoder).where("id", .equal, proposal.id).run()
            let withdrawn = try await BacklogStore.proposals(where: "pr.id = \(bind: proposal.id)", on: db)[0]
            try await ChangeLog.append(Change(.proposalWithdrawn, subject: proposal.itemId, ref: withdrawn.item.ref, ["proposalId": .string(proposal.id)]),
                                       productID: proposal.productId, actorID: actorID, stamps: stamps, on: db)
            return withdrawn
        }
    }
}

extension BacklogStore {
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

    /// Where a move lands, read in one query: the item's neighbours before the move, the ranks the new key must
    /// fall between (among all items, so keys stay unique), and its neighbours after the move (among live items).
    struct MovePlan {
        var fromPrevious: String?
        var fromNext: String?
        var lower: String?
        var upper: String?
        var toPrevious: String?
        var toNext: String?
    }

    /// `currentRank` is nil for an item not placed yet (creation), which has no neighbours to leave.
    static func plan(productID: String, itemID: String, currentRank: String?, to position: BacklogPosition, on db: any SQLDatabase) async throws -> MovePlan {
        // Each part is one row at most: (k, ref, rank). Wrapped in a subquery so both engines accept ORDER BY and LIMIT.
        func nearest(_ label: String, below: Bool, than bound: String?, liveOnly: Bool) -> SQLQueryString {
            let order: SQLQueryString = below ? "rank DESC" : "rank"
            var condition: SQLQueryString = "product_id = \(bind: productID) AND id <> \(bind: itemID)"
            if let bound { condition = below ? "\(condition) AND rank < \(bind: bound)" : "\(condition) AND rank > \(bind: bound)" }
            if liveOnly { condition = "\(condition) AND deleted_at IS NULL" }
            return """
                SELECT * FROM (SELECT \(literal: label) AS k, ref, rank FROM backlog_items WHERE \(condition) \
                ORDER BY \(order) LIMIT 1) AS \(ident: label)
                """
        }
        var parts: [SQLQueryString] = []
        if let currentRank {
            parts += [nearest("fp", below: true, than: currentRank, liveOnly: true), nearest("fn", below: false, than: currentRank, liveOnly: true)]
        }
        var anchor: BacklogItemRow?
        switch position {
        case .top:
            parts += [nearest("up", below: false, than: nil, liveOnly: false), nearest("tn", below: false, than: nil, liveOnly: true)]
        case .bottom:
            parts += [nearest("lo", below: true, than: nil, liveOnly: false), nearest("tp", below: true, than: nil, liveOnly: true)]
        case .before(let idOrRef):
            let row = try await Self.anchor(idOrRef, productID: productID, movingItemID: itemID, position: position, on: db)
            anchor = row
            parts += [nearest("lo", below: true, than: row.rank, liveOnly: false), nearest("tp", below: true, than: row.rank, liveOnly: true)]
        case .after(let idOrRef):
            let row = try await Self.anchor(idOrRef, productID: productID, movingItemID: itemID, position: position, on: db)
            anchor = row
            parts += [nearest("up", below: false, than: row.rank, liveOnly: false), nearest("tn", below: false, than: row.rank, liveOnly: true)]
        }
        var query = parts[0]
        for part in parts.dropFirst() { query = "\(query) UNION ALL \(part)" }
        var plan = MovePlan()
        for row in try await db.raw(query).all() {
            let ref = try row.decode(column: "ref", as: String.self), rank = try row.decode(column: "rank", as: String.self)
            switch try row.decode(column: "k", as: String.self) {
            case "fp": plan.fromPrevious = ref
            case "fn": plan.fromNext = ref
            case "lo": plan.lower = rank
            case "up": plan.upper = rank
            case "tp": plan.toPrevious = ref
            default: plan.toNext = ref
            }
        }
        switch (position, anchor) {
        case (.before, let anchor?): (plan.upper, plan.toNext) = (anchor.rank, anchor.ref)
        case (.after, let anchor?): (plan.lower, plan.toPrevious) = (anchor.rank, anchor.ref)
        default: break
        }
        return plan
    }

    /// The anchor of a `before`/`after` move: an item of this backlog other than the one moving.
    static func anchor(_ idOrRef: String, productID: String, movingItemID: String?, position: BacklogPosition, on db: any SQLDatabase) async throws -> BacklogItemRow {
        let field = if case .before = position { "before" } else { "after" }
        // Another product's item is answered like a missing one, so a move cannot probe which references exist elsewhere.
        guard let anchor = try await DomainError.nilIfNotFound({ try await item(idOrRef, on: db) }), anchor.productId == productID else {
            throw DomainError.invalid(field: field, "Choose an item of this backlog to place it next to.")
        }
        guard anchor.id != movingItemID else { throw DomainError.invalid(field: field, "must name another item than the one being moved") }
        return anchor
    }

    /// A new rank for `position` (used when an item is created somewhere other than the bottom).
    static func rank(for position: BacklogPosition, movingItemID: String?, productID: String, on db: any SQLDatabase) async throws -> (key: String, rebalanced: Bool) {
        let plan = try await Self.plan(productID: productID, itemID: movingItemID ?? "", currentRank: nil, to: position, on: db)
        return try key(between: plan.lower, plan.upper)
    }

    static func key(between lower: String?, _ upper: String?) throws -> (key: String, rebalanced: Bool) {
        let key: String
        do { key = try RankKey.between(lower, upper) } catch {
            throw DomainError(.inconsistent, code: "order_corrupt", message: "The backlog order could not be computed: \(error.reason)")
        }
        return (key, key.count > RankKey.maxLength)
    }

    static func performMove(
        _ item: BacklogItemRow, to position: BacklogPosition, product: ProductSettings, actorID: String, authority: String, proposalID: String?,
        creators: [String: String] = [:], stamps: Stamps, on db: any SQLDatabase
    ) async throws -> ItemDTO {
        guard !item.itemStatus.isFinished else {
            throw DomainError(.ruleBroken, code: "not_in_backlog", message: "\(item.ref) is \(item.status); only open and planned items are ordered.")
        }
        let plan = try await Self.plan(productID: item.productId, itemID: item.id, currentRank: item.rank, to: position, on: db)
        let (key, rebalance) = try Self.key(between: plan.lower, plan.upper)
        var moved = item
        moved.rank = key
        moved.version += 1
        moved.updatedAt = stamps.now()
        moved.updatedBy = actorID
        try await db.update("backlog_items").set("rank", to: moved.rank).set("version", to: moved.version)
            .set("updated_at", to: moved.updatedAt).set("updated_by", to: actorID).where("id", .equal, item.id).run()
        if rebalance {
            try await Self.rebalance(productID: item.productId, on: db)
            moved = try await Self.item(item.id, on: db)
        }
        var detail: [String: JSONValue] = [
            "authority": .string(authority),
            "from": ["after": plan.fromPrevious.map(JSONValue.string) ?? .null, "before": plan.fromNext.map(JSONValue.string) ?? .null, "rank": .string(item.rank)],
            "to": ["after": plan.toPrevious.map(JSONValue.string) ?? .null, "before": plan.toNext.map(JSONValue.string) ?? .null, "rank": .string(moved.rank)],
            "position": try JSONValue.from(PositionDTO(position)),
        ]
        if let proposalID { detail["proposalId"] = .string(proposalID) }
        try await ChangeLog.append(Change(.itemMoved, subject: item.id, ref: item.ref, detail), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
        return try await dtos([moved], product: product, creators: creators, on: db)[0]
    }

    static func delegates(productID: String, on db: any SQLDatabase) async throws -> [PersonRef] {
        try await db.raw("""
            SELECT u.id, u.display_name FROM ordering_delegates d JOIN users u ON u.id = d.user_id
            WHERE d.product_id = \(bind: productID) ORDER BY u.display_name
            """).all(PersonRow.self).map { PersonRef(id: $0.id, displayName: $0.displayName) }
    }

    /// Proposals matching `condition` (on the alias `pr`) with their item, anchor and people, in one query.
    static func proposals(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [ProposalDTO] {
        let rows = try await db.raw("""
            SELECT pr.*, it.ref AS item_ref, it.title AS item_title, it.status AS item_status,
                   an.ref AS anchor_ref, an.title AS anchor_title, an.status AS anchor_status,
                   pu.display_name AS proposer_name, du.display_name AS decider_name
            FROM ordering_proposals pr
            LEFT JOIN backlog_items it ON it.id = pr.item_id LEFT JOIN backlog_items an ON an.id = pr.anchor_id
            LEFT JOIN users pu ON pu.id = pr.proposer_id LEFT JOIN users du ON du.id = pr.decided_by
            WHERE \(condition)
            ORDER BY pr.created_at, pr.id
            """).all()
        return try rows.map { raw in
            let row = try RowCoding.decode(raw, as: ProposalRow.self)
            let joined = try RowCoding.decode(raw, as: ProposalJoin.self)
            func ref(_ id: String?, _ ref: String?, _ title: String?, _ status: String?) throws -> ItemRefDTO? {
                guard let id, let ref, let title, let status else { return nil }
                return ItemRefDTO(id: id, ref: ref, title: title, status: try BacklogItemRow.itemStatus(status, of: id))
            }
            return ProposalDTO(
                id: row.id, productId: row.productId,
                item: try ref(row.itemId, joined.itemRef, joined.itemTitle, joined.itemStatus)
                    ?? ItemRefDTO(id: row.itemId, ref: "?", title: "(deleted)", status: .open),
                itemId: row.itemId,
                proposer: row.proposerId.flatMap { id in joined.proposerName.map { PersonRef(id: id, displayName: $0) } },
                position: PositionDTO(row.backlogPosition), anchor: try ref(row.anchorId, joined.anchorRef, joined.anchorTitle, joined.anchorStatus),
                rationale: row.rationale, state: row.state, decidedBy: row.decidedBy.flatMap { id in joined.deciderName.map { PersonRef(id: id, displayName: $0) } },
                decisionNote: row.decisionNote, createdAt: Clock.date(row.createdAt), decidedAt: row.decidedAt.map(Clock.date)
            )
        }
    }
}

/// The columns a proposal's query joins in.
private struct ProposalJoin: Decodable {
    var itemRef: String?
    var itemTitle: String?
    var itemStatus: String?
    var anchorRef: String?
    var anchorTitle: String?
    var anchorStatus: String?
    var proposerName: String?
    var deciderName: String?
}

extension ProposalRow {
    var backlogPosition: BacklogPosition {
        switch position {
        case .before: .before(anchorId ?? "")
        case .after: .after(anchorId ?? "")
        case .top: .top
        case .bottom: .bottom
        }
    }
}

struct PersonRow: Decodable {
    var id: String
    var displayName: String
}
