import Hummingbird
import Logging

/// Who is calling, resolved once per request by `IdentityMiddleware` (pages) or `BearerAuthentication` (the API).
public struct Identity: Sendable {
    /// How the caller proved who they are; the API accepts only `.bearer`, the pages only `.session`.
    public enum Source: Sendable { case bearer, session }

    /// The person, as every handler needs them (never the password hash).
    public struct User: Sendable, Equatable {
        public let id: String
        public let email: String
        public let displayName: String
        public let createdAt: Int64

        public init(id: String, email: String, displayName: String, createdAt: Int64) {
            self.id = id
            self.email = email
            self.displayName = displayName
            self.createdAt = createdAt
        }
    }

    public let user: User
    /// The token (or session) the request came with, so logout can end exactly it.
    public let tokenID: String
    public let source: Source
    /// Unread in-app notifications, read with the session for the pages' header (0 for API calls).
    public var unreadNotifications: Int
    /// Of those, the ones linking to the page being opened: opening it is reading them.
    public var unreadHere: Int

    public init(user: User, tokenID: String, source: Source, unreadNotifications: Int = 0, unreadHere: Int = 0) {
        self.user = user
        self.tokenID = tokenID
        self.source = source
        self.unreadNotifications = unreadNotifications
        self.unreadHere = unreadHere
    }
}

/// Turns a bearer token or session cookie into the caller; the accounts feature provides it, so the plumbing
/// that authenticates every request knows no feature. `page` is the path of a page being opened.
public protocol Authenticator: Sendable {
    func authenticate(token: String, source: Identity.Source, page: String?) async throws -> Identity?
}

/// Marks read what a person was told about when they open the page it links to; the partnership's notifications
/// provide it.
public protocol NotificationsSeen: Sendable {
    func markSeen(userID: String, link: String) async throws -> Int
}

/// The request context of every Tandem route: Hummingbird's core storage plus the caller.
public struct TandemRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// The connection's peer; `ClientAddressMiddleware` turns it into `clientAddress`.
    public let peerAddress: String?
    /// Who the request comes from, behind trusted proxies too; the login throttle counts by it.
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.clientAddress = peerAddress ?? "unknown"
    }

    /// 401 unless the request carried a valid token or session.
    func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized }
        return identity
    }

    /// A path parameter that the route itself declares, so its absence is a programming error turned into 404.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw APIError.notFound("The resource") }
        return value
    }
}
