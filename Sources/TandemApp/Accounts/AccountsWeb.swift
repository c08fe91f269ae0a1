import Foundation
import Hummingbird
import TandemCore

/// The account pages: logging in (and back to the page asked for), signing up and logging out.
struct AccountsWeb: Sendable {
    let web: WebPages
    let accounts: AccountService
    let signupOpen: Bool

    /// The table of contents: each page route and the handler that answers it (under "Handlers").
    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.login.path), use: showLogin)
        router.post(RouterPath(SiteRoute.login.path), use: logIn)
        router.get(RouterPath(SiteRoute.signup.path), use: showSignup)
        router.post(RouterPath(SiteRoute.signup.path), use: signUp)
        router.post(RouterPath(SiteRoute.logout.path), use: logOut)
    }

    /// The answer to a successful login: the new session, and a new nonce so no earlier token stays good.
    func loggedIn(_ token: String, next: String?) -> Response {
        var response = HTMLResponse.redirect(to: next ?? SiteRoute.home.path)
        response.setCookie(Cookie(
            name: IdentityMiddleware.sessionCookie, value: token, maxAge: Int(AccountService.sessionLifetime), path: "/",
            secure: web.secureCookies, httpOnly: true, sameSite: .lax
        ))
        response.setCookie(web.csrf.freshNonceCookie())
        return response
    }
}

// MARK: Handlers

extension AccountsWeb {
    @Sendable func showLogin(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let next = LocalRedirect.path(request.uri.queryParameters["next"].map(String.init))
        if context.identity != nil { return HTMLResponse.redirect(to: next ?? SiteRoute.home.path) }
        return try await web.page(request, context) { csrf in
            AccountPages.LogIn(csrf: csrf, signupOpen: signupOpen, next: next).html
        }
    }

    @Sendable func logIn(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        try await web.withForm(request, context) { form, csrf in
            do {
                let (token, _) = try await accounts.logIn(email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), password: form["password"], clientAddress: context.clientAddress)
                return loggedIn(token, next: LocalRedirect.path(form["next"]))
            } catch let error as DomainError {
                return web.refused(error, form: form, request: request) { flash in
                    AccountPages.LogIn(flash: flash, csrf: csrf, signupOpen: signupOpen, next: LocalRedirect.path(form["next"])).html
                }
            }
        }
    }

    @Sendable func showSignup(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        if context.identity != nil { return HTMLResponse.redirect(.home) }
        return try await web.page(request, context) { csrf in AccountPages.SignUp(csrf: csrf, signupOpen: signupOpen).html }
    }

    @Sendable func signUp(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        try await web.withForm(request, context) { form, csrf in
            do {
                _ = try await accounts.signUp(email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), password: form["password"], displayName: form["displayName"])
                let (token, _) = try await accounts.logIn(email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), password: form["password"], clientAddress: context.clientAddress)
                return loggedIn(token, next: nil)
            } catch let error as DomainError {
                return web.refused(error, form: form, request: request) { flash in
                    AccountPages.SignUp(flash: flash, csrf: csrf, signupOpen: signupOpen).html
                }
            }
        }
    }

    @Sendable func logOut(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        try await web.withForm(request, context) { _, _ in
            if let identity = context.identity {
                _ = try await accounts.revokeToken(id: identity.tokenID, userID: identity.user.id)
            }
            var response = HTMLResponse.redirect(.login)
            response.setCookie(Cookie(name: IdentityMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: web.secureCookies, httpOnly: true, sameSite: .lax))
            response.setCookie(web.csrf.freshNonceCookie())
            return response
        }
    }
}
