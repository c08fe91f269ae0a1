import Foundation
import Testing
@testable import TandemApp

@Suite("Backlog pages")
struct BacklogPagesTests {
    @Test(arguments: TestEngine.all)
    func theProductOwnerOrdersAndOthersPropose(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            try await f.item("First <b>bold</b>")
            try await f.item("Second")
            let third = try await f.item("Third")
            let thirdID = try #require(third["id"]?.string)

            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)
            let page = try await po.get("/products/\(f.productID)/backlog")
            #expect(page.status == .ok)
            #expect(page.text.contains(#"data-can-order="true""#))
            #expect(page.text.contains("First &lt;b&gt;bold&lt;/b&gt;"))
            #expect(page.text.contains("Move up ATL-3"))
            #expect(!page.text.contains("Propose a move"))

            // a move through the form, without JavaScript
            let moved = try await po.post("/items/\(thirdID)/move", form: ["csrf": po.csrf, "position": "top", "version": "1"])
            #expect(moved.status == .seeOther)
            #expect(try await f.order() == ["Third", "First <b>bold</b>", "Second"])

            // the script's request answers JSON, and a stale version is refused the same way as in the API
            let json = try await po.post("/items/\(thirdID)/move", form: ["csrf": po.csrf, "to": "bottom", "version": "2"], accept: "application/json")
            #expect(json.status == .ok)
            #expect(json.json["version"]?.number == 3)
            let stale = try await po.post("/items/\(thirdID)/move", form: ["csrf": po.csrf, "to": "top", "version": "2"], accept: "application/json")
            #expect(stale.status == .conflict)
            #expect(stale.json["error"]?["code"]?.string == "version_conflict")
            let forged = try await po.post("/items/\(thirdID)/move", form: ["csrf": "forged", "to": "top", "version": "3"], accept: "application/json")
            #expect(forged.status == .forbidden)
            #expect(try await f.order() == ["First <b>bold</b>", "Second", "Third"])

            var dev = Browser(client: api.client)
            try await dev.logIn(f.dev.email)
            let devPage = try await dev.get("/products/\(f.productID)/backlog")
            #expect(devPage.text.contains(#"data-can-order="false""#))
            #expect(devPage.text.contains("Propose a move"))
            let refused = try await dev.post("/items/\(thirdID)/move", form: ["csrf": dev.csrf, "position": "top", "version": "3"])
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("Propose a move instead"))

            let proposed = try await dev.post("/items/\(thirdID)/proposals", form: ["csrf": dev.csrf, "where": "top", "rationale": "Unblocks the release"])
            #expect(proposed.status == .seeOther)
            let noAnchor = try await dev.post("/items/\(thirdID)/proposals", form: ["csrf": dev.csrf, "where": "before", "anchor": "", "rationale": "x"])
            #expect(noAnchor.status == .unprocessableContent)
            #expect(noAnchor.text.contains("Choose the item to place it next to"))

            let inbox = try await po.get("/products/\(f.productID)/backlog")
            #expect(inbox.text.contains("Proposals waiting for you (1)"))
            #expect(inbox.text.contains("Unblocks the release"))
            let proposalID = try #require(try await api.call(.get, "/api/v1/products/\(f.productID)/proposals?state=open", token: f.po.token).json["items"]?[0]?["id"]?.string)
            let accepted = try await po.post("/proposals/\(proposalID)/accept", form: ["csrf": po.csrf, "note": "Yes"])
            #expect(accepted.status == .seeOther)
            #expect(try await f.order().first == "Third")
        }
    }

    @Test func itemPageRefinesAndEstimates() async throws {
        try await withTandem(.sqlite) { api, _ in
            let f = try await BacklogFixture.make(api)
            try await api.call(.put, "/api/v1/products/\(f.productID)/definition-of-ready", token: f.po.token, body: ["items": ["Criteria written"]])
            let item = try await f.item("Search")
            let id = try #require(item["id"]?.string)
            var dev = Browser(client: api.client)
            try await dev.logIn(f.dev.email)
            let page = try await dev.get("/items/ATL-1")
            #expect(page.status == .ok)
            #expect(page.text.contains("Criteria written"))

            let notReady = try await dev.post("/items/\(id)/edit", form: [
                "csrf": dev.csrf, "version": "1", "title": "Search", "kind": "story", "description": "", "acceptanceCriteria": "",
                "estimate": "", "refinement": "ready",
            ])
            #expect(notReady.status == .unprocessableContent)
            #expect(notReady.text.contains("cannot be ready yet"))

            let saved = try await dev.post("/items/\(id)/edit", form: [
                "csrf": dev.csrf, "version": "1", "title": "Search by title", "kind": "story", "description": "Find items fast",
                "acceptanceCriteria": "Typing filters", "estimate": "5", "refinement": "ready", "readiness-0": "on",
            ])
            #expect(saved.status == .seeOther)
            let after = try await api.call(.get, "/api/v1/items/\(id)", token: f.po.token)
            #expect(after.json["refinement"]?.string == "ready")
            #expect(after.json["version"]?.number == 2)
            #expect(after.json["title"]?.string == "Search by title")

            // saving the same form again changes nothing and bumps nothing
            let again = try await dev.post("/items/\(id)/edit", form: [
                "csrf": dev.csrf, "version": "2", "title": "Search by title", "kind": "story", "description": "Find items fast",
                "acceptanceCriteria": "Typing filters", "estimate": "5", "refinement": "ready", "readiness-0": "on",
            ])
            #expect(again.status == .seeOther)
            #expect(try await api.call(.get, "/api/v1/items/\(id)", token: f.po.token).json["version"]?.number == 2)

            let opened = try await dev.post("/items/\(id)/estimation", form: ["csrf": dev.csrf])
            #expect(opened.status == .seeOther)
            let rounds = try await api.call(.get, "/api/v1/items/\(id)/estimation-rounds", token: f.dev.token)
            let roundID = try #require(rounds.json["items"]?[0]?["id"]?.string)
            #expect(try await dev.post("/items/\(id)/estimation/\(roundID)/vote", form: ["csrf": dev.csrf, "points": "8"]).status == .seeOther)
            #expect(try await dev.get("/items/ATL-1").text.contains("1 voted so far"))
        }
    }

    @Test func demoSeedIsRealAndIdempotent() async throws {
        let testDatabase = try await TestDatabase.make(.sqlite)
        let database = try await testDatabase.open()
        let services = TandemServices(configuration: TandemConfiguration(database: testDatabase.location, bcryptCost: 4), database: database)
        try await DemoSeed.seed(services: services, logger: TestDatabase.logger)
        try await DemoSeed.seed(services: services, logger: TestDatabase.logger)
        let counts = try await database.read { db in
            (
                try await db.raw("SELECT COUNT(*) AS n FROM products").first()?.decode(column: "n", as: Int.self),
                try await db.raw("SELECT COUNT(*) AS n FROM backlog_items").first()?.decode(column: "n", as: Int.self),
                try await db.raw("SELECT COUNT(*) AS n FROM item_dependencies").first()?.decode(column: "n", as: Int.self),
                try await db.raw("SELECT COUNT(*) AS n FROM ordering_proposals WHERE state = 'open'").first()?.decode(column: "n", as: Int.self),
                try await db.raw("SELECT COUNT(DISTINCT refinement) AS n FROM backlog_items").first()?.decode(column: "n", as: Int.self)
            )
        }
        #expect(counts.0 == 1)
        #expect(counts.1 == 98, "60 in the backlog, 38 from the sprints")
        #expect((counts.2 ?? 0) >= 5)
        #expect(counts.3 == 3)
        #expect(counts.4 == 4, "all four refinement levels appear")

        // Eight closed sprints of believable history and one running half-way.
        let po = try await DemoSeed.userID("po@tandem.demo", services: services)
        let teamID = try #require(try await database.read { db in try await db.raw("SELECT id FROM teams").first()?.decode(column: "id", as: String.self) })
        let velocity = try await services.sprints.velocity(teamID: teamID, userID: po).sprints
        #expect(velocity.count == 8)
        #expect(Set(velocity.map(\.donePoints)).count >= 5, "velocity varies: \(velocity.map(\.donePoints))")
        #expect(velocity.filter { !$0.goalMet }.count == 1)
        #expect(velocity.contains { $0.addedPoints > 0 } && velocity.contains { $0.carriedOverItems > 0 })
        #expect(velocity[4].personDays < velocity[3].personDays, "the holiday and a leave shrink sprint 5")
        let active = try #require(try await services.sprints.sprints(teamID: teamID, state: .active, userID: po).first)
        #expect(active.number == 9)
        #expect((active.figures?.doneItems ?? 0) >= 2 && (active.figures?.addedItems ?? 0) == 1)
        let retro = try await services.sprintEvents.retrospective(sprintID: active.id, userID: po)
        #expect(retro.carriedActions.map(\.carriedSprints).contains(2), "one action carried twice")
        #expect(try await services.sprintEvents.feedback(productID: active.productId, state: .open, userID: po).count == 2)

        // Every partnership tile has real data.
        let report = try await services.partnership.signals.report(productID: active.productId, userID: po)
        let withData = report.signals.filter { $0.value != nil }.map(\.name)
        #expect(Set(withData).isSuperset(of: ["readyRunway", "questionAnswerTime", "openBlockingQuestions", "impedimentAge", "escalatedImpediments",
                                               "commitmentRealism", "sayDoRatio", "sprintGoalSuccess", "openProposals", "feedbackWaiting"]), "\(report.signals.filter { $0.value == nil })")
        #expect(report.signals.contains { $0.healthy == false } && report.signals.contains { $0.healthy == true })
        let impediments = try await services.partnership.impediments.list(teamID: teamID, state: nil, userID: po)
        #expect(impediments.items.contains { $0.level == .organisation } && impediments.medianDaysToResolve == 2)
        let decisions = try await services.partnership.decisions.log(productID: active.productId, userID: po)
        #expect(decisions.contains { $0.superseded })
        let checks = try await services.partnership.checks.trend(teamID: teamID, userID: po)
        #expect(checks.trend.count == 3)
        #expect(checks.trend.last?.foundations.contains { $0.highlighted } == false && checks.trend.first?.foundations.contains { $0.highlighted } == true)

        // Release 1.0 holds the sprints' work: its burnup grows in scope and forecasts the rest; the journal has met outcomes.
        let release = try #require(try await services.direction.releases(productID: active.productId, userID: po).first)
        let burnup = try await services.planning.burnup(releaseID: release.id, teamID: nil, userID: po)
        #expect(burnup.sprints.count == 8)
        #expect(burnup.sprints.map(\.donePoints) == velocity.reduce(into: [Double]()) { sums, sprint in sums.append((sums.last ?? 0) + sprint.donePoints) },
                "every point done in the demo sprints belongs to the release")
        #expect(Set(burnup.sprints.map(\.scopePoints)).count > 4, "scope grows sprint by sprint")
        #expect(burnup.forecast != nil && (burnup.forecast?.remaining ?? 0) > 0, "\(burnup.forecastNote ?? "")")
        let journal = try await services.planning.journal.list(productID: active.productId, userID: po)
        #expect(journal.items.count == 5)
        #expect(journal.calibration.known == 5, "four two-sprint forecasts and a 60-point one, all met by sprint 8")
        await database.close()
        await testDatabase.cleanup()
    }

    /// The first paint shows the top 50 rows; "Next 50 items" (a plain link without script) shows the rest.
    @Test func theFirstPaintShowsFiftyRowsAndLinksToTheNext() async throws {
        try await withTandem(.sqlite) { api, _ in
            let f = try await BacklogFixture.make(api)
            for index in 1...55 { try await f.item("Item \(index)") }
            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)
            let first = try await po.get("/products/\(f.productID)/backlog")
            #expect(first.text.components(separatedBy: #"<li id="item-"#).count - 1 == 50)
            let link = try #require(first.text.range(of: #"href="([^"]+)" class="button secondary" data-more"#, options: .regularExpression))
            let href = String(first.text[link]).components(separatedBy: "\"")[1].replacingOccurrences(of: "&amp;", with: "&")
            let second = try await po.get(href)
            #expect(second.text.components(separatedBy: #"<li id="item-"#).count - 1 == 5)
            #expect(second.text.contains("Item 55"))
            #expect(!second.text.contains("data-more"))
            // the last row of the first page can still go to the bottom
            #expect(first.text.contains("Move to the bottom ATL-50"))
        }
    }

    /// A refused form comes back with what the person typed and the reason beside the field, in a team's words.
    @Test(arguments: TestEngine.all)
    func refusedFormsKeepWhatWasTypedAndSayWhyBesideTheField(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let item = try await f.item("Pay by card")
            let itemID = try #require(item["id"]?.string)
            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)

            // an unknown blocker: the message stands beside the blocker field, which still holds ATL-99
            _ = try await po.get("/items/ATL-1")
            let blocker = try await po.post("/items/\(itemID)/dependencies", form: ["csrf": po.csrf, "blockedBy": "ATL-99"])
            #expect(blocker.status == .unprocessableContent)
            #expect(blocker.text.contains(#"name="blockedBy" value="ATL-99""#))
            #expect(blocker.text.contains(#"aria-invalid="true" aria-describedby="error-blockedBy""#))
            #expect(blocker.text.contains(#"<span class="field-error" id="error-blockedBy" role="alert">Choose an item of this backlog as the blocker.</span>"#))
            #expect(!blocker.text.contains("blockedBy does not"), "no API field names in the words a person reads")

            // a blank title on the backlog page: the chosen kind stays chosen
            _ = try await po.get("/products/\(f.productID)/backlog")
            let blank = try await po.post("/products/\(f.productID)/backlog/items", form: ["csrf": po.csrf, "title": "   ", "kind": "bug"])
            #expect(blank.status == .unprocessableContent)
            #expect(blank.text.contains(#"<option value="bug" selected>Bug</option>"#))
            #expect(blank.text.contains(#"id="error-title" role="alert">The title must not be empty.</span>"#))

            // the item edit form keeps every typed value, text areas included, and the other forms stay as they were
            _ = try await po.get("/items/ATL-1")
            let edit = try await po.post("/items/\(itemID)/edit", form: [
                "csrf": po.csrf, "version": "1", "title": "Pay by card or wallet", "kind": "story",
                "description": "As a shopper\nI pay <fast>", "acceptanceCriteria": "", "estimate": "5", "refinement": "idea", "businessValue": "11",
            ])
            #expect(edit.status == .unprocessableContent)
            #expect(edit.text.contains(#"name="title" value="Pay by card or wallet""#))
            #expect(edit.text.contains("As a shopper\nI pay &lt;fast&gt;</textarea>"))
            #expect(edit.text.contains(#"<option value="5" selected>5</option>"#))
            #expect(edit.text.contains(#"name="businessValue" value="11""#))
            #expect(edit.text.contains(#"id="error-businessValue" role="alert">The business value must be a whole number from 1 to 10.</span>"#))
            #expect(!edit.text.contains(#"name="blockedBy" value="Pay"#), "another form on the page is not filled from this one")

            // a proposal naming no item: its collapsed section opens, the rationale is kept, the message is beside the anchor
            var dev = Browser(client: api.client)
            try await dev.logIn(f.dev.email)
            _ = try await dev.get("/products/\(f.productID)/backlog")
            let proposal = try await dev.post("/items/\(itemID)/proposals", form: ["csrf": dev.csrf, "where": "before", "anchor": "NOPE-1", "rationale": "Customers ask daily"])
            #expect(proposal.status == .unprocessableContent)
            #expect(proposal.text.contains(#"<details class="propose" open>"#))
            #expect(proposal.text.contains("Customers ask daily</textarea>"))
            #expect(proposal.text.contains(#"id="error-anchor" role="alert">Choose an item of this backlog to place it next to.</span>"#))
        }
    }

    /// The declined view explains each "no" and lets the Product Owner take it back; a proposer sees what became of
    /// their proposals on the backlog page and can withdraw an open one.
    @Test(arguments: TestEngine.all)
    func declinedItemsAndOwnProposalsOnTheBacklogPage(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            for title in ["First", "Second", "Third"] { try await f.item(title) }
            try await api.call(.post, "/api/v1/items/ATL-1/decline", token: f.po.token, body: ["reason": "Not this quarter"])
            let declined = try await api.call(.post, "/api/v1/items/ATL-2/proposals", token: f.dev.token, body: ["to": "bottom", "rationale": "Later"])
            try await api.call(.post, "/api/v1/proposals/\(try #require(declined.json["id"]?.string))/decline", token: f.po.token, body: ["note": "It unblocks the release"])
            try await api.call(.post, "/api/v1/items/ATL-3/proposals", token: f.dev.token, body: ["to": "top", "rationale": "Customers wait"])

            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)
            let view = try await po.get("/products/\(f.productID)/backlog?status=declined")
            #expect(view.text.contains("Said no by PaulaATL on"))
            #expect(view.text.contains("Not this quarter"))
            #expect(view.text.contains(#"action="/items/"#) && view.text.contains("/reopen"))
            #expect(!view.text.contains("Move up ATL-1") && !view.text.contains("Move to the top ATL-1"), "no move controls for a declined item")
            let itemID = try #require(try await api.call(.get, "/api/v1/items/ATL-1", token: f.po.token).json["id"]?.string)
            let blank = try await po.post("/items/\(itemID)/reopen", form: ["csrf": po.csrf, "note": " "])
            #expect(blank.status == .unprocessableContent)
            #expect(blank.text.contains("say why the item comes back"))
            let reopened = try await po.post("/items/\(itemID)/reopen", form: ["csrf": po.csrf, "note": "The new goal needs it"])
            #expect(reopened.status == .seeOther)
            #expect(reopened.headers[.location]?.contains("notice=reopened") == true)
            #expect(try await f.order() == ["Second", "Third", "First"])
            let after = try await po.get(try #require(reopened.headers[.location]))
            #expect(after.text.contains("Item reopened"))
            #expect(after.text.contains(#"class="item level-idea highlight""#), "the reopened item is highlighted")

            var dev = Browser(client: api.client)
            try await dev.logIn(f.dev.email)
            let mine = try await dev.get("/products/\(f.productID)/backlog")
            #expect(mine.text.contains("Your proposals"))
            #expect(mine.text.contains("declined by PaulaATL"))
            #expect(mine.text.contains("It unblocks the release"))
            #expect(mine.text.contains("waiting for the Product Owner"))
            let open = try #require(try await api.call(.get, "/api/v1/products/\(f.productID)/proposals?state=open", token: f.dev.token).json["items"]?[0]?["id"]?.string)
            let withdrawn = try await dev.post("/proposals/\(open)/withdraw", form: ["csrf": dev.csrf])
            #expect(withdrawn.status == .seeOther)
            #expect(try await dev.get("/products/\(f.productID)/backlog").text.contains(">withdrawn<"))
        }
    }

    /// The graph fits its box through the viewBox while it is narrow; 30 items in long chains keep three quarters of
    /// their size in a box that scrolls sideways, with a cue, instead of shrinking past reading.
    @Test func theDependencyGraphFitsOrScrollsWithACue() {
        func graph(chains: Int, length: Int) -> DependencyGraphDTO {
            var nodes: [DependencyGraphDTO.Node] = []
            var edges: [DependencyGraphDTO.Edge] = []
            for chain in 0..<chains {
                for step in 0..<length {
                    let id = "n\(chain)-\(step)"
                    nodes.append(.init(id: id, ref: "ATL-\(nodes.count + 1)", title: "Item \(id)", status: .open, refinement: .idea, rank: String(format: "a%03d", nodes.count)))
                    if step > 0 { edges.append(.init(itemId: id, blockedBy: "n\(chain)-\(step - 1)")) }
                }
            }
            return DependencyGraphDTO(nodes: nodes, edges: edges)
        }
        func render(_ node: BodyNode) -> String {
            var bytes: [UInt8] = []
            node.render(into: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        let small = render(DependencySVG.render(graph(chains: 3, length: 2)))
        #expect(small.contains(#"<div class="graph">"#))
        #expect(small.contains(#"viewBox="0 0 380 172" role="img""#), "two columns of 150 with a gap of 60 and margins, and no fixed size")
        let large = render(DependencySVG.render(graph(chains: 6, length: 5)))
        #expect(large.contains(#"<div class="graph scroll" tabindex="0""#))
        #expect(large.contains("Scroll sideways for the whole graph"))
        #expect(large.contains(#"viewBox="0 0 1010 "#) && large.contains(#"width="757""#), "three quarters of 1010")
        #expect(large.components(separatedBy: "<g class=\"node").count - 1 == 30)
    }
}
