import Foundation
import Logging
import Testing
import TandemCore
@testable import TandemApp

/// Export → import → export gives the same document, apart from ids, the key and the import's own change.
@Suite("Product import from an export")
struct ProductImportTests {
    static func export(_ services: TandemServices, _ productID: String) async throws -> Data {
        let bytes = Bytes()
        try await services.export.write(productID: productID) { bytes.data.append(contentsOf: $0) }
        return bytes.data
    }

    final class Bytes: @unchecked Sendable { var data = Data() }

    @Test(arguments: TestEngine.all)
    func exportImportExportIsStable(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            try await DemoSeed.seed(services: services, logger: Logger(label: "test"))
            let po = try await api.call(.post, "/api/v1/sessions", body: ["email": "po@tandem.demo", "password": "tandem-demo"])
            let token = try #require(po.json["token"]?.string)
            let productID = try #require(try await api.call(.get, "/api/v1/products", token: token).json["items"]?[0]?["id"]?.string)
            let first = try await Self.export(services, productID)

            let summary = try await ProductImport(database: services.database, accounts: services.accounts).restore(first, as: "COPY")
            #expect(summary.key == "COPY" && summary.peopleCreated == 0 && summary.peopleMatched >= 7, "the demo's people are here already")
            #expect((summary.rows["items"] ?? 0) > 50 && (summary.rows["changes"] ?? 0) > 100)

            // The new product is a product like any other: its backlog, its change stream continuing after the import.
            let backlog = try await api.call(.get, "/api/v1/products/\(summary.productID)/backlog?limit=3", token: token)
            #expect(backlog.status == .ok && backlog.json["items"]?[0]?["ref"]?.string?.hasPrefix("COPY-") == true, "\(backlog.text)")
            let original = try await api.call(.get, "/api/v1/products/\(productID)/backlog?limit=200", token: token).json["items"]?.array.map { $0["title"] } ?? []
            let copied = try await api.call(.get, "/api/v1/products/\(summary.productID)/backlog?limit=200", token: token).json["items"]?.array.map { $0["title"] } ?? []
            #expect(original == copied && !original.isEmpty, "the same backlog order")
            let changes = try await api.call(.get, "/api/v1/products/\(summary.productID)/changes?limit=1", token: token).json
            let latest = try #require(changes["latestSeq"]?.number)
            let last = try await api.call(.get, "/api/v1/products/\(summary.productID)/changes?after=\(Int(latest) - 1)", token: token).json["items"]?[0]
            #expect(last?["type"] == "product.imported" && last?["data"]?["fromKey"] == "DEMO")
            #expect(try await api.call(.get, "/api/v1/products/\(summary.productID)/partnership", token: token).status == .ok)

            // Exported again and mapped back, it is the first document.
            let second = try await Self.export(services, summary.productID)
            var back: [String: String] = [:]
            for (old, new) in summary.ids { back[new] = old }
            var text = String(decoding: second, as: UTF8.self)
            for match in ProductImport.uuid.matches(in: text, range: NSRange(text.startIndex..., in: text)).reversed() {
                guard let range = Range(match.range, in: text), let old = back[String(text[range])] else { continue }
                text.replaceSubrange(range, with: old)
            }
            text = text.replacingOccurrences(of: "\"COPY-", with: "\"DEMO-").replacingOccurrences(of: "\"key\":\"COPY\"", with: "\"key\":\"DEMO\"")
            func normalized(_ data: Data, droppingLastChange: Bool) throws -> [String: [String]] {
                var document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
                document["exportedAt"] = nil
                if droppingLastChange, var changes = document["changes"] as? [Any] { changes.removeLast(); document["changes"] = changes }
                var result: [String: [String]] = [:]
                for (key, value) in document {
                    let rows = (value as? [Any]) ?? [value]
                    result[key] = try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self) }.sorted()
                }
                return result
            }
            let before = try normalized(first, droppingLastChange: false), after = try normalized(Data(text.utf8), droppingLastChange: true)
            #expect(before.keys.sorted() == after.keys.sorted())
            for key in before.keys.sorted() where before[key] != after[key] {
                let a = before[key] ?? [], b = after[key] ?? []
                Issue.record("\(key) differs: \(Set(a).subtracting(b).prefix(1)) vs \(Set(b).subtracting(a).prefix(1))")
            }

            // A bad file imports nothing.
            let cut = first.prefix(first.count / 2)
            await #expect(throws: DomainError.self) { try await ProductImport(database: services.database, accounts: services.accounts).restore(Data(cut), as: "HALF") }
            await #expect(throws: DomainError.self) { try await ProductImport(database: services.database, accounts: services.accounts).restore(first, as: "COPY") }
            #expect(try await api.call(.get, "/api/v1/products", token: token).json["items"]?.array.count == 2)
        }
    }
}
