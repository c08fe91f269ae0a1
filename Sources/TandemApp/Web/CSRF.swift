import Crypto
import Foundation
import Hummingbird

/// CSRF tokens bound to the visitor: an HMAC, under a secret only the server knows, of the session (or, before
/// logging in, of a random nonce cookie). A token the server did not derive is refused, even with a matching
/// cookie; logging in starts a new session and so a new token.
struct CSRFProtection: Sendable {
    /// The pre-login nonce; HttpOnly and SameSite=Lax like the session cookie.
    static let nonceCookie = "tandem_csrf"
    let secrets: any KeyStore
    let secureCookies: Bool

    /// The token this request's forms carry, and a nonce cookie to set when an anonymous visitor has none yet.
    func token(_ request: Request, _ context: TandemRequestContext) async throws -> (token: String, cookie: Cookie?) {
        if let identity = context.identity, identity.source == .session {
            return (try await derive("session|" + identity.tokenID), nil)
        }
        if let nonce = request.cookies[Self.nonceCookie]?.value, Self.isNonce(nonce) {
            return (try await derive("anonymous|" + nonce), nil)
        }
        let nonce = Tokens.random()
        return (try await derive("anonymous|" + nonce), nonceCookie(nonce))
    }

    /// Whether a posted form carries this request's token; compared in constant time.
    func verify(_ submitted: String, _ request: Request, _ context: TandemRequestContext) async throws -> String? {
        let expected: String
        if let identity = context.identity, identity.source == .session {
            expected = try await derive("session|" + identity.tokenID)
        } else if let nonce = request.cookies[Self.nonceCookie]?.value, Self.isNonce(nonce) {
            expected = try await derive("anonymous|" + nonce)
        } else {
            return nil
        }
        return Tokens.constantTimeEqual(expected, submitted) ? expected : nil
    }

    /// A fresh nonce, set when someone logs in or out, so a token seen before is worth nothing after.
    func freshNonceCookie() -> Cookie { nonceCookie(Tokens.random()) }

    private func nonceCookie(_ nonce: String) -> Cookie {
        Cookie(name: Self.nonceCookie, value: nonce, path: "/", secure: secureCookies, httpOnly: true, sameSite: .lax)
    }

    private func derive(_ subject: String) async throws -> String {
        let key = try await secrets.key("csrf")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(subject.utf8), using: key)
        return Tokens.base64URL(Data(mac))
    }

    private static func isNonce(_ value: String) -> Bool {
        value.utf8.count == 43 && value.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }
}
