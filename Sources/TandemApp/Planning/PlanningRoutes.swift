import Foundation

/// The planning page's addresses.
extension SiteRoute {
    static func planning(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.planning, productID)) }
    static func planningForecast(_ productID: String) -> SiteRoute { SiteRoute(fill(Pattern.planningForecast, productID)) }
}

extension SiteRoute.Pattern {
    static let planning = "/products/:productId/planning"
    static let planningForecast = "/products/:productId/planning/forecast"
}

extension SiteRoute {
    static func release(_ releaseID: String) -> SiteRoute { SiteRoute(fill(Pattern.release, releaseID)) }
}

extension SiteRoute.Pattern {
    static let release = "/releases/:releaseId"
}
