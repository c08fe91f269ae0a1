import Foundation
import Logging
import Testing
import TandemCore
@testable import TandemApp

/// The whole product as one document: everything of the demo product, nothing secret, nothing personal, and only
/// for its Product Owner.
@Suite("Product export")
struct ProductExportTests {
    @Test(arguments: TestEngine.all)
    func theProductOwnerTakesEverythingButTheSecrets(engine: TestEngine) async throws {
        try await withTandem(engine, configure: { $0.webhooksAllowPrivate = true }) { api, services in
            let f = try await BacklogFixture.make(api, key: "EXP")
            let (itemID, roundID, _) = try await f.secrets()
            _ = try await api.call(.post, "/api/v1/products/\(f.productID)/webhooks", token: f.po.token, body: ["url": "http://127.0.0.1:9/in", "events": ["*"], "secret": "a-webhook-secret-never-exported"])
            _ = try await api.call(.post, "/api/v1/products/\(f.productID)/questions", token: f.dev.token, body: ["text": "Is the export in scope?", "blocking": false])

            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/export", token: f.sm.token).status == .forbidden)
            let outsider = try await api.person("Otto")
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/export", token: outsider.token).status == .notFound)

            let answer = try await api.call(.get, "/api/v1/products/\(f.productID)/export", token: f.po.token)
            #expect(answer.status == .ok && answer.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = answer.json
            #expect(document["format"] == "tandem-export" && document["version"] == 1)
            #expect(document["product"]?["key"] == "EXP" && document["product"]?["id"]?.string == f.productID)
            let items = document["items"]?.array ?? []
            #expect(items.count == 1 && items[0]["title"] == "Estimate me" && items[0]["rank"]?.string != nil, "items with their ranks")
            #expect((document["teams"]?.array.count ?? 0) == 1 && (document["teamMembers"]?.array.count ?? 0) >= 3)
            let changes = document["changes"]?.array ?? []
            let latest = try await api.call(.get, "/api/v1/products/\(f.productID)/changes?limit=1", token: f.po.token).json["latestSeq"]
            #expect(changes.count == Int(latest?.number ?? -1) && changes.last?["seq"] == latest, "the whole change stream")
            #expect((document["estimationRounds"]?.array.count ?? 0) == 1 && document["estimationVotes"]?.array.isEmpty == true, "no vote before the reveal")
            #expect((document["partnershipChecks"]?.array.count ?? 0) == 1 && document["partnershipResponses"]?.array.isEmpty == true, "no side's answers while the check is open")
            #expect(!answer.text.contains("Secret comment") && !answer.text.contains("a-webhook-secret") && !answer.text.contains("password"))
            #expect(document["notifications"] == nil && document["webhooks"] == nil)
            let people = document["people"]?.array ?? []
            let emails = Set(people.compactMap { $0["email"]?.string })
            #expect(emails.isSuperset(of: [f.po.email, f.sm.email, f.dev.email]), "the people the rows name, by email")

            // Once revealed, the vote is everyone's to see, and the export's.
            #expect(try await api.call(.post, "/api/v1/items/\(itemID)/estimation-rounds/\(roundID)/reveal", token: f.sm.token).status == .ok)
            let after = try await api.call(.get, "/api/v1/products/\(f.productID)/export", token: f.po.token).json
            #expect(after["estimationVotes"]?.array.count == 1 && after["estimationVotes"]?[0]?["points"] == 40)
            _ = services
        }
    }
}
