/// What one person holds in one product: the input of every permission decision.
public struct ProductMembership: Sendable, Equatable {
    public var isProductOwner: Bool
    public var isStakeholder: Bool
    /// Team id → the accountability held in that team.
    public var teamAccountabilities: [String: Accountability]

    public init(isProductOwner: Bool = false, isStakeholder: Bool = false, teamAccountabilities: [String: Accountability] = [:]) {
        self.isProductOwner = isProductOwner
        self.isStakeholder = isStakeholder
        self.teamAccountabilities = teamAccountabilities
    }

    /// Outsiders see nothing of a product (404, so its existence does not leak).
    public var isMember: Bool { isProductOwner || isStakeholder || !teamAccountabilities.isEmpty }

    public var isAnyScrumMaster: Bool { teamAccountabilities.values.contains(.scrumMaster) }

    public func isScrumMaster(ofTeam teamID: String) -> Bool { teamAccountabilities[teamID] == .scrumMaster }
}

/// Things a person may try in a product that not every member may do.
public enum ProductAction: Sendable, Equatable {
    case view
    case createTeam
    case manageTeamMembers(teamID: String)
    case manageProductMembers
    case handOverProductOwnership
}

/// The answer of the permission policy; a denial says who may, because the API's 403 names them.
public enum PermissionDecision: Sendable, Equatable {
    case allowed
    /// Not a member at all: answered as "not found".
    case hidden
    case denied(whoMay: String)
}

/// The decision rights of DESIGN.md section 1 as one pure function, so pages and API cannot disagree.
public enum PermissionPolicy {
    public static func decide(_ action: ProductAction, for member: ProductMembership) -> PermissionDecision {
        guard member.isMember else { return .hidden }
        switch action {
        case .view:
            return .allowed
        case .createTeam:
            return member.isProductOwner ? .allowed : .denied(whoMay: "the Product Owner")
        case .manageTeamMembers(let teamID):
            return member.isProductOwner || member.isScrumMaster(ofTeam: teamID)
                ? .allowed : .denied(whoMay: "the Product Owner or the team's Scrum Master")
        case .manageProductMembers:
            return member.isProductOwner || member.isAnyScrumMaster
                ? .allowed : .denied(whoMay: "the Product Owner or a Scrum Master of one of the product's teams")
        case .handOverProductOwnership:
            return member.isProductOwner ? .allowed : .denied(whoMay: "the current Product Owner")
        }
    }
}

/// One person holding both the product and the process accountability for one team.
public struct RoleConflict: Sendable, Equatable, Codable {
    public let userId: String
    public let teamId: String
    public let accountabilities: [Accountability]

    public init(userId: String, teamId: String) {
        self.userId = userId
        self.teamId = teamId
        self.accountabilities = [.productOwner, .scrumMaster]
    }

    /// The seeds warn that combining the roles neglects duties of both: Tandem allows it and flags it.
    public static func find(productOwnerID: String, scrumMasters: [(teamID: String, userID: String)]) -> [RoleConflict] {
        scrumMasters
            .filter { $0.userID == productOwnerID }
            .map { RoleConflict(userId: $0.userID, teamId: $0.teamID) }
            .sorted { $0.teamId < $1.teamId }
    }
}
