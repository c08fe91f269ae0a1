import Foundation

/// A page address. Each feature declares its own routes and their router patterns in an extension
/// (`Products/ProductRoutes.swift`, `Backlog/BacklogRoutes.swift`), so links and routes share one list per feature,
/// and this plumbing knows only the site's frame: home, logging in and out, signing up and the assets.
struct SiteRoute: Equatable, Sendable {
    let path: String

    init(_ path: String) { self.path = path }

    /// Puts `values` into the pattern's `:name` segments, in order.
    static func fill(_ pattern: String, _ values: String...) -> String {
        var remaining = values[...]
        var path = ""
        path.reserveCapacity(pattern.utf8.count + values.reduce(0) { $0 + $1.utf8.count })
        for (index, segment) in pattern.split(separator: "/", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { path += "/" }
            if segment.first == ":" { path += remaining.popFirst() ?? "" } else { path += segment }
        }
        return path
    }

    /// The router patterns of the routes with parameters (Hummingbird's `:name` captures); features add theirs.
    enum Pattern {}

    static let home = SiteRoute("/")
    static let login = SiteRoute("/login")
    static let signup = SiteRoute("/signup")
    static let logout = SiteRoute("/logout")
    /// The person's notifications, linked from every page's header.
    static let notifications = SiteRoute("/notifications")
    static let stylesheet = SiteRoute("/static/tandem.css")
    static let script = SiteRoute("/static/tandem.js")

    /// The login page, returning to `path` afterwards.
    static func loginThen(_ path: String) -> SiteRoute {
        path == "/" ? login : SiteRoute("/login?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-._~"))) ?? ""))
    }
}
