/// Every page address in one place: handlers register the patterns and templates build links from the cases.
enum SiteRoute: Equatable {
    case home
    case login
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
    case stylesheet
    case script

    var path: String {
        switch self {
        case .home: "/"
        case .login: "/login"
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
    }
}
