import Foundation
import Testing
@testable import TandemApp
import TandemCore

/// A product with a Product Owner, a Scrum Master, two Developers and a stakeholder.
struct BacklogFixture {
    let api: TestAPI
    let productID: String
    let po: (id: String, token: String, email: String)
    let sm: (id: String, token: String, email: String)
    let dev: (id: String, token: String, email: String)
    let dev2: (id: String, token: String, email: String)
    let stakeholder: (id: String, token: String, email: String)
    let teamID: String

    static func make(_ api: TestAPI, key: String = "ATL") async throws -> BacklogFixture {
        let po = try await api.person("Paula\(key)")
        let sm = try await api.person("Sam\(key)")
        let dev = try await api.person("Dana\(key)")
        let dev2 = try await api.person("Devi\(key)")
        let stakeholder = try await api.person("Stella\(key)")
        let productID = try #require(try await api.product("Atlas", key: key, token: po.token)["id"]?.string)
        let teamID = try #require(try await api.call(.post, "/api/v1/products/\(productID)/teams", token: po.token, body: ["name": "Rockets"]).json["id"]?.string)
        for (person, role) in [(sm, "scrumMaster"), (dev, "developer"), (dev2, "developer")] {
            try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: po.token, body: ["email": .string(person.email), "accountability": .string(role)])
        }
        try await api.call(.post, "/api/v1/products/\(productID)/members", token: po.token, body: ["email": .string(stakeholder.email), "accountability": "stakeholder"])
        return BacklogFixture(api: api, productID: productID, po: po, sm: sm, dev: dev, dev2: dev2, stakeholder: stakeholder, teamID: teamID)
    }

    @discardableResult
    func item(_ title: String, token: String? = nil, extra: [String: JSONValue] = [:]) async throws -> JSONValue {
        var body: [String: JSONValue] = ["title": .string(title), "kind": "story"]
        body.merge(extra) { _, new in new }
        let result = try await api.call(.post, "/api/v1/products/\(productID)/items", token: token ?? po.token, body: body)
        #expect(result.status == .created, "\(result.text)")
        return result.json
    }

    func order(_ query: String = "") async throws -> [String] {
        let result = try await api.call(.get, "/api/v1/products/\(productID)/backlog?limit=200\(query)", token: po.token)
        #expect(result.status == .ok, "\(result.text)")
        return result.json["items"]?.array.compactMap { $0["title"]?.string } ?? []
    }

    func move(_ item: JSONValue, _ position: [String: JSONValue], token: String? = nil) async throws -> TestResult {
        let current = try await api.call(.get, "/api/v1/items/\(item["id"]?.string ?? "")", token: po.token).json
        var body = position
        body["version"] = current["version"] ?? .null
        return try await api.call(.post, "/api/v1/items/\(item["id"]?.string ?? "")/move", token: token ?? po.token, body: body)
    }
}

@Suite("Product Backlog API")
struct BacklogAPITests {
    @Test(arguments: TestEngine.all)
    func itemsGetReferencesAndJoinAtTheBottom(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let first = try await f.item("Log in with email", extra: ["description": "So that I can see my products", "estimate": 3])
            #expect(first["ref"]?.string == "ATL-1")
            #expect(first["status"]?.string == "open")
            #expect(first["refinement"]?.string == "idea")
            #expect(first["version"]?.number == 1)
            #expect(first["estimate"]?.number == 3)
            #expect(first["warnings"] == .array([]))
            #expect(first["createdBy"]?["id"]?.string == f.po.id)
            #expect(first["rank"]?.string?.isEmpty == false)
            try await f.item("Reset password", token: f.dev.token)
            try await f.item("Invite people", token: f.stakeholder.token)
            #expect(try await f.order() == ["Log in with email", "Reset password", "Invite people"])

            let byRef = try await api.call(.get, "/api/v1/items/ATL-2", token: f.stakeholder.token)
            #expect(byRef.json["title"]?.string == "Reset password")
            #expect(byRef.json["estimate"] == .null, "optional fields are present as null")

            for (body, field) in [
                (["title": "", "kind": "story"], "title"),
                (["title": .string(String(repeating: "x", count: 201)), "kind": "story"], "title"),
                (["title": "T", "kind": "saga"], "kind"),
                (["title": "T", "kind": "story", "estimate": 4], "estimate"),
                (["title": "T", "kind": "story", "estimate": -1], "estimate"),
                (["title": "T"], "kind"),
            ] as [([String: JSONValue], String)] {
                let result = try await api.call(.post, "/api/v1/products/\(f.productID)/items", token: f.po.token, body: body)
                #expect(result.status == .unprocessableContent, "\(body)")
                #expect(result.errorField == field, "\(body): \(result.text)")
            }
            let outsider = try await api.person("Otto")
            #expect(try await api.call(.get, "/api/v1/items/ATL-1", token: outsider.token).status == .notFound)
            #expect(try await api.call(.post, "/api/v1/products/\(f.productID)/items", token: outsider.token, body: ["title": "x", "kind": "bug"]).status == .notFound)
            #expect(try await f.item("Fourth")["ref"]?.string == "ATL-4", "references are never reused")
        }
    }

    @Test(arguments: TestEngine.all)
    func onlyTheProductOwnerAndDelegatesOrder(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let a = try await f.item("A")
            let b = try await f.item("B")
            let c = try await f.item("C")

            for token in [f.dev.token, f.sm.token, f.stakeholder.token] {
                let denied = try await f.move(c, ["to": "top"], token: token)
                #expect(denied.status == .forbidden)
                #expect(denied.errorCode == "forbidden")
                #expect(denied.json["error"]?["message"]?.string?.contains("Product Owner decides the order") == true)
                #expect(denied.json["error"]?["message"]?.string?.contains("proposals") == true)
            }
            #expect(try await f.order() == ["A", "B", "C"], "a refused move changes nothing")

            let moved = try await f.move(c, ["to": "top"])
            #expect(moved.status == .ok)
            #expect(moved.json["version"]?.number == 2)
            #expect(try await f.order() == ["C", "A", "B"])
            #expect(try await f.move(a, ["after": .string(b["id"]?.string ?? "")]).status == .ok)
            #expect(try await f.order() == ["C", "B", "A"])
            #expect(try await f.move(c, ["before": "ATL-1"]).status == .ok, "anchors may be references")
            #expect(try await f.order() == ["B", "C", "A"])
            #expect(try await f.move(b, ["to": "bottom"]).status == .ok)
            #expect(try await f.order() == ["C", "A", "B"])

            // stale version: 409 with the current item
            let stale = try await api.call(.post, "/api/v1/items/\(a["id"]?.string ?? "")/move", token: f.po.token, body: ["to": "top", "version": 1])
            #expect(stale.status == .conflict)
            #expect(stale.errorCode == "version_conflict")
            #expect(stale.json["error"]?["current"]?["version"]?.number == 2)

            let viaHeader = try await api.call(.post, "/api/v1/items/\(a["id"]?.string ?? "")/move", token: f.po.token, json: #"{"to": "top"}"#, headers: [.ifMatch: "\"1\""])
            #expect(viaHeader.errorCode == "version_conflict", "If-Match names the version too")
            let bad = try await api.call(.post, "/api/v1/items/\(a["id"]?.string ?? "")/move", token: f.po.token, body: ["to": "middle", "version": 2])
            #expect(bad.status == .unprocessableContent)
            let two = try await api.call(.post, "/api/v1/items/\(a["id"]?.string ?? "")/move", token: f.po.token, body: ["to": "top", "before": "ATL-2", "version": 2])
            #expect(two.errorField == "position")
            let itself = try await api.call(.post, "/api/v1/items/\(a["id"]?.string ?? "")/move", token: f.po.token, body: ["before": "ATL-1", "version": 2])
            #expect(itself.errorField == "before")

            // delegation: the developer may now order, on the Product Owner's behalf
            let delegated = try await api.call(.put, "/api/v1/products/\(f.productID)/ordering-delegates", token: f.po.token, body: ["userIds": [.string(f.dev.id)]])
            #expect(delegated.status == .ok)
            #expect(delegated.json["userIds"] == [.string(f.dev.id)])
            #expect(try await api.call(.put, "/api/v1/products/\(f.productID)/ordering-delegates", token: f.sm.token, body: ["userIds": []]).status == .forbidden)
            #expect(try await f.move(b, ["to": "top"], token: f.dev.token).status == .ok)
            #expect(try await f.order() == ["B", "C", "A"])

            let activity = try await api.call(.get, "/api/v1/items/\(b["id"]?.string ?? "")/activity", token: f.stakeholder.token)
            let moves = activity.json["items"]?.array.filter { $0["action"]?.string == "item.moved" } ?? []
            #expect(moves.count == 2)
            #expect(moves.first?["detail"]?["authority"]?.string == "delegate")
            #expect(moves.first?["actor"]?["id"]?.string == f.dev.id)
            #expect(moves.first?["detail"]?["from"]?["after"]?.string == "ATL-1")
            #expect(moves.first?["detail"]?["to"]?["before"]?.string == "ATL-3")
            #expect(moves.last?["detail"]?["authority"]?.string == "productOwner")
        }
    }

    @Test(arguments: TestEngine.all)
    func onlyTheOrderersPlaceNewItemsAnywhereButTheBottom(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            try await f.item("A")
            let denied = try await api.call(.post, "/api/v1/products/\(f.productID)/items", token: f.dev.token, body: ["title": "B", "kind": "bug", "position": ["to": "top"]])
            #expect(denied.status == .forbidden)
            try await f.item("Bottom is fine", token: f.dev.token, extra: ["position": ["to": "bottom"]])
            try await f.item("Top", extra: ["position": ["to": "top"]])
            try await f.item("After A", extra: ["position": ["after": "ATL-1"]])
            #expect(try await f.order() == ["Top", "A", "After A", "Bottom is fine"])
        }
    }

    @Test(arguments: TestEngine.all)
    func proposalsAreDecidedByTheProductOwnerAlone(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            try await f.item("A")
            try await f.item("B")
            let c = try await f.item("C")
            let cID = try #require(c["id"]?.string)

            let noWhy = try await api.call(.post, "/api/v1/items/\(cID)/proposals", token: f.dev.token, body: ["to": "top", "rationale": " "])
            #expect(noWhy.status == .unprocessableContent)
            #expect(noWhy.errorField == "rationale")

            let proposal = try await api.call(.post, "/api/v1/items/\(cID)/proposals", token: f.dev.token, body: ["to": "top", "rationale": "Customers are blocked"])
            #expect(proposal.status == .created)
            #expect(proposal.json["state"]?.string == "open")
            #expect(proposal.json["position"]?["to"]?.string == "top")
            let proposalID = try #require(proposal.json["id"]?.string)
            let second = try await api.call(.post, "/api/v1/items/ATL-1/proposals", token: f.stakeholder.token, body: ["after": .string(cID), "rationale": "Less urgent"])
            #expect(second.status == .created)

            for token in [f.sm.token, f.dev.token, f.stakeholder.token] {
                let denied = try await api.call(.post, "/api/v1/proposals/\(proposalID)/accept", token: token, body: [:])
                #expect(denied.status == .forbidden)
            }
            let open = try await api.call(.get, "/api/v1/products/\(f.productID)/proposals?state=open", token: f.dev.token)
            #expect(open.json["items"]?.array.count == 2)

            let accepted = try await api.call(.post, "/api/v1/proposals/\(proposalID)/accept", token: f.po.token, body: ["note": "Agreed, they pay the bills"])
            #expect(accepted.status == .ok)
            #expect(accepted.json["state"]?.string == "accepted")
            #expect(accepted.json["decidedBy"]?["id"]?.string == f.po.id)
            #expect(try await f.order() == ["C", "A", "B"])
            let again = try await api.call(.post, "/api/v1/proposals/\(proposalID)/accept", token: f.po.token, body: [:])
            #expect(again.errorCode == "proposal_decided")

            let secondID = try #require(second.json["id"]?.string)
            let noNote = try await api.call(.post, "/api/v1/proposals/\(secondID)/decline", token: f.po.token, body: [:])
            #expect(noNote.status == .unprocessableContent)
            #expect(noNote.errorField == "note")
            let declined = try await api.call(.post, "/api/v1/proposals/\(secondID)/decline", token: f.po.token, body: ["note": "A is the release goal"])
            #expect(declined.json["state"]?.string == "declined")
            #expect(try await f.order() == ["C", "A", "B"])

            // the proposer and the team read the outcome and the note
            let all = try await api.call(.get, "/api/v1/products/\(f.productID)/proposals", token: f.stakeholder.token)
            let notes = all.json["items"]?.array.compactMap { $0["decisionNote"]?.string } ?? []
            #expect(Set(notes) == ["Agreed, they pay the bills", "A is the release goal"])
            let moves = try await api.call(.get, "/api/v1/items/\(cID)/activity", token: f.dev.token).json["items"]?.array ?? []
            #expect(moves.contains { $0["action"]?.string == "item.moved" && $0["detail"]?["proposalId"]?.string == proposalID })
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/proposals?state=maybe", token: f.po.token).status == .unprocessableContent)
        }
    }

    /// An item that leaves the backlog takes its open proposals with it, and the proposer reads why.
    @Test(arguments: TestEngine.all)
    func decliningOrDeletingAnItemClosesItsProposals(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let doomed = try await f.item("Doomed"), refused = try await f.item("Refused")
            for item in [doomed, refused] {
                let proposal = try await api.call(.post, "/api/v1/items/\(item["id"]?.string ?? "")/proposals", token: f.dev.token, body: ["to": "top", "rationale": "now"])
                #expect(proposal.status == .created)
            }
            #expect(try await api.call(.delete, "/api/v1/items/\(doomed["id"]?.string ?? "")", token: f.po.token).status == .noContent)
            #expect(try await api.call(.post, "/api/v1/items/\(refused["id"]?.string ?? "")/decline", token: f.po.token, body: ["reason": "Out of scope"]).status == .ok)
            let all = try await api.call(.get, "/api/v1/products/\(f.productID)/proposals", token: f.dev.token).json["items"]?.array ?? []
            #expect(all.allSatisfy { $0["state"]?.string == "declined" && $0["decidedBy"]?["id"]?.string == f.po.id })
            #expect(Set(all.compactMap { $0["decisionNote"]?.string }) == ["The item was deleted.", "The item was declined: Out of scope"])
        }
    }

    @Test(arguments: TestEngine.all)
    func refinementLevelsNeedTheirConditions(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let dor = try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.po.token, body: ["items": ["Acceptance criteria written", "Small enough"]])
            #expect(dor.status == .ok)
            #expect(try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.dev.token, body: ["items": []]).status == .forbidden)
            let item = try await f.item("Export CSV")
            #expect(item["readiness"] == [false, false])
            let id = try #require(item["id"]?.string)

            let notReady = try await api.call(.patch, "/api/v1/items/\(id)", token: f.dev.token, body: ["refinement": "ready", "version": 1])
            #expect(notReady.status == .unprocessableContent)
            #expect(notReady.errorCode == "not_ready")
            #expect(notReady.json["error"]?["missing"]?.array.count == 3)
            let notEstimated = try await api.call(.patch, "/api/v1/items/\(id)", token: f.dev.token, body: ["refinement": "estimated", "version": 1])
            #expect(notEstimated.errorCode == "not_ready")

            let described = try await api.call(.patch, "/api/v1/items/\(id)", token: f.dev.token, body: ["refinement": "described", "description": "As a PO…", "version": 1])
            #expect(described.status == .ok)
            #expect(described.json["version"]?.number == 2)
            let wrongLength = try await api.call(.patch, "/api/v1/items/\(id)", token: f.dev.token, body: ["readiness": [true], "version": 2])
            #expect(wrongLength.errorField == "readiness")
            let ready = try await api.call(.patch, "/api/v1/items/\(id)", token: f.dev.token, body: [
                "readiness": [true, true], "estimate": 5, "refinement": "ready", "version": 2,
            ])
            #expect(ready.status == .ok, "\(ready.text)")
            #expect(ready.json["refinement"]?.string == "ready")

            let stale = try await api.call(.patch, "/api/v1/items/\(id)", token: f.dev.token, body: ["title": "Other", "version": 2])
            #expect(stale.status == .conflict)
            #expect(stale.json["error"]?["current"]?["refinement"]?.string == "ready")
            let unknown = try await api.call(.patch, "/api/v1/items/\(id)", token: f.dev.token, body: ["estimates": 3, "version": 3])
            #expect(unknown.errorField == "estimates")

            // A new Definition of Ready entry un-readies the item in the same change; ticks follow their text.
            try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.sm.token, body: ["items": ["Small enough", "Designs attached", "Acceptance criteria written"]])
            let after = try await api.call(.get, "/api/v1/items/\(id)", token: f.po.token)
            #expect(after.json["refinement"]?.string == "estimated")
            #expect(after.json["readiness"] == [true, false, true])
            #expect(after.json["version"]?.number == 3, "a Definition is one change: the item's version does not move, so open forms stay valid")

            // Clearing the estimate lowers the level rather than leaving a false "estimated".
            let version = try #require(after.json["version"])
            let cleared = try await api.call(.patch, "/api/v1/items/\(id)", token: f.dev.token, body: ["estimate": .null, "version": version])
            #expect(cleared.json["refinement"]?.string == "described")
            #expect(cleared.json["estimate"] == .null)
            let reread = try await api.call(.get, "/api/v1/items/\(id)", token: f.po.token)
            #expect(reread.json["estimate"] == .null, "the cleared estimate is stored, not only answered")

            // stakeholders may only edit what they created
            let theirs = try await f.item("Stakeholder idea", token: f.stakeholder.token)
            #expect(try await api.call(.patch, "/api/v1/items/\(theirs["id"]?.string ?? "")", token: f.stakeholder.token, body: ["title": "Better idea", "version": 1]).status == .ok)
            #expect(try await api.call(.patch, "/api/v1/items/\(id)", token: f.stakeholder.token, body: ["title": "Mine", "version": cleared.json["version"] ?? 0]).status == .forbidden)
        }
    }

    /// Setting a Definition is one product-wide change: at 10,000 items no item is rewritten and no version moves;
    /// only the ready items that no longer meet it drop to "estimated", and the change names them.
    @Test(arguments: TestEngine.all)
    func aDefinitionChangeRewritesNoItem(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            #expect(try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.po.token, body: ["items": ["Small enough", "Testable"]]).status == .ok)
            #expect(try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-done", token: f.po.token, body: ["items": ["Reviewed"]]).status == .ok)
            // 10,000 items in one statement, every other one ready with both entries ticked.
            try await services.database.write { db in
                try await db.raw("""
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                    INSERT INTO backlog_items (id, product_id, number, ref, kind, title, description, acceptance_criteria, estimate, status,
                                               refinement, readiness, rank, version, created_at, updated_at, done_checks)
                    SELECT 'bulk-' || i, \(bind: f.productID), 1000 + i, 'ATL-' || (1000 + i), 'story', 'Bulk ' || i, '', '', 3, 'open',
                           CASE WHEN i % 2 = 0 THEN 'ready' ELSE 'estimated' END,
                           CASE WHEN i % 2 = 0 THEN '["Small enough","Testable"]' ELSE '["Testable"]' END,
                           'y' || (100000 + i), 1, 0, 0, '["Reviewed"]'
                    FROM n
                    """).run()
            }
            func count(_ condition: String) async throws -> Int {
                try await services.database.read { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM backlog_items WHERE product_id = \(bind: f.productID) AND \(unsafeRaw: condition)")
                        .first()?.decode(column: "n", as: Int.self) ?? -1
                }
            }
            #expect(try await count("refinement = 'ready'") == 5000)

            // Reordering and renaming keeps every tick: nobody loses readiness over a reworded list's order.
            #expect(try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.po.token, body: ["items": ["Testable", "Small enough"]]).status == .ok)
            #expect(try await count("refinement = 'ready'") == 5000)
            let sample = try await api.call(.get, "/api/v1/items/bulk-2", token: f.dev.token)
            #expect(sample.json["readiness"] == [true, true] && sample.json["doneChecks"] == [true], "\(sample.text)")

            // A new entry: the 5,000 ready items drop to "estimated"; no version moves anywhere.
            let set = try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.po.token, body: ["items": ["Testable", "Small enough", "Designed"]])
            #expect(set.status == .ok, "\(set.text)")
            #expect(try await count("refinement = 'ready'") == 0)
            #expect(try await count("refinement = 'estimated'") == 10000)
            #expect(try await count("version <> 1") == 0)
            #expect(try await api.call(.get, "/api/v1/items/ATL-1002", token: f.dev.token).json["readiness"] == [true, true, false])
            // The Definition of Done likewise: the tick stays with its text, and no version moves.
            #expect(try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-done", token: f.po.token, body: ["items": ["Deployed", "Reviewed"]]).status == .ok)
            #expect(try await api.call(.get, "/api/v1/items/ATL-1002", token: f.dev.token).json["doneChecks"] == [false, true])
            #expect(try await count("version <> 1") == 0)

            // One change each, naming what dropped.
            let changes = try await api.call(.get, "/api/v1/products/\(f.productID)/changes?limit=200", token: f.stakeholder.token).json["items"]?.array ?? []
            let readySets = changes.filter { $0["type"]?.string == "product.definition_of_ready_set" }
            #expect(readySets.count == 3)
            #expect(readySets.last?["data"]?["noLongerReady"]?.array.count == 5000)
            #expect(readySets.last?["data"]?["noLongerReady"]?[0]?.string == "ATL-1002", "in backlog order")
            #expect(changes.filter { $0["type"]?.string == "product.definition_of_done_set" }.count == 2)
        }
    }

    /// A stored setting that does not decode is said, never read as an empty Definition (which would make every
    /// item "ready" and let sprints plan unready work).
    @Test(arguments: TestEngine.all)
    func anUnreadableDefinitionIsAnErrorNotAnEmptyOne(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            try await f.item("Anything")
            try await services.database.write { db in
                try await db.raw("UPDATE products SET definition_of_ready = 'not json' WHERE id = \(bind: f.productID)").run()
            }
            let backlog = try await api.call(.get, "/api/v1/products/\(f.productID)/backlog", token: f.dev.token)
            #expect(backlog.status == .internalServerError && backlog.errorCode == "unreadable_row", "\(backlog.text)")
            #expect(backlog.json["error"]?["message"]?.string?.contains("Definition of Ready") == true)
            #expect(try await api.call(.patch, "/api/v1/items/ATL-1", token: f.dev.token, body: ["refinement": "ready", "estimate": 3, "version": 1]).errorCode == "unreadable_row")
        }
    }

    /// Databases written before ticks were kept by text are converted by their schema step: each list of flags
    /// becomes the texts it ticked under the Definition of the moment.
    @Test(arguments: TestEngine.all)
    func storedFlagsBecomeTickedTexts(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.po.token, body: ["items": ["Small enough", "Testable", "Valued"]])
            try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-done", token: f.po.token, body: ["items": ["Reviewed", "Deployed"]])
            let id = try #require(try await f.item("Old row")["id"]?.string)
            try await services.database.write { db in
                try await db.raw("UPDATE backlog_items SET readiness = '[true,false,true]', done_checks = '[false,true]' WHERE id = \(bind: id)").run()
                try await db.raw("DELETE FROM schema_migrations WHERE name = '0021_ticks_by_text'").run()
            }
            #expect(try await Migrator.migrate(services.database, logger: TestDatabase.logger) == ["0021_ticks_by_text"])
            let stored = try await services.database.read { db in
                try await db.raw("SELECT readiness, done_checks FROM backlog_items WHERE id = \(bind: id)").first()
            }
            #expect(try stored?.decode(column: "readiness", as: String.self) == #"["Small enough","Valued"]"#)
            #expect(try stored?.decode(column: "done_checks", as: String.self) == #"["Deployed"]"#)
            let item = try await api.call(.get, "/api/v1/items/\(id)", token: f.po.token)
            #expect(item.json["readiness"] == [true, false, true] && item.json["doneChecks"] == [false, true])
            #expect(try await Migrator.migrate(services.database, logger: TestDatabase.logger) == [], "applied once")
        }
    }

    @Test(arguments: TestEngine.all)
    func wsjfOrdersAViewAndIsAppliedAsOneDecision(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            try await f.item("Low", extra: ["businessValue": 1, "timeCriticality": 1, "riskReduction": 1, "estimate": 8])
            try await f.item("No inputs")
            try await f.item("High", extra: ["businessValue": 9, "timeCriticality": 8, "riskReduction": 7, "estimate": 3])
            try await f.item("Middle", extra: ["businessValue": 5, "timeCriticality": 5, "riskReduction": 5, "estimate": 5])
            let high = try await api.call(.get, "/api/v1/items/ATL-3", token: f.po.token)
            #expect(high.json["wsjf"]?.number == 8)
            #expect(try await f.order("&sort=wsjf") == ["High", "Middle", "Low", "No inputs"])
            #expect(try await f.order() == ["Low", "No inputs", "High", "Middle"], "sorting a view does not change the order")

            #expect(try await api.call(.post, "/api/v1/products/\(f.productID)/backlog/reorder", token: f.sm.token, body: ["basis": "wsjf"]).status == .forbidden)
            let applied = try await api.call(.post, "/api/v1/products/\(f.productID)/backlog/reorder", token: f.po.token, body: ["basis": "wsjf", "note": "Quarterly WSJF session"])
            #expect(applied.status == .ok, "\(applied.text)")
            #expect(try await f.order() == ["High", "No inputs", "Middle", "Low"], "items with WSJF trade places; the rest stay put")
            let decisions = try await services.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM changes WHERE type = 'backlog.reordered'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(decisions == 1)

            let manual = try await api.call(.post, "/api/v1/products/\(f.productID)/backlog/reorder", token: f.po.token, body: ["itemIds": ["ATL-4", "ATL-3"]])
            #expect(manual.status == .ok)
            #expect(try await f.order() == ["Middle", "No inputs", "High", "Low"])
            let twice = try await api.call(.post, "/api/v1/products/\(f.productID)/backlog/reorder", token: f.po.token, body: ["itemIds": ["ATL-4", "ATL-4"]])
            #expect(twice.errorField == "itemIds")
            let outOfRange = try await api.call(.patch, "/api/v1/items/ATL-1", token: f.po.token, body: ["businessValue": 11, "version": 2])
            #expect(outOfRange.errorField == "businessValue")
        }
    }

    @Test(arguments: TestEngine.all)
    func planningPokerKeepsVotesHiddenUntilRevealed(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            try await f.item("Search")
            let opened = try await api.call(.post, "/api/v1/items/ATL-1/estimation-rounds", token: f.dev.token)
            #expect(opened.status == .created)
            let roundID = try #require(opened.json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/items/ATL-1/estimation-rounds", token: f.dev2.token).errorCode == "round_open")
            #expect(try await api.call(.post, "/api/v1/items/ATL-1/estimation-rounds", token: f.stakeholder.token).status == .forbidden)

            let path = "/api/v1/items/ATL-1/estimation-rounds/\(roundID)"
            #expect(try await api.call(.put, path + "/vote", token: f.dev.token, body: ["points": 4]).errorField == "points")
            #expect(try await api.call(.put, path + "/vote", token: f.po.token, body: ["points": 3]).status == .forbidden)
            #expect(try await api.call(.put, path + "/vote", token: f.dev.token, body: ["points": 3]).status == .ok)
            let mine = try await api.call(.put, path + "/vote", token: f.dev2.token, body: ["points": 13])
            #expect(mine.json["votes"]?.array.first { $0["user"]?["id"]?.string == f.dev2.id }?["points"]?.number == 13, "you see your own vote")

            let hidden = try await api.call(.get, path, token: f.sm.token)
            #expect(hidden.json["votes"]?.array.count == 2)
            #expect(hidden.json["waitingFor"]?.array.isEmpty == true, "both Developers voted")
            #expect(opened.json["waitingFor"]?.array.compactMap { $0["id"]?.string }.sorted() == [f.dev.id, f.dev2.id].sorted(), "an open round names who has not voted")
            #expect(hidden.json["votes"]?.array.allSatisfy { $0["points"] == .null && $0["voted"] == true } == true)
            #expect(hidden.json["spread"] == .null)

            #expect(try await api.call(.post, path + "/reveal", token: f.dev2.token).status == .forbidden, "only the opener or the Scrum Master reveals")
            #expect(try await api.call(.post, path + "/agree", token: f.sm.token, body: ["points": 5]).errorCode == "round_not_revealed")
            let revealed = try await api.call(.post, path + "/reveal", token: f.sm.token)
            #expect(revealed.status == .ok)
            #expect(revealed.json["spread"]?["min"]?.number == 3)
            #expect(revealed.json["spread"]?["max"]?.number == 13)
            #expect(revealed.json["spread"]?["consensus"] == false)
            #expect(revealed.json["spread"]?["suggestedEstimate"]?.number == 13, "two votes: the higher middle one")
            #expect(revealed.json["spread"]?["wideSpread"] == true, "13 is more than three times 3")
            #expect(revealed.json["waitingFor"]?.array.isEmpty == true)
            #expect(try await api.call(.put, path + "/vote", token: f.dev.token, body: ["points": 5]).errorCode == "round_not_open")

            let agreed = try await api.call(.post, path + "/agree", token: f.dev.token, body: ["points": 8])
            #expect(agreed.status == .ok)
            #expect(agreed.json["item"]?["estimate"]?.number == 8)
            #expect(agreed.json["item"]?["refinement"]?.string == "estimated")
            #expect(agreed.json["round"]?["state"]?.string == "closed")
        }
    }

    @Test(arguments: TestEngine.all)
    func dependenciesStayAcyclicAndWarnAboutOrder(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let a = try await f.item("A")
            let b = try await f.item("B")
            let c = try await f.item("C")
            let (aID, bID, cID) = (a["id"]?.string ?? "", b["id"]?.string ?? "", c["id"]?.string ?? "")

            let added = try await api.call(.post, "/api/v1/items/\(aID)/dependencies", token: f.dev.token, body: ["blockedBy": .string(bID)])
            #expect(added.status == .created)
            #expect(added.json["item"]?["warnings"]?[0]?["code"]?.string == "ordered_above_blocker")
            #expect(added.json["item"]?["warnings"]?[0]?["blockerRef"]?.string == "ATL-2")
            try await api.call(.post, "/api/v1/items/\(bID)/dependencies", token: f.dev.token, body: ["blockedBy": .string(cID)])
            #expect(try await api.call(.post, "/api/v1/items/\(aID)/dependencies", token: f.dev.token, body: ["blockedBy": .string(bID)]).errorCode == "dependency_exists")

            let cycle = try await api.call(.post, "/api/v1/items/\(cID)/dependencies", token: f.dev.token, body: ["blockedBy": .string(aID)])
            #expect(cycle.status == .unprocessableContent)
            #expect(cycle.errorCode == "dependency_cycle")
            #expect(cycle.json["error"]?["path"] == .array([.string(cID), .string(aID), .string(bID), .string(cID)]))

            let other = try await api.person("Omar")
            let otherProduct = try #require(try await api.product("Other", key: "OTH", token: other.token)["id"]?.string)
            try await api.call(.put, "/api/v1/products/\(otherProduct)/ordering-delegates", token: other.token, body: ["userIds": []])
            let foreign = try await api.call(.post, "/api/v1/products/\(otherProduct)/items", token: other.token, body: ["title": "X", "kind": "bug"])
            let cross = try await api.call(.post, "/api/v1/items/\(aID)/dependencies", token: f.dev.token, body: ["blockedBy": foreign.json["id"] ?? .null])
            #expect(cross.status == .unprocessableContent)

            let graph = try await api.call(.get, "/api/v1/products/\(f.productID)/dependencies", token: f.stakeholder.token)
            #expect(graph.json["nodes"]?.array.count == 3)
            #expect(graph.json["edges"]?.array.count == 2)

            // moving the blocker up clears the warning; finishing it would too
            #expect(try await f.move(b, ["to": "top"]).status == .ok)
            #expect(try await f.move(c, ["to": "top"]).status == .ok)
            #expect(try await api.call(.get, "/api/v1/items/\(aID)", token: f.po.token).json["warnings"] == .array([]))
            #expect(try await api.call(.delete, "/api/v1/items/\(aID)/dependencies/\(bID)", token: f.dev.token).status == .noContent)
            #expect(try await api.call(.delete, "/api/v1/items/\(aID)/dependencies/\(bID)", token: f.dev.token).status == .notFound)
        }
    }

    @Test(arguments: TestEngine.all)
    func sayingNoKeepsTheIdeaSearchable(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            try await f.item("Dark mode", token: f.stakeholder.token)
            try await f.item("Blockchain export", token: f.stakeholder.token)
            #expect(try await api.call(.post, "/api/v1/items/ATL-2/decline", token: f.sm.token, body: ["reason": "no"]).status == .forbidden)
            #expect(try await api.call(.post, "/api/v1/items/ATL-2/decline", token: f.po.token, body: ["reason": "  "]).errorField == "reason")
            let declined = try await api.call(.post, "/api/v1/items/ATL-2/decline", token: f.po.token, body: ["reason": "Not our customers' problem"])
            #expect(declined.json["status"]?.string == "declined")
            #expect(try await f.order() == ["Dark mode"])
            let search = try await api.call(.get, "/api/v1/products/\(f.productID)/backlog?status=declined&q=BLOCKCHAIN", token: f.stakeholder.token)
            #expect(search.json["items"]?.array.map { $0["declineReason"]?.string } == ["Not our customers' problem"])
            #expect(try await f.move(declined.json, ["to": "top"]).errorCode == "not_in_backlog")

            #expect(try await api.call(.delete, "/api/v1/items/ATL-1", token: f.dev.token).status == .forbidden)
            #expect(try await api.call(.delete, "/api/v1/items/ATL-1", token: f.po.token).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/items/ATL-1", token: f.po.token).status == .notFound)
            let kept = try await services.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM changes WHERE type = 'item.deleted'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(kept == 1)
        }
    }

    @Test(arguments: TestEngine.all)
    func backlogPagesWithCursorsAndFilters(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            for index in 1...7 { try await f.item("Item \(index)", extra: ["kind": index.isMultiple(of: 2) ? "bug" : "story", "description": index == 5 ? "needle 100%" : ""]) }
            var titles: [String] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/products/\(f.productID)/backlog?limit=3" + (cursor.map { "&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" } ?? "")
                let page = try await api.call(.get, path, token: f.dev.token)
                #expect(page.status == .ok)
                titles += page.json["items"]?.array.compactMap { $0["title"]?.string } ?? []
                cursor = page.json["nextCursor"]?.string
            } while cursor != nil
            #expect(titles == (1...7).map { "Item \($0)" })
            #expect(try await f.order("&kind=bug").count == 3)
            #expect(try await f.order("&q=100%25") == ["Item 5"], "LIKE wildcards in the search are taken literally")
            #expect(try await f.order("&refinement=ready").isEmpty)
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/backlog?status=later", token: f.po.token).errorField == "status")
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/backlog?cursor=nonsense", token: f.po.token).errorField == "cursor")
        }
    }

    /// Saying no can be taken back by the Product Owner: the item returns at the bottom, with the note in its history.
    @Test(arguments: TestEngine.all)
    func theProductOwnerReopensADeclinedItem(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            for title in ["First", "Second", "Third"] { try await f.item(title) }
            try await api.call(.post, "/api/v1/items/ATL-1/decline", token: f.po.token, body: ["reason": "Not this quarter"])
            #expect(try await f.order() == ["Second", "Third"])
            #expect(try await api.call(.post, "/api/v1/items/ATL-2/reopen", token: f.po.token, body: ["note": "x"]).errorCode == "not_declined")
            #expect(try await api.call(.post, "/api/v1/items/ATL-1/reopen", token: f.dev.token, body: ["note": "Please"]).status == .forbidden)
            #expect(try await api.call(.post, "/api/v1/items/ATL-1/reopen", token: f.po.token, body: ["note": "  "]).errorField == "note")
            #expect(try await api.call(.post, "/api/v1/items/ATL-1/reopen", token: f.po.token, body: [:]).errorField == "note")
            let reopened = try await api.call(.post, "/api/v1/items/ATL-1/reopen", token: f.po.token, body: ["note": "The new goal needs it"])
            #expect(reopened.status == .ok, "\(reopened.text)")
            #expect(reopened.json["status"]?.string == "open")
            #expect(reopened.json["declineReason"] == .null)
            #expect(try await f.order() == ["Second", "Third", "First"], "back at the bottom")
            let history = try await api.call(.get, "/api/v1/items/ATL-1/activity", token: f.dev.token)
            let entry = history.json["items"]?.array.first { $0["action"]?.string == "item.reopened" }
            #expect(entry?["detail"]?["note"]?.string == "The new goal needs it")
            #expect(entry?["detail"]?["declineReason"]?.string == "Not this quarter")
        }
    }

    /// A proposer takes back their own open proposal; nobody else can, and a decided one stays decided.
    @Test(arguments: TestEngine.all)
    func aProposerWithdrawsAnOpenProposal(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            for title in ["First", "Second"] { try await f.item(title) }
            let proposal = try await api.call(.post, "/api/v1/items/ATL-2/proposals", token: f.dev.token, body: ["to": "top", "rationale": "Customers wait"])
            let id = try #require(proposal.json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/proposals/\(id)/withdraw", token: f.dev2.token).status == .forbidden)
            #expect(try await api.call(.post, "/api/v1/proposals/\(id)/withdraw", token: f.po.token).status == .forbidden, "the Product Owner declines instead")
            let withdrawn = try await api.call(.post, "/api/v1/proposals/\(id)/withdraw", token: f.dev.token)
            #expect(withdrawn.status == .ok)
            #expect(withdrawn.json["state"]?.string == "withdrawn")
            #expect(try await api.call(.post, "/api/v1/proposals/\(id)/withdraw", token: f.dev.token).errorCode == "proposal_decided")
            #expect(try await api.call(.post, "/api/v1/proposals/\(id)/accept", token: f.po.token).errorCode == "proposal_decided")
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/proposals?state=open", token: f.po.token).json["items"]?.array.isEmpty == true)
            #expect(try await api.call(.get, "/api/v1/products/\(f.productID)/proposals?state=withdrawn", token: f.po.token).json["items"]?.array.count == 1)
            #expect(try await api.call(.post, "/api/v1/proposals/nope/withdraw", token: f.dev.token).status == .notFound)
        }
    }

    /// WSJF pages continue after the last item shown, so ties in score and unscored items neither repeat nor vanish.
    @Test(arguments: TestEngine.all)
    func wsjfPagesContinueAfterTheLastItemShown(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            // scores 3, 3, 3 (equal ratios from different inputs), 2, none, 6, none, 3
            let inputs: [(Int, Int)] = [(9, 3), (6, 2), (3, 1), (4, 2), (0, 0), (6, 1), (0, 0), (9, 3)]
            for (index, (value, size)) in inputs.enumerated() {
                let extra: [String: JSONValue] = value == 0 ? [:] : ["businessValue": 1, "timeCriticality": 1, "riskReduction": .number(Double(value - 2)), "estimate": .number(Double(size))]
                try await f.item("W\(index)", extra: extra)
            }
            let whole = try await f.order("&sort=wsjf")
            #expect(whole == ["W5", "W0", "W1", "W2", "W7", "W3", "W4", "W6"])
            for limit in [1, 2, 3] {
                var titles: [String] = []
                var cursor: String?
                repeat {
                    let page = try await api.call(.get, "/api/v1/products/\(f.productID)/backlog?sort=wsjf&limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""), token: f.dev.token)
                    #expect(page.status == .ok)
                    titles += page.json["items"]?.array.compactMap { $0["title"]?.string } ?? []
                    cursor = page.json["nextCursor"]?.string
                } while cursor != nil && titles.count < 20
                #expect(titles == whole, "pages of \(limit)")
            }
        }
    }

    /// 32 clients moving at once: no two items share a rank, no item is lost, the order is a permutation.
    @Test(arguments: TestEngine.all)
    func concurrentMovesNeverCorruptTheOrder(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            var ids: [String] = []
            for index in 0..<40 { ids.append(try #require(try await f.item("Item \(index)")["id"]?.string)) }
            let poID = f.po.id, productID = f.productID
            let itemIDs = ids
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<32 {
                    group.addTask {
                        var generator = SeededGenerator(seed: UInt64(client + 1))
                        for step in 0..<4 {
                            let mover = itemIDs[(client + step * 7) % itemIDs.count]
                            let anchor = itemIDs[Int.random(in: 0..<itemIDs.count, using: &generator)]
                            let position: BacklogPosition = switch step % 4 {
                            case 0: .top
                            case 1: anchor == mover ? .bottom : .before(anchor)
                            case 2: anchor == mover ? .top : .after(anchor)
                            default: .bottom
                            }
                            if client % 8 == 7 && step % 2 == 1 {
                                // reorders lock the product first and then items, the opposite order of a move
                                let pair = [itemIDs[(client + step) % itemIDs.count], itemIDs[(client + step + 13) % itemIDs.count]]
                                _ = try await services.backlog.ordering.reorder(productID: productID, itemIDs: pair.reversed(), basis: nil, note: nil, actorID: poID)
                            } else {
                                _ = try await services.backlog.ordering.move(mover, to: position, version: nil, actorID: poID)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let ranks = try await services.database.read { db in
                try await db.raw("SELECT id, rank FROM backlog_items").all().map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "rank", as: String.self)) }
            }
            #expect(ranks.count == 40)
            #expect(Set(ranks.map(\.1)).count == 40, "every rank is unique")
            #expect(Set(try await f.order()).count == 40)
        }
    }

    @Test(arguments: TestEngine.all)
    func keysThatGrowTooLongAreRebalancedInOneTransaction(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            for index in 0..<5 { try await f.item("Item \(index)") }
            let first = try #require(try await api.call(.get, "/api/v1/items/ATL-1", token: f.po.token).json["id"]?.string)
            // Alternate two items into the gap right after the first one: the worst case for key growth.
            var longest = 0
            for step in 0..<400 {
                let mover = step.isMultiple(of: 2) ? "ATL-4" : "ATL-5"
                let moved = try await services.backlog.ordering.move(mover, to: .after(first), version: nil, actorID: f.po.id)
                longest = max(longest, moved.rank.count)
            }
            #expect(longest <= RankKey.maxLength + 1)
            let ranks = try await services.database.read { db in
                try await db.raw("SELECT rank FROM backlog_items ORDER BY rank").all().map { try $0.decode(column: "rank", as: String.self) }
            }
            #expect(ranks.allSatisfy { $0.count <= RankKey.maxLength })
            #expect(try await f.order() == ["Item 0", "Item 4", "Item 3", "Item 1", "Item 2"])
        }
    }
}
