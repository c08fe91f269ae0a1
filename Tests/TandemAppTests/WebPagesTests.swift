import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TandemApp

/// A browser's cookie jar and the CSRF token of the last page it saw, enough to walk the pages through the router.
struct Browser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// The hidden `csrf` field of the last page, as a form on it would send it.
    private(set) var csrf = ""

    mutating func get(_ path: String) async throws -> TestResult {
        try await send(.get, path, form: nil)
    }

    mutating func post(_ path: String, form: [String: String], accept: String = "text/html") async throws -> TestResult {
        try await send(.post, path, form: form, accept: accept)
    }

    /// Logs in through the page, as a person would, and lands on the home page (with the new session's token).
    mutating func logIn(_ email: String, password: String = "correct-horse") async throws {
        _ = try await get("/login")
        let result = try await post("/login", form: ["csrf": csrf, "email": email, "password": password])
        #expect(result.status == .seeOther, "login of \(email): \(result.status)")
        _ = try await get("/")
    }

    private mutating func send(_ method: HTTPRequest.Method, _ path: String, form: [String: String]?, accept: String = "text/html") async throws -> TestResult {
        var headers: HTTPFields = [.accept: accept]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            let encoded = form.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&")
            body = ByteBuffer(string: encoded)
        }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = value }
        }
        let result = TestResult(status: response.status, headers: response.headers, text: String(buffer: response.body))
        if let range = result.text.range(of: #"name="csrf" value=""#) {
            csrf = String(result.text[range.upperBound...].prefix { $0 != "\"" })
        }
        return result
    }
}

@Suite("Web pages")
struct WebPagesTests {
    @Test(arguments: TestEngine.all)
    func signUpCreateAProductAndAddATeam(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            var browser = Browser(client: api.client)
            let signupPage = try await browser.get("/signup")
            #expect(signupPage.status == .ok)
            #expect(!browser.csrf.isEmpty)
            let csrfCookie = signupPage.headers[values: .setCookie].first { $0.hasPrefix(CSRFProtection.nonceCookie) } ?? ""
            #expect(csrfCookie.contains("HttpOnly"))
            #expect(csrfCookie.contains("SameSite=Lax"))

            let signup = try await browser.post("/signup", form: ["csrf": browser.csrf, "displayName": "Paula", "email": "paula@example.com", "password": "correct-horse"])
            #expect(signup.status == .seeOther)
            let session = signup.headers[values: .setCookie].first { $0.hasPrefix(IdentityMiddleware.sessionCookie) } ?? ""
            #expect(session.contains("HttpOnly"))
            #expect(session.contains("SameSite=Lax"))

            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.text.contains("Your products"))

            let created = try await browser.post("/products", form: ["csrf": browser.csrf, "name": "Atlas <Orbit>", "key": "ATL"])
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let productPage = try await browser.get(location)
            #expect(productPage.text.contains("Atlas &lt;Orbit&gt;"))
            #expect(productPage.text.contains("Product Owner"))

            let team = try await browser.post(location + "/teams", form: ["csrf": browser.csrf, "name": "Rockets"])
            #expect(team.status == .seeOther)
            #expect(try await browser.get(location).text.contains("Rockets"))

            // A rule broken through a form comes back as a readable message on the page.
            let duplicate = try await browser.post("/products", form: ["csrf": browser.csrf, "name": "Again", "key": "ATL"])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.text.contains("Another product already uses the key ATL."))
        }
    }

    @Test func formsWithoutTheCSRFTokenChangeNothing() async throws {
        try await withTandem(.sqlite) { api, services in
            var browser = Browser(client: api.client)
            _ = try await browser.get("/signup")
            let forged = try await browser.post("/signup", form: ["csrf": "forged", "displayName": "Eve", "email": "eve@example.com", "password": "correct-horse"])
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("Reload the page"))
            let users = try await services.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) }
            #expect(users == 0)
        }
    }

    @Test func wrongPasswordShowsAMessageAndKeepsTheEmail() async throws {
        try await withTandem(.sqlite) { api, _ in
            _ = try await api.person("Paula")
            var browser = Browser(client: api.client)
            _ = try await browser.get("/login")
            let failed = try await browser.post("/login", form: ["csrf": browser.csrf, "email": "paula@example.com", "password": "nope-nope-nope"])
            #expect(failed.status == .unauthorized)
            #expect(failed.text.contains("The email or the password is not correct."))
            #expect(failed.text.contains(#"value="paula@example.com""#))
        }
    }

    @Test func attributeValuesAreEscaped() {
        #expect(H.escapeAttribute(#""><script>alert(1)</script>"#) == "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;")
        let node = H.field("Name", name: "name", value: #"x" onfocus="alert(1)"#)
        let html = String(decoding: HTML(lang: "en", head: [], body: [node, .text("<b>&amp;")]).render(), as: UTF8.self)
        #expect(html.contains("&lt;b&gt;&amp;amp;"), "text is escaped, an entity included")
        #expect(!html.contains(#"onfocus="alert"#))
    }

    @Test func pagesNeedALogin() async throws {
        try await withTandem(.sqlite) { api, _ in
            var browser = Browser(client: api.client)
            let home = try await browser.get("/")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/login")
            let product = try await browser.get("/products/anything?tab=x")
            #expect(product.status == .seeOther)
            #expect(product.headers[.location] == "/login?next=/products/anything%3Ftab%3Dx")
        }
    }

    /// Logged out, any page leads to the login page and back there; only local paths are followed.
    @Test func loginReturnsToThePageAskedFor() async throws {
        try await withTandem(.sqlite) { api, _ in
            let f = try await BacklogFixture.make(api)
            var browser = Browser(client: api.client)
            let backlog = "/products/\(f.productID)/backlog"
            let sent = try await browser.get(backlog)
            let location = try #require(sent.headers[.location])
            let form = try await browser.get(location)
            #expect(form.text.contains(#"name="next" value="\#(backlog)""#))
            let loggedIn = try await browser.post("/login", form: ["csrf": browser.csrf, "email": f.po.email, "password": "correct-horse", "next": backlog])
            #expect(loggedIn.headers[.location] == backlog)

            for hostile in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "/ok\u{0007}"] {
                var other = Browser(client: api.client)
                _ = try await other.get("/login")
                let result = try await other.post("/login", form: ["csrf": other.csrf, "email": f.po.email, "password": "correct-horse", "next": hostile])
                #expect(result.headers[.location] == "/", "\(hostile)")
            }
        }
    }

    /// A 404 or 403 met while logged in keeps the person's header, with a working log-out form.
    @Test func errorPagesShowWhoIsLoggedIn() async throws {
        try await withTandem(.sqlite) { api, _ in
            let f = try await BacklogFixture.make(api)
            var browser = Browser(client: api.client)
            try await browser.logIn(f.dev.email)
            let missing = try await browser.get("/items/NOPE-1")
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("DanaATL"))
            #expect(!missing.text.contains(">Log in<"))
            #expect(!browser.csrf.isEmpty)
            let logout = try await browser.post("/logout", form: ["csrf": browser.csrf])
            #expect(logout.status == .seeOther)
        }
    }
}

@Suite("Page routes")
struct SiteRouteTests {
    /// Links are the router's patterns with values filled in: one list serves both.
    @Test(arguments: [
        (SiteRoute.product("p1"), "/products/p1"),
        (.removeProductMember(productID: "p1", userID: "u2"), "/products/p1/members/u2/remove"),
        (.backlog("p1", query: "status=done"), "/products/p1/backlog?status=done"),
        (.estimationAction(itemID: "i1", roundID: "r2", action: "vote"), "/items/i1/estimation/r2/vote"),
        (.proposalDecision("x", accept: false), "/proposals/x/decline"),
        (.loginThen("/products/p1"), "/login?next=/products/p1"),
    ])
    func linksFillThePatterns(route: SiteRoute, path: String) {
        #expect(route.path == path)
    }
}

@Suite("HTML escaping")
struct EscapingTests {
    @Test(arguments: [
        ("plain 🚀 é", "plain 🚀 é", "plain 🚀 é"),
        (#"a & b <c> "d" 'e'"#, #"a &amp; b &lt;c&gt; "d" 'e'"#, "a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39;"),
        ("&lt; stays typed", "&amp;lt; stays typed", "&amp;lt; stays typed"),
        ("e\u{301}<", "e\u{301}&lt;", "e\u{301}&lt;"),
    ])
    func textAndAttributesAreEscapedByteWise(raw: String, text: String, attribute: String) {
        #expect(H.escapeText(raw) == text)
        #expect(H.escapeAttribute(raw) == attribute)
    }
}
