import Foundation
import SQLKit
import TandemCore

/// A stored Product Backlog item.
struct BacklogItemRow: Codable, Sendable {
    var id: String
    var productId: String
    var number: Int64
    var ref: String
    var kind: ItemKind
    var title: String
    var description: String
    var acceptanceCriteria: String
    var estimate: Double?
    var status: ItemStatus
    var refinement: RefinementLevel
    /// JSON array of the Definition of Ready entries ticked, by text (see `Checklist`).
    var readiness: String
    var businessValue: Int?
    var timeCriticality: Int?
    var riskReduction: Int?
    var parentId: String?
    var productGoalId: String? = nil
    var releaseId: String? = nil
    var rank: String
    var version: Int64
    var declineReason: String?
    var createdBy: String?
    var updatedBy: String?
    var createdAt: Int64
    var updatedAt: Int64
    var refinedAt: Int64?
    var deletedAt: Int64?
    /// The sprint whose Sprint Backlog holds the item, and how far its work is (nil outside a sprint).
    var sprintId: String? = nil
    var workState: WorkState? = nil
    /// JSON array of the Definition of Done entries ticked, by text (see `Checklist`).
    var doneChecks: String = "[]"
    /// Who took the item in its sprint (a Developer of the sprint's team), so the board says who works on what.
    var assigneeId: String? = nil

    /// The ticks as texts; both columns were checked to be arrays of strings when the row was read.
    var doneCheckTicks: [String] { (try? JSONText.strings(doneChecks)) ?? [] }
    var readinessTicks: [String] { (try? JSONText.strings(readiness)) ?? [] }

    /// The ticks as flags, one per entry of the product's Definition of Done as it stands now.
    func doneCheckFlags(_ definitionOfDone: [String]) -> [Bool] { Checklist.flags(ticked: doneCheckTicks, definition: definitionOfDone) }
    /// The ticks as flags, one per entry of the product's Definition of Ready as it stands now.
    func readinessFlags(_ definitionOfReady: [String]) -> [Bool] { Checklist.flags(ticked: readinessTicks, definition: definitionOfReady) }

    /// Marks a change: a new version, by whom and when.
    mutating func touch(by actorID: String, at now: Int64) {
        version += 1
        updatedAt = now
        updatedBy = actorID
    }


    /// Read from the database as enums: an unknown value fails the row's decoding (see `RowCoding.decode`).
    var itemStatus: ItemStatus { status }
    var refinementLevel: RefinementLevel { refinement }

    /// A stored status read back; an unknown one is an error naming the row, never a silent default.
    static func itemStatus(_ raw: String, of id: String) throws -> ItemStatus {
        guard let status = ItemStatus(rawValue: raw) else {
            throw DomainError(.inconsistent, code: "unknown_status", message: "The item \(id) has the unknown status '\(raw)'.")
        }
        return status
    }
    var wsjf: Double? {
        WSJF.score(businessValue: businessValue, timeCriticality: timeCriticality, riskReduction: riskReduction, jobSize: estimate)
    }
}

extension BacklogItemRow: RowDecodable {
    /// Reads a row column by column: the backlog reads fifty of these per request, and SQLKit's Codable row decoder
    /// (keyed containers, a key strategy per column) was a quarter of that request's CPU (`perf`).
    init(row: any SQLRow) throws {
        func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
        func optionalText(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : try text(column) }
        func integer(_ column: String) throws -> Int64 { try row.decode(column: column, as: Int64.self) }
        func optionalInteger(_ column: String) throws -> Int64? { try row.decodeNil(column: column) ? nil : try integer(column) }
        func small(_ column: String) throws -> Int? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: Int.self) }
        let id = try text("id")
        func known<E: RawRepresentable>(_ column: String, as type: E.Type) throws -> E where E.RawValue == String {
            let raw = try text(column)
            guard let value = E(rawValue: raw) else {
                throw DomainError(
                    .inconsistent, code: "unreadable_row",
                    message: "The stored BacklogItemRow \(id) has a value in \(column) that this version of Tandem does not know."
                )
            }
            return value
        }
        func ticks(_ column: String) throws -> String {
            let raw = try text(column)
            // try?: this is the check; the failure becomes the unreadable_row error below.
            guard (try? JSONText.strings(raw)) != nil else {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "The stored BacklogItemRow \(id) has \(column) that is not a list of ticked entries.")
            }
            return raw
        }
        self.init(
            id: id, productId: try text("product_id"), number: try integer("number"), ref: try text("ref"),
            kind: try known("kind", as: ItemKind.self), title: try text("title"), description: try text("description"),
            acceptanceCriteria: try text("acceptance_criteria"),
            estimate: try row.decodeNil(column: "estimate") ? nil : try row.decode(column: "estimate", as: Double.self),
            status: try known("status", as: ItemStatus.self), refinement: try known("refinement", as: RefinementLevel.self),
            readiness: try ticks("readiness"), businessValue: try small("business_value"), timeCriticality: try small("time_criticality"),
            riskReduction: try small("risk_reduction"), parentId: try optionalText("parent_id"),
            productGoalId: try optionalText("product_goal_id"), releaseId: try optionalText("release_id"), rank: try text("rank"),
            version: try integer("version"), declineReason: try optionalText("decline_reason"), createdBy: try optionalText("created_by"),
            updatedBy: try optionalText("updated_by"), createdAt: try integer("created_at"), updatedAt: try integer("updated_at"),
            refinedAt: try optionalInteger("refined_at"), deletedAt: try optionalInteger("deleted_at"),
            sprintId: try optionalText("sprint_id"),
            workState: try optionalText("work_state") == nil ? nil : try known("work_state", as: WorkState.self),
            doneChecks: try ticks("done_checks"), assigneeId: try optionalText("assignee_id")
        )
    }
}

struct ProposalRow: Codable, Sendable {
    var id: String
    var productId: String
    var itemId: String
    var proposerId: String?
    var position: PlacementKind
    var anchorId: String?
    var rationale: String
    var state: ProposalState
    var decidedBy: String?
    var decisionNote: String?
    var createdAt: Int64
    var decidedAt: Int64?
}

struct EstimationRoundRow: Codable, Sendable {
    var id: String
    var itemId: String
    var productId: String
    var openedBy: String?
    var state: EstimationRoundState
    var agreedEstimate: Double?
    var createdAt: Int64
    var revealedAt: Int64?
    var closedAt: Int64?
    /// Who had not voted when the votes were revealed (JSON of `PersonRef`s), so the round keeps saying so.
    var notVoted: String? = nil
}

struct EstimationVoteRow: Codable, Sendable {
    var roundId: String
    var userId: String
    var points: Double
    var votedAt: Int64
}

enum JSONText {
    /// Reads `["a","b",…]` as stored, without a `JSONDecoder` per row (a decoder per row was 5% of a backlog
    /// request's CPU, `perf`); anything with an escape or other spacing is read by the decoder.
    static func strings(_ text: String) throws -> [String] {
        var utf8 = text.utf8[...]
        guard utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]"), !utf8.contains(UInt8(ascii: "\\")) else { return try decoded(text) }
        utf8 = utf8.dropFirst().dropLast()
        guard !utf8.isEmpty else { return [] }
        guard utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\""), utf8.count >= 2 else { return try decoded(text) }
        // Without escapes no entry holds a quote, so `","` separates entries exactly.
        let inner = String(decoding: utf8.dropFirst().dropLast(), as: UTF8.self)
        let entries = inner.components(separatedBy: "\",\"")
        guard !entries.contains(where: { $0.contains("\"") }) else { return try decoded(text) }
        return entries
    }

    private static func decoded(_ text: String) throws -> [String] {
        try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        // try?: only lists and maps of strings and numbers are encoded here, which cannot fail.
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "[]"
    }
}
