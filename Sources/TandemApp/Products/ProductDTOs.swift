import Foundation
import TandemCore


/// One accountability held by one person, in a product or a team.
public struct MemberDTO: Codable, Sendable, Equatable {
    public let userId: String
    public let displayName: String
    public let email: String
    public let accountability: Accountability
    public let teamId: String?
}

public struct TeamDTO: Codable, Sendable {
    public let id: String
    public let productId: String
    public let name: String
    public let scrumMaster: PersonRef?
    public let members: [MemberDTO]
    public let createdAt: Date
}

/// A product with everything its page shows: who is accountable for what, and the role conflicts.
public struct ProductDTO: Codable, Sendable {
    public let id: String
    public let name: String
    public let key: String
    public let productOwner: PersonRef
    public let teams: [TeamDTO]
    /// Product-level accountabilities: the Product Owner and the stakeholders.
    public let members: [MemberDTO]
    public let roleConflicts: [RoleConflict]
    public let createdAt: Date
}

/// One line of the product list.
public struct ProductSummaryDTO: Codable, Sendable {
    public let id: String
    public let name: String
    public let key: String
    public let productOwner: PersonRef
    /// What the caller holds in this product, for the list to show.
    public let accountabilities: [Accountability]
}
