
/// The frame around every page: header with navigation, a flash message, the content.
struct Layout {
    let title: String
    let identity: Identity?
    let csrf: String
    var flash: Flash?
    /// A feature's banner above the content (the product pages show the partnership there).
    var header: BodyNode = .empty
    /// The product whose changes the page follows live (its `data-live-region` parts update in place).
    var liveProduct: String? = nil
    let content: [BodyNode]
    /// A page's own skip links (fragment, words), first in the tab order after "Skip to content".
    var skipLinks: [(target: String, label: String)] = []

    /// A message shown at the top of a page after an action, good or bad.
    struct Flash {
        enum Kind: String { case error, notice }
        let kind: Kind
        let message: String
        /// Where what the action made can be seen: a local path or a fragment of this page, and its words.
        var link: (href: String, text: String)?
        static func error(_ message: String) -> Flash { Flash(kind: .error, message: message) }
        static func notice(_ message: String, link: (href: String, text: String)? = nil) -> Flash { Flash(kind: .notice, message: message, link: link) }
    }

    var html: HTML {
        HTML(
            lang: "en",
            // Only <title> from data in the head: no meta tags built from it (social cards once let a title inject markup).
            head: [
                H.void("meta", ["charset": "UTF-8"]),
                H.el("title", text: "\(title) · Tandem"),
                H.void("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1.0"]),
                H.void("link", ["rel": "stylesheet", "href": SiteRoute.stylesheet.path, "type": "text/css"]),
                H.void("link", ["rel": "icon", "href": "data:,"]),
                H.el("script", ["src": SiteRoute.script.path, "defer": ""], []),
            ],
            body: [
                H.el("nav", ["aria-label": "Skip links"], [H.el("a", ["href": "#main", "class": "skip"], text: "Skip to content")]
                    + skipLinks.map { H.el("a", ["href": "#" + $0.target, "class": "skip"], text: $0.label) }),
                H.el("header", ["class": "topbar"], [
                    H.link(.home, "Tandem", class: "brand"),
                    H.el("nav", ["aria-label": "Account"], navigation),
                ]),
                H.el("main", ["id": "main", "class": "container", "data-live-product": liveProduct, "data-live-user": liveProduct == nil ? nil : identity?.user.id,
                                 "data-live-region": liveProduct == nil ? nil : "main"],
                     [header] + flashNode + liveNotice + content),
                H.el("footer", ["class": "footer"], [.text("Tandem: the Product Owner and the Scrum Master, in step.")]),
            ]
        )
    }

    private var navigation: [BodyNode] {
        guard let identity else {
            return [H.link(.login, "Log in"), H.link(.signup, "Sign up", class: "button small")]
        }
        let unread = identity.unreadNotifications
        return [
            H.link(.home, "Products"),
            H.el("a", ["href": SiteRoute.notifications.path, "class": unread > 0 ? "unread" : nil],
                 text: unread == 0 ? "Notifications" : "Notifications (\(unread) unread)"),
            H.el("span", ["class": "who"], text: identity.user.displayName),
            H.form(.logout, csrf: csrf, class: "inline", label: "Log out") { [H.button("Log out", class: "link")] },
        ]
    }

    /// Says what someone else changed, politely (it waits for the screen reader to finish).
    private var liveNotice: [BodyNode] {
        guard liveProduct != nil else { return [] }
        return [H.el("p", ["id": "live-notice", "class": "live-notice", "role": "status", "aria-live": "polite", "data-live-keep": ""], [])]
    }

    private var flashNode: [BodyNode] {
        guard let flash else { return [] }
        return [H.el("div", ["class": "flash \(flash.kind.rawValue)", "role": flash.kind == .error ? "alert" : "status"], [
            .text(flash.message),
            flash.link.map { link in H.el("span", [.text(" "), H.el("a", ["href": link.href], text: link.text)]) } ?? .empty,
        ])]
    }
}

/// A readable page for errors met while browsing.
struct ErrorPage {
    let status: HTTPStatusLike
    let message: String
    let identity: Identity?
    /// The logged-in person's token, so the header's log-out form works on an error page too.
    let csrf: String

    init(status: some CustomStringConvertible, message: String, identity: Identity?, csrf: String = "") {
        self.status = HTTPStatusLike(text: status.description)
        self.message = message
        self.identity = identity
        self.csrf = csrf
    }

    struct HTTPStatusLike { let text: String }

    var html: HTML {
        Layout(title: status.text, identity: identity, csrf: csrf, content: [
            H.el("h1", text: status.text),
            H.el("p", text: message),
            H.link(.home, "Back to your products"),
        ]).html
    }
}
