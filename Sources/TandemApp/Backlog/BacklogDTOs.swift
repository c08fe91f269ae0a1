import Foundation
import TandemCore

/// A short reference to an item, as dependencies and proposals show it.
public struct ItemRefDTO: Codable, Sendable, Equatable {
    public let id: String
    public let ref: String
    public let title: String
    public let status: ItemStatus
}

/// A Product Backlog item as the API and the pages show it; optional fields are sent as null, not left out.
public struct ItemDTO: Encodable, Sendable {
    public let id: String
    public let ref: String
    public let productId: String
    public let title: String
    public let kind: ItemKind
    public let status: ItemStatus
    public let refinement: RefinementLevel
    public let estimate: Double?
    public let rank: String
    public let version: Int64
    public let warnings: [ItemWarning]
    public let description: String
    public let acceptanceCriteria: String
    public let readiness: [Bool]
    public let businessValue: Int?
    public let timeCriticality: Int?
    public let riskReduction: Int?
    public let wsjf: Double?
    public let parentId: String?
    public let declineReason: String?
    public let blockedBy: [ItemRefDTO]
    public let blocks: [ItemRefDTO]
    public let createdBy: PersonRef?
    public let createdAt: Date
    public let updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, ref, productId, title, kind, status, refinement, estimate, rank, version, warnings, description, acceptanceCriteria
        case readiness, businessValue, timeCriticality, riskReduction, wsjf, parentId, declineReason, blockedBy, blocks
        case createdBy, createdAt, updatedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(ref, forKey: .ref)
        try c.encode(productId, forKey: .productId)
        try c.encode(title, forKey: .title)
        try c.encode(kind, forKey: .kind)
        try c.encode(status, forKey: .status)
        try c.encode(refinement, forKey: .refinement)
        try c.encode(estimate, forKey: .estimate)
        try c.encode(rank, forKey: .rank)
        try c.encode(version, forKey: .version)
        try c.encode(warnings, forKey: .warnings)
        try c.encode(description, forKey: .description)
        try c.encode(acceptanceCriteria, forKey: .acceptanceCriteria)
        try c.encode(readiness, forKey: .readiness)
        try c.encode(businessValue, forKey: .businessValue)
        try c.encode(timeCriticality, forKey: .timeCriticality)
        try c.encode(riskReduction, forKey: .riskReduction)
        try c.encode(wsjf, forKey: .wsjf)
        try c.encode(parentId, forKey: .parentId)
        try c.encode(declineReason, forKey: .declineReason)
        try c.encode(blockedBy, forKey: .blockedBy)
        try c.encode(blocks, forKey: .blocks)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// A wanted position as the API spells it: exactly one of `before`, `after`, `to`.
public struct PositionDTO: Codable, Sendable, Equatable {
    public var before: String?
    public var after: String?
    public var to: String?

    init(before: String?, after: String?, to: String?) {
        self.before = before
        self.after = after
        self.to = to
    }

    init(_ position: BacklogPosition) {
        switch position {
        case .top: to = "top"
        case .bottom: to = "bottom"
        case .before(let id): before = id
        case .after(let id): after = id
        }
    }

    /// Reads the position, naming the field at fault when it is not exactly one of the three.
    func parse() throws -> BacklogPosition {
        let given = [before != nil, after != nil, to != nil].filter { $0 }.count
        guard given == 1 else { throw APIError.validation(field: "position", "give exactly one of before, after or to") }
        if let before { return .before(before) }
        if let after { return .after(after) }
        switch to {
        case "top": return .top
        case "bottom": return .bottom
        default: throw APIError.validation(field: "to", "must be \"top\" or \"bottom\"")
        }
    }
}

/// An ordering proposal: how someone who may not move an item asks the Product Owner to.
public struct ProposalDTO: Encodable, Sendable {
    public let id: String
    public let productId: String
    public let item: ItemRefDTO
    public let proposer: PersonRef?
    public let position: PositionDTO
    public let anchor: ItemRefDTO?
    public let rationale: String
    public let state: String
    public let decidedBy: PersonRef?
    public let decisionNote: String?
    public let createdAt: Date
    public let decidedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, productId, item, itemId, proposer, position, anchor, rationale, state, decidedBy, decisionNote, createdAt, decidedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(productId, forKey: .productId)
        try c.encode(item, forKey: .item)
        try c.encode(item.id, forKey: .itemId)
        try c.encode(proposer, forKey: .proposer)
        try c.encode(position, forKey: .position)
        try c.encode(anchor, forKey: .anchor)
        try c.encode(rationale, forKey: .rationale)
        try c.encode(state, forKey: .state)
        try c.encode(decidedBy, forKey: .decidedBy)
        try c.encode(decisionNote, forKey: .decisionNote)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(decidedAt, forKey: .decidedAt)
    }
}

/// A planning-poker round; votes carry points only once revealed (the caller always sees their own).
public struct EstimationRoundDTO: Encodable, Sendable {
    public struct Vote: Encodable, Sendable {
        public let user: PersonRef
        public let voted: Bool
        public let points: Double?

        enum CodingKeys: String, CodingKey { case user, voted, points }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(user, forKey: .user)
            try c.encode(voted, forKey: .voted)
            try c.encode(points, forKey: .points)
        }
    }

    /// How far apart the votes are: a wide spread is the conversation to have before agreeing.
    public struct Spread: Encodable, Sendable {
        public let min: Double
        public let max: Double
        public let median: Double
        public let consensus: Bool
    }

    public let id: String
    public let itemId: String
    public let state: String
    public let openedBy: PersonRef?
    public let votes: [Vote]
    public let spread: Spread?
    public let agreedEstimate: Double?
    public let scale: [Double]
    public let createdAt: Date
    public let revealedAt: Date?
    public let closedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, itemId, state, openedBy, votes, spread, agreedEstimate, scale, createdAt, revealedAt, closedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(itemId, forKey: .itemId)
        try c.encode(state, forKey: .state)
        try c.encode(openedBy, forKey: .openedBy)
        try c.encode(votes, forKey: .votes)
        try c.encode(spread, forKey: .spread)
        try c.encode(agreedEstimate, forKey: .agreedEstimate)
        try c.encode(scale, forKey: .scale)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(revealedAt, forKey: .revealedAt)
        try c.encode(closedAt, forKey: .closedAt)
    }
}

/// The dependency graph of a product, for the API and the SVG drawing.
public struct DependencyGraphDTO: Encodable, Sendable {
    public struct Node: Encodable, Sendable {
        public let id: String
        public let ref: String
        public let title: String
        public let status: ItemStatus
        public let refinement: RefinementLevel
        public let rank: String
    }

    public struct Edge: Encodable, Sendable, Equatable {
        public let itemId: String
        public let blockedBy: String
    }

    public let nodes: [Node]
    public let edges: [Edge]
}

/// One line of an item's history.
public struct ActivityDTO: Encodable, Sendable {
    public let id: String
    public let action: String
    public let actor: PersonRef?
    public let subjectType: String
    public let subjectId: String
    public let detail: JSONValue
    public let createdAt: Date
}
