import Foundation

/// The partnership pages' addresses.
extension SiteRoute {
    static func questions(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.questions, productID)) }
    static func answerQuestion(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.answerQuestion, id)) }
    static func decisions(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.decisions, productID)) }
    static func impediments(_ teamID: String) -> SiteRoute { SiteRoute(fill(Pattern.impediments, teamID)) }
    static func impediment(_ id: String, _ action: ImpedimentPageAction) -> SiteRoute { SiteRoute(fill(Pattern.impediment(action), id)) }
    static func workingAgreement(_ teamID: String, agree: Bool = false) -> SiteRoute { SiteRoute(fill(agree ? Pattern.agreeWorkingAgreement : Pattern.workingAgreement, teamID)) }
    static func partnershipChecks(_ teamID: String) -> SiteRoute { SiteRoute(fill(Pattern.partnershipChecks, teamID)) }
    static func partnershipCheck(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.partnershipCheck, id)) }
    static let readAllNotifications = SiteRoute("/notifications/read-all")
    static func openNotification(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.openNotification, id)) }
}

extension SiteRoute.Pattern {
    static let questions = "/products/:productId/questions"
    static let answerQuestion = "/questions/:questionId/answer"
    static let decisions = "/products/:productId/decisions"
    static let impediments = "/teams/:teamId/impediments"
    static func impediment(_ action: ImpedimentPageAction) -> String { "/impediments/:impedimentId/" + action.rawValue }
    static let workingAgreement = "/teams/:teamId/working-agreement"
    static let agreeWorkingAgreement = "/teams/:teamId/working-agreement/agree"
    static let partnershipChecks = "/teams/:teamId/partnership-checks"
    static let partnershipCheck = "/partnership-checks/:checkId"
    static let openNotification = "/notifications/:notificationId/open"
}

/// The forms an impediment carries on the team's partnership page.
enum ImpedimentPageAction: String, CaseIterable, Sendable {
    case update, escalate
}
