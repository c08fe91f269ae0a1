import Foundation
import Hummingbird

/// Errors met while browsing become pages with the person's own header (or, when nobody is logged in, a trip to
/// the login page and back). Runs inside the identity middleware, so the person is known; API paths and scripts
/// asking for JSON pass through to `ErrorMiddleware`.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = TandemRequestContext
    let csrf: CSRFProtection

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !RequestPath.isAPI(request.uri.path) else { return try await next(request, context) }
        do {
            return try await next(request, context)
        } catch {
            guard request.headers[.accept]?.contains("application/json") != true else { throw error }
            let apiError = ErrorMiddleware.apiError(for: error, context: context)
            if apiError.status == .unauthorized, context.identity == nil {
                let back = request.method == .get ? request.uri.path + (request.uri.query.map { "?" + $0 } ?? "") : "/"
                return HTMLResponse.redirect(.loginThen(back))
            }
            // try?: an error page must render even when the session cannot mint a token; its forms then ask to log in again.
            let token = (try? await csrf.token(request, context))?.token ?? ""
            let page = ErrorPage(status: apiError.status, message: apiError.message, identity: context.identity, csrf: token)
            return HTMLResponse.page(page.html, status: apiError.status, headers: apiError.headers)
        }
    }
}

/// Where a login may send the person back to: a path on this site, never another origin.
enum LocalRedirect {
    /// `raw` when it is a local path (`/…`, not `//…` or `/\…`, no control characters), else nil.
    static func path(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/"), raw.utf8.count <= 2000 else { return nil }
        let second = raw.dropFirst().first
        guard second != "/", second != "\\", !raw.contains("\\"),
              !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == " " })
        else { return nil }
        return raw
    }
}
