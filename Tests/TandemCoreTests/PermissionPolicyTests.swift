import Testing
import TandemCore

@Suite("Permission policy")
struct PermissionPolicyTests {
    static let owner = ProductMembership(isProductOwner: true)
    static let scrumMasterOfA = ProductMembership(teamAccountabilities: ["A": .scrumMaster])
    static let developerOfA = ProductMembership(teamAccountabilities: ["A": .developer])
    static let stakeholder = ProductMembership(isStakeholder: true)
    static let outsider = ProductMembership()
    static let delegate = ProductMembership(isOrderingDelegate: true, teamAccountabilities: ["A": .developer])

    enum Expected: Equatable { case allowed, hidden, denied }

    @Test("decision rights", arguments: [
        (owner, ProductAction.view, Expected.allowed),
        (stakeholder, .view, .allowed),
        (outsider, .view, .hidden),
        (outsider, .createTeam, .hidden),
        (owner, .createTeam, .allowed),
        (scrumMasterOfA, .createTeam, .denied),
        (developerOfA, .createTeam, .denied),
        (owner, .manageTeamMembers(teamID: "A"), .allowed),
        (scrumMasterOfA, .manageTeamMembers(teamID: "A"), .allowed),
        (scrumMasterOfA, .manageTeamMembers(teamID: "B"), .denied),
        (developerOfA, .manageTeamMembers(teamID: "A"), .denied),
        (stakeholder, .manageTeamMembers(teamID: "A"), .denied),
        (owner, .manageProductMembers, .allowed),
        (scrumMasterOfA, .manageProductMembers, .allowed),
        (developerOfA, .manageProductMembers, .denied),
        (owner, .handOverProductOwnership, .allowed),
        (scrumMasterOfA, .handOverProductOwnership, .denied),
        (stakeholder, .createItem, .allowed),
        (stakeholder, .proposeOrder, .allowed),
        (owner, .orderBacklog, .allowed),
        (delegate, .orderBacklog, .allowed),
        (scrumMasterOfA, .orderBacklog, .denied),
        (developerOfA, .orderBacklog, .denied),
        (stakeholder, .orderBacklog, .denied),
        (owner, .decideProposal, .allowed),
        (delegate, .decideProposal, .denied),
        (scrumMasterOfA, .decideProposal, .denied),
        (owner, .sayNo, .allowed),
        (scrumMasterOfA, .sayNo, .denied),
        (developerOfA, .editItem(createdByCaller: false), .allowed),
        (stakeholder, .editItem(createdByCaller: false), .denied),
        (stakeholder, .editItem(createdByCaller: true), .allowed),
        (developerOfA, .vote, .allowed),
        (scrumMasterOfA, .vote, .denied),
        (owner, .vote, .denied),
        (stakeholder, .openEstimation, .denied),
        (developerOfA, .revealEstimation(openedByCaller: true), .allowed),
        (developerOfA, .revealEstimation(openedByCaller: false), .denied),
        (scrumMasterOfA, .revealEstimation(openedByCaller: false), .allowed),
        (owner, .manageOrderingDelegates, .allowed),
        (delegate, .manageOrderingDelegates, .denied),
        (scrumMasterOfA, .setDefinitionOfReady, .allowed),
        (developerOfA, .setDefinitionOfReady, .denied),
        // Issue 10's who-may table.
        (owner, .runSprint(teamID: "A"), .allowed),
        (scrumMasterOfA, .runSprint(teamID: "A"), .allowed),
        (developerOfA, .runSprint(teamID: "A"), .allowed),
        (developerOfA, .runSprint(teamID: "B"), .denied),
        (stakeholder, .runSprint(teamID: "A"), .denied),
        (developerOfA, .changeSprintBacklog(teamID: "A", sprintRunning: false), .allowed),
        (developerOfA, .assignSprintWork(teamID: "A"), .allowed), (scrumMasterOfA, .assignSprintWork(teamID: "A"), .allowed),
        (owner, .assignSprintWork(teamID: "A"), .denied), (stakeholder, .assignSprintWork(teamID: "A"), .denied),
        (scrumMasterOfA, .changeSprintBacklog(teamID: "A", sprintRunning: false), .allowed),
        (owner, .changeSprintBacklog(teamID: "A", sprintRunning: false), .denied),
        (developerOfA, .changeSprintBacklog(teamID: "A", sprintRunning: true), .allowed),
        (scrumMasterOfA, .changeSprintBacklog(teamID: "A", sprintRunning: true), .denied),
        (developerOfA, .changeSprintBacklog(teamID: "B", sprintRunning: true), .denied),
        (owner, .cancelSprint, .allowed),
        (scrumMasterOfA, .cancelSprint, .denied),
        (owner, .setTeamCalendar(teamID: "A"), .allowed),
        (scrumMasterOfA, .setTeamCalendar(teamID: "A"), .allowed),
        (scrumMasterOfA, .setTeamCalendar(teamID: "B"), .denied),
        (developerOfA, .setTeamCalendar(teamID: "A"), .denied),
        (owner, .recordReview(teamID: "A"), .allowed),
        (scrumMasterOfA, .recordReview(teamID: "A"), .allowed),
        (developerOfA, .recordReview(teamID: "A"), .denied),
        (developerOfA, .writeRetrospective(teamID: "A"), .allowed),
        (owner, .writeRetrospective(teamID: "A"), .allowed),
        (stakeholder, .writeRetrospective(teamID: "A"), .denied),
        (developerOfA, .setImprovementActionState(teamID: "A", ownsAction: true), .allowed),
        (developerOfA, .setImprovementActionState(teamID: "A", ownsAction: false), .denied),
        (scrumMasterOfA, .setImprovementActionState(teamID: "A", ownsAction: false), .allowed),
        (owner, .decideFeedback, .allowed),
        (scrumMasterOfA, .decideFeedback, .denied),
        // Issue 11: the partnership.
        (developerOfA, .handleImpediment(teamID: "A", ownsIt: false), .allowed),
        (stakeholder, .handleImpediment(teamID: "A", ownsIt: false), .denied),
        (stakeholder, .handleImpediment(teamID: "A", ownsIt: true), .allowed),
        (owner, .answerQuestion, .allowed),
        (delegate, .answerQuestion, .allowed),
        (scrumMasterOfA, .answerQuestion, .denied),
        (owner, .recordDecision(.product), .allowed),
        (scrumMasterOfA, .recordDecision(.product), .denied),
        (scrumMasterOfA, .recordDecision(.process), .allowed),
        (owner, .recordDecision(.process), .denied),
        (developerOfA, .recordDecision(.team), .allowed),
        (stakeholder, .recordDecision(.team), .denied),
        (developerOfA, .setWorkingAgreement(teamID: "A"), .allowed),
        (stakeholder, .setWorkingAgreement(teamID: "A"), .denied),
        (owner, .openPartnershipCheck(teamID: "A"), .allowed),
        (scrumMasterOfA, .openPartnershipCheck(teamID: "A"), .allowed),
        (developerOfA, .openPartnershipCheck(teamID: "A"), .denied),
        (scrumMasterOfA, .openPartnershipCheck(teamID: "B"), .denied),
    ])
    func decide(member: ProductMembership, action: ProductAction, expected: Expected) {
        let decision = PermissionPolicy.decide(action, for: member)
        switch (decision, expected) {
        case (.allowed, .allowed), (.hidden, .hidden): break
        case (.denied(let whoMay), .denied): #expect(!whoMay.isEmpty)
        default: Issue.record("\(action) for \(member): got \(decision), expected \(expected)")
        }
    }

    @Test func denialsNameWhoMay() {
        #expect(PermissionPolicy.decide(.createTeam, for: Self.developerOfA) == .denied(whoMay: "the Product Owner"))
        #expect(PermissionPolicy.decide(.manageTeamMembers(teamID: "A"), for: Self.developerOfA)
            == .denied(whoMay: "the Product Owner or the team's Scrum Master"))
    }

    @Test func roleConflictsAreTheProductOwnerServingAsScrumMaster() {
        let conflicts = RoleConflict.find(productOwnerID: "po", scrumMasters: [("t2", "po"), ("t1", "sam"), ("t0", "po")])
        #expect(conflicts.map(\.teamId) == ["t0", "t2"])
        #expect(conflicts.allSatisfy { $0.userId == "po" && $0.accountabilities == [.productOwner, .scrumMaster] })
        #expect(RoleConflict.find(productOwnerID: "po", scrumMasters: [("t1", "sam")]).isEmpty)
    }
}
