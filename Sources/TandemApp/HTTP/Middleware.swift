import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import TandemCore

/// Resolves the session cookie for pages (CSRF-checked on forms); API paths are left to `BearerAuthentication`.
/// Opening a page marks read the notifications that link to it (counted in the same lookup, so a page without
/// any costs nothing more).
struct IdentityMiddleware: RouterMiddleware {
    typealias Context = TandemRequestContext
    let accounts: any Authenticator
    let seen: any NotificationsSeen
    static let sessionCookie = "tandem_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let path = request.uri.path
        if !RequestPath.isAPI(path), let cookie = request.cookies[Self.sessionCookie]?.value {
            context.identity = try await accounts.authenticate(token: cookie, source: .session, page: request.method == .get ? path : nil)
            if var identity = context.identity, identity.unreadHere > 0 {
                let marked = try await seen.markSeen(userID: identity.user.id, link: path)
                identity.unreadNotifications = max(0, identity.unreadNotifications - marked)
                identity.unreadHere = 0
                context.identity = identity
            }
        }
        return try await next(request, context)
    }
}

/// The API's own authentication, attached to the `/api/v1` route group: whatever path spelling reached an API
/// route, the caller is the bearer token's owner or nobody. A session cookie never authenticates the API, so a
/// cross-site form (which can send cookies but not headers) cannot act through it.
struct BearerAuthentication: RouterMiddleware {
    typealias Context = TandemRequestContext
    let accounts: any Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.identity = nil
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
            context.identity = try await accounts.authenticate(token: token, source: .bearer, page: nil)
        }
        return try await next(request, context)
    }
}

/// A request path as the router will resolve it: percent-decoded, empty and `.` segments dropped, `..` applied.
/// Decisions about a request (API or page, JSON or HTML errors) are made on this, never on the raw spelling.
enum RequestPath {
    static func normalized(_ raw: String) -> String {
        let decoded = raw.removingPercentEncoding ?? raw
        var segments: [Substring] = []
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    static func isAPI(_ raw: String) -> Bool {
        let path = normalized(raw).lowercased()
        return path == "/api" || path.hasPrefix("/api/")
    }
}

/// Resolves `clientAddress`: the peer, or `X-Forwarded-For` when the peer is a proxy the operator trusts.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = TandemRequestContext
    let trustedProxies: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trustedProxies.isEmpty else { return try await next(request, context) }
        var context = context
        let forwarded = request.headers[values: HTTPField.Name("X-Forwarded-For")!].joined(separator: ",")
        context.clientAddress = ClientAddress.resolve(
            peer: context.peerAddress, forwardedFor: forwarded.isEmpty ? nil : forwarded, trustedProxies: trustedProxies
        )
        return try await next(request, context)
    }
}

/// A path that exists with other methods answers 405 with `Allow`, not 404: the router only knows "no route".
/// Built from the router's own route list after every route is registered, so it cannot drift from it.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = TandemRequestContext
    /// Each route pattern as segments (`{name}`, as `RouterPath` describes a capture, matches any one segment)
    /// with the methods it answers.
    let patterns: [(segments: [Substring], methods: [String])]

    init(routes: [(path: String, method: HTTPRequest.Method)]) {
        let grouped = Dictionary(grouping: routes, by: \.path)
        patterns = grouped.map { path, routes in
            var methods = Set(routes.map(\.method.rawValue))
            if methods.contains("GET") { methods.insert("HEAD") }
            return (path.split(separator: "/"), methods.sorted())
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/")
            let allowed = patterns.filter { pattern in
                pattern.segments.count == segments.count
                    && zip(pattern.segments, segments).allSatisfy { ($0.hasPrefix("{") && $0.hasSuffix("}")) || $0 == $1 }
            }.flatMap(\.methods)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            var refusal = APIError(
                .methodNotAllowed, code: "method_not_allowed",
                message: "\(request.method.rawValue) is not allowed here; this address answers \(Set(allowed).sorted().joined(separator: ", ")).",
                extra: ["allow": .array(Set(allowed).sorted().map(JSONValue.string))]
            )
            refusal.headers[.allow] = Set(allowed).sorted().joined(separator: ", ")
            throw refusal
        }
    }
}

/// Turns every error into the one JSON shape and never lets a 500 leak internals. Pages render their own errors
/// (`PageErrorMiddleware`, inside this one, where the person is known); this catches the rest.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = TandemRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.apiError(for: error, context: context).response(from: request, context: context)
        }
    }

    static func apiError(for error: any Error, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DomainError:
            if error.kind == .inconsistent {
                context.logger.error("inconsistent data", metadata: ["code": "\(error.code)", "detail": "\(error.message)"])
            }
            return APIError(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return APIError(.notFound, code: "not_found", message: "No such route or resource.")
            case .methodNotAllowed: return APIError(.methodNotAllowed, code: "method_not_allowed", message: "This method is not allowed here.")
            case .badRequest: return APIError.malformed(error.body ?? "The request could not be read.")
            case .contentTooLarge: return APIError(.contentTooLarge, code: "body_too_large", message: "The request body is too large.")
            default: return APIError(error.status, code: "http_\(error.status.code)", message: error.body ?? error.status.reasonPhrase)
            }
        default:
            // The type at error level; details (which may quote queries) only when debugging.
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            context.logger.debug("unhandled error detail", metadata: ["detail": "\(String(reflecting: error))"])
            return APIError(.internalServerError, code: "internal_error", message: "Something went wrong on the server; it has been logged.")
        }
    }
}

/// Security headers on every answer; pages need no third-party origin at all.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = TandemRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return response
    }
}

/// What a request costs the database: `tandem_db_statements_per_request{route}`, a histogram by route pattern.
struct StatementMetricsMiddleware: RouterMiddleware {
    typealias Context = TandemRequestContext
    static let histogram = TandemMetrics.statementsPerRequest

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let tally = StatementTally.current ?? StatementTally()
        let before = tally.statements
        defer {
            let route = context.endpointPath ?? "unmatched"
            Recorder(label: Self.histogram, dimensions: [("route", route)], aggregate: true).record(tally.statements - before)
        }
        return try await StatementTally.$current.withValue(tally) { try await next(request, context) }
    }
}
