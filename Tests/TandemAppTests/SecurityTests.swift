import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TandemApp

/// The defects found by probing the running server as an attacker would, one test each.
@Suite("Security")
struct SecurityTests {
    /// The API takes bearer tokens only: a session cookie must not work on any spelling of an API path,
    /// or a cross-site `text/plain` POST could mint a token with the visitor's session.
    @Test(arguments: TestEngine.all)
    func theAPINeverTakesTheSessionCookie(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            _ = try await api.person("Paula")
            var browser = Browser(client: api.client)
            try await browser.logIn("paula@example.com")
            let session = try #require(browser.cookies[IdentityMiddleware.sessionCookie])
            let spellings = [
                "/api/v1/tokens", "//api/v1/tokens", "/./api/v1/tokens", "/%61pi/v1/tokens", "/api//v1/tokens", "/api/v1//tokens",
                "/api/v1/./tokens", "/x/../api/v1/tokens", "/api/v1/tokens/", "///api/v1/tokens", "/%2Fapi/v1/tokens", "/api/%761/tokens",
                "/api/v1/%74okens", "//api//v1//tokens//",
            ]
            for path in spellings {
                let headers: HTTPFields = [.cookie: "\(IdentityMiddleware.sessionCookie)=\(session)", .contentType: "text/plain"]
                let minted = try await api.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: #"{"name": "stolen"}"#))
                #expect(minted.status != .created, "\(path) minted a token with the session cookie")
                let me = try await api.client.execute(uri: path.replacingOccurrences(of: "tokens", with: "me"), method: .get, headers: headers)
                #expect(me.status != .ok, "\(path) answered /me for the session cookie")
            }
            let tokens = try await services.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM auth_tokens WHERE kind = 'api'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(tokens == 0)
        }
    }
}
