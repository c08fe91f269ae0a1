/// What one person holds in one product: the input of every permission decision.
public struct ProductMembership: Sendable, Equatable {
    public var isProductOwner: Bool
    public var isStakeholder: Bool
    /// Named by the Product Owner to order the backlog on their behalf; the Product Owner stays accountable.
    public var isOrderingDelegate: Bool
    /// Team id → the accountability held in that team.
    public var teamAccountabilities: [String: Accountability]

    public init(
        isProductOwner: Bool = false, isStakeholder: Bool = false, isOrderingDelegate: Bool = false,
        teamAccountabilities: [String: Accountability] = [:]
    ) {
        self.isProductOwner = isProductOwner
        self.isStakeholder = isStakeholder
        self.isOrderingDelegate = isOrderingDelegate
        self.teamAccountabilities = teamAccountabilities
    }

    /// Outsiders see nothing of a product (404, so its existence does not leak).
    public var isMember: Bool { isProductOwner || isStakeholder || !teamAccountabilities.isEmpty }

    public var isAnyScrumMaster: Bool { teamAccountabilities.values.contains(.scrumMaster) }

    public func isScrumMaster(ofTeam teamID: String) -> Bool { teamAccountabilities[teamID] == .scrumMaster }

    public var isDeveloper: Bool { teamAccountabilities.values.contains(.developer) }

    /// The Scrum Team of the product: Product Owner, Scrum Masters and Developers (not stakeholders).
    public var isScrumTeamMember: Bool { isProductOwner || !teamAccountabilities.isEmpty }
}

/// Things a person may try in a product that not every member may do.
public enum ProductAction: Sendable, Equatable {
    case view
    case createTeam
    case manageTeamMembers(teamID: String)
    case manageProductMembers
    case handOverProductOwnership
    /// Create a backlog item at the bottom; everyone in the product may.
    case createItem
    /// Decide the order: move items, place new ones anywhere but the bottom, reorder many at once.
    case orderBacklog
    /// Accept or decline an ordering proposal: the Product Owner alone, delegates and Scrum Master included.
    case decideProposal
    case proposeOrder
    /// Edit an item's content, estimate, refinement and dependencies.
    case editItem(createdByCaller: Bool)
    /// Delete or decline (say no to) an item.
    case sayNo
    case manageOrderingDelegates
    case setDefinitionOfReady
    case openEstimation
    case vote
    case revealEstimation(openedByCaller: Bool)
    /// The product's direction: its vision, Product Goals and releases.
    case setProductDirection
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
        case .createItem, .proposeOrder:
            return .allowed
        case .orderBacklog:
            return member.isProductOwner || member.isOrderingDelegate
                ? .allowed : .denied(whoMay: "the Product Owner (or someone they delegated ordering to)")
        case .decideProposal, .sayNo, .manageOrderingDelegates, .setProductDirection:
            return member.isProductOwner ? .allowed : .denied(whoMay: "the Product Owner")
        case .editItem(let createdByCaller):
            return member.isScrumTeamMember || createdByCaller
                ? .allowed : .denied(whoMay: "the Scrum Team (stakeholders may edit the items they created)")
        case .setDefinitionOfReady:
            return member.isProductOwner || member.isAnyScrumMaster
                ? .allowed : .denied(whoMay: "the Product Owner or a Scrum Master")
        case .openEstimation:
            return member.isScrumTeamMember ? .allowed : .denied(whoMay: "the Scrum Team")
        case .vote:
            return member.isDeveloper ? .allowed : .denied(whoMay: "the Developers, who do the work")
        case .revealEstimation(let openedByCaller):
            return openedByCaller || member.isAnyScrumMaster
                ? .allowed : .denied(whoMay: "whoever opened the round or a Scrum Master")
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
