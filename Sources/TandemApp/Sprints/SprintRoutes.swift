import Foundation

/// The sprint pages' addresses: each a router pattern and the link that fills it.
extension SiteRoute {
    static func teamCalendar(_ teamID: String) -> SiteRoute { SiteRoute(fill(Pattern.teamCalendar, teamID)) }
    static func sprint(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.sprint, id)) }
    static func sprintAction(_ id: String, _ action: SprintPageAction) -> SiteRoute { SiteRoute(fill(Pattern.sprintAction(action), id)) }
    static func sprintItemRemove(_ id: String, itemID: String) -> SiteRoute { SiteRoute(fill(Pattern.sprintItemRemove, id, itemID)) }
    static func itemWork(_ itemID: String) -> SiteRoute { SiteRoute(fill(Pattern.itemWork, itemID)) }
    static func itemAssignee(_ itemID: String) -> SiteRoute { SiteRoute(fill(Pattern.itemAssignee, itemID)) }
    static func definitionOfDone(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.definitionOfDone, productID)) }
    static func sprintReview(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.sprintReview, id)) }
    static func feedback(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.feedback, productID)) }
    static func feedbackDecision(_ id: String, accept: Bool) -> SiteRoute { SiteRoute(fill(accept ? Pattern.feedbackAccept : Pattern.feedbackDecline, id)) }
    static func retrospective(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.retrospective, id)) }
    static func retrospectiveAdd(_ id: String, _ what: RetrospectiveEntry) -> SiteRoute { SiteRoute(fill(Pattern.retrospectiveAdd(what), id)) }
    static func improvementAction(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.improvementAction, id)) }
}

extension SiteRoute.Pattern {
    static let teamCalendar = "/teams/:teamId/calendar"
    static let sprint = "/sprints/:sprintId"
    static func sprintAction(_ action: SprintPageAction) -> String { "/sprints/:sprintId/" + action.rawValue }
    static let sprintItemRemove = "/sprints/:sprintId/items/:itemId/remove"
    static let itemWork = "/items/:itemId/work"
    static let itemAssignee = "/items/:itemId/assignee"
    static let definitionOfDone = "/products/:productId/definition-of-done"
    static let sprintReview = "/sprints/:sprintId/review"
    static let feedback = "/products/:productId/feedback"
    static let feedbackAccept = "/feedback/:feedbackId/accept"
    static let feedbackDecline = "/feedback/:feedbackId/decline"
    static let retrospective = "/sprints/:sprintId/retrospective"
    static func retrospectiveAdd(_ what: RetrospectiveEntry) -> String { "/sprints/:sprintId/retrospective/" + what.rawValue }
    static let improvementAction = "/improvement-actions/:actionId"
}

/// The forms of the sprint page, each posted to its own address.
enum SprintPageAction: String, CaseIterable, Sendable {
    case items, capacity, start, close, cancel, edit
}

/// What the retrospective page adds.
enum RetrospectiveEntry: String, CaseIterable, Sendable {
    case notes, actions
}
