import Foundation
import HTTPTypes
import Testing
import TandemCore
@testable import TandemApp

/// The backlog as CSV, through the API (a token and `Accept: text/csv`) and the page's download (the session).
@Suite("Backlog as CSV")
struct BacklogCSVTests {
    @Test(arguments: TestEngine.all)
    func theFilteredBacklogDownloadsWholeInOrderAndSafeForSpreadsheets(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api, key: "CSV")
            _ = try await f.item("=HYPERLINK(\"http://evil.example\",\"click\")")
            _ = try await f.item("Export, with \"quotes\"", extra: ["description": "Two\nlines, and a comma"])
            for n in 1...230 { _ = try await f.item("Story \(n)") }
            _ = try await f.item("A bug", extra: ["kind": "bug"])

            let csv = try await api.call(.get, "/api/v1/products/\(f.productID)/backlog", token: f.dev.token, headers: [.accept: "text/csv"])
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8", "\(csv.status)")
            #expect(csv.headers[.contentDisposition]?.contains("CSV-backlog-") == true)
            #expect(csv.text.hasPrefix("\u{FEFF}Position,Ref,Title,Kind,"), "UTF-8 with a byte-order mark, then the header")
            let records = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }  // a line break inside a cell is \n alone
            #expect(records.count == 1 + 233, "every item, past the first page of 200: \(records.count)")
            #expect(records[1].hasPrefix("1,CSV-1,\"'=HYPERLINK("), "a formula stays text: \(records[1])")
            #expect(csv.text.contains(",\"Export, with \"\"quotes\"\"\",") && csv.text.contains("\"Two\nlines, and a comma\""))
            let json = try await api.call(.get, "/api/v1/products/\(f.productID)/backlog?limit=200", token: f.dev.token).json["items"]?.array ?? []
            let refs = records.dropFirst().prefix(200).compactMap { $0.split(separator: ",").dropFirst().first.map(String.init) }
            #expect(Array(refs.prefix(3)) == json.prefix(3).compactMap { $0["ref"]?.string } && refs.count == 200, "backlog order")

            let bugs = try await api.call(.get, "/api/v1/products/\(f.productID)/backlog?kind=bug", token: f.dev.token, headers: [.accept: "text/csv"])
            let bugRows = bugs.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(bugRows.count == 2 && bugRows[1].contains(",A bug,bug,"), "as filtered: \(bugRows)")

            let outsider = try await api.person("Otto")
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/backlog", token: outsider.token, headers: [.accept: "text/csv"]).status == .notFound)
            let bad = try await api.call(.get, "/api/v1/products/\(f.productID)/backlog?kind=spaceship", token: f.dev.token, headers: [.accept: "text/csv"])
            #expect(bad.status == .unprocessableContent)

            var browser = Browser(client: api.client)
            try await browser.logIn(f.dev.email)
            let page = try await browser.get("/products/\(f.productID)/backlog?kind=bug")
            #expect(page.text.contains("href=\"/products/\(f.productID)/backlog.csv?kind=bug\""), "the page links its own filter's download")
            let download = try await browser.get("/products/\(f.productID)/backlog.csv?kind=bug")
            #expect(download.status == .ok && download.text == bugs.text)
        }
    }
}
