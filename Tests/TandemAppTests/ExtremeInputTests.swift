import Foundation
import Hummingbird
import Testing
@testable import TandemApp
import TandemCore

/// Every number a request can carry, walked from the OpenAPI document itself, so a new operation is covered
/// the day it is documented: extreme values never trap the server (a trap stops this whole test process),
/// values outside the declared range are a 4xx naming the field, and the server answers afterwards.
@Suite("Extreme numbers and forged cursors")
struct ExtremeInputTests {
    /// As JSON text, so `-0` and 30-digit integers reach the server exactly as an attacker would send them.
    static let extremes = [
        "1e300", "-1e300", "9223372036854775808", "-9223372036854775808", "9223372036854775807", "18446744073709551616",
        "-0", "1e-300", "123456789012345678901234567890", "-123456789012345678901234567890", "0.5",
    ]

    /// Companion fields a body needs so that the number, not a missing sibling, is what the server judges.
    static let companions: [String: [String: JSONValue]] = [
        "Move": ["to": "bottom"], "ProposalInput": ["to": "top", "rationale": "why not"],
    ]

    @Test(arguments: TestEngine.all)
    func noNumberOrCursorStopsTheServer(engine: TestEngine) async throws {
        try await withTandem(engine, configure: { $0.webhooksAllowPrivate = true }) { api, _ in
            // setup: one of everything a path can name
            let f = try await BacklogFixture.make(api, key: "EXT")
            let epic = try await f.item("Epic", extra: ["kind": "epic"])
            let item = try await f.item("Item")
            let blocker = try await f.item("Blocker")
            let itemID = try #require(item["id"]?.string)
            let proposal = try await api.call(.post, "/api/v1/items/\(itemID)/proposals", token: f.dev.token, body: ["to": "top", "rationale": "first"])
            let round = try await api.call(.post, "/api/v1/items/\(itemID)/estimation-rounds", token: f.sm.token)
            let token = try await api.call(.post, "/api/v1/tokens", token: f.po.token, body: ["name": "extreme"])
            let hook = try await api.call(.post, "/api/v1/products/\(f.productID)/webhooks", token: f.po.token, body: ["url": "http://127.0.0.1:9/hook", "events": ["*"]])
            let parameters: [String: String] = [
                "productId": f.productID, "itemId": itemID, "teamId": f.teamID, "userId": f.stakeholder.id,
                "proposalId": proposal.json["id"]?.string ?? "", "roundId": round.json["id"]?.string ?? "",
                "tokenId": token.json["id"]?.string ?? "", "blockerId": blocker["id"]?.string ?? "", "webhookId": hook.json["id"]?.string ?? "",
            ]
            #expect(epic["id"] != nil && !parameters.values.contains(""), "fixture incomplete: \(parameters)")

            let document = OpenAPIDocument.tandem
            var sent = 0
            for (template, operations) in document["paths"]?.objectValue ?? [:] {
                let path = Self.fill(template, parameters)
                for (method, operation) in operations.objectValue ?? [:] {
                    // An event stream answers a valid number by staying open; its refusals are in EventStreamTests.
                    if operation["responses"]?["200"]?["content"]?["text/event-stream"] != nil { continue }
                    let httpMethod = try #require(HTTPRequest.Method(method.uppercased()))
                    let label = "\(method) \(template)"
                    for parameter in operation["parameters"]?.array ?? [] {
                        guard let name = parameter["name"]?.string, let schema = parameter["schema"] else { continue }
                        switch (parameter["in"]?.string, name) {
                        case ("query", "cursor"):
                            // the document's pattern decides: every cursor it allows is read, every other is a 422 naming `cursor`
                            let pattern = try NSRegularExpression(pattern: schema["pattern"]?.string ?? "")
                            for cursor in Self.forgedCursors + ["o0", "o999999999", "r0", "rzzzz", "a0".map { _ in "ra0" }[0]] {
                                let decoded = cursor.removingPercentEncoding ?? cursor
                                let allowed = pattern.firstMatch(in: decoded, range: NSRange(decoded.startIndex..., in: decoded)) != nil
                                for sort in ["", "&sort=wsjf"] where sort.isEmpty || path.hasSuffix("/backlog") {
                                    let result = try await api.call(httpMethod, "\(path)?cursor=\(cursor)\(sort)", token: f.po.token)
                                    if allowed {
                                        #expect(result.status == .ok, "\(label) cursor \(cursor)\(sort) matches the pattern: \(result.text)")
                                    } else {
                                        #expect(result.status == .unprocessableContent && result.errorField == "cursor", "\(label) cursor \(cursor)\(sort): \(result.text)")
                                    }
                                    sent += 1
                                }
                            }
                        case ("query", _) where Self.isNumeric(schema):
                            for raw in Self.extremes {
                                let result = try await api.call(httpMethod, "\(path)?\(name)=\(raw)", token: f.po.token)
                                try Self.check(result, value: raw, schema: schema, field: name, label: label)
                                sent += 1
                            }
                        case ("header", "If-Match"):
                            for raw in Self.extremes {
                                let body = method == "patch" ? #"{"title": "x"}"# : #"{"to": "top"}"#
                                let result = try await api.call(httpMethod, path, token: f.po.token, json: body, headers: [.ifMatch: raw])
                                #expect((400..<500).contains(result.status.code), "\(label) If-Match \(raw): \(result.status) \(result.text)")
                                sent += 1
                            }
                        default:
                            break
                        }
                    }
                    guard let bodyRef = operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.string else { continue }
                    let schemaName = String(bodyRef.split(separator: "/").last ?? "")
                    let schema = try #require(document["components"]?["schemas"]?[schemaName])
                    for (field, fieldSchema) in schema["properties"]?.objectValue ?? [:] where Self.isNumeric(fieldSchema) {
                        for raw in Self.extremes {
                            let body = Self.body(schema: schema, companions: Self.companions[schemaName] ?? [:], field: field, raw: raw)
                            let result = try await api.call(httpMethod, path, token: f.po.token, json: body)
                            try Self.check(result, value: raw, schema: fieldSchema, field: field, label: "\(label) \(body)")
                            sent += 1
                        }
                    }
                }
            }
            #expect(sent > 150, "only \(sent) requests: the walk over the document missed operations")

            // the issue's own three cases, by name
            let huge = try await api.call(.patch, "/api/v1/items/does-not-exist", token: f.po.token, json: #"{"version": 1e300}"#)
            #expect(huge.status == .unprocessableContent && huge.errorField == "version", "\(huge.text)")
            let version = Int(try await api.call(.get, "/api/v1/items/\(itemID)", token: f.po.token).json["version"]?.number ?? 0)
            let value = try await api.call(.patch, "/api/v1/items/\(itemID)", token: f.po.token, json: #"{"version": \#(version), "businessValue": 1e300}"#)
            #expect(value.status == .unprocessableContent && value.errorField == "businessValue", "\(value.text)")
            let trials = try await api.call(.post, "/api/v1/products/\(f.productID)/forecasts", token: f.po.token, json: #"{"mode": "howMuch", "sprints": 3, "trials": 1e300}"#)
            #expect(trials.status == .unprocessableContent && trials.errorField == "trials", "\(trials.text)")
            for title in ["\u{200B}\u{200B}\u{200B}", "\u{301}\u{302}", "a\u{2028}b", "\u{202E}gnp.exe"] {
                let refused = try await api.call(.post, "/api/v1/products/\(f.productID)/items", token: f.po.token, body: ["title": .string(title), "kind": "story"])
                #expect(refused.status == .unprocessableContent && refused.errorField == "title", "\(title.unicodeScalars.map(\.value)): \(refused.text)")
            }
            let cursor = Data("o:9223372036854775807".utf8).base64EncodedString()
            let page = try await api.call(.get, "/api/v1/products?cursor=\(cursor)", token: f.po.token)
            #expect(page.status == .unprocessableContent && page.errorField == "cursor", "\(page.text)")

            // and a page form carrying the same numbers
            var browser = Browser(client: api.client)
            try await browser.logIn(f.po.email)
            _ = try await browser.get("/items/\(itemID)")
            for raw in Self.extremes {
                let edit = try await browser.post("/items/\(itemID)/edit", form: ["csrf": browser.csrf, "version": raw, "title": "x", "kind": "story", "businessValue": raw])
                #expect((400..<500).contains(edit.status.code), "edit form with \(raw): \(edit.status)")
                let move = try await browser.post("/items/\(itemID)/move", form: ["csrf": browser.csrf, "position": "top", "version": raw])
                #expect((400..<500).contains(move.status.code), "move form with \(raw): \(move.status)")
            }

            // the server still answers
            let health = try await api.call(.get, "/healthz")
            #expect(health.status == .ok)
        }
    }

    static let forgedCursors: [String] = {
        var cursors = ["not-a-cursor!", "%00", String(repeating: "A", count: 5000), "o", "r", "o-1", "o1e300", "o9223372036854775807", "o1234567890",
                       "w1", "x1", "r" + String(repeating: "z", count: 65), "r%00", "ra-b", "o%2012", "r:", "o:1"]
        // the base64 cursors of earlier versions
        for text in ["o:9223372036854775807", "o:-1", "r:a0", "x:1"] {
            cursors.append(Data(text.utf8).base64EncodedString().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return cursors
    }()

    static func fill(_ template: String, _ parameters: [String: String]) -> String {
        var path = template
        for (name, value) in parameters { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        return path
    }

    static func isNumeric(_ schema: JSONValue) -> Bool {
        let types = schema["type"].map { $0.array.isEmpty ? [$0] : $0.array }?.compactMap(\.string) ?? []
        return types.contains("integer") || types.contains("number")
    }

    /// Whether the document declares `raw` acceptable for `schema`: its type, range and enum.
    static func accepts(_ schema: JSONValue, _ raw: String) -> Bool {
        guard let value = Double(raw), value.isFinite else { return false }
        let types = schema["type"].map { $0.array.isEmpty ? [$0] : $0.array }?.compactMap(\.string) ?? []
        if !types.contains("number"), value.rounded() != value { return false }
        if let minimum = schema["minimum"]?.number, value < minimum { return false }
        if let maximum = schema["maximum"]?.number, value > maximum { return false }
        if let options = schema["enum"]?.array, !options.contains(where: { $0.number == value }) { return false }
        return true
    }

    /// The required fields with plain valid values, the companions, and the number under test as raw JSON text.
    static func body(schema: JSONValue, companions: [String: JSONValue], field: String, raw: String) -> String {
        var parts: [String] = []
        var filled = companions
        for required in schema["required"]?.array.compactMap(\.string) ?? [] where required != field && filled[required] == nil {
            let property = schema["properties"]?[required] ?? .null
            if let first = property["enum"]?.array.first { filled[required] = first; continue }
            let types = property["type"].map { $0.array.isEmpty ? [$0] : $0.array }?.compactMap(\.string) ?? []
            if types.contains("integer") || types.contains("number") { filled[required] = .number(property["minimum"]?.number ?? 1) }
            else if types.contains("array") { filled[required] = .array([]) }
            else { filled[required] = "x" }
        }
        for (key, value) in filled.sorted(by: { $0.key < $1.key }) {
            let data = (try? JSONEncoder().encode(value)) ?? Data("null".utf8)
            parts.append("\"\(key)\": \(String(decoding: data, as: UTF8.self))")
        }
        parts.append("\"\(field)\": \(raw)")
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// In range: anything but a server error. Out of range: a 4xx, and a 422 names the field.
    static func check(_ result: TestResult, value raw: String, schema: JSONValue, field: String, label: String) throws {
        #expect(result.status.code < 500, "\(label) = \(raw): \(result.status) \(result.text)")
        guard !accepts(schema, raw) else { return }
        // Outside the document: a 4xx (another rule may speak first: a stale version, a round not revealed), and
        // never a 400 "malformed" for a number JSON can carry; a 422 names the field.
        #expect((400..<500).contains(result.status.code) && result.status != .badRequest, "\(label) = \(raw) is outside the document but answered \(result.status) \(result.text)")
        if result.status == .unprocessableContent, result.errorCode == "validation_failed" {
            #expect(result.errorField == field, "\(label) = \(raw): the error names \(result.errorField ?? "nothing")")
        }
    }
}

extension JSONValue {
    /// The members of an object, for walking the document.
    var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }
}
