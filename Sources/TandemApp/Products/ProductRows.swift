import Foundation

/// A stored product; its Product Owner is a column, so there is always exactly one.
struct ProductRow: Codable, Sendable {
    var id: String
    var name: String
    var key: String
    var productOwnerId: String
    var createdAt: Int64
    var updatedAt: Int64
}

struct ProductMemberRow: Codable, Sendable {
    var productId: String
    var userId: String
    var accountability: String
    var createdAt: Int64
}

struct TeamRow: Codable, Sendable {
    var id: String
    var productId: String
    var name: String
    var createdAt: Int64
}

struct TeamMemberRow: Codable, Sendable {
    var teamId: String
    var userId: String
    var accountability: String
    var createdAt: Int64
}
