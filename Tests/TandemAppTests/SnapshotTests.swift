import Foundation
import HTTPTypes
import SnapshotTesting
import TandemApp
import TandemCore
import Testing

/// Whole pages and API exchanges compared byte for byte, on a pinned clock and sequential ids: a change to the
/// markup, a field or a header shows up as a diff to review (re-record with `SNAPSHOT_TESTING_RECORD=all`).
/// Both engines compare against the same snapshot, so SQLite and PostgreSQL answer alike.
@Suite("Snapshots")
struct SnapshotTests {
    /// 2026-11-26 09:00 UTC for every timestamp (ties are broken by the sequential ids); a fresh id sequence per test.
    static func stamps() -> Stamps { Stamps(clock: .pinned(at: 1_795_683_600_000, step: 0), ids: .sequential()) }

    /// The session's CSRF token is derived from a random secret and session id: the only bytes that may differ.
    /// One tag per line, so a change reads as a small diff.
    static func masked(_ html: String) -> String {
        html.replacingOccurrences(of: #"(name="csrf" value=|name="csrf-token" content=|data-csrf=)"[^"]*""#, with: "$1\"<csrf>\"", options: .regularExpression)
            .replacingOccurrences(of: "><", with: ">\n<")
    }

    /// A small but complete backlog: estimated and WSJF-scored items, an epic, a dependency, an open proposal and a declined item.
    static func backlog(_ api: TestAPI) async throws -> BacklogFixture {
        let f = try await BacklogFixture.make(api)
        try await f.item("Checkout epic", extra: ["kind": "epic"])
        try await f.item("Pay by card", extra: ["estimate": 5, "businessValue": 8, "timeCriticality": 5, "riskReduction": 3, "description": "As a shopper I pay by card."])
        try await f.item("Fix rounding <in> totals & tax", extra: ["kind": "bug", "estimate": 2])
        try await f.item("Spike: payment provider", extra: ["kind": "spike", "estimate": 3])
        try await f.item("Old idea")
        try await api.call(.post, "/api/v1/items/ATL-2/dependencies", token: f.po.token, body: ["blockedBy": "ATL-4"])
        try await api.call(.post, "/api/v1/items/ATL-3/proposals", token: f.dev.token, body: ["to": "top", "rationale": "Customers see wrong totals"])
        try await api.call(.post, "/api/v1/items/ATL-5/decline", token: f.po.token, body: ["reason": "Not part of the Product Goal"])
        return f
    }

    @Test(arguments: TestEngine.all)
    func backlogPage(engine: TestEngine) async throws {
        try await withTandem(engine, stamps: Self.stamps()) { api, _ in
            let f = try await Self.backlog(api)
            var browser = Browser(client: api.client)
            try await browser.logIn(f.po.email)
            let page = try await browser.get("/products/\(f.productID)/backlog")
            #expect(page.status == .ok)
            assertSnapshot(of: Self.masked(page.text), as: .lines, named: "product-owner")
        }
    }

    @Test(arguments: TestEngine.all)
    func moveExchange(engine: TestEngine) async throws {
        try await withTandem(engine, stamps: Self.stamps()) { api, _ in
            let f = try await Self.backlog(api)
            let body = #"{"before":"ATL-2","version":1}"#
            let path = "/api/v1/items/ATL-4/move"
            let result = try await api.call(.post, path, token: f.po.token, json: body)
            #expect(result.status == .ok)
            let shown: [HTTPField.Name] = [.contentType, .contentLength, .eTag, .allow, .location]
            let headers = shown.compactMap { name in result.headers[name].map { "\(name.canonicalName): \($0)" } }
            let exchange = """
                POST \(path)
                Authorization: Bearer <the Product Owner's token>
                Content-Type: application/json

                \(body)

                HTTP \(result.status.code)
                \(headers.joined(separator: "\n"))

                \(result.text)
                """
            assertSnapshot(of: exchange, as: .lines, named: "move-before")
        }
    }
}
