import Foundation
import Testing
import TandemCore

/// The vision and the Product Goals: the Product Owner decides, every member reads, history is kept.
@Suite("Vision and Product Goals")
struct ProductDirectionTests {
    static let vision: [String: JSONValue] = [
        "statement": "Make the partnership visible", "targetGroup": "Scrum teams", "needs": "See what each side owes the other",
        "product": "A self-hosted workspace", "businessGoals": "Teams keep their Sprint Goals",
    ]

    @Test(arguments: TestEngine.all)
    func theProductOwnerWritesTheVisionAndEveryVersionIsKept(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let path = "/api/v1/products/\(f.productID)/vision"
            let empty = try await api.call(.get, path, token: f.stakeholder.token)
            #expect(empty.status == .ok)
            #expect(empty.json["current"] == .null)
            #expect(try await api.call(.put, path, token: f.sm.token, body: Self.vision).status == .forbidden)
            var blank = Self.vision
            blank["statement"] = " "
            #expect(try await api.call(.put, path, token: f.po.token, body: blank).errorField == "statement")
            var missing = Self.vision
            missing["needs"] = nil
            #expect(try await api.call(.put, path, token: f.po.token, body: missing).errorField == "needs")

            let first = try await api.call(.put, path, token: f.po.token, body: Self.vision)
            #expect(first.status == .ok, "\(first.text)")
            #expect(first.json["version"]?.number == 1)
            var second = Self.vision
            second["statement"] = "Make the partnership visible and enforced"
            #expect(try await api.call(.put, path, token: f.po.token, body: second).json["version"]?.number == 2)

            let history = try await api.call(.get, path, token: f.dev.token)
            #expect(history.json["current"]?["statement"]?.string == "Make the partnership visible and enforced")
            #expect(history.json["versions"]?.array.map { $0["version"]?.number } == [2, 1])
            #expect(history.json["versions"]?[1]?["updatedBy"]?["displayName"]?.string == "PaulaATL")
            let outsider = try await api.person("Outsider")
            #expect(try await api.call(.get, path, token: outsider.token).status == .notFound)
        }
    }

    @Test(arguments: TestEngine.all)
    func oneProductGoalIsActiveUntilAchievedOrAbandoned(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let goals = "/api/v1/products/\(f.productID)/product-goals"
            #expect(try await api.call(.post, goals, token: f.dev.token, body: ["statement": "Faster"]).status == .forbidden)
            let first = try await api.call(.post, goals, token: f.po.token, body: ["statement": "Teams plan with honest forecasts", "measure": "Half the teams use it"])
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["state"]?.string == "active")
            let firstID = try #require(first.json["id"]?.string)
            let second = try await api.call(.post, goals, token: f.po.token, body: ["statement": "Something else"])
            #expect(second.status == .unprocessableContent)
            #expect(second.errorCode == "active_goal_exists")

            #expect(try await api.call(.post, "/api/v1/product-goals/\(firstID)/achieve", token: f.sm.token, body: ["note": "Done"]).status == .forbidden)
            #expect(try await api.call(.post, "/api/v1/product-goals/\(firstID)/achieve", token: f.po.token, body: ["note": ""]).errorField == "note")
            let achieved = try await api.call(.post, "/api/v1/product-goals/\(firstID)/achieve", token: f.po.token, body: ["note": "Reached in sprint 12"])
            #expect(achieved.json["state"]?.string == "achieved")
            #expect(achieved.json["closedBy"]?["displayName"]?.string == "PaulaATL")
            #expect(try await api.call(.post, "/api/v1/product-goals/\(firstID)/abandon", token: f.po.token, body: ["note": "x"]).errorCode == "goal_closed")

            let next = try await api.call(.post, goals, token: f.po.token, body: ["statement": "Stakeholders see progress"])
            #expect(next.status == .created)
            let list = try await api.call(.get, goals, token: f.stakeholder.token)
            #expect(list.json["items"]?.array.map { $0["state"]?.string } == ["active", "achieved"], "the active goal first, then the history")
            #expect(try await api.call(.post, "/api/v1/product-goals/nope/abandon", token: f.po.token, body: ["note": "x"]).status == .notFound)
        }
    }

    /// The page answers the product questions; the Product Owner writes through it, others only read.
    @Test(arguments: TestEngine.all)
    func theVisionAndGoalsPage(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            var po = Browser(client: api.client)
            try await po.logIn(f.po.email)
            let page = "/products/\(f.productID)/vision"
            let first = try await po.get(page)
            #expect(first.status == .ok)
            #expect(first.text.contains("No vision yet"))
            let blank = try await po.post(page, form: ["csrf": po.csrf, "statement": " ", "targetGroup": "Scrum teams", "needs": "", "product": "", "businessGoals": ""])
            #expect(blank.status == .unprocessableContent)
            #expect(blank.text.contains("say in a sentence what the product is for"))
            #expect(blank.text.contains("Scrum teams</textarea>"), "what was typed stays")
            let saved = try await po.post(page, form: ["csrf": po.csrf, "statement": "Make the partnership visible", "targetGroup": "Scrum teams", "needs": "", "product": "", "businessGoals": ""])
            #expect(saved.status == .seeOther)
            let goal = try await po.post("/products/\(f.productID)/product-goals", form: ["csrf": po.csrf, "statement": "Honest forecasts", "measure": ""])
            #expect(goal.status == .seeOther)
            let shown = try await po.get(page)
            #expect(shown.text.contains("Make the partnership visible"))
            #expect(shown.text.contains("<strong>Honest forecasts</strong>"))
            #expect(shown.text.contains("Mark achieved"))

            var stakeholder = Browser(client: api.client)
            try await stakeholder.logIn(f.stakeholder.email)
            let read = try await stakeholder.get(page)
            #expect(read.text.contains("Make the partnership visible") && read.text.contains("Honest forecasts"))
            #expect(!read.text.contains("Write a new version") && !read.text.contains("Mark achieved"), "only the Product Owner edits")
            let refused = try await stakeholder.post(page, form: ["csrf": stakeholder.csrf, "statement": "Mine now", "targetGroup": "", "needs": "", "product": "", "businessGoals": ""])
            #expect(refused.status == .forbidden)
        }
    }
}

@Suite("Releases")
struct ReleaseTests {
    @Test(arguments: TestEngine.all)
    func theProductOwnerPlansAndMarksReleases(engine: TestEngine) async throws {
        try await withTandem(engine, stamps: Stamps(clock: .pinned(at: 1_795_683_600_000, step: 0), ids: .sequential())) { api, _ in
            let f = try await BacklogFixture.make(api)
            let path = "/api/v1/products/\(f.productID)/releases"
            #expect(try await api.call(.post, path, token: f.dev.token, body: ["name": "1.0"]).status == .forbidden)
            #expect(try await api.call(.post, path, token: f.po.token, body: ["name": "1.0", "targetDate": "2027-02-30"]).errorField == "targetDate")
            let later = try await api.call(.post, path, token: f.po.token, body: ["name": "2.0", "targetDate": "2027-09-30"])
            #expect(later.status == .created, "\(later.text)")
            let sooner = try await api.call(.post, path, token: f.po.token, body: ["name": "1.0", "targetDate": "2027-03-31"])
            let undated = try await api.call(.post, path, token: f.po.token, body: ["name": "Someday"])
            #expect(undated.json["targetDate"] == .null)
            #expect(try await api.call(.post, path, token: f.po.token, body: ["name": "1.0"]).errorCode == "release_name_taken")
            #expect(try await api.call(.get, path, token: f.stakeholder.token).json["items"]?.array.compactMap { $0["name"]?.string } == ["1.0", "2.0", "Someday"])

            let id = try #require(sooner.json["id"]?.string)
            #expect(try await api.call(.post, "/api/v1/releases/\(id)/release", token: f.sm.token).status == .forbidden)
            let released = try await api.call(.post, "/api/v1/releases/\(id)/release", token: f.po.token)
            #expect(released.json["state"]?.string == "released")
            #expect(released.json["releasedOn"]?.string == "2026-11-26", "the day of the pinned clock")
            #expect(try await api.call(.post, "/api/v1/releases/\(id)/release", token: f.po.token).errorCode == "already_released")
            #expect(try await api.call(.get, path, token: f.dev.token).json["items"]?.array.compactMap { $0["name"]?.string } == ["2.0", "Someday", "1.0"])
        }
    }
}

@Suite("Items serving a goal and a release")
struct ItemDirectionTests {
    @Test(arguments: TestEngine.all)
    func itemsLinkToTheActiveGoalAndAReleaseAndTheBacklogFiltersByThem(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api)
            let goal = try #require(try await api.call(.post, "/api/v1/products/\(f.productID)/product-goals", token: f.po.token, body: ["statement": "Honest forecasts"]).json["id"]?.string)
            let release = try #require(try await api.call(.post, "/api/v1/products/\(f.productID)/releases", token: f.po.token, body: ["name": "1.0"]).json["id"]?.string)
            let linked = try await f.item("Forecast chart", extra: ["productGoalId": .string(goal), "releaseId": .string(release)])
            #expect(linked["productGoalId"]?.string == goal && linked["releaseId"]?.string == release)
            try await f.item("Unrelated")
            let other = try await f.item("Later part", extra: ["releaseId": .string(release)])
            #expect(other["productGoalId"] == .null)

            #expect(try await f.order("&productGoalId=\(goal)") == ["Forecast chart"])
            #expect(try await f.order("&releaseId=\(release)") == ["Forecast chart", "Later part"])
            #expect(try await f.order("&productGoalId=") .count == 3, "empty means not given")

            let change = try await api.call(.patch, "/api/v1/items/ATL-3", token: f.dev.token, body: ["version": 1, "productGoalId": .string(goal)])
            #expect(change.json["productGoalId"]?.string == goal)
            let cleared = try await api.call(.patch, "/api/v1/items/ATL-3", token: f.dev.token, body: ["version": 2, "releaseId": .null])
            #expect(cleared.json["releaseId"] == .null)

            // Another product's goal or release is answered like a missing one; a closed goal is refused.
            let g = try await BacklogFixture.make(api, key: "GEM")
            let foreign = try #require(try await api.call(.post, "/api/v1/products/\(g.productID)/product-goals", token: g.po.token, body: ["statement": "Theirs"]).json["id"]?.string)
            #expect(try await api.call(.patch, "/api/v1/items/ATL-2", token: f.po.token, body: ["version": 1, "productGoalId": .string(foreign)]).errorField == "productGoalId")
            #expect(try await api.call(.post, "/api/v1/products/\(f.productID)/items", token: f.po.token, body: ["title": "x", "kind": "story", "releaseId": "nope"]).errorField == "releaseId")
            try await api.call(.post, "/api/v1/product-goals/\(goal)/achieve", token: f.po.token, body: ["note": "Reached"])
            let closed = try await api.call(.patch, "/api/v1/items/ATL-2", token: f.po.token, body: ["version": 1, "productGoalId": .string(goal)])
            #expect(closed.errorField == "productGoalId")
            #expect(closed.json["error"]?["message"]?.string?.contains("closed") == true)
        }
    }
}
