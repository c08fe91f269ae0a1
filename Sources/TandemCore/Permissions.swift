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

    public func isDeveloper(ofTeam teamID: String) -> Bool { teamAccountabilities[teamID] == .developer }

    /// The team's Scrum Team: its Scrum Master and Developers, and the product's Product Owner.
    public func isScrumTeamMember(ofTeam teamID: String) -> Bool { isProductOwner || teamAccountabilities[teamID] != nil }

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
    /// The product's direction: its vision, Product Goals and releases; also its Definition of Done.
    case setProductDirection
    /// Create and edit a planned sprint, record capacity, start and close it.
    case runSprint(teamID: String)
    /// Add or remove Sprint Backlog items and move their work: the Developers own the Sprint Backlog once it runs.
    case changeSprintBacklog(teamID: String, sprintRunning: Bool)
    /// Say who took an item of the Sprint Backlog: the team's Developers (who do the work) and its Scrum Master.
    case assignSprintWork(teamID: String)
    /// The Scrum Guide gives the Product Owner alone the right to cancel a sprint.
    case cancelSprint
    case setTeamCalendar(teamID: String)
    case recordReview(teamID: String)
    case writeRetrospective(teamID: String)
    case setImprovementActionState(teamID: String, ownsAction: Bool)
    /// Accept stakeholders' feedback into the backlog or decline it.
    case decideFeedback
    /// Work on, hand over, resolve or escalate an impediment: the team's Scrum Team, and whoever owns it.
    case handleImpediment(teamID: String, ownsIt: Bool)
    /// Answer the team's questions about the product: the Product Owner and those they delegated ordering to.
    case answerQuestion
    /// Record a decision in the log; product decisions are the Product Owner's, process ones a Scrum Master's.
    case recordDecision(DecisionAccountability)
    case setWorkingAgreement(teamID: String)
    /// Open a partnership health check: the two partners themselves.
    case openPartnershipCheck(teamID: String)
    /// Set where the product's changes are sent, and see the deliveries: the two partners, who answer for what leaves.
    case manageWebhooks
    /// Take the whole product away as one document: the Product Owner, who answers for the product.
    case exportProduct
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
        case .manageProductMembers, .manageWebhooks:
            return member.isProductOwner || member.isAnyScrumMaster
                ? .allowed : .denied(whoMay: "the Product Owner or a Scrum Master of one of the product's teams")
        case .handOverProductOwnership:
            return member.isProductOwner ? .allowed : .denied(whoMay: "the current Product Owner")
        case .createItem, .proposeOrder:
            return .allowed
        case .orderBacklog:
            return member.isProductOwner || member.isOrderingDelegate
                ? .allowed : .denied(whoMay: "the Product Owner (or someone they delegated ordering to)")
        case .decideProposal, .sayNo, .manageOrderingDelegates, .setProductDirection, .cancelSprint, .decideFeedback, .exportProduct:
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
        case .runSprint(let teamID):
            return member.isScrumTeamMember(ofTeam: teamID)
                ? .allowed : .denied(whoMay: "the team's Scrum Master and Developers and the Product Owner")
        case .changeSprintBacklog(let teamID, let running):
            if running {
                return member.isDeveloper(ofTeam: teamID) ? .allowed : .denied(whoMay: "the team's Developers, who own the Sprint Backlog once the sprint runs")
            }
            return member.isDeveloper(ofTeam: teamID) || member.isScrumMaster(ofTeam: teamID)
                ? .allowed : .denied(whoMay: "the team's Developers and Scrum Master")
        case .assignSprintWork(let teamID):
            return member.isDeveloper(ofTeam: teamID) || member.isScrumMaster(ofTeam: teamID)
                ? .allowed : .denied(whoMay: "the team's Developers and Scrum Master")
        case .setTeamCalendar(let teamID), .recordReview(let teamID):
            return member.isProductOwner || member.isScrumMaster(ofTeam: teamID)
                ? .allowed : .denied(whoMay: "the Product Owner and the team's Scrum Master")
        case .writeRetrospective(let teamID):
            return member.isScrumTeamMember(ofTeam: teamID) ? .allowed : .denied(whoMay: "the team's Scrum Team")
        case .setImprovementActionState(let teamID, let ownsAction):
            return ownsAction || member.isScrumMaster(ofTeam: teamID)
                ? .allowed : .denied(whoMay: "the action's owner and the team's Scrum Master")
        case .handleImpediment(let teamID, let ownsIt):
            return ownsIt || member.isScrumTeamMember(ofTeam: teamID) ? .allowed : .denied(whoMay: "the team's Scrum Team and the impediment's owner")
        case .answerQuestion:
            return member.isProductOwner || member.isOrderingDelegate
                ? .allowed : .denied(whoMay: "the Product Owner (or someone they delegated ordering to)")
        case .recordDecision(let accountability):
            switch accountability {
            case .product: return member.isProductOwner ? .allowed : .denied(whoMay: "the Product Owner, for product decisions")
            case .process: return member.isAnyScrumMaster ? .allowed : .denied(whoMay: "a Scrum Master, for process decisions")
            case .team: return member.isScrumTeamMember ? .allowed : .denied(whoMay: "the Scrum Team")
            }
        case .setWorkingAgreement(let teamID):
            return member.isScrumTeamMember(ofTeam: teamID) ? .allowed : .denied(whoMay: "the team's Scrum Team")
        case .openPartnershipCheck(let teamID):
            return member.isProductOwner || member.isScrumMaster(ofTeam: teamID)
                ? .allowed : .denied(whoMay: "the Product Owner and the team's Scrum Master")
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
