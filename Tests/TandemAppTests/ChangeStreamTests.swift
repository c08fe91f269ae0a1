import Foundation
import Testing
import TandemCore
@testable import TandemApp

/// The typed change stream: every change of a product numbered 1, 2, 3 … in commit order, read from any point, and
/// carrying only what every member may see.
@Suite("Change stream")
struct ChangeStreamTests {
    static func changes(_ api: TestAPI, product: String, token: String, after: Int = 0) async throws -> [JSONValue] {
        var all: [JSONValue] = [], from = after
        while true {
            let page = try await api.call(.get, "/api/v1/products/\(product)/changes?after=\(from)&limit=200", token: token)
            #expect(page.status == .ok, "\(page.text)")
            let items = page.json["items"]?.array ?? []
            all += items
            guard let last = items.last?["seq"]?.number, items.count == 200 else { return all }
            from = Int(last)
        }
    }

    @Test(arguments: TestEngine.all)
    func changesAreTypedNumberedAndReadFromAnyPoint(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let a = try await f.item("Pay by card"), b = try await f.item("Pay by wallet")
            try await api.call(.post, "/api/v1/items/\(b["id"]!.string!)/move", token: f.po.token, body: ["to": "top", "version": b["version"]!])
            let all = try await Self.changes(api, product: f.productID, token: f.stakeholder.token)
            #expect(all.map { $0["seq"]?.number } == (1...all.count).map { Double($0) }, "numbered 1, 2, 3 … without a gap")
            #expect(all.first?["type"]?.string == "product.created")
            let created = all.filter { $0["type"]?.string == "item.created" }
            #expect(created.map { $0["subject"]?["ref"]?.string } == [a["ref"]?.string, b["ref"]?.string])
            #expect(created.first?["data"]?["title"]?.string == "Pay by card" && created.first?["actor"]?["id"]?.string == f.po.id)
            #expect(all.last?["type"]?.string == "item.moved" && all.last?["subject"]?["type"]?.string == "item")
            let page = try await api.call(.get, "/api/v1/products/\(f.productID)/changes?after=\(all.count - 2)&limit=1", token: f.dev.token)
            #expect(page.json["items"]?.array.map { $0["seq"]?.number } == [Double(all.count - 1)] && page.json["latestSeq"]?.number == Double(all.count))
            let beyond = try await api.call(.get, "/api/v1/products/\(f.productID)/changes?after=\(all.count + 10)", token: f.dev.token)
            #expect(beyond.json["items"]?.array.isEmpty == true && beyond.json["latestSeq"]?.number == Double(all.count))
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/changes?after=-1", token: f.dev.token).errorField == "after")
            let outsider = try await api.person("Otto")
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/changes", token: outsider.token).status == .notFound)
            // Every recorded change matches its kind's declaration (the document's schema of `data` is built from it).
            for change in all {
                let type = try #require(ChangeType(rawValue: change["type"]?.string ?? ""))
                guard case .object(let data)? = change["data"] else { Issue.record("no data"); continue }
                #expect(type.mismatch(in: data) == nil, "\(type.rawValue): \(data)")
            }
        }
    }

    /// Many clients creating and moving items of one product at once: one change per acknowledged write, numbered
    /// without a gap, in commit order (items' numbers, given under the same lock, rise with their changes').
    @Test(arguments: TestEngine.all)
    func concurrentWritesAreNumberedWithoutGapsInCommitOrder(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let before = try await Self.changes(api, product: f.productID, token: f.po.token).count
            let results = try await withThrowingTaskGroup(of: (String, Int).self) { group in
                for n in 0..<24 {
                    group.addTask {
                        let created = try await api.call(.post, "/api/v1/products/\(f.productID)/items", token: f.po.token, body: ["title": .string("Concurrent \(n)"), "kind": "story"])
                        guard created.status == .created, let id = created.json["id"]?.string else { return ("", 0) }
                        var moved = 0
                        for _ in 0..<2 {
                            let current = try await api.call(.get, "/api/v1/items/\(id)", token: f.po.token)
                            let move = try await api.call(.post, "/api/v1/items/\(id)/move", token: f.po.token, body: ["to": "top", "version": current.json["version"] ?? 1])
                            if move.status == .ok { moved += 1 }
                        }
                        return (id, moved)
                    }
                }
                var all: [(String, Int)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let acknowledged = results.filter { !$0.0.isEmpty }
            let all = try await Self.changes(api, product: f.productID, token: f.po.token)
            #expect(all.map { $0["seq"]?.number } == (1...all.count).map { Double($0) }, "no gap")
            let new = all.dropFirst(before)
            #expect(new.filter { $0["type"]?.string == "item.created" }.count == acknowledged.count)
            #expect(new.filter { $0["type"]?.string == "item.moved" }.count == acknowledged.reduce(0) { $0 + $1.1 }, "one change per acknowledged move")
            #expect(new.count == acknowledged.count + acknowledged.reduce(0) { $0 + $1.1 })
            let refs = new.filter { $0["type"]?.string == "item.created" }.compactMap { $0["subject"]?["ref"]?.string?.split(separator: "-").last.flatMap { Int($0) } }
            #expect(refs == refs.sorted(), "items numbered in the order their changes committed")
        }
    }

    /// What only some may see never travels in a change: a vote before the reveal, one side's answers to a check,
    /// a stakeholder's feedback. Read as every accountability, none of it is in the stream.
    @Test(arguments: TestEngine.all)
    func secretsStayOutOfTheStream(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let (_, roundID, _) = try await f.secrets()
            #expect(try await api.call(.post, "/api/v1/products/\(f.productID)/feedback", token: f.stakeholder.token, body: ["text": "Secret feedback for the Product Owner"]).status == .created)
            for reader in [f.po, f.sm, f.dev, f.dev2, f.stakeholder] {
                let all = try await Self.changes(api, product: f.productID, token: reader.token)
                let text = String(decoding: try JSONEncoder().encode(JSONValue.array(all)), as: UTF8.self)
                let voted = all.first { $0["type"]?.string == "estimation.voted" }
                #expect(voted?["data"] == ["roundId": .string(roundID)] && voted?["actor"]?["id"]?.string == f.dev.id, "that a vote was cast, by whom")
                #expect(!text.contains("\"points\""), "no vote's points before the reveal")
                #expect(all.first { $0["type"]?.string == "partnership_check.answered" }?["data"] == ["side": "scrumMaster"])
                #expect(!text.contains("Secret comment") && !text.contains("\"ratings\""), "one side's answers stay hidden")
                #expect(all.first { $0["type"]?.string == "feedback.given" }?["data"] == .object([:]))
                #expect(!text.contains("Secret feedback"), "the feedback's text is the Product Owner's to read")
            }
        }
    }
}

extension BacklogFixture {
    /// What only some may see, set up once for the tests that check it stays hidden: an open estimation round with
    /// a Developer's unrevealed vote of 40, and a health check the Scrum Master answered alone.
    func secrets(item title: String = "Estimate me") async throws -> (itemID: String, roundID: String, checkID: String) {
        let item = try await self.item(title)
        let itemID = try #require(item["id"]?.string)
        let round = try await api.call(.post, "/api/v1/items/\(itemID)/estimation-rounds", token: sm.token)
        let roundID = try #require(round.json["id"]?.string)
        #expect(try await api.call(.put, "/api/v1/items/\(itemID)/estimation-rounds/\(roundID)/vote", token: dev.token, body: ["points": 40]).status == .ok)
        let check = try await api.call(.post, "/api/v1/teams/\(teamID)/partnership-checks", token: sm.token, body: [:])
        let checkID = try #require(check.json["id"]?.string)
        var ratings: [String: JSONValue] = [:]
        for foundation in PartnershipFoundation.allCases { ratings[foundation.rawValue] = 2 }
        #expect(try await api.call(.put, "/api/v1/partnership-checks/\(checkID)/responses", token: sm.token,
                                   body: ["ratings": .object(ratings), "expectationsMet": [], "comment": "Secret comment of the Scrum Master"]).status == .ok)
        return (itemID, roundID, checkID)
    }
}
