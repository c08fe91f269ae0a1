import Foundation

/// The account as its owner sees it.
public struct UserDTO: Codable, Sendable {
    public let id: String
    public let email: String
    public let displayName: String
    public let createdAt: Date

    init(_ user: Identity.User) {
        id = user.id
        email = user.email
        displayName = user.displayName
        createdAt = Clock.date(user.createdAt)
    }

    init(_ row: UserRow) { self.init(row.person) }
}
