import Foundation
import SQLKit
import TandemCore

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
