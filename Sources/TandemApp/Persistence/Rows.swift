import TandemCore
import Foundation
import PostgresNIO
import SQLKit
import SQLiteNIO

/// Shared row coding: Swift names in camelCase, columns in snake_case.
///
/// SQLKit's own snake-case strategies spent 20% of a backlog request's CPU in Unicode property lookups
/// (`perf`: `_swift_stdlib_getBinaryProperties`), so the ASCII-only conversion below is used instead.
enum RowCoding {
    static let decoder = SQLRowDecoder(keyDecodingStrategy: .custom { path in ColumnKey(snakeCase(path[path.count - 1].stringValue)) })
    /// Writes nil as NULL: SQLKit's default leaves nil columns out, so an update could never clear a column.
    static let encoder = SQLQueryEncoder(
        keyEncodingStrategy: .custom { path in ColumnKey(snakeCase(path[path.count - 1].stringValue)) }, nilEncodingStrategy: .asNil
    )

    /// `createdAt` → `created_at`; our property names are ASCII camelCase.
    static func snakeCase(_ name: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + 4)
        for byte in name.utf8 {
            if byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                if !bytes.isEmpty { bytes.append(UInt8(ascii: "_")) }
                bytes.append(byte + 32)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    struct ColumnKey: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }


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
        try await first().map { try RowCoding.decode($0, as: T.self) }
    }

    func all<T: Decodable>(_ type: T.Type) async throws -> [T] {
        try await all().map { try RowCoding.decode($0, as: T.self) }
    }
}

/// A row type that reads itself column by column instead of through Codable, for the rows read most often.
protocol RowDecodable {
    init(row: any SQLRow) throws
}

extension RowCoding {
    /// Decodes a stored row; a value the code does not know (a status, a kind) is an error naming the row and the
    /// column, never a silent default.
    static func decode<T: Decodable>(_ row: any SQLRow, as type: T.Type) throws -> T {
        if let direct = T.self as? any RowDecodable.Type, let value = try direct.init(row: row) as? T { return value }
        do {
            return try row.decode(model: T.self, with: decoder)
        } catch let error as DecodingError {
            // try?: only names the row in the error being thrown; a row without a readable id says "?".
            let id = (try? row.decode(column: "id", as: String.self)) ?? "?"
            let column: String
            switch error {
            case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                column = context.codingPath.last.map { snakeCase($0.stringValue) } ?? "?"
            case .keyNotFound(let key, _):
                column = snakeCase(key.stringValue)
            @unknown default:
                column = "?"
            }
            throw DomainError(
                .inconsistent, code: "unreadable_row",
                message: "The stored \(T.self) \(id) has a value in \(column) that this version of Tandem does not know."
            )
        }
    }
}

extension SQLDatabase {
    func insert(_ table: String, _ row: some Encodable) async throws {
        try await self.insert(into: table).model(row, with: RowCoding.encoder).run()
    }
}
