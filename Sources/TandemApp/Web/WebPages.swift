import Foundation
import Hummingbird
import TandemCore

/// Shared page plumbing, knowing no feature: CSRF-checked forms, pages rendered with the visitor's token, refused
/// forms shown again with what was typed, and the static assets. Each feature's `…Web` registers its own pages
/// with it.
///
/// Every form carries a CSRF token derived from the visitor's session (`CSRFProtection`); a cross-site page can
/// neither read it nor compute it.
struct WebPages: Sendable {
    let csrf: CSRFProtection
    let secureCookies: Bool

    init(secrets: any KeyStore, secureCookies: Bool) {
        self.csrf = CSRFProtection(secrets: secrets, secureCookies: secureCookies)
        self.secureCookies = secureCookies
    }

    func registerAssets(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.stylesheet.path)) { _, _ in Self.asset(Assets.stylesheet, type: "text/css; charset=utf-8") }
        router.get(RouterPath(SiteRoute.script.path)) { _, _ in Self.asset(Assets.script, type: "text/javascript; charset=utf-8") }
    }

    func requireLogin(_ context: TandemRequestContext) throws -> Identity {
        guard let identity = context.identity else {
            throw APIError(.unauthorized, code: "unauthorized", message: "Log in to see this page.")
        }
        return identity
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

    /// Runs a posted form's action. When a rule refuses it (anything but a missing page or login), `reshow` builds
    /// the page the form came from, which is shown again with what was typed and why (`refused`).
    func formAction(
        _ request: Request, _ context: TandemRequestContext, inputNames: [String: String] = [:],
        reshow: @escaping @Sendable () async throws -> @Sendable (String, Layout.Flash?) -> HTML,
        _ action: @escaping @Sendable (FormData) async throws -> Response
    ) async throws -> Response {
        try await withForm(request, context) { form, csrf in
            do {
                return try await action(form)
            } catch let error as DomainError where error.kind != .notFound && error.kind != .unauthenticated {
                let page = try await reshow()
                return refused(error, form: form, request: request, inputNames: inputNames) { flash in page(csrf, flash) }
            }
        }
    }

    /// Shows a page again after its form was refused: the person's input back in the form (found by the path it
    /// posted to), the message beside the field it concerns and at the top of the page.
    func refused(
        _ error: DomainError, form: FormData, request: Request, inputNames: [String: String] = [:], render: (Layout.Flash?) -> HTML
    ) -> Response {
        let echo = FormEcho(action: request.uri.path, form: form, error: error, inputNames: inputNames)
        // Once, where the person looks: beside the field (or atop the form) when the form is on the page, at the top
        // of the page only when it is not.
        let shown = FormEcho.Flag()
        var html = FormEcho.$refused.withValue(echo) { FormEcho.$shownInPage.withValue(shown) { render(nil) } }
        if !shown.isRaised { html = FormEcho.$refused.withValue(echo) { render(.error("Not saved: \(error.message)")) } }
        let mapped = APIError(error)
        return HTMLResponse.page(html, status: mapped.status, headers: mapped.headers)
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }
}
