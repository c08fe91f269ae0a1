import Foundation

/// Every page address in one place: handlers register the patterns and templates build links from the cases.
enum SiteRoute: Equatable {
    case home
    case login
    /// The login page, returning to `path` afterwards.
    case loginThen(String)
    case signup
    case logout
    case products
    case product(String)
    case productTeams(String)
    case productMembers(String)
    case removeProductMember(productID: String, userID: String)
    case handOver(String)
    case teamMembers(String)
    case removeTeamMember(teamID: String, userID: String)
    case backlog(String, query: String = "")
    case backlogItems(String)
    case backlogReorder(String)
    case definitionOfReady(String)
    case item(String)
    case itemEdit(String)
    case itemMove(String)
    case itemPropose(String)
    case itemDecline(String)
    case itemDelete(String)
    case itemDependencies(String)
    case removeDependency(itemID: String, blockerID: String)
    case estimation(String)
    case estimationAction(itemID: String, roundID: String, action: String)
    case proposalDecision(String, accept: Bool)
    case stylesheet
    case script

    /// The address of a page: its pattern (below) with the values filled in, so links and routes share one list.
    var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .loginThen(let path):
            path == "/" ? "/login" : "/login?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._~"))) ?? "")
        case .signup: "/signup"
        case .logout: "/logout"
        case .products: "/products"
        case .product(let id): Self.fill(Pattern.product, id)
        case .productTeams(let id): Self.fill(Pattern.productTeams, id)
        case .productMembers(let id): Self.fill(Pattern.productMembers, id)
        case .removeProductMember(let productID, let userID): Self.fill(Pattern.removeProductMember, productID, userID)
        case .handOver(let id): Self.fill(Pattern.handOver, id)
        case .teamMembers(let id): Self.fill(Pattern.teamMembers, id)
        case .removeTeamMember(let teamID, let userID): Self.fill(Pattern.removeTeamMember, teamID, userID)
        case .backlog(let id, let query): Self.fill(Pattern.backlog, id) + (query.isEmpty ? "" : "?" + query)
        case .backlogItems(let id): Self.fill(Pattern.backlogItems, id)
        case .backlogReorder(let id): Self.fill(Pattern.backlogReorder, id)
        case .definitionOfReady(let id): Self.fill(Pattern.definitionOfReady, id)
        case .item(let ref): Self.fill(Pattern.item, ref)
        case .itemEdit(let id): Self.fill(Pattern.itemEdit, id)
        case .itemMove(let id): Self.fill(Pattern.itemMove, id)
        case .itemPropose(let id): Self.fill(Pattern.itemPropose, id)
        case .itemDecline(let id): Self.fill(Pattern.itemDecline, id)
        case .itemDelete(let id): Self.fill(Pattern.itemDelete, id)
        case .itemDependencies(let id): Self.fill(Pattern.itemDependencies, id)
        case .removeDependency(let itemID, let blockerID): Self.fill(Pattern.removeDependency, itemID, blockerID)
        case .estimation(let id): Self.fill(Pattern.estimation, id)
        case .estimationAction(let itemID, let roundID, let action): Self.fill(Pattern.estimationAction, itemID, roundID, action)
        case .proposalDecision(let id, let accept): Self.fill(accept ? Pattern.proposalAccept : Pattern.proposalDecline, id)
        case .stylesheet: "/static/tandem.css"
        case .script: "/static/tandem.js"
        }
    }

    /// Puts `values` into the pattern's `:name` segments, in order.
    static func fill(_ pattern: String, _ values: String...) -> String {
        var remaining = values[...]
        return pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? (remaining.popFirst() ?? "") : String(segment)
        }.joined(separator: "/")
    }

    /// The router patterns matching the cases above (Hummingbird's `:name` captures).
    enum Pattern {
        static let product = "/products/:productId"
        static let productTeams = "/products/:productId/teams"
        static let productMembers = "/products/:productId/members"
        static let removeProductMember = "/products/:productId/members/:userId/remove"
        static let handOver = "/products/:productId/product-owner"
        static let teamMembers = "/teams/:teamId/members"
        static let removeTeamMember = "/teams/:teamId/members/:userId/remove"
        static let backlog = "/products/:productId/backlog"
        static let backlogItems = "/products/:productId/backlog/items"
        static let backlogReorder = "/products/:productId/backlog/reorder"
        static let definitionOfReady = "/products/:productId/definition-of-ready"
        static let item = "/items/:itemId"
        static let itemEdit = "/items/:itemId/edit"
        static let itemMove = "/items/:itemId/move"
        static let itemPropose = "/items/:itemId/proposals"
        static let itemDecline = "/items/:itemId/decline"
        static let itemDelete = "/items/:itemId/delete"
        static let itemDependencies = "/items/:itemId/dependencies"
        static let removeDependency = "/items/:itemId/dependencies/:blockerId/remove"
        static let estimation = "/items/:itemId/estimation"
        static let estimationAction = "/items/:itemId/estimation/:roundId/:action"
        static let proposalAccept = "/proposals/:proposalId/accept"
        static let proposalDecline = "/proposals/:proposalId/decline"
    }
}
