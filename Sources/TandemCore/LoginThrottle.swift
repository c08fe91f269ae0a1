import Foundation

/// Failed-login limits: guessing passwords is slowed per account-and-address (so a stranger elsewhere cannot lock
/// the Product Owner out) and capped per address (so one address cannot try every account).
public struct LoginThrottle: Sendable, Equatable {
    /// Failures allowed for one account from one address within `window`.
    public var perAccountAndAddress: Int
    /// Failures allowed from one address, whatever the accounts, within `window`.
    public var perAddress: Int
    /// How long a failure counts, in milliseconds.
    public var windowMillis: Int64

    public init(perAccountAndAddress: Int = 10, perAddress: Int = 100, windowMillis: Int64 = 15 * 60 * 1000) {
        self.perAccountAndAddress = perAccountAndAddress
        self.perAddress = perAddress
        self.windowMillis = windowMillis
    }

    /// Milliseconds until another attempt is allowed, or nil when one is allowed now.
    ///
    /// `failures` are the times of failures of one key (any order, older ones ignored); with `limit` or more inside
    /// the window, the wait lasts until enough of them have aged out to leave `limit - 1`.
    public func wait(failures: [Int64], limit: Int, now: Int64) -> Int64? {
        let recent = failures.filter { $0 > now - windowMillis && $0 <= now }.sorted()
        guard limit > 0, recent.count >= limit else { return nil }
        let mustExpire = recent[recent.count - limit]
        return max(1, mustExpire + windowMillis - now)
    }
}

/// Which address a request comes from: the peer, unless the peer is a reverse proxy the operator trusts, in
/// which case `X-Forwarded-For` is read from the right, skipping trusted proxies (a client can prepend anything).
public enum ClientAddress {
    public static func resolve(peer: String?, forwardedFor: String?, trustedProxies: Set<String>) -> String {
        let peerAddress = peer ?? "unknown"
        guard trustedProxies.contains(peerAddress), let forwardedFor else { return peerAddress }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            return hop
        }
        return hops.first ?? peerAddress
    }
}
