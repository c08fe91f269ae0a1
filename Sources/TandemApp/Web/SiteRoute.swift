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

    var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
        case .loginThen(let path):
            path == "/" ? "/login" : "/login?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._~"))) ?? "")
        case .signup: "/signup"
        case .logout: "/logout"
        case .products: "/products"
        case .product(let id): "/products/\(id)"
        case .productTeams(let id): "/products/\(id)/teams"
        case .productMembers(let id): "/products/\(id)/members"
        case .removeProductMember(let productID, let userID): "/products/\(productID)/members/\(userID)/remove"
        case .handOver(let id): "/products/\(id)/product-owner"
        case .teamMembers(let id): "/teams/\(id)/members"
        case .removeTeamMember(let teamID, let userID): "/teams/\(teamID)/members/\(userID)/remove"
        case .backlog(let id, let query): "/products/\(id)/backlog" + (query.isEmpty ? "" : "?" + query)
        case .backlogItems(let id): "/products/\(id)/backlog/items"
        case .backlogReorder(let id): "/products/\(id)/backlog/reorder"
        case .definitionOfReady(let id): "/products/\(id)/definition-of-ready"
        case .item(let ref): "/items/\(ref)"
        case .itemEdit(let id): "/items/\(id)/edit"
        case .itemMove(let id): "/items/\(id)/move"
        case .itemPropose(let id): "/items/\(id)/proposals"
        case .itemDecline(let id): "/items/\(id)/decline"
        case .itemDelete(let id): "/items/\(id)/delete"
        case .itemDependencies(let id): "/items/\(id)/dependencies"
        case .removeDependency(let itemID, let blockerID): "/items/\(itemID)/dependencies/\(blockerID)/remove"
        case .estimation(let id): "/items/\(id)/estimation"
        case .estimationAction(let itemID, let roundID, let action): "/items/\(itemID)/estimation/\(roundID)/\(action)"
        case .proposalDecision(let id, let accept): "/proposals/\(id)/\(accept ? "accept" : "decline")"
        case .stylesheet: "/static/tandem.css"
        case .script: "/static/tandem.js"
        }
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
