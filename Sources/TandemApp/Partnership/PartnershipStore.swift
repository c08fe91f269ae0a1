import Foundation
import SQLKit
import TandemCore

/// Reading rows the partnership services share: optional columns, people, dates.
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
    /// A stored enum value; an unknown one names the row and column rather than guessing.
    func known<E: RawRepresentable>(_ column: String, as type: E.Type, in table: String) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: try text(column)) else {
            throw DomainError(.inconsistent, code: "unreadable_row", message: "A stored \(table) row has a value in \(column) that this version of Tandem does not know.")
        }
        return value
    }
}

/// A team with its Scrum Master and the caller's access, as the partnership needs it.
struct TeamPartnership: Sendable {
    let teamID: String
    let teamName: String
    let productID: String
    let productOwnerID: String
    let scrumMasterID: String?
    let access: ProductAccess

    static func load(_ teamID: String, userID: String, on db: any SQLDatabase) async throws -> TeamPartnership {
        let (team, access) = try await SprintStore.team(teamID, userID: userID, on: db)
        let scrumMaster = try await db.select().column("user_id").from("team_members").where("team_id", .equal, teamID)
            .where("accountability", .equal, Accountability.scrumMaster.rawValue).orderBy("created_at").first()
            .map { try $0.decode(column: "user_id", as: String.self) }
        return TeamPartnership(
            teamID: teamID, teamName: team.name, productID: team.productId, productOwnerID: access.product.productOwnerId,
            scrumMasterID: scrumMaster, access: access
        )
    }
}
