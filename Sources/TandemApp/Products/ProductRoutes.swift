import Foundation

/// The product pages' addresses: each a router pattern and the link that fills it.
extension SiteRoute {
    static let products = SiteRoute("/products")
    static func product(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.product, id)) }
    static func productTeams(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.productTeams, id)) }
    static func productMembers(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.productMembers, id)) }
    static func removeProductMember(productID: String, userID: String) -> SiteRoute { SiteRoute(fill(Pattern.removeProductMember, productID, userID)) }
    static func handOver(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.handOver, id)) }
    static func teamMembers(_ id: String) -> SiteRoute { SiteRoute(fill(Pattern.teamMembers, id)) }
    static func removeTeamMember(teamID: String, userID: String) -> SiteRoute { SiteRoute(fill(Pattern.removeTeamMember, teamID, userID)) }
}

extension SiteRoute.Pattern {
    static let product = "/products/:productId"
    static let productTeams = "/products/:productId/teams"
    static let productMembers = "/products/:productId/members"
    static let removeProductMember = "/products/:productId/members/:userId/remove"
    static let handOver = "/products/:productId/product-owner"
    static let teamMembers = "/teams/:teamId/members"
    static let removeTeamMember = "/teams/:teamId/members/:userId/remove"
}
