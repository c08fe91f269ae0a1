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
    /// JSON array of booleans aligned with the product's Definition of Ready.
    var readiness: String
    var businessValue: Int?
    var timeCriticality: Int?
    var riskReduction: Int?
    var parentId: String?
    var rank: String
    var version: Int64
    var declineReason: String?
    var createdBy: String?
    var updatedBy: String?
    var createdAt: Int64
    var updatedAt: Int64
    var refinedAt: Int64?
    var deletedAt: Int64?

    var readinessFlags: [Bool] {
        (try? JSONDecoder().decode([Bool].self, from: Data(readiness.utf8))) ?? []
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
}

struct EstimationVoteRow: Codable, Sendable {
    var roundId: String
    var userId: String
    var points: Double
    var votedAt: Int64
}

enum JSONText {
    static func encode(_ value: some Encodable) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "[]"
    }
}
