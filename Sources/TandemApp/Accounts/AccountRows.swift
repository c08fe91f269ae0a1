import Foundation

/// A stored person; `passwordHash` never leaves the server.
public struct UserRow: Codable, Sendable, Equatable {
    public var id: String
    public var email: String
    public var emailNormalized: String
    public var displayName: String
    public var passwordHash: String
    public var createdAt: Int64
    public var updatedAt: Int64
}

/// A login session or a named API token, stored only as a SHA-256 hash.
struct AuthTokenRow: Codable, Sendable {
    var id: String
    var userId: String
    var tokenHash: String
    var kind: String
    var name: String?
    var createdAt: Int64
    var expiresAt: Int64?
}

extension UserRow {
    /// The person as a request carries them.
    var person: Identity.User { Identity.User(id: id, email: email, displayName: displayName, createdAt: createdAt) }
}
