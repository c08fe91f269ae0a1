import Foundation
import Hummingbird
import Plot
import TandemCore

/// The HTML pages: thin handlers that read a form, call the same services as the API, and render a page model.
///
/// Every form carries a CSRF token derived from the visitor's session (`CSRFProtection`); a cross-site page can
/// neither read it nor compute it.
struct WebPages {
    let services: TandemServices
    let csrf: CSRFProtection

    init(services: TandemServices) {
        self.services = services
        self.csrf = CSRFProtection(secrets: services.secrets, secureCookies: services.configuration.secureCookies)
    }

    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.stylesheet.path)) { _, _ in Self.asset(Assets.stylesheet, type: "text/css; charset=utf-8") }
        router.get(RouterPath(SiteRoute.script.path)) { _, _ in Self.asset(Assets.script, type: "text/javascript; charset=utf-8") }

        router.get(RouterPath(SiteRoute.login.path)) { request, context in
            let next = LocalRedirect.path(request.uri.queryParameters["next"].map(String.init))
            if context.identity != nil { return HTMLResponse.redirect(to: next ?? SiteRoute.home.path) }
            return try await page(request, context) { csrf in
                AccountPages.LogIn(csrf: csrf, signupOpen: services.configuration.signupOpen, next: next).html
            }
        }
        router.post(RouterPath(SiteRoute.login.path)) { request, context in
            try await withForm(request, context) { form, csrf in
                do {
                    let (token, _) = try await services.accounts.logIn(email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), password: form["password"], clientAddress: context.clientAddress)
                    return loggedIn(token, next: LocalRedirect.path(form["next"]))
                } catch let error as DomainError {
                    return refused(error, form: form, request: request) { _ in
                        AccountPages.LogIn(flash: .error(error.message), csrf: csrf, signupOpen: services.configuration.signupOpen, next: LocalRedirect.path(form["next"])).html
                    }
                }
            }
        }
        router.get(RouterPath(SiteRoute.signup.path)) { request, context in
            if context.identity != nil { return HTMLResponse.redirect(.home) }
            return try await page(request, context) { csrf in AccountPages.SignUp(csrf: csrf, signupOpen: services.configuration.signupOpen).html }
        }
        router.post(RouterPath(SiteRoute.signup.path)) { request, context in
            try await withForm(request, context) { form, csrf in
                do {
                    _ = try await services.accounts.signUp(email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), password: form["password"], displayName: form["displayName"])
                    let (token, _) = try await services.accounts.logIn(email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), password: form["password"], clientAddress: context.clientAddress)
                    return loggedIn(token, next: nil)
                } catch let error as DomainError {
                    return refused(error, form: form, request: request) { flash in
                        AccountPages.SignUp(flash: flash, csrf: csrf, signupOpen: services.configuration.signupOpen).html
                    }
                }
            }
        }
        router.post(RouterPath(SiteRoute.logout.path)) { request, context in
            try await withForm(request, context) { _, _ in
                if let identity = context.identity {
                    _ = try await services.accounts.revokeToken(id: identity.tokenID, userID: identity.user.id)
                }
                var response = HTMLResponse.redirect(.login)
                response.setCookie(Cookie(name: IdentityMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: services.configuration.secureCookies, httpOnly: true, sameSite: .lax))
                response.setCookie(csrf.freshNonceCookie())
                return response
            }
        }

        router.get(RouterPath(SiteRoute.home.path)) { request, context in
            guard let identity = context.identity else { return HTMLResponse.redirect(.login) }
            let products = try await services.products.products(for: identity.user.id)
            return try await page(request, context) { csrf in ProductPages.List(identity: identity, csrf: csrf, products: products).html }
        }
        router.post(RouterPath(SiteRoute.products.path)) { request, context in
            let identity = try requireLogin(context)
            return try await withForm(request, context) { form, csrf in
                do {
                    let key = form["key"].trimmingCharacters(in: .whitespaces).uppercased()
                    let product = try await services.products.createProduct(name: form["name"], key: key, ownerID: identity.user.id)
                    return HTMLResponse.redirect(.product(product.id))
                } catch let error as DomainError {
                    let products = try await services.products.products(for: identity.user.id)
                    return refused(error, form: form, request: request) { flash in
                        ProductPages.List(identity: identity, csrf: csrf, products: products, flash: flash).html
                    }
                }
            }
        }
        router.get(RouterPath(SiteRoute.Pattern.product)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            let model = try await showModel(productID: productID, identity: identity)
            return try await page(request, context) { csrf in model(csrf, nil).html }
        }
        router.post(RouterPath(SiteRoute.Pattern.productTeams)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            return try await productAction(request, context, productID: productID, identity: identity) { form in
                _ = try await services.products.createTeam(productID: productID, name: form["name"], actorID: identity.user.id)
            }
        }
        router.post(RouterPath(SiteRoute.Pattern.productMembers)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            return try await productAction(request, context, productID: productID, identity: identity) { form in
                _ = try await services.products.addProductMember(
                    productID: productID, email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), accountability: form["accountability"], actorID: identity.user.id
                )
            }
        }
        router.post(RouterPath(SiteRoute.Pattern.removeProductMember)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            let userID = try context.parameter("userId")
            return try await productAction(request, context, productID: productID, identity: identity) { _ in
                try await services.products.removeProductMember(productID: productID, userID: userID, actorID: identity.user.id)
            }
        }
        router.post(RouterPath(SiteRoute.Pattern.handOver)) { request, context in
            let identity = try requireLogin(context)
            let productID = try context.parameter("productId")
            return try await productAction(request, context, productID: productID, identity: identity) { form in
                _ = try await services.products.handOverProductOwnership(productID: productID, to: form["userId"], actorID: identity.user.id)
            }
        }
        router.post(RouterPath(SiteRoute.Pattern.teamMembers)) { request, context in
            let identity = try requireLogin(context)
            let teamID = try context.parameter("teamId")
            let team = try await services.products.team(teamID, for: identity.user.id)
            return try await productAction(request, context, productID: team.productId, identity: identity) { form in
                _ = try await services.products.addTeamMember(teamID: teamID, email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), accountability: form["accountability"], actorID: identity.user.id)
            }
        }
        registerBacklog(on: router)
        router.post(RouterPath(SiteRoute.Pattern.removeTeamMember)) { request, context in
            let identity = try requireLogin(context)
            let teamID = try context.parameter("teamId")
            let userID = try context.parameter("userId")
            let team = try await services.products.team(teamID, for: identity.user.id)
            return try await productAction(request, context, productID: team.productId, identity: identity) { _ in
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
        _ request: Request, _ context: TandemRequestContext, productID: String, identity: Identity,
        _ action: @escaping @Sendable (FormData) async throws -> Void
    ) async throws -> Response {
        try await withForm(request, context) { form, csrf in
            do {
                try await action(form)
                return HTMLResponse.redirect(.product(productID))
            } catch let error as DomainError where error.kind != .notFound {
                let model = try await showModel(productID: productID, identity: identity)
                return refused(error, form: form, request: request) { flash in model(csrf, flash).html }
            }
        }
    }

    func showModel(productID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> ProductPages.Show {
        let access = try await services.products.access(productID: productID, userID: identity.user.id)
        let product = try await services.products.product(access: access)
        return { csrf, flash in ProductPages.Show(identity: identity, csrf: csrf, product: product, membership: access.membership, flash: flash) }
    }

    /// Renders a GET page with the visitor's CSRF token, issuing the nonce cookie the first time a browser comes by.
    func page(_ request: Request, _ context: TandemRequestContext, status: HTTPResponse.Status = .ok, _ render: (String) -> HTML) async throws -> Response {
        let (token, cookie) = try await csrf.token(request, context)
        var response = HTMLResponse.page(render(token), status: status)
        if let cookie { response.setCookie(cookie) }
        return response
    }

    /// Reads a posted form after checking its CSRF token; a mismatch is a 403 page, and nothing is changed.
    func withForm(_ request: Request, _ context: TandemRequestContext, _ body: (FormData, String) async throws -> Response) async throws -> Response {
        let form = try await FormData.read(request)
        guard let token = try await csrf.verify(form["csrf"], request, context) else {
            throw APIError(.forbidden, code: "csrf_failed", message: "This form has expired or did not come from Tandem. Reload the page and try again.")
        }
        return try await body(form, token)
    }

    /// Shows a page again after its form was refused: the person's input back in the form (found by the path it
    /// posted to), the message beside the field it concerns and at the top of the page.
    func refused(
        _ error: DomainError, form: FormData, request: Request, inputNames: [String: String] = [:], render: (Layout.Flash) -> HTML
    ) -> Response {
        let echo = FormEcho(action: request.uri.path, form: form, error: error, inputNames: inputNames)
        let html = FormEcho.$refused.withValue(echo) { render(.error("Not saved: \(error.message)")) }
        let mapped = APIError(error)
        return HTMLResponse.page(html, status: mapped.status, headers: mapped.headers)
    }

    /// The answer to a successful login: the new session, and a new nonce so no earlier token stays good.
    func loggedIn(_ token: String, next: String?) -> Response {
        var response = HTMLResponse.redirect(to: next ?? SiteRoute.home.path)
        response.setCookie(Cookie(
            name: IdentityMiddleware.sessionCookie, value: token, maxAge: Int(AccountService.sessionLifetime), path: "/",
            secure: services.configuration.secureCookies, httpOnly: true, sameSite: .lax
        ))
        response.setCookie(csrf.freshNonceCookie())
        return response
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
