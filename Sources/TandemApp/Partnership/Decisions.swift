import Foundation
import SQLKit
import TandemCore

/// What a decision's author sends.
public struct DecisionInput: Decodable, Sendable {
    public var title: String
    public var context: String
    public var decision: String
    public var rationale: String?
    public var alternatives: String?
    public var accountability: String
    public var itemIds: [String]?
    public var supersedes: String?
}

/// One entry of the decision log: a recorded decision, or a proposal decided or a reorder applied by the Product Owner.
public struct DecisionDTO: Encodable, Sendable {
    /// `decision`, `proposal` or `reorder`.
    public let kind: String
    public let id: String
    public let productId: String
    public let title: String
    public let context: String
    public let decision: String
    /// Why; for a proposal or reorder its note, which may be empty.
    public let rationale: String
    public let alternatives: String
    public let accountability: DecisionAccountability
    public let itemIds: [String]
    @NullEncodable public var supersedes: String?
    @NullEncodable public var supersededBy: String?
    public let superseded: Bool
    @NullEncodable public var decidedBy: PersonRef?
    public let decidedAt: Date
}

/// The decision log: append-only (no edits, no deletions); a newer decision may supersede an older one.
public struct Decisions: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public func record(productID: String, input: DecisionInput, actorID: String) async throws -> DecisionDTO {
        let title = try InputRules.title.validated(input.title, field: "title")
        let context = try InputRules.decisionText.validated(input.context, field: "context")
        let decision = try InputRules.decisionText.validated(input.decision, field: "decision")
        guard let rawRationale = input.rationale else {
            throw DomainError.invalid(field: "rationale", "is required: a decision without its why cannot be understood later")
        }
        let rationale = try InputRules.decisionRationale.validated(rawRationale, field: "rationale")
        let alternatives = try InputRules.longText.validated(input.alternatives ?? "", field: "alternatives")
        guard let accountability = DecisionAccountability(rawValue: input.accountability) else {
            throw DomainError.invalid(field: "accountability", "must be product, process or team")
        }
        let itemIDs = input.itemIds ?? []
        guard itemIDs.count <= 50 else { throw DomainError.invalid(field: "itemIds", "must name at most 50 items") }
        let id = stamps.newID()
        do {
            return try await database.write { db in
                let access = try await ProductService.access(productID: productID, userID: actorID, on: db)
                try access.require(.recordDecision(accountability))
                let items = try await Impediments.items(itemIDs, productID: productID, on: db)
                if let older = input.supersedes {
                    guard let previous = try await Self.decisions(where: "d.id = \(bind: older) AND d.product_id = \(bind: productID)", on: db).first else {
                        throw DomainError(.ruleBroken, code: "unknown_decision", message: "Choose a decision of this product's log to supersede.", field: "supersedes")
                    }
                    if previous.superseded {
                        throw DomainError(.conflict, code: "already_superseded", message: "That decision was already superseded; supersede the newer one.", field: "supersedes")
                    }
                }
                try await db.insert(into: "decisions")
                    .columns("id", "product_id", "title", "context", "decision", "rationale", "alternatives", "accountability", "item_ids", "supersedes_id", "created_by", "created_at")
                    .values(SQLBind(id), SQLBind(productID), SQLBind(title), SQLBind(context), SQLBind(decision), SQLBind(rationale), SQLBind(alternatives),
                            SQLBind(accountability.rawValue), SQLBind(JSONText.encode(items)), SQLBind(input.supersedes), SQLBind(actorID), SQLBind(stamps.now()))
                    .run()
                try await ChangeLog.append(Change(.decisionRecorded, subject: id, ["title": .string(title), "supersedes": input.supersedes.map(JSONValue.string) ?? .null]), productID: productID, actorID: actorID, stamps: stamps, on: db)
                return try await Self.decisions(where: "d.id = \(bind: id)", on: db)[0]
            }
        } catch where RowCoding.isUniqueViolation(error) {
            throw DomainError(.conflict, code: "already_superseded", message: "That decision was already superseded; supersede the newer one.", field: "supersedes")
        }
    }

    /// Any entry the log lists, by its id: a recorded decision, a decided proposal or an applied reorder.
    public func decision(_ id: String, userID: String) async throws -> DecisionDTO {
        try await database.read { db in
            var found = try await Self.decisions(where: "d.id = \(bind: id)", on: db).first
            if found == nil { found = try await Self.proposalEntries(where: "p.id = \(bind: id)", on: db).first }
            if found == nil { found = try await Self.reorderEntries(where: "c.id = \(bind: id)", on: db).first }
            guard let decision = found else { throw DomainError.notFound("The decision") }
            do {
                _ = try await ProductService.access(productID: decision.productId, userID: userID, on: db)
            } catch let error as DomainError where error.kind == .notFound {
                throw DomainError.notFound("The decision")
            }
            return decision
        }
    }

    /// The whole log, newest first: recorded decisions, decided proposals and applied reorders.
    public func log(productID: String, userID: String) async throws -> [DecisionDTO] {
        try await database.read { db in
            _ = try await ProductService.access(productID: productID, userID: userID, on: db)
            let entries = try await Self.decisions(where: "d.product_id = \(bind: productID)", on: db)
                + Self.proposalEntries(where: "p.product_id = \(bind: productID)", on: db)
                + Self.reorderEntries(where: "c.product_id = \(bind: productID)", on: db)
            return entries.sorted { ($0.decidedAt, $0.id) > ($1.decidedAt, $1.id) }
        }
    }

    /// Decided ordering proposals as log entries: the Product Owner's yes or no with the note the team reads.
    static func proposalEntries(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [DecisionDTO] {
        try await db.raw("""
            SELECT p.id, p.product_id, p.state, p.position, p.decision_note, p.rationale, p.decided_at, p.decided_by, u.display_name, i.id AS item_id, i.ref, i.title AS item_title
            FROM ordering_proposals p JOIN backlog_items i ON i.id = p.item_id LEFT JOIN users u ON u.id = p.decided_by
            WHERE \(condition) AND p.state IN ('accepted', 'declined')
            """).all().map { row in
            let r = RowReader(row: row)
            let state = try r.text("state")
            return DecisionDTO(
                kind: "proposal", id: try r.text("id"), productId: try r.text("product_id"),
                title: "Proposal to move \(try r.text("ref")) \(state)", context: try r.text("rationale"),
                decision: "\(state == "accepted" ? "Accepted" : "Declined"): move \(try r.text("ref")) \(try r.text("item_title")) (\(try r.text("position")))",
                rationale: try r.optionalText("decision_note") ?? "", alternatives: "", accountability: .product, itemIds: [try r.text("item_id")],
                supersedes: nil, supersededBy: nil, superseded: false, decidedBy: try r.person("decided_by", "display_name"),
                decidedAt: try r.optionalDate("decided_at") ?? Date(timeIntervalSince1970: 0)
            )
        }
    }

    /// Applied reorders (by WSJF or by hand) as log entries.
    static func reorderEntries(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [DecisionDTO] {
        try await db.raw("""
            SELECT c.id, c.product_id, c.data, c.at AS created_at, c.actor_id, u.display_name FROM changes c LEFT JOIN users u ON u.id = c.actor_id
            WHERE \(condition) AND c.type = \(bind: ChangeType.backlogReordered.rawValue)
            """).all().map { row in
            let r = RowReader(row: row)
            let detail = try JSONDecoder().decode(JSONValue.self, from: Data(try r.text("data").utf8))
            let basis = detail["basis"]?.string ?? "manual"
            return DecisionDTO(
                kind: "reorder", id: try r.text("id"), productId: try r.text("product_id"), title: basis == "wsjf" ? "Backlog reordered by WSJF" : "Backlog reordered",
                context: "", decision: "Moved \(Int(detail["moved"]?.number ?? 0)) items", rationale: detail["note"]?.string ?? "", alternatives: "",
                accountability: .product, itemIds: [], supersedes: nil, supersededBy: nil, superseded: false,
                decidedBy: try r.person("actor_id", "display_name"), decidedAt: try r.date("created_at")
            )
        }
    }

    static func decisions(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [DecisionDTO] {
        try await db.raw("""
            SELECT d.*, u.display_name, n.id AS superseded_by FROM decisions d LEFT JOIN users u ON u.id = d.created_by
            LEFT JOIN decisions n ON n.supersedes_id = d.id
            WHERE \(condition) ORDER BY d.created_at DESC, d.id
            """).all().map { row in
            let r = RowReader(row: row)
            let supersededBy = try r.optionalText("superseded_by")
            return DecisionDTO(
                kind: "decision", id: try r.text("id"), productId: try r.text("product_id"), title: try r.text("title"), context: try r.text("context"),
                decision: try r.text("decision"), rationale: try r.text("rationale"), alternatives: try r.text("alternatives"),
                accountability: try r.known("accountability", as: DecisionAccountability.self, in: "decisions"),
                itemIds: try r.json("item_ids", as: [String].self, in: "decisions"),
                supersedes: try r.optionalText("supersedes_id"), supersededBy: supersededBy, superseded: supersededBy != nil,
                decidedBy: try r.person("created_by", "display_name"), decidedAt: try r.date("created_at")
            )
        }
    }
}
