import Foundation
import Hummingbird
import Plot
import TandemCore

/// The HTML pages: thin handlers that read a form, call the same services as the API, and render a page model.
///
/// CSRF uses a double-submit token: a random `tandem_csrf` cookie (HttpOnly, SameSite=Lax) that every form
/// repeats in a hidden field; a cross-site page can neither read the cookie nor set the field.
struct WebPages {
    let services: TandemServices
    static let csrfCookie = "tandem_csrf"

    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.stylesheet.path)) { _, _ in Self.asset(Assets.stylesheet, type: "text/css; charset=utf-8") }
        router.get(RouterPath(SiteRoute.script.path)) { _, _ in Self.asset(Assets.script, type: "text/javascript; charset=utf-8") }

        router.get(RouterPath(SiteRoute.login.path)) { request, context in
            if context.identity != nil { return HTMLResponse.redirect(.home) }
            return page(request) { csrf in AccountPages.LogIn(csrf: csrf, signupOpen: services.configuration.signupOpen).html }
        }
        router.post(RouterPath(SiteRoute.login.path)) { request, _ in
            try await withForm(request) { form, csrf in
                do {
                    let (token, _) = try await services.accounts.logIn(email: form["email"], password: form["password"])
                    var response = HTMLResponse.redirect(.home)
                    response.setCookie(sessionCookie(token))
                    return response
                } catch let error as APIError {
                    return HTMLResponse.page(
                        AccountPages.LogIn(email: form["email"], flash: .error(error.message), csrf: csrf, signupOpen: services.configuration.signupOpen).html,
                        status: error.status
                    )
                }
            }
        }
        router.get(RouterPath(SiteRoute.signup.path)) { request, context in
            if context.identity != nil { return HTMLResponse.redirect(.home) }
            return page(request) { csrf in AccountPages.SignUp(csrf: csrf, signupOpen: services.configuration.signupOpen).html }
        }
        router.post(RouterPath(SiteRoute.signup.path)) { request, _ in
            try await withForm(request) { form, csrf in
                do {
                    _ = try await services.accounts.signUp(email: form["email"], password: form["password"], displayName: form["displayName"])
                    let (token, _) = try await services.accounts.logIn(email: form["email"], password: form["password"])
                    var response = HTMLResponse.redirect(.home)
                    response.setCookie(sessionCookie(token))
                    return response
                } catch let error as APIError {
                    let model = AccountPages.SignUp(
                        email: form["email"], displayName: form["displayName"], flash: .error(error.message),
                        csrf: csrf, signupOpen: services.configuration.signupOpen
                    )
                    return HTMLResponse.page(model.html, status: error.status)
                }
            }
        }
        router.post(RouterPath(SiteRoute.logout.path)) { request, context in
            try await withForm(request) { _, _ in
                if let identity = context.identity {
                    _ = try await services.accounts.revokeToken(id: identity.tokenID, userID: identity.user.id)
                }
                var response = HTMLResponse.redirect(.login)
                response.setCookie(Cookie(name: IdentityMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: services.configuration.secureCookies, httpOnly: true, sameSite: .lax))
                return response
            }
        }

        router.get(RouterPath(SiteRoute.home.path)) { request, context in
            guard let identity = context.identity else { return HTMLResponse.redirect(.login) }
            let products = try await services.products.products(for: identity.user.id)
            return page(request) { csrf in ProductPages.List(identity: identity, csrf: csrf, products: products).html }
        }
        router.post(RouterPath(SiteRoute.products.path)) { request, context in
            let identity = try requireLogin(context)
            return try await withForm(request) { form, csrf in
                do {
                    let product = try await services.products.createProduct(name: form["name"], key: form["key"].uppercased(), ownerID: identity.user.id)
                    return HTMLResponse.redirect(.product(product.id))
                } catch let error as APIError {
                    let products = try await services.products.products(for: identity.user.id)
                    let model = ProductPages.List(
                        identity: identity, csrf: csrf, products: products, flash: .error(error.message), name: form["name"], key: form["key"]
                    )
                    return HTMLResponse.page(model.html, status: error.status)
                }
            }
        }
        router.get(RouterPath(SiteRoute.Pattern.product)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            let model = try await showModel(productID: productID, identity: identity)
            return page(request) { csrf in model(csrf, nil).html }
        }
        router.post(RouterPath(SiteRoute.Pattern.productTeams)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            return try await productAction(request, productID: productID, identity: identity) { form in
                _ = try await services.products.createTeam(productID: productID, name: form["name"], actorID: identity.user.id)
            }
        }
        router.post(RouterPath(SiteRoute.Pattern.productMembers)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            return try await productAction(request, productID: productID, identity: identity) { form in
                _ = try await services.products.addProductMember(
                    productID: productID, email: form["email"], accountability: form["accountability"], actorID: identity.user.id
                )
            }
        }
        router.post(RouterPath(SiteRoute.Pattern.removeProductMember)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            let userID = try context.parameter("userId")
            return try await productAction(request, productID: productID, identity: identity) { _ in
                try await services.products.removeProductMember(productID: productID, userID: userID, actorID: identity.user.id)
            }
        }
        router.post(RouterPath(SiteRoute.Pattern.handOver)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            return try await productAction(request, productID: productID, identity: identity) { form in
                _ = try await services.products.handOverProductOwnership(productID: productID, to: form["userId"], actorID: identity.user.id)
            }
        }
        router.post(RouterPath(SiteRoute.Pattern.teamMembers)) { request, context in
            let identity = try requireLogin(context)
            let teamID = try context.parameter("teamId")
            let team = try await services.products.team(teamID, for: identity.user.id)
            return try await productAction(request, productID: team.productId, identity: identity) { form in
                _ = try await services.products.addTeamMember(teamID: teamID, email: form["email"], accountability: form["accountability"], actorID: identity.user.id)
            }
        }
        registerBacklog(on: router)
        router.post(RouterPath(SiteRoute.Pattern.removeTeamMember)) { request, context in
            let identity = try requireLogin(context)
            let teamID = try context.parameter("teamId")
            let userID = try context.parameter("userId")
            let team = try await services.products.team(teamID, for: identity.user.id)
            return try await productAction(request, productID: team.productId, identity: identity) { _ in
                try await services.products.removeTeamMember(teamID: teamID, userID: userID, actorID: identity.user.id)
            }
        }
    }

    // MARK: Helpers

    func requireLogin(_ context: TandemRequestContext) throws -> Identity {
        guard let identity = context.identity else {
            throw APIError(.unauthorized, code: "unauthorized", message: "Log in to see this page.")
        }
        return identity
    }

    /// Runs a product form action and shows the product page again: redirected on success, with the error otherwise.
    func productAction(
        _ request: Request, productID: String, identity: Identity, _ action: @escaping @Sendable (FormData) async throws -> Void
    ) async throws -> Response {
        try await withForm(request) { form, csrf in
            do {
                try await action(form)
                return HTMLResponse.redirect(.product(productID))
            } catch let error as APIError where error.status != .notFound {
                let model = try await showModel(productID: productID, identity: identity)
                return HTMLResponse.page(model(csrf, .error(error.message)).html, status: error.status)
            }
        }
    }

    func showModel(productID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> ProductPages.Show {
        let product = try await services.products.product(productID, for: identity.user.id)
        let membership = try await services.database.read { db in
            try await ProductService.membership(productID: productID, productOwnerID: product.productOwner.id, userID: identity.user.id, on: db)
        }
        return { csrf, flash in ProductPages.Show(identity: identity, csrf: csrf, product: product, membership: membership, flash: flash) }
    }

    /// Renders a GET page, issuing the CSRF cookie the first time a browser comes by.
    func page(_ request: Request, status: HTTPResponse.Status = .ok, _ render: (String) -> HTML) -> Response {
        let existing = request.cookies[Self.csrfCookie]?.value
        let csrf = existing.flatMap { $0.count == 43 ? $0 : nil } ?? Self.newCSRFToken()
        var response = HTMLResponse.page(render(csrf), status: status)
        if existing != csrf {
            response.setCookie(Cookie(name: Self.csrfCookie, value: csrf, path: "/", secure: services.configuration.secureCookies, httpOnly: true, sameSite: .lax))
        }
        return response
    }

    /// Reads a posted form after checking its CSRF token; a mismatch is a 403 page, and nothing is changed.
    func withForm(_ request: Request, _ body: (FormData, String) async throws -> Response) async throws -> Response {
        let form = try await FormData.read(request)
        guard let cookie = request.cookies[Self.csrfCookie]?.value, !cookie.isEmpty, Self.constantTimeEqual(cookie, form["csrf"]) else {
            throw APIError(.forbidden, code: "csrf_failed", message: "This form has expired or did not come from Tandem. Reload the page and try again.")
        }
        return try await body(form, cookie)
    }

    func sessionCookie(_ token: String) -> Cookie {
        Cookie(
            name: IdentityMiddleware.sessionCookie, value: token, maxAge: Int(AccountService.sessionLifetime), path: "/",
            secure: services.configuration.secureCookies, httpOnly: true, sameSite: .lax
        )
    }

    static func newCSRFToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
