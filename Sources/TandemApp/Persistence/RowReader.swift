import Foundation
import SQLKit
import TandemCore

/// Reading raw rows the way every feature needs: optional columns, people, dates, stored enum values.
struct RowReader {
    let row: any SQLRow

    func text(_ column: String) throws -> String { try row.decode(column: column, as: String.self) }
    func optionalText(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : try text(column) }
    func integer(_ column: String) throws -> Int64 { try row.decode(column: column, as: Int64.self) }
    func optionalInteger(_ column: String) throws -> Int64? { try row.decodeNil(column: column) ? nil : try integer(column) }
    func date(_ column: String) throws -> Date { Clock.date(try integer(column)) }
    func optionalDate(_ column: String) throws -> Date? { try optionalInteger(column).map(Clock.date) }
    /// `idColumn` with the display name in `nameColumn`, or nil when the person is unset.
    func person(_ idColumn: String, _ nameColumn: String) throws -> PersonRef? {
        try optionalText(idColumn).map { PersonRef(id: $0, displayName: try optionalText(nameColumn) ?? "(removed)") }
    }
    /// A column holding JSON; one that does not decode names the row's table and column, never reads as empty.
    func json<T: Decodable>(_ column: String, as type: T.Type, in table: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(try text(column).utf8)) } catch let error as DomainError { throw error } catch {
            throw DomainError(.inconsistent, code: "unreadable_row", message: "A stored \(table) row has \(column) in a form this version of Tandem cannot read.")
        }
    }
    /// A stored enum value; an unknown one names the row and column rather than guessing.
    func known<E: RawRepresentable>(_ column: String, as type: E.Type, in table: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: try text(column)) else {
            throw DomainError(.inconsistent, code: "unreadable_row", message: "A stored \(table) row has a value in \(column) that this version of Tandem does not know.")
        }
        return value
    }
}
