import Foundation

/// The backlog and item pages' addresses: each a router pattern and the link that fills it.
extension SiteRoute {
    static func backlog(_ id: String, query: String = "") -> SiteRoute { SiteRoute(fill(Pattern.backlog, id) + (query.isEmpty ? "" : "?" + query)) }
    /// The backlog as the page filters it, as CSV.
    static func backlogCSV(_ id: String, query: String = "") -> SiteRoute { SiteRoute(fill(Pattern.backlogCSV, id) + (query.isEmpty ? "" : "?" + query)) }
    static func backlogItems(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.backlogItems, id)) }
    static func backlogReorder(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.backlogReorder, id)) }
    static func definitionOfReady(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.definitionOfReady, id)) }
    static func item(_ ref: String, query: String = "") -> SiteRoute { SiteRoute(fill(Pattern.item, ref) + (query.isEmpty ? "" : "?" + query)) }
    static func itemEdit(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.itemEdit, id)) }
    static func itemMove(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.itemMove, id)) }
    static func itemPropose(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.itemPropose, id)) }
    static func itemDecline(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.itemDecline, id)) }
    static func itemDelete(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.itemDelete, id)) }
    static func itemReopen(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.itemReopen, id)) }
    static func proposalWithdraw(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.proposalWithdraw, id)) }
    static func itemDependencies(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.itemDependencies, id)) }
    static func removeDependency(itemID: String, blockerID: String) -> SiteRoute { SiteRoute(fill(Pattern.removeDependency, itemID, blockerID)) }
    static func estimation(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.estimation, id)) }
    static func estimationAction(itemID: String, roundID: String, action: String) -> SiteRoute { SiteRoute(fill(Pattern.estimationAction, itemID, roundID, action)) }
    static func proposalDecision(_ id: String, accept: Bool) -> SiteRoute { SiteRoute(fill(accept ? Pattern.proposalAccept : Pattern.proposalDecline, id)) }
}

extension SiteRoute.Pattern {
    static let backlog = "/products/:productId/backlog"
    static let backlogCSV = "/products/:productId/backlog.csv"
    static let backlogItems = "/products/:productId/backlog/items"
    static let backlogReorder = "/products/:productId/backlog/reorder"
    static let definitionOfReady = "/products/:productId/definition-of-ready"
    static let item = "/items/:itemId"
    static let itemEdit = "/items/:itemId/edit"
    static let itemMove = "/items/:itemId/move"
    static let itemPropose = "/items/:itemId/proposals"
    static let itemDecline = "/items/:itemId/decline"
    static let itemDelete = "/items/:itemId/delete"
    static let itemReopen = "/items/:itemId/reopen"
    static let proposalWithdraw = "/proposals/:proposalId/withdraw"
    static let itemDependencies = "/items/:itemId/dependencies"
    static let removeDependency = "/items/:itemId/dependencies/:blockerId/remove"
    static let estimation = "/items/:itemId/estimation"
    static let estimationAction = "/items/:itemId/estimation/:roundId/:action"
    static let proposalAccept = "/proposals/:proposalId/accept"
    static let proposalDecline = "/proposals/:proposalId/decline"
}
