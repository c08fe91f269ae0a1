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
    @NullEncodable public var estimate: Double?
    public let rank: String
    public let version: Int64
    public let warnings: [ItemWarning]
    public let description: String
    public let acceptanceCriteria: String
    public let readiness: [Bool]
    @NullEncodable public var businessValue: Int?
    @NullEncodable public var timeCriticality: Int?
    @NullEncodable public var riskReduction: Int?
    @NullEncodable public var wsjf: Double?
    @NullEncodable public var parentId: String?
    /// The Product Goal the item serves, and the release it belongs to.
    @NullEncodable public var productGoalId: String? = nil
    @NullEncodable public var releaseId: String? = nil
    @NullEncodable public var declineReason: String?
    /// The Sprint Backlog the item is in, its work state there, and its Definition of Done ticks.
    @NullEncodable public var sprintId: String? = nil
    @NullEncodable public var workState: WorkState? = nil
    public var doneChecks: [Bool] = []
    /// Who took it in its sprint.
    @NullEncodable public var assigneeId: String? = nil
    public let blockedBy: [ItemRefDTO]
    public let blocks: [ItemRefDTO]
    @NullEncodable public var createdBy: PersonRef?
    public let createdAt: Date
    public let updatedAt: Date

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
        guard given == 1 else { throw DomainError.invalid(field: "position", "give exactly one of before, after or to") }
        if let before { return .before(before) }
        if let after { return .after(after) }
        switch to {
        case "top": return .top
        case "bottom": return .bottom
        default: throw DomainError.invalid(field: "to", "must be \"top\" or \"bottom\"")
        }
    }
}

/// An ordering proposal: how someone who may not move an item asks the Product Owner to.
public struct ProposalDTO: Encodable, Sendable {
    public let id: String
    public let productId: String
    public let item: ItemRefDTO
    public let itemId: String
    @NullEncodable public var proposer: PersonRef?
    public let position: PositionDTO
    @NullEncodable public var anchor: ItemRefDTO?
    public let rationale: String
    public let state: ProposalState
    @NullEncodable public var decidedBy: PersonRef?
    @NullEncodable public var decisionNote: String?
    public let createdAt: Date
    @NullEncodable public var decidedAt: Date?

}

/// A planning-poker round; votes carry points only once revealed (the caller always sees their own).
public struct EstimationRoundDTO: Encodable, Sendable {
    public struct Vote: Encodable, Sendable {
        public let user: PersonRef
        public let voted: Bool
        @NullEncodable public var points: Double?

    }

    /// How far apart the votes are: a wide spread is the conversation to have before agreeing.
    public struct Spread: Encodable, Sendable {
        public let min: Double
        public let max: Double
        public let median: Double
        public let consensus: Bool
        /// Where to start agreeing: the median (the higher middle vote when even), rounded up to the scale.
        public let suggestedEstimate: Double
        /// The highest vote is at least three times the lowest non-zero one: worth a conversation before agreeing.
        public let wideSpread: Bool
    }

    public let id: String
    public let itemId: String
    public let state: EstimationRoundState
    @NullEncodable public var openedBy: PersonRef?
    public let votes: [Vote]
    /// The product's Developers who have not voted yet, while the round is open.
    public let waitingFor: [PersonRef]
    /// The product's Developers without a vote, also once revealed (when nobody is waited for any more).
    public let notVoted: [PersonRef]
    @NullEncodable public var spread: Spread?
    @NullEncodable public var agreedEstimate: Double?
    public let scale: [Double]
    public let createdAt: Date
    @NullEncodable public var revealedAt: Date?
    @NullEncodable public var closedAt: Date?

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
