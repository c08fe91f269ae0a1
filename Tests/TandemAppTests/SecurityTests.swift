import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TandemApp
import TandemCore

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

    // MARK: Login limits

    static func logIn(_ api: TestAPI, _ email: String, _ password: String, from address: String? = nil) async throws -> TestResult {
        var headers: HTTPFields = [:]
        if let address { headers[HTTPField.Name("X-Forwarded-For")!] = address }
        return try await api.call(.post, "/api/v1/sessions", json: #"{"email": "\#(email)", "password": "\#(password)"}"#, headers: headers)
    }

    /// Behind a trusted proxy (the live server's peer is 127.0.0.1) each client address has its own count.
    @Test(arguments: TestEngine.all)
    func failedLoginsAreLimitedPerAccountAndAddress(engine: TestEngine) async throws {
        try await withTandem(engine, setup: .live, configure: {
            $0.loginThrottle = LoginThrottle(perAccountAndAddress: 3, perAddress: 6, windowMillis: 15 * 60 * 1000)
            $0.trustedProxies = ["127.0.0.1"]
        }) { api, _ in
            let paula = try await api.person("Paula")
            let attacker = "203.0.113.7", office = "198.51.100.2"
            for attempt in 1...3 {
                let wrong = try await Self.logIn(api, paula.email, "wrong-password", from: attacker)
                #expect(wrong.status == .unauthorized, "attempt \(attempt)")
            }
            let limited = try await Self.logIn(api, paula.email, "wrong-password", from: attacker)
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode == "too_many_attempts")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...900).contains(retryAfter))
            // the right password from the limited address waits too: the limit is not a hint
            #expect(try await Self.logIn(api, paula.email, "correct-horse", from: attacker).status == .tooManyRequests)

            // the Product Owner is not locked out from elsewhere, and a success there clears only that count
            #expect(try await Self.logIn(api, paula.email, "wrong-password", from: office).status == .unauthorized)
            #expect(try await Self.logIn(api, paula.email, "wrong-password", from: office).status == .unauthorized)
            #expect(try await Self.logIn(api, paula.email, "correct-horse", from: office).status == .created)
            for _ in 1...3 { #expect(try await Self.logIn(api, paula.email, "wrong-password", from: office).status == .unauthorized) }
            #expect(try await Self.logIn(api, paula.email, "correct-horse", from: office).status == .tooManyRequests)
            #expect(try await Self.logIn(api, paula.email, "correct-horse", from: attacker).status == .tooManyRequests)

            // one address trying many accounts meets the higher ceiling
            let sprayer = "192.0.2.99"
            for index in 1...6 {
                #expect(try await Self.logIn(api, "nobody\(index)@example.com", "wrong-password", from: sprayer).status == .unauthorized)
            }
            #expect(try await Self.logIn(api, "nobody7@example.com", "wrong-password", from: sprayer).status == .tooManyRequests)
            #expect(try await Self.logIn(api, paula.email, "correct-horse", from: sprayer).status == .tooManyRequests)
        }
    }

    /// Without a trusted proxy, `X-Forwarded-For` is the client's own words and changes nothing; the form says it in words.
    @Test func aForgedForwardedForDoesNotEscapeTheLimitAndTheFormExplains() async throws {
        try await withTandem(.sqlite, configure: { $0.loginThrottle = LoginThrottle(perAccountAndAddress: 2, perAddress: 50) }) { api, _ in
            let paula = try await api.person("Paula")
            #expect(try await Self.logIn(api, paula.email, "wrong-password", from: "1.1.1.1").status == .unauthorized)
            #expect(try await Self.logIn(api, paula.email, "wrong-password", from: "2.2.2.2").status == .unauthorized)
            #expect(try await Self.logIn(api, paula.email, "wrong-password", from: "3.3.3.3").status == .tooManyRequests)

            var browser = Browser(client: api.client)
            _ = try await browser.get("/login")
            let form = try await browser.post("/login", form: ["csrf": browser.csrf, "email": paula.email, "password": "correct-horse"])
            #expect(form.status == .tooManyRequests)
            #expect(form.headers[.retryAfter] != nil)
            #expect(form.text.contains("Too many failed logins from here"))
            #expect(form.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    /// An unknown email is checked against a hash of the configured cost, so it takes as long as a wrong password.
    @Test func unknownEmailsCostAsMuchAsKnownOnes() async throws {
        try await withTandem(.sqlite, configure: { $0.bcryptCost = 5 }) { api, services in
            let paula = try await api.person("Paula")
            #expect(try await Self.logIn(api, "nobody@example.com", "wrong-password").status == .unauthorized)
            let decoy = try await services.accounts.decoy.value()
            let real = try await services.database.read { db in
                try await db.select().column("password_hash").from("users").where("id", .equal, paula.id).first()?.decode(column: "password_hash", as: String.self)
            }
            func cost(_ hash: String?) -> Int? { hash?.split(separator: "$").dropFirst().first.flatMap { Int($0) } }
            #expect(cost(decoy) == 5, "decoy \(decoy)")
            #expect(cost(real) == 5, "real \(real ?? "")")
        }
    }

    // MARK: CSRF

    @Test(arguments: TestEngine.all)
    func csrfTokensAreBoundToTheSessionAndRenewedAtLogin(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            _ = try await api.person("Paula")
            // a cookie and field the server never issued, as a double-submit check would have accepted them
            let nonce = String(repeating: "A", count: 43)
            let forged = try await api.client.execute(
                uri: "/signup", method: .post,
                headers: [.cookie: "\(CSRFProtection.nonceCookie)=\(nonce)", .contentType: "application/x-www-form-urlencoded", .accept: "text/html"],
                body: ByteBuffer(string: "csrf=\(nonce)&displayName=Eve&email=eve%40example.com&password=correct-horse")
            )
            #expect(forged.status == .forbidden)

            var browser = Browser(client: api.client)
            _ = try await browser.get("/login")
            let anonymous = browser.csrf
            try await browser.logIn("paula@example.com")
            let first = browser.csrf
            #expect(!first.isEmpty && first != anonymous, "logging in renews the token")
            let stale = try await browser.post("/products", form: ["csrf": anonymous, "name": "Atlas", "key": "ATL"])
            #expect(stale.status == .forbidden)

            // another session of the same person has its own token
            var other = Browser(client: api.client)
            try await other.logIn("paula@example.com")
            #expect(other.csrf != first)
            #expect(try await other.post("/products", form: ["csrf": first, "name": "Atlas", "key": "ATL"]).status == .forbidden)
            #expect(try await other.post("/products", form: ["csrf": other.csrf, "name": "Atlas", "key": "ATL"]).status == .seeOther)

            // after logging out and in again, the old token is worth nothing
            _ = try await browser.post("/logout", form: ["csrf": first])
            try await browser.logIn("paula@example.com")
            #expect(browser.csrf != first)
            #expect(try await browser.post("/products", form: ["csrf": first, "name": "Orbit", "key": "ORB"]).status == .forbidden)

            // the key lives in the database: a second process (a new cache) derives the same tokens
            let again = try await InstanceSecrets(database: services.database, stamps: .system).key("csrf")
            let original = try await services.secrets.key("csrf")
            #expect(again == original)
        }
    }

    // MARK: Sizes and lengths

    @Test func aHugeFormIs413WithAReadablePage() async throws {
        try await withTandem(.sqlite) { api, _ in
            let body = "email=" + String(repeating: "a", count: 10 * 1024 * 1024)
            let response = try await api.client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body)
            )
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: response.body).contains("larger than Tandem accepts"))
        }
    }

    /// 200 "characters" of one letter with thousands of combining marks each were accepted as a 200-character title.
    @Test func lengthsCountCodePointsNotGraphemes() async throws {
        try await withTandem(.sqlite) { api, _ in
            let f = try await BacklogFixture.make(api)
            let heavy = "a" + String(repeating: "\u{0301}", count: 4800)
            #expect(heavy.count == 1)
            let title = try await api.call(.post, "/api/v1/products/\(f.productID)/items", token: f.po.token, body: ["title": .string(heavy), "kind": "story"])
            #expect(title.status == .unprocessableContent)
            #expect(title.errorField == "title")
            let name = try await api.call(.post, "/api/v1/products", token: f.po.token, body: ["name": .string(heavy), "key": "HEAVY"])
            #expect(name.errorField == "name")
            // 200 code points, however many bytes, is still fine
            let emoji = String(repeating: "🚀", count: 200)
            let fits = try await api.call(.post, "/api/v1/products/\(f.productID)/items", token: f.po.token, body: ["title": .string(emoji), "kind": "story"])
            #expect(fits.status == .created)
        }
    }

    // MARK: What other products hold

    /// A reference into a product the caller cannot see is answered exactly like one that does not exist.
    @Test(arguments: TestEngine.all)
    func itemsOfHiddenProductsAreIndistinguishableFromMissingOnes(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api, key: "OPEN")
            let outsider = try await api.person("Olivia")
            let secretID = try #require(try await api.product("Secret", key: "SECRET", token: outsider.token)["id"]?.string)
            try await api.call(.post, "/api/v1/products/\(secretID)/items", token: outsider.token, body: ["title": "Hidden", "kind": "epic"])
            let mine = try await f.item("Mine")
            let mineID = try #require(mine["id"]?.string)

            func answers(_ reference: String) async throws -> [String] {
                var texts: [String] = []
                let version = Int(try await api.call(.get, "/api/v1/items/\(mineID)", token: f.po.token).json["version"]?.number ?? 1)
                for (method, path, body) in [
                    (HTTPRequest.Method.post, "/api/v1/items/\(mineID)/dependencies", #"{"blockedBy": "\#(reference)"}"#),
                    (.post, "/api/v1/items/\(mineID)/move", #"{"before": "\#(reference)", "version": \#(version)}"#),
                    (.post, "/api/v1/items/\(mineID)/proposals", #"{"after": "\#(reference)", "rationale": "next to it"}"#),
                    (.post, "/api/v1/products/\(f.productID)/items", #"{"title": "Child", "kind": "story", "parentId": "\#(reference)"}"#),
                    (.post, "/api/v1/products/\(f.productID)/backlog/reorder", #"{"itemIds": ["\#(mineID)", "\#(reference)"]}"#),
                ] {
                    let token = path.hasSuffix("proposals") ? f.dev.token : f.po.token
                    let result = try await api.call(method, path, token: token, json: body)
                    texts.append("\(result.status.code) \(result.text.replacingOccurrences(of: reference, with: "REF"))")
                }
                return texts
            }
            let existing = try await answers("SECRET-1")
            let missing = try await answers("SECRET-99")
            #expect(existing == missing)
            #expect(existing.allSatisfy { $0.hasPrefix("422") }, "\(existing)")

            // a product the caller can see still gets the precise answer
            let otherID = try #require(try await api.product("Second", key: "SECOND", token: f.po.token)["id"]?.string)
            let theirs = try await api.call(.post, "/api/v1/products/\(otherID)/items", token: f.po.token, body: ["title": "Theirs", "kind": "story"])
            let cross = try await api.call(.post, "/api/v1/items/\(mineID)/dependencies", token: f.po.token, body: ["blockedBy": theirs.json["ref"] ?? .null])
            #expect(cross.errorCode == "cross_product_dependency")
        }
    }

    // MARK: Metrics

    @Test func anOperatorCanRestrictMetrics() async throws {
        let secret = "metrics-secret-0123456789"
        try await withTandem(.sqlite, configure: { $0.metricsToken = secret }) { api, _ in
            #expect(try await api.call(.get, "/metrics").status == .unauthorized)
            #expect(try await api.call(.get, "/metrics", token: "wrong-token-0123456789").status == .unauthorized)
            let allowed = try await api.call(.get, "/metrics", token: secret)
            #expect(allowed.status == .ok)
            #expect(allowed.text.contains("http_server_request_duration") || allowed.text.contains("hb_requests"))
        }
        try await withTandem(.sqlite) { api, _ in
            let open = try await api.call(.get, "/metrics")
            #expect(open.status == .ok, "open by default for local use")
        }
    }
}
