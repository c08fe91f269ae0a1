import Hummingbird
import Logging

/// Who is calling, resolved once per request by `IdentityMiddleware` (pages) or `BearerAuthentication` (the API).
public struct Identity: Sendable {
    /// How the caller proved who they are; the API accepts only `.bearer`, the pages only `.session`.
    public enum Source: Sendable { case bearer, session }

    public let user: UserRow
    /// The token (or session) the request came with, so logout can end exactly it.
    public let tokenID: String
    public let source: Source
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
