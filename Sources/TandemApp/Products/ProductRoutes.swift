import Foundation
import TandemCore

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
    /// A team's sprints (served by the Sprints feature; the team page links to it).
    static func teamSprints(_ teamID: String) -> SiteRoute { SiteRoute(fill(Pattern.teamSprints, teamID)) }
    /// The partnership pages (served by the Partnership feature; the product page links to them).
    static func dashboard(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.dashboard, productID)) }
    static func teamPartnership(_ teamID: String) -> SiteRoute { SiteRoute(fill(Pattern.teamPartnership, teamID)) }
    /// A Developer's first page of a product: their team's running sprint board (served by the Sprints feature).
    static func myWork(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.myWork, productID)) }
    /// The product's webhooks and their deliveries (served by the Webhooks feature; the product page links to it).
    static func webhooks(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.webhooks, productID)) }
    /// The product's live changes for its pages (session), as `/api/v1/products/{id}/events` is for programs.
    static func productEvents(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.productEvents, productID)) }
}

extension SiteRoute.Pattern {
    static let product = "/products/:productId"
    static let productTeams = "/products/:productId/teams"
    static let productMembers = "/products/:productId/members"
    static let removeProductMember = "/products/:productId/members/:userId/remove"
    static let handOver = "/products/:productId/product-owner"
    static let teamMembers = "/teams/:teamId/members"
    static let removeTeamMember = "/teams/:teamId/members/:userId/remove"
    static let teamSprints = "/teams/:teamId/sprints"
    static let dashboard = "/products/:productId/dashboard"
    static let teamPartnership = "/teams/:teamId/partnership"
    static let myWork = "/products/:productId/my-work"
    static let productEvents = "/products/:productId/events"
    static let webhooks = "/products/:productId/webhooks"
}

/// The vision and goals page's addresses.
extension SiteRoute {
    static func vision(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.vision, productID)) }
    static func productGoals(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.productGoals, productID)) }
    static func closeGoal(_ goalID: String, as state: ProductGoalState) -> SiteRoute {
        SiteRoute(fill(state == .achieved ? Pattern.achieveGoal : Pattern.abandonGoal, goalID))
    }
}

extension SiteRoute.Pattern {
    static let vision = "/products/:productId/vision"
    static let productGoals = "/products/:productId/product-goals"
    static let achieveGoal = "/product-goals/:goalId/achieve"
    static let abandonGoal = "/product-goals/:goalId/abandon"
}
