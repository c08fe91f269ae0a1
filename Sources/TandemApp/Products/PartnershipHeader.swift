import Foundation
import SQLKit
import TandemCore

/// The partnership at the top of every product page: the active Product Goal, the Product Owner and each team's
/// Scrum Master side by side, and what is missing (a team without a Scrum Master, one person holding both).
public struct PartnershipHeader: Sendable {
    public struct Team: Sendable, Decodable {
        public let team: String
        public let teamId: String
        public let sm: String?
        public let smId: String?
    }
    public let activeGoal: String?
    public let productOwnerName: String
    public let productOwnerID: String
    public let teams: [Team]

    /// Extra columns of the access query: scalar subqueries, so the header costs no statement of its own.
    static func columns(_ db: any SQLDatabase) -> SQLQueryString {
        let teams: String = db.dialect.name == "postgresql"
            ? "(SELECT COALESCE(json_agg(json_build_object('team', t.name, 'teamId', t.id, 'sm', u.display_name, 'smId', u.id) ORDER BY t.name), '[]'::json)::text"
            : "(SELECT json_group_array(json_object('team', t.name, 'teamId', t.id, 'sm', u.display_name, 'smId', u.id))"
        return """
            , (SELECT g.statement FROM product_goals g WHERE g.product_id = p.id AND g.state = 'active') AS header_goal,
            (SELECT o.display_name FROM users o WHERE o.id = p.product_owner_id) AS header_owner,
            \(unsafeRaw: teams) FROM teams t LEFT JOIN team_members tm ON tm.team_id = t.id AND tm.accountability = 'scrumMaster'
                LEFT JOIN users u ON u.id = tm.user_id WHERE t.product_id = p.id) AS header_teams
            """
    }

    init(row: any SQLRow, productOwnerID: String) throws {
        activeGoal = try row.decodeNil(column: "header_goal") ? nil : try row.decode(column: "header_goal", as: String.self)
        productOwnerName = try row.decodeNil(column: "header_owner") ? "(removed)" : try row.decode(column: "header_owner", as: String.self)
        self.productOwnerID = productOwnerID
        let json = try row.decodeNil(column: "header_teams") ? "[]" : try row.decode(column: "header_teams", as: String.self)
        let decoded: [Team]
        do { decoded = try JSONDecoder().decode([Team].self, from: Data(json.utf8)) } catch {
            throw DomainError(.inconsistent, code: "unreadable_row", message: "The product's teams could not be read: \(error)")
        }
        teams = decoded.sorted { ($0.team, $0.sm ?? "") < ($1.team, $1.sm ?? "") }
    }

    /// Teams without a Scrum Master, and teams whose Scrum Master is the Product Owner.
    public var teamsWithoutScrumMaster: [String] {
        Set(teams.map(\.teamId)).filter { id in !teams.contains { $0.teamId == id && $0.smId != nil } }
            .compactMap { id in teams.first { $0.teamId == id }?.team }.sorted()
    }
    public var conflictedTeams: [String] {
        let names = Dictionary(teams.map { ($0.teamId, $0.team) }, uniquingKeysWith: { first, _ in first })
        let masters = teams.compactMap { team in team.smId.map { (teamID: team.teamId, userID: $0) } }
        return RoleConflict.find(productOwnerID: productOwnerID, scrumMasters: masters).compactMap { names[$0.teamId] }.sorted()
    }

    /// The header as a page shows it.
    var node: BodyNode {
        let masters = teams.filter { $0.sm != nil }
        var banners: [BodyNode] = []
        if !conflictedTeams.isEmpty {
            banners.append(H.el("p", ["class": "flash warning small", "role": "note"], text: "Role conflict: \(productOwnerName) is both the Product Owner and the Scrum Master of \(conflictedTeams.joined(separator: ", ")). Nobody then coaches the Product Owner or stands for the team's process."))
        }
        if !teamsWithoutScrumMaster.isEmpty {
            banners.append(H.el("p", ["class": "flash warning small", "role": "note"], text: "No Scrum Master in \(teamsWithoutScrumMaster.joined(separator: ", ")): nobody is accountable for the team's process."))
        }
        return H.el("section", ["class": "partnership-header", "aria-label": "The partnership"], [
            H.el("p", ["class": "goal small"], [H.el("strong", text: "Product Goal: "), .text(activeGoal ?? "none active")]),
            H.el("p", ["class": "pair small"], [
                H.el("span", [H.el("strong", text: "Product Owner "), .text(productOwnerName)]),
                H.el("span", [H.el("strong", text: masters.count > 1 ? "Scrum Masters " : "Scrum Master "),
                              .text(masters.isEmpty ? "none" : masters.map { teams.count > 1 ? "\($0.sm ?? "") (\($0.team))" : ($0.sm ?? "") }.joined(separator: ", "))]),
            ]),
        ] + banners)
    }
}

extension ProductAccess {
    /// The header node for a page that loaded it; empty otherwise.
    var headerNode: BodyNode { header?.node ?? .empty }
}
