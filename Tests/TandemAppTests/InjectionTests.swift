import Foundation
import Testing
@testable import TandemApp

/// Stored script and markup injection: every text a person can type, shown on every page, head included.
@Suite("Injection into pages")
struct InjectionTests {
    /// Closes an attribute with either quote, then tries markup that would act if it were not escaped.
    static let payload = #"'"><meta http-equiv=refresh content="0;url=//evil.example"><script>alert(1)</script>"#
    static let image = #""'><img src=x onerror=alert(2)>"#

    /// What must never appear in a page: the payloads' markup, unescaped.
    static func expectEscaped(_ page: TestResult, _ label: String) {
        #expect(page.status.code < 500, "\(label): \(page.status)")
        for fragment in ["<meta http-equiv", "<script>alert", "<img src=x", "og:title", "twitter:title"] {
            #expect(!page.text.contains(fragment), "\(label) contains \(fragment)")
        }
    }

    @Test(arguments: TestEngine.all)
    func everyTypedTextIsEscapedOnEveryPage(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            // setup: the payload in every field a page shows
            let f = try await BacklogFixture.make(api, key: "INJ")
            try await api.call(.post, "/api/v1/users", body: ["email": "evil@example.com", "password": "correct-horse", "displayName": .string(Self.payload)])
            let evilToken = try await api.call(.post, "/api/v1/sessions", body: ["email": "evil@example.com", "password": "correct-horse"]).json["token"]?.string
            let evil = (token: try #require(evilToken), email: "evil@example.com")
            try await api.call(.post, "/api/v1/products/\(f.productID)/members", token: f.po.token, body: ["email": .string(evil.email), "accountability": "stakeholder"])
            let team = try await api.call(.post, "/api/v1/products/\(f.productID)/teams", token: f.po.token, body: ["name": .string(Self.image)])
            #expect(team.status == .created, "\(team.text)")
            let renamedProduct = try await api.product(Self.payload, key: "INJX", token: f.po.token)
            try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.po.token, body: ["items": [.string(Self.payload), .string(Self.image)]])
            let epic = try await f.item(Self.payload, extra: ["kind": "epic", "description": .string(Self.image), "acceptanceCriteria": .string(Self.payload)])
            let item = try await f.item(Self.image, token: evil.token, extra: ["description": .string(Self.payload), "parentId": epic["id"] ?? .null])
            let other = try await f.item("Plain")
            let itemID = try #require(item["id"]?.string)
            try await api.call(.post, "/api/v1/items/\(itemID)/dependencies", token: f.po.token, body: ["blockedBy": epic["id"] ?? .null])
            let proposal = try await api.call(.post, "/api/v1/items/\(itemID)/proposals", token: evil.token, body: ["to": "top", "rationale": .string(Self.payload)])
            #expect(proposal.status == .created, "\(proposal.text)")
            let declined = try await api.call(.post, "/api/v1/items/\(other["id"]?.string ?? "")/proposals", token: f.dev.token, body: ["to": "top", "rationale": .string(Self.image)])
            try await api.call(.post, "/api/v1/proposals/\(declined.json["id"]?.string ?? "")/decline", token: f.po.token, body: ["note": .string(Self.payload)])
            try await api.call(.post, "/api/v1/items/\(other["id"]?.string ?? "")/decline", token: f.po.token, body: ["reason": .string(Self.payload)])
            try await api.call(.post, "/api/v1/items/\(itemID)/estimation-rounds", token: f.sm.token)

            // every page, as the Product Owner and as the person who typed the payloads
            for email in [f.po.email, evil.email] {
                var browser = Browser(client: api.client)
                try await browser.logIn(email)
                let pages = [
                    "/", "/products/\(f.productID)", "/products/\(renamedProduct["id"]?.string ?? "")",
                    "/products/\(f.productID)/backlog", "/products/\(f.productID)/backlog?status=declined",
                    "/products/\(f.productID)/backlog?q=\(Self.payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                    "/items/\(item["ref"]?.string ?? "")", "/items/\(epic["ref"]?.string ?? "")", "/items/\(other["ref"]?.string ?? "")",
                    "/items/\(Self.payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")",
                ]
                for path in pages {
                    let page = try await browser.get(path)
                    Self.expectEscaped(page, "\(email) \(path)")
                }
                let head = try await browser.get("/items/\(item["ref"]?.string ?? "")")
                let title = head.text.components(separatedBy: "<title>").dropFirst().first?.components(separatedBy: "</title>").first ?? ""
                #expect(title.hasPrefix("INJ-") && title.contains("&gt;&lt;img src=x"), "the title is the escaped item title: \(title)")
            }

            // forms that show back what was typed
            var visitor = Browser(client: api.client)
            _ = try await visitor.get("/login")
            let email = #""><script>alert(1)</script>@evil.example"#
            Self.expectEscaped(try await visitor.post("/login", form: ["csrf": visitor.csrf, "email": email, "password": "wrong-password"]), "login form")
            _ = try await visitor.get("/signup")
            Self.expectEscaped(try await visitor.post("/signup", form: ["csrf": visitor.csrf, "email": email, "displayName": Self.payload, "password": "x"]), "signup form")
        }
    }

    @Test func theContentSecurityPolicyForbidsABaseElementAndThirdParties() async throws {
        try await withTandem(.sqlite) { api, _ in
            let page = try await api.call(.get, "/login")
            let policy = try #require(page.headers[.contentSecurityPolicy])
            #expect(policy.contains("base-uri 'none'"))
            #expect(policy.contains("default-src 'self'"))
            #expect(!page.text.contains("og:title"))
        }
    }
}
