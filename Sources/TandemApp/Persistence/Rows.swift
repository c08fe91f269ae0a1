import Foundation
import PostgresNIO
import SQLKit
import SQLiteNIO

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

/// Shared row coding: Swift names in camelCase, columns in snake_case.
enum RowCoding {
    static let decoder = SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase)
    static let encoder = SQLQueryEncoder(keyEncodingStrategy: .convertToSnakeCase)

    static func newID() -> String { UUID().uuidString.lowercased() }
    static func now() -> Int64 { Clock.millis(Date()) }

    /// A unique index refused the row: two requests raced for the same email, key or name.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? SQLiteError {
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
                || (error.reason == .constraint && error.message.contains("UNIQUE"))
        }
        if let error = error as? PSQLError { return error.serverInfo?[.sqlState] == "23505" }
        return false
    }
}

extension SQLQueryFetcher {
    func first<T: Decodable>(_ type: T.Type) async throws -> T? {
        try await first(decoding: T.self, with: RowCoding.decoder)
    }

    func all<T: Decodable>(_ type: T.Type) async throws -> [T] {
        try await all(decoding: T.self, with: RowCoding.decoder)
    }
}

extension SQLDatabase {
    func insert(_ table: String, _ row: some Encodable) async throws {
        try await self.insert(into: table).model(row, with: RowCoding.encoder).run()
    }
}
