import Foundation
import SQLKit
import TandemCore

/// What a client sends to create an item.
public struct NewItemInput: Decodable, Sendable {
    public var title: String
    public var kind: String
    public var description: String?
    public var acceptanceCriteria: String?
    public var estimate: Double?
    public var parentId: String?
    public var productGoalId: String?
    public var releaseId: String?
    public var position: PositionDTO?
    public var refinement: String?
    /// Numbers arrive as JSON numbers and are range-checked by the service, so no input can trap a conversion.
    public var businessValue: Double?
    public var timeCriticality: Double?
    public var riskReduction: Double?

    public init(title: String, kind: String) {
        self.title = title
        self.kind = kind
    }
}

/// Backlog items: creating, reading, changing, deleting and saying no to them.
public struct BacklogItems: Sendable {
    let database: TandemDatabase
    let stamps: Stamps
    let participants: [any ItemChangeParticipant]

    init(database: TandemDatabase, stamps: Stamps, participants: [any ItemChangeParticipant] = []) {
        self.database = database
        self.stamps = stamps
        self.participants = participants
    }

    public struct BacklogQuery: Sendable {
        public var statuses: [ItemStatus] = ItemStatus.shownByDefault
        public var refinements: [RefinementLevel] = []
        public var kinds: [ItemKind] = []
        /// Only the items serving this Product Goal, or belonging to this release.
        public var productGoalId: String?
        public var releaseId: String?
        public var text: String?
        /// Only items not refined in this many days (or never): the stale ones the freshness signal counts.
        public var staleDays: Int?
        public var sortByWSJF = false
        public var limit = 50
        public var cursor: String?

        public init() {}
    }

    public func backlog(productID: String, userID: String, query: BacklogQuery) async throws -> (items: [ItemDTO], nextCursor: String?) {
        try await backlog(access: try await ProductService(database: database, stamps: stamps).access(productID: productID, userID: userID), query: query)
    }

    /// One page of the backlog for someone whose access is already loaded: the items with their creators in one
    /// query, their dependencies in another.
    public func backlog(access: ProductAccess, query: BacklogQuery) async throws -> (items: [ItemDTO], nextCursor: String?) {
        let productID = access.product.id
        return try await database.read { db in
            let select = db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("backlog_items")))
                .column(SQLColumn("display_name", table: "users"), as: "creator_name")
                .from("backlog_items").join("users", method: SQLJoinMethod.left, on: SQLColumn("created_by", table: "backlog_items"), .equal, SQLColumn("id", table: "users"))
                .where("product_id", .equal, productID).where("deleted_at", .is, SQLLiteral.null)
            if !query.statuses.isEmpty { select.where("status", .in, query.statuses.map(\.rawValue)) }
            if !query.refinements.isEmpty { select.where("refinement", .in, query.refinements.map(\.rawValue)) }
            if !query.kinds.isEmpty { select.where("kind", .in, query.kinds.map(\.rawValue)) }
            if let goal = query.productGoalId { select.where("product_goal_id", .equal, goal) }
            if let release = query.releaseId { select.where("release_id", .equal, release) }
            if let days = query.staleDays {
                select.where(SQLQueryString("(refined_at IS NULL OR refined_at < \(bind: stamps.now() - Int64(days) * 86_400_000))"))
            }
            if let text = query.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                let pattern = "%" + text.lowercased().replacingOccurrences(of: "!", with: "!!")
                    .replacingOccurrences(of: "%", with: "!%").replacingOccurrences(of: "_", with: "!_") + "%"
                select.where(SQLQueryString(
                    "(LOWER(title) LIKE \(bind: pattern) ESCAPE '!' OR LOWER(description) LIKE \(bind: pattern) ESCAPE '!' OR LOWER(ref) LIKE \(bind: pattern) ESCAPE '!')"
                ))
            }
            let rows: [BacklogItemRow]
            var creators: [String: String] = [:]
            var next: String?
            let after = try Cursor.rank(query.cursor)
            if query.sortByWSJF {
                // PostgreSQL accepts an output alias in ORDER BY only on its own, so the expression is repeated.
                let score = BacklogStore.wsjfScore("backlog_items")
                if let after { select.where(BacklogStore.afterInWSJFOrder(rank: after, productID: productID)) }
                select.orderBy(SQLRaw("\(score) IS NULL")).orderBy(SQLRaw("\(score) DESC")).orderBy("rank")
            } else {
                if let after { select.where("rank", .greaterThan, after) }
                select.orderBy("rank")
            }
            let fetched = try await BacklogStore.items(select.limit(query.limit + 1), creators: &creators)
            rows = Array(fetched.prefix(query.limit))
            if fetched.count > query.limit, let last = rows.last { next = Cursor.after(rank: last.rank) }
            return (try await BacklogStore.dtos(rows, product: access.product, creators: creators, on: db), next)
        }
    }

    public func item(_ idOrRef: String, userID: String) async throws -> ItemDTO {
        try await itemWithAccess(idOrRef, userID: userID).item
    }

    /// The item and the caller's access to its product, for a page that shows more of the product: two queries.
    public func itemWithAccess(_ idOrRef: String, userID: String) async throws -> (item: ItemDTO, access: ProductAccess) {
        try await database.read { db in
            let loaded = try await BacklogStore.loadItem(idOrRef, userID: userID, on: db)
            return (try await BacklogStore.dtos([loaded.row], product: loaded.access.product, creators: loaded.creators, on: db)[0], loaded.access)
        }
    }

    public func activity(itemIDOrRef: String, userID: String) async throws -> [ActivityDTO] {
        let (item, _) = try await database.read { db in try await BacklogStore.itemAccess(itemIDOrRef, userID: userID, on: db) }
        return try await activity(of: item.id, in: item.productId)
    }

    /// The history of an item the caller is known to see.
    public func activity(of itemID: String, in productID: String) async throws -> [ActivityDTO] {
        try await database.read { db in
            let item = (id: itemID, productId: productID)
            let rows = try await db.raw("""
                SELECT \(ChangeRead.activityColumns) FROM changes c LEFT JOIN users u ON u.id = c.actor_id
                WHERE c.product_id = \(bind: item.productId) AND c.subject_type = 'item' AND c.subject_id = \(bind: item.id)
                ORDER BY c.at DESC, c.id DESC
                """).all(ActivityJoinRow.self)
            return try rows.map { try $0.dto() }
        }
    }




    public func createItem(productID: String, input: NewItemInput, actorID: String) async throws -> ItemDTO {
        try await database.write { db in try await createItem(productID: productID, input: input, actorID: actorID, on: db) }
    }

    /// Creates an item inside a transaction another change opened (accepting feedback creates one with its decision).
    func createItem(productID: String, input: NewItemInput, actorID: String, on db: any SQLDatabase) async throws -> ItemDTO {
        let title = try BacklogStore.title(input.title)
        guard let kind = ItemKind(rawValue: input.kind) else {
            throw DomainError.invalid(field: "kind", "must be one of \(ItemKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let position = try input.position?.parse() ?? .bottom
        let description = try BacklogStore.longText(input.description ?? "", field: "description")
        let criteria = try BacklogStore.longText(input.acceptanceCriteria ?? "", field: "acceptanceCriteria")
        let values = try [
            ("businessValue", input.businessValue), ("timeCriticality", input.timeCriticality), ("riskReduction", input.riskReduction),
        ].map { field, value in try value.flatMap { try BacklogStore.orderingInput($0, field: field) } }
        let requestedLevel = try input.refinement.map(BacklogStore.refinementLevel) ?? .idea

        do {
            let access = try await BacklogStore.access(productID: productID, userID: actorID, on: db)
            try access.require(.createItem)
            if position != .bottom { try access.require(.orderBacklog, message: BacklogStore.orderMessage) }
            if let estimate = input.estimate { try BacklogStore.checkEstimate(estimate, scale: access.product.scale) }
            let readiness = Array(repeating: false, count: access.product.definitionOfReadyItems.count)
            let missing = Refinement.missing(for: requestedLevel, estimate: input.estimate, readiness: readiness, definitionOfReady: access.product.definitionOfReadyItems)
            if !missing.isEmpty { throw BacklogStore.notReady(requestedLevel, missing) }
            let parentID = try await BacklogStore.checkParent(input.parentId, productID: productID, itemID: nil, on: db)
            let goalID = try await BacklogStore.checkGoal(input.productGoalId, productID: productID, on: db)
            let releaseID = try await BacklogStore.checkRelease(input.releaseId, productID: productID, on: db)

            let number = try await ProductSettingsStore.nextItemNumber(productID: productID, on: db)
            let rank = try await BacklogStore.rank(for: position, movingItemID: nil, productID: productID, on: db)
            let now = stamps.now()
            let row = BacklogItemRow(
                id: stamps.newID(), productId: productID, number: number, ref: "\(access.product.key)-\(number)",
                kind: kind, title: title, description: description, acceptanceCriteria: criteria, estimate: input.estimate,
                status: .open, refinement: requestedLevel, readiness: "[]",
                businessValue: values[0], timeCriticality: values[1], riskReduction: values[2], parentId: parentID,
                rank: rank.key, version: 1, declineReason: nil, createdBy: actorID, updatedBy: actorID,
                createdAt: now, updatedAt: now, refinedAt: now, deletedAt: nil
            )
            var linked = row
            linked.productGoalId = goalID
            linked.releaseId = releaseID
            try await db.insert("backlog_items", linked)
            if rank.rebalanced { try await BacklogStore.rebalance(productID: productID, on: db) }
            try await ChangeLog.append(Change(.itemCreated, subject: row.id, ref: row.ref, ["ref": .string(row.ref), "title": .string(title), "position": try JSONValue.from(PositionDTO(position))]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            let stored = try await BacklogStore.item(row.id, on: db)
            return try await BacklogStore.dtos([stored], product: access.product, on: db)[0]
        }
    }

    /// Applies a partial change: only the fields sent are touched, `null` clears an optional one.
    public func updateItem(_ idOrRef: String, changes: [String: JSONValue], ifMatch: Int64?, actorID: String) async throws -> ItemDTO {
        let known: Set<String> = [
            "version", "title", "kind", "description", "acceptanceCriteria", "estimate", "parentId", "productGoalId", "releaseId", "refinement", "readiness",
            "businessValue", "timeCriticality", "riskReduction", "status", "workState", "doneChecks", "assigneeId",
        ]
        let readOnly: Set<String> = [
            "id", "ref", "productId", "rank", "warnings", "wsjf", "createdAt", "updatedAt", "createdBy", "blockedBy", "blocks", "declineReason", "sprintId",
        ]
        if let unknown = changes.keys.sorted().first(where: { !known.contains($0) && !readOnly.contains($0) }) {
            throw DomainError.invalid(field: unknown, "is not a field of a backlog item")
        }
        let version: Int64
        switch changes["version"] {
        case .number(let value)?: version = try BacklogStore.version(value)
        case nil:
            guard let ifMatch else { throw DomainError.invalid(field: "version", "is required: send the version you last saw, so a change made meanwhile is not overwritten") }
            version = ifMatch
        default: throw DomainError.invalid(field: "version", "must be a whole number")
        }

        return try await database.write { db in
            let (current, access) = try await BacklogStore.itemAccess(idOrRef, userID: actorID, on: db)
            try access.require(.editItem(createdByCaller: current.createdBy == actorID))
            guard current.version == version else { throw try await BacklogStore.versionConflict(current, product: access.product, on: db) }
            var item = current
            var changed: [String: JSONValue] = [:]
            var refinementTouched = false
            let dor = access.product.definitionOfReadyItems

            for (key, value) in changes.sorted(by: { $0.key < $1.key }) where known.contains(key) && key != "version" {
                switch key {
                case "title":
                    item.title = try BacklogStore.title(try BacklogStore.string(value, field: key))
                case "kind":
                    guard let kind = ItemKind(rawValue: try BacklogStore.string(value, field: key)) else {
                        throw DomainError.invalid(field: key, "must be one of \(ItemKind.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    item.kind = kind
                case "description":
                    item.description = try BacklogStore.longText(try BacklogStore.string(value, field: key), field: key)
                    refinementTouched = true
                case "acceptanceCriteria":
                    item.acceptanceCriteria = try BacklogStore.longText(try BacklogStore.string(value, field: key), field: key)
                    refinementTouched = true
                case "estimate":
                    if value == .null { item.estimate = nil } else {
                        guard case .number(let estimate) = value else { throw DomainError.invalid(field: key, "must be a number or null") }
                        try BacklogStore.checkEstimate(estimate, scale: access.product.scale)
                        item.estimate = estimate
                    }
                    refinementTouched = true
                case "productGoalId":
                    item.productGoalId = try await BacklogStore.checkGoal(value == .null ? nil : try BacklogStore.string(value, field: key), productID: item.productId, on: db)
                case "releaseId":
                    item.releaseId = try await BacklogStore.checkRelease(value == .null ? nil : try BacklogStore.string(value, field: key), productID: item.productId, on: db)
                case "parentId":
                    item.parentId = try await BacklogStore.checkParent(value == .null ? nil : try BacklogStore.string(value, field: key), productID: item.productId, itemID: item.id, on: db)
                case "readiness":
                    let flags = try BacklogStore.checklistFlags(value, field: key, count: dor.count, of: "Definition of Ready")
                    item.readiness = JSONText.encode(Checklist.ticked(flags: flags, definition: dor))
                    refinementTouched = true
                case "doneChecks":
                    let dod = access.product.definitionOfDoneItems
                    let flags = try BacklogStore.checklistFlags(value, field: key, count: dod.count, of: "Definition of Done")
                    item.doneChecks = JSONText.encode(Checklist.ticked(flags: flags, definition: dod))
                case "workState":
                    guard let state = WorkState(rawValue: try BacklogStore.string(value, field: key)) else {
                        throw DomainError.invalid(field: key, "must be one of \(WorkState.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    guard item.sprintId != nil else {
                        throw DomainError(.ruleBroken, code: "not_in_sprint", message: "Only an item in a Sprint Backlog has a work state; plan it into a sprint first.", field: key)
                    }
                    item.workState = state
                case "assigneeId":
                    // Who may take it, and whom it may go to, is the sprint's to say (`SprintRecordKeeper`).
                    guard item.sprintId != nil else {
                        throw DomainError(.ruleBroken, code: "not_in_sprint", message: "Only an item in a Sprint Backlog is taken by someone; plan it into a sprint first.", field: key)
                    }
                    item.assigneeId = value == .null ? nil : try BacklogStore.string(value, field: key)
                case "businessValue", "timeCriticality", "riskReduction":
                    let number: Int?
                    if value == .null { number = nil } else {
                        guard case .number(let raw) = value else { throw DomainError.invalid(field: key, "must be a whole number or null") }
                        number = try BacklogStore.orderingInput(raw, field: key)
                    }
                    if key == "businessValue" { item.businessValue = number }
                    if key == "timeCriticality" { item.timeCriticality = number }
                    if key == "riskReduction" { item.riskReduction = number }
                case "status":
                    let raw = try BacklogStore.string(value, field: key)
                    guard let status = ItemStatus(rawValue: raw), status != .declined else {
                        throw DomainError.invalid(field: key, "must be open, planned or done; saying no is the Product Owner's decline, with a reason")
                    }
                    if current.sprintId != nil, status != current.itemStatus, changes["workState"] == nil {
                        throw DomainError(.ruleBroken, code: "in_sprint", message: "The item is in a Sprint Backlog, where its status follows its work state: set the work state instead.", field: key)
                    }
                    if current.itemStatus == .declined {
                        try access.require(.sayNo, message: "Only the Product Owner may reopen an item they declined.")
                        item.declineReason = nil
                    }
                    item.status = status
                default:
                    break
                }
            }

            // An explicitly requested level must hold; otherwise an edit that removed a condition lowers the level.
            if let raw = changes["refinement"] {
                let level = try BacklogStore.refinementLevel(try BacklogStore.string(raw, field: "refinement"))
                let missing = Refinement.missing(for: level, estimate: item.estimate, readiness: item.readinessFlags(dor), definitionOfReady: dor)
                if !missing.isEmpty { throw BacklogStore.notReady(level, missing) }
                item.refinement = level
                refinementTouched = true
            } else {
                item.refinement = Refinement.settle(item.refinementLevel, estimate: item.estimate, readiness: item.readinessFlags(dor), definitionOfReady: dor)
            }
            // In a sprint, the status follows the work, and done means the Definition of Done holds.
            if item.sprintId != nil, changes["workState"] != nil || changes["doneChecks"] != nil, let state = item.workState {
                if state == .done {
                    let missing = DefinitionOfDone.unmet(ticked: item.doneCheckTicks, definition: access.product.definitionOfDoneItems)
                    if !missing.isEmpty { throw BacklogStore.notDone(missing) }
                }
                item.status = state == .done ? .done : .planned
            }
            for participant in participants {
                try await participant.itemWillChange(from: current, to: item, access: access, actorID: actorID, now: stamps.now(), on: db)
            }
            // Only what really changed is versioned and logged: a page form sends every field.
            let before = BacklogStore.editableFields(current), after = BacklogStore.editableFields(item)
            for (key, value) in after where before[key] != value {
                changed[key] = ["from": before[key] ?? .null, "to": value]
            }

            guard !changed.isEmpty else { return try await BacklogStore.dtos([current], product: access.product, on: db)[0] }
            let now = stamps.now()
            item.version += 1
            item.updatedAt = now
            item.updatedBy = actorID
            if refinementTouched { item.refinedAt = now }
            try await BacklogStore.save(item, on: db)
            try await ChangeLog.append(Change(.itemUpdated, subject: item.id, ref: item.ref, ["changes": .object(changed), "version": .number(Double(item.version))]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            return try await BacklogStore.dtos([item], product: access.product, on: db)[0]
        }
    }

    /// Soft delete: the item leaves every view but its history stays in the activity log.
    public func deleteItem(_ idOrRef: String, actorID: String) async throws {
        try await database.write { db in
            let (item, access) = try await BacklogStore.itemAccess(idOrRef, userID: actorID, on: db)
            try access.require(.sayNo)
            try BacklogStore.notInOpenSprint(item)
            let now = stamps.now()
            try await db.update("backlog_items").set("deleted_at", to: now).set("updated_at", to: now).set("updated_by", to: actorID)
                .set("version", to: item.version + 1).where("id", .equal, item.id).run()
            try await BacklogStore.closeOpenProposals(of: item.id, note: "The item was deleted.", by: actorID, at: now, on: db)
            try await ChangeLog.append(Change(.itemDeleted, subject: item.id, ref: item.ref, ["ref": .string(item.ref), "title": .string(item.title)]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
        }
    }

    /// Saying no: the item leaves the backlog view but stays searchable with the Product Owner's reason.
    public func declineItem(_ idOrRef: String, reason rawReason: String, actorID: String) async throws -> ItemDTO {
        let reason = try InputRules.reason.validated(rawReason, field: "reason")
        return try await database.write { db in
            var (item, access) = try await BacklogStore.itemAccess(idOrRef, userID: actorID, on: db)
            try access.require(.sayNo)
            guard item.itemStatus != .declined else {
                throw DomainError(.conflict, code: "already_declined", message: "\(item.ref) was already declined: \(item.declineReason ?? "")")
            }
            try BacklogStore.notInOpenSprint(item)
            let now = stamps.now()
            item.status = .declined
            item.declineReason = reason
            item.version += 1
            item.updatedAt = now
            item.updatedBy = actorID
            try await BacklogStore.save(item, on: db)
            try await BacklogStore.closeOpenProposals(of: item.id, note: "The item was declined: \(reason)", by: actorID, at: now, on: db)
            try await ChangeLog.append(Change(.itemDeclined, subject: item.id, ref: item.ref, ["reason": .string(reason)]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            return try await BacklogStore.dtos([item], product: access.product, on: db)[0]
        }
    }

    /// Taking back a "no": the declined item returns at the bottom of the backlog, open, with the note in its history.
    public func reopenItem(_ idOrRef: String, note rawNote: String, actorID: String) async throws -> ItemDTO {
        let note = try InputRules.reopenNote.validated(rawNote, field: "note")
        return try await database.write { db in
            var (item, access) = try await BacklogStore.itemAccess(idOrRef, userID: actorID, on: db)
            try access.require(.sayNo, message: "Only the Product Owner says no to an item, and only the Product Owner takes it back.")
            guard item.itemStatus == .declined else {
                throw DomainError(.conflict, code: "not_declined", message: "\(item.ref) is \(item.status.rawValue); only a declined item can be reopened.")
            }
            try await BacklogStore.lockOrder(productID: item.productId, on: db)
            let (key, rebalance) = try await BacklogStore.rank(for: .bottom, movingItemID: item.id, productID: item.productId, on: db)
            let reason = item.declineReason
            item.status = .open
            item.declineReason = nil
            item.rank = key
            item.version += 1
            item.updatedAt = stamps.now()
            item.updatedBy = actorID
            try await BacklogStore.save(item, on: db)
            if rebalance {
                try await BacklogStore.rebalance(productID: item.productId, on: db)
                item = try await BacklogStore.item(item.id, on: db)
            }
            try await ChangeLog.append(Change(.itemReopened, subject: item.id, ref: item.ref, ["note": .string(note), "declineReason": reason.map(JSONValue.string) ?? .null]), productID: item.productId, actorID: actorID, stamps: stamps, on: db)
            return try await BacklogStore.dtos([item], product: access.product, on: db)[0]
        }
    }

    /// Who said no to each of `itemIDs` and when, from the activity log (the declined view shows it).
    public func declines(of itemIDs: [String], in productID: String) async throws -> [String: (by: PersonRef?, at: Date)] {
        guard !itemIDs.isEmpty else { return [:] }
        return try await database.read { db in
            let rows = try await db.raw("""
                SELECT c.subject_id, c.actor_id, c.at AS created_at, u.display_name FROM changes c LEFT JOIN users u ON u.id = c.actor_id
                WHERE c.product_id = \(bind: productID) AND c.type = \(bind: ChangeType.itemDeclined.rawValue) AND c.subject_id IN (\(binds: itemIDs))
                ORDER BY c.at, c.id
                """).all()
            var declines: [String: (by: PersonRef?, at: Date)] = [:]
            for row in rows {
                let actor = try row.decodeNil(column: "actor_id") ? nil : try row.decode(column: "actor_id", as: String.self)
                let name = try row.decodeNil(column: "display_name") ? nil : try row.decode(column: "display_name", as: String.self)
                declines[try row.decode(column: "subject_id", as: String.self)] = (
                    by: actor.map { PersonRef(id: $0, displayName: name ?? "(removed)") }, at: Clock.date(try row.decode(column: "created_at", as: Int64.self))
                )
            }
            return declines
        }
    }
}

extension BacklogStore {
    /// An item leaving the backlog (deleted, declined) takes its open proposals with it, each with the reason.
    static func closeOpenProposals(of itemID: String, note: String, by actorID: String, at now: Int64, on db: any SQLDatabase) async throws {
        try await db.update("ordering_proposals").set("state", to: ProposalState.declined.rawValue).set("decision_note", to: note)
            .set("decided_by", to: actorID).set("decided_at", to: now)
            .where("item_id", .equal, itemID).where("state", .equal, ProposalState.open.rawValue).run()
    }

    static let orderMessage = "The Product Owner decides the order of the Product Backlog. Propose a move instead: ordering proposals say where and why, and the Product Owner accepts or declines them."

    // MARK: Shared rules

    static func editableFields(_ item: BacklogItemRow) -> [String: JSONValue] {
        func number(_ value: Int?) -> JSONValue { value.map { .number(Double($0)) } ?? .null }
        return [
            "title": .string(item.title), "kind": .string(item.kind.rawValue), "description": .string(item.description),
            "acceptanceCriteria": .string(item.acceptanceCriteria), "estimate": item.estimate.map(JSONValue.number) ?? .null,
            "parentId": item.parentId.map(JSONValue.string) ?? .null,
            "productGoalId": item.productGoalId.map(JSONValue.string) ?? .null, "releaseId": item.releaseId.map(JSONValue.string) ?? .null, "refinement": .string(item.refinement.rawValue),
            "readiness": .array(item.readinessTicks.sorted().map(JSONValue.string)), "businessValue": number(item.businessValue),
            "timeCriticality": number(item.timeCriticality), "riskReduction": number(item.riskReduction), "status": .string(item.status.rawValue),
            "workState": item.workState.map { .string($0.rawValue) } ?? .null, "doneChecks": .array(item.doneCheckTicks.sorted().map(JSONValue.string)),
            "assigneeId": item.assigneeId.map(JSONValue.string) ?? .null,
        ]
    }

    /// A checklist's ticks as sent: booleans, one per entry of the product's definition.
    static func checklistFlags(_ value: JSONValue, field: String, count: Int, of definition: String) throws -> [Bool] {
        guard case .array(let flags) = value else { throw DomainError.invalid(field: field, "must be an array of true/false") }
        let bools = try flags.enumerated().map { index, flag -> Bool in
            guard case .bool(let bool) = flag else { throw DomainError.invalid(field: "\(field)[\(index)]", "must be true or false") }
            return bool
        }
        guard bools.count == count else { throw DomainError.invalid(field: field, "must have \(count) entries, one per \(definition) item") }
        return bools
    }

    /// Planned work belongs to the Developers' Sprint Backlog: the Product Owner cannot delete or decline it from under
    /// them (the Developers take it out, or the Product Owner cancels the sprint), so the sprint's record stays whole.
    static func notInOpenSprint(_ item: BacklogItemRow) throws {
        guard item.sprintId != nil, item.status == .planned else { return }
        throw DomainError(
            .conflict, code: "in_sprint",
            message: "\(item.ref) is in a running or planned sprint; the Developers take it out of the Sprint Backlog first, or the Product Owner cancels the sprint."
        )
    }

    /// Work is done when the Definition of Done holds; the error lists what is still missing.
    static func notDone(_ missing: [String]) -> DomainError {
        DomainError(
            .ruleBroken, code: "not_done",
            message: "Not done yet: the Definition of Done still needs \(missing.map { "“\($0)”" }.joined(separator: ", ")).",
            field: "workState", details: ["missing": .array(missing.map(JSONValue.string))]
        )
    }

    static func save(_ item: BacklogItemRow, on db: any SQLDatabase) async throws {
        try await db.update("backlog_items")
            .set(model: item, with: RowCoding.encoder)
            .where("id", .equal, item.id).run()
    }

    static func title(_ raw: String) throws -> String {
        try InputRules.title.validated(raw, field: "title")
    }

    static func longText(_ raw: String, field: String) throws -> String {
        try InputRules.longText.validated(raw, field: field)
    }

    /// The version a client last saw, checked before it is compared (a JSON number may be anything).
    static func version(_ value: Double) throws -> Int64 {
        try InputRules.version.validated(value, field: "version")
    }

    static func string(_ value: JSONValue, field: String) throws -> String {
        guard case .string(let string) = value else { throw DomainError.invalid(field: field, "must be a string") }
        return string
    }

    static func orderingInput(_ value: Double, field: String) throws -> Int {
        Int(try InputRules.wsjfInput.validated(value, field: field))
    }

    static func checkEstimate(_ estimate: Double, scale: EstimateScale) throws {
        guard scale.contains(estimate) else {
            throw DomainError.invalid(field: "estimate", "must be one of the product's scale: \(scale.description)")
        }
    }

    static func refinementLevel(_ raw: String) throws -> RefinementLevel {
        guard let level = RefinementLevel(rawValue: raw) else {
            throw DomainError.invalid(field: "refinement", "must be one of \(RefinementLevel.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return level
    }

    static func notReady(_ level: RefinementLevel, _ missing: [MissingCondition]) -> DomainError {
        DomainError(
            .ruleBroken, code: "not_ready",
            message: "The item cannot be \(level.rawValue) yet: " + missing.map(\.message).joined(separator: "; "),
            // try?: encoding plain strings cannot fail; the refusal must not turn into a different error.
            field: "refinement", details: ["missing": (try? JSONValue.from(missing)) ?? .null]
        )
    }

    /// Items link only to the product's active Product Goal: the goal the team works towards now.
    static func checkGoal(_ goalID: String?, productID: String, on db: any SQLDatabase) async throws -> String? {
        guard let goalID else { return nil }
        let row = try await db.select().columns("id", "state").from("product_goals").where("id", .equal, goalID).where("product_id", .equal, productID).first()
        guard let row else { throw DomainError.invalid(field: "productGoalId", "Choose the active Product Goal of this product.") }
        guard try row.decode(column: "state", as: String.self) == ProductGoalState.active.rawValue else {
            throw DomainError.invalid(field: "productGoalId", "That Product Goal is closed; link items to the active one.")
        }
        return goalID
    }

    /// A release of the same product.
    static func checkRelease(_ releaseID: String?, productID: String, on db: any SQLDatabase) async throws -> String? {
        guard let releaseID else { return nil }
        guard try await db.select().column("id").from("releases").where("id", .equal, releaseID).where("product_id", .equal, productID).first() != nil else {
            throw DomainError.invalid(field: "releaseId", "Choose a release of this product.")
        }
        return releaseID
    }

    /// A parent must be an epic of the same product, and not the item itself.
    static func checkParent(_ parentID: String?, productID: String, itemID: String?, on db: any SQLDatabase) async throws -> String? {
        guard let parentID else { return nil }
        // Another product's item is answered like a missing one, so a parent cannot probe references elsewhere.
        guard let parent = try await DomainError.nilIfNotFound({ try await item(parentID, on: db) }), parent.productId == productID else {
            throw DomainError.invalid(field: "parentId", "Choose an epic of this backlog as the parent.")
        }
        guard parent.id != itemID else { throw DomainError.invalid(field: "parentId", "must not be the item itself") }
        guard parent.kind == .epic else { throw DomainError.invalid(field: "parentId", "must be an epic") }
        return parent.id
    }
}
