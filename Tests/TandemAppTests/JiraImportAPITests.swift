import Foundation
import Testing
import TandemCore
@testable import TandemApp

/// The Jira fixture imported through the import paths: items in order, the team's sprint history giving velocity
/// and a forecast at once, say/do passing the imported sprints over, a second import updating instead of adding,
/// and a broken file writing nothing.
@Suite("Jira import")
struct JiraImportAPITests {
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/jira/\(name)"))
    }

    @Test(arguments: TestEngine.all)
    func aJiraExportGivesABacklogAndAVelocityHistory(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let ana = try await api.person("Ana")
            let importer = JiraImporter(database: services.database, stamps: services.stamps)
            let request = JiraImporter.Request(data: try Self.fixture("jira-cloud.csv"), productKey: "ORB", create: ("Orbit", ana.email), team: "Rockets")

            var dry = request
            dry.dryRun = true
            do {
                _ = try await importer.run(dry)
                Issue.record("a dry run ends by rolling back")
            } catch let rolledBack as JiraImporter.DryRun {
                #expect(rolledBack.report.itemsCreated == 9 && rolledBack.report.sprintsCreated == 4)
            }
            #expect(try await api.call(.get, "/api/v1/products", token: ana.token).json["items"]?.array.isEmpty == true, "a dry run writes nothing")

            let report = try await importer.run(request)
            #expect(report.problems.isEmpty && report.itemsCreated == 9 && report.sprintsCreated == 4 && report.dependencies == 1, "\(report.problems)")
            let productID = report.productID
            let backlog = try await api.call(.get, "/api/v1/products/\(productID)/backlog?status=open,planned,done&limit=50", token: ana.token).json["items"]?.array ?? []
            #expect(backlog.compactMap { $0["title"]?.string } == ["Checkout redesign", "Pay with a saved card", "Card vault migration", "Receipt e-mail has the wrong VAT",
                                                                 "Legal review of stored cards", "Faster address lookup", "Spike: Apple Pay", "Gift cards", "Invoice PDF"], "the file's order")
            let vault = try #require(backlog.first { $0["title"] == "Card vault migration" })
            #expect(vault["status"] == "done" && vault["estimate"] == 8 && vault["blockedBy"]?[0]?["ref"] == "ORB-2" && vault["parentId"] == backlog[0]["id"])
            #expect(backlog.first { $0["title"] == "Legal review of stored cards" }?["kind"] == "story")

            let product = try await api.call(.get, "/api/v1/products/\(productID)", token: ana.token).json
            let teamID = try #require(product["teams"]?[0]?["id"]?.string)
            #expect(product["teams"]?[0]?["name"] == "Rockets")
            let velocity = try await api.call(.get, "/api/v1/teams/\(teamID)/velocity", token: ana.token).json
            #expect(velocity["sprints"]?.array.map { $0["donePoints"] } == [5, 11, 13, 6])
            #expect(velocity["sprints"]?.array.allSatisfy { $0["imported"] == true } == true && velocity["sprints"]?[0]?["externalName"] == "ORB Sprint 1 (7 Oct - 18 Oct 2024)")
            #expect(velocity["sayDoRatio"] == .null, "no commitment was frozen, so no say/do")
            let forecast = try await api.call(.post, "/api/v1/products/\(productID)/forecasts", token: ana.token, body: ["mode": "when", "remainingPoints": 40, "teamId": .string(teamID)])
            #expect(forecast.status == .ok || forecast.status == .created, "a forecast works right after the import: \(forecast.text)")
            let changes = try await api.call(.get, "/api/v1/products/\(productID)/changes?limit=200", token: ana.token).json["items"]?.array ?? []
            #expect(changes.filter { $0["type"] == "item.created" }.count == 9 && changes.filter { $0["type"] == "sprint.imported" }.count == 4)

            // Again, with one summary changed: the item is updated, nothing is added.
            var text = String(decoding: try Self.fixture("jira-cloud.csv"), as: UTF8.self)
            text = text.replacingOccurrences(of: "Invoice PDF", with: "Invoice as PDF")
            var again = request
            again.data = Data(text.utf8)
            again.create = nil
            let second = try await importer.run(again)
            #expect(second.itemsCreated == 0 && second.itemsUpdated == 1 && second.sprintsCreated == 0 && second.sprintsKept == 4, "\(second)")

            // A broken file: every problem with its line, nothing written.
            var broken = again
            broken.data = try Self.fixture("jira-broken.csv")
            let refused = try await importer.run(broken)
            #expect(refused.problems.count == 3 && refused.problems[0].hasPrefix("line 2, Created"))
            let after = try await api.call(.get, "/api/v1/products/\(productID)/changes?limit=1", token: ana.token).json["latestSeq"]
            #expect(after == .number(Double(changes.count + 1)), "only the one update since")
        }
    }
}
