import Foundation
import Testing
import TandemCore

/// Burndown, burnup, forecasts, the journal and the charts, on both engines.
@Suite("Empirical planning")
struct PlanningAPITests {
    /// Three closed one-week sprints with done 5, 5 and 8 points, a release with scope added later, a running sprint.
    @Test(arguments: TestEngine.all)
    func figuresForecastsAndChartsFromTheTeamsHistory(engine: TestEngine) async throws {
        let clock = MovableClock("2027-01-01")
        try await withTandem(engine, stamps: clock.stamps) { api, _ in
            let s = try await SprintFixture.make(api)
            let f = s.f
            let release = try #require(try await api.call(.post, "/api/v1/products/\(f.productID)/releases", token: f.po.token, body: ["name": "1.0"]).json["id"]?.string)
            let forecasts = "/api/v1/products/\(f.productID)/forecasts"
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "remainingPoints": 20]).errorCode == "not_enough_history")

            var sprintIDs: [String] = []
            for (index, (start, end)) in [("2027-01-04", "2027-01-08"), ("2027-01-11", "2027-01-15"), ("2027-01-18", "2027-01-22")].enumerated() {
                clock.set(start)
                let sprint = try await s.sprintID(start, end)
                sprintIDs.append(sprint)
                let points: [Double] = [[5, 3], [5], [8]][index]
                var items: [JSONValue] = []
                for (n, p) in points.enumerated() {
                    items.append(try await s.ready("Work \(index)-\(n)", points: p))
                    try await api.call(.patch, "/api/v1/items/\(items.last!["id"]!.string!)", token: f.po.token, body: ["releaseId": .string(release), "version": items.last!["version"] ?? 1])
                    try await s.add(items.last!, to: sprint)
                }
                #expect(try await s.start(sprint).status == .ok)
                clock.set(start, hour: 15)
                if index == 1 {
                    // Scope grows mid-sprint: a 2-point item is added on the second day, and shows on the burndown.
                    clock.set("2027-01-12")
                    let extra = try await s.ready("Added mid-sprint", points: 2)
                    #expect(try await s.add(extra, to: sprint, extra: ["reason": "Urgent"]).status == .created)
                }
                clock.set(end, hour: 11)
                #expect(try await s.work(items[0]["id"]!.string!, "done").status == .ok)
                clock.set(end, hour: 16)
                #expect(try await s.close(sprint, carryOver: "bottom").status == .ok)
            }

            // The burndown of sprint 2: every day, the ideal line, the 2 points added on Tuesday.
            let burndown = try await api.call(.get, "/api/v1/sprints/\(sprintIDs[1])/burndown", token: f.stakeholder.token)
            #expect(burndown.status == .ok, "\(burndown.text)")
            let days = burndown.json["days"]?.array ?? []
            #expect(days.map { $0["date"]?.string ?? "" } == ["2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14", "2027-01-15"])
            #expect(days.map { $0["idealPoints"]?.number ?? -1 } == [4, 3, 2, 1, 0], "5 committed points over 5 working days")
            #expect(days.map { $0["addedPoints"]?.number ?? -1 } == [0, 2, 0, 0, 0])
            #expect(days.map { $0["remainingPoints"]?.number ?? -1 } == [5, 7, 7, 7, 2])
            #expect(burndown.json["committedPoints"]?.number == 5)

            // Velocity gains the median, the spread and the say/do ratio.
            let velocity = try await api.call(.get, "/api/v1/teams/\(f.teamID)/velocity", token: f.dev.token)
            #expect(velocity.json["median"]?.number == 5, "median of 5, 5, 8")
            #expect(velocity.json["spread"] == ["lowest": 5, "highest": 8, "interquartileRange": 3])
            #expect(velocity.json["summary"]?["lowestDonePoints"]?.number == 5 && velocity.json["summary"]?["highestDonePoints"]?.number == 8)
            #expect(velocity.json["sayDoRatio"]?.number == 85.7, "18 done ÷ 21 committed (5+3, 5, 8; the added 2 not counted as commitment)")

            // The burnup: done and scope per sprint, and the forecast of the rest.
            let burnup = try await api.call(.get, "/api/v1/releases/\(release)/burnup", token: f.stakeholder.token)
            #expect(burnup.status == .ok, "\(burnup.text)")
            #expect(burnup.json["sprints"]?.array.map { $0["donePoints"]?.number ?? -1 } == [5, 10, 18])
            #expect(burnup.json["sprints"]?.array.map { $0["scopePoints"]?.number ?? -1 } == [8, 13, 21])
            #expect(burnup.json["forecast"]?["remaining"]?.number == 3, "the 3-point item carried over")

            // Forecasts: pinned by the seed, with dates counted in one-week sprints from the last close.
            let when = try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "remainingPoints": 23, "seed": 42])
            #expect(when.status == .ok, "\(when.text)")
            #expect(when.json["percentiles"] == ["50": 4, "85": 5, "95": 5], "23 points at 5, 5 or 8 a sprint: four sprints unless all four drew 5 ((2/3)⁴ ≈ 20%)")
            #expect(when.json["dates"]?["85"]?.string == "2027-02-26", "five one-week sprints after 22 January")
            #expect(when.json["basis"]?["sprints"]?.array.map { $0["value"]?.number ?? -1 } == [5, 5, 8])
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "remainingPoints": 23, "seed": 42]).json == when.json, "a fixed seed, a fixed answer")
            let items = try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "unit": "items", "remainingItems": 3, "seed": 1])
            #expect(items.json["percentiles"] == ["50": 3, "85": 3, "95": 3], "one item done per sprint, every sprint")
            let releaseItems = try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "unit": "items", "releaseId": .string(release), "seed": 1])
            #expect(releaseItems.json["remaining"]?.number == 1 && releaseItems.json["percentiles"]?["95"]?.number == 1, "the one carried-over item: \(releaseItems.text)")
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "unit": "items", "releaseId": .string(release), "scopeGrowth": true]).errorField == "scopeGrowth")
            let much = try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "howMuch", "byDate": "2027-02-05", "seed": 7])
            #expect(much.json["sprints"]?.number == 2, "two one-week sprints fit before 5 February")
            #expect(much.json["horizonEnd"]?.string == "2027-02-05", "a “how much” says by when: two weeks after 22 January")
            #expect(much.json["about"]?.string == "How much in the next 2 sprints, from 2027-01-22 to 2027-02-05 (the last that ends by 2027-02-05)", "\(much.json["about"] ?? .null)")
            #expect(much.json["percentiles"]?["95"]?.number ?? 0 >= 8 && much.json["percentiles"]?["50"]?.number ?? 99 <= 16)
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "howMuch", "byDate": "2027-01-23"]).errorField == "byDate")
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when"]).errorField == "remainingPoints")
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "remainingPoints": 20, "scopeGrowth": true]).errorField == "scopeGrowth")
            let growing = try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "releaseId": .string(release), "scopeGrowth": true, "seed": 3])
            #expect(growing.errorCode == "no_forecast", "the release grew 5 and 8 points a sprint, as fast as the team finishes: \(growing.text)")
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "releaseId": .string(release), "seed": 3]).json["remaining"]?.number == 3)
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "remainingPoints": 20, "trials": 0]).errorField == "trials")
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "soon"]).errorField == "mode")

            // The journal keeps a saved forecast and waits for its outcome.
            let saved = try await api.call(.post, forecasts, token: f.po.token, body: ["mode": "howMuch", "sprints": 1, "seed": 9, "save": true])
            #expect(saved.status == .created, "\(saved.text)")
            var journal = try await api.call(.get, forecasts, token: f.stakeholder.token)
            #expect(journal.json["items"]?[0]?["status"]?.string == "waiting")
            #expect(journal.json["items"]?[0]?["about"]?.string == "How much in the next 1 sprint, from 2027-01-22 to 2027-01-29", "the journal row names its sprints and dates")
            #expect(journal.json["calibration"]?["known"]?.number == 0)
            // One more sprint closes: the outcome is known and set against the levels.
            clock.set("2027-01-25")
            let fourth = try await s.sprintID("2027-01-25", "2027-01-29")
            let work = try await s.ready("Fourth", points: 5)
            try await s.add(work, to: fourth)
            #expect(try await s.start(fourth).status == .ok)
            #expect(try await s.work(work["id"]!.string!, "done").status == .ok)
            clock.set("2027-01-29", hour: 16)
            #expect(try await s.close(fourth).status == .ok)
            journal = try await api.call(.get, forecasts, token: f.stakeholder.token)
            #expect(journal.json["items"]?[0]?["status"]?.string == "known")
            #expect(journal.json["items"]?[0]?["outcome"]?["value"]?.number == 5)
            #expect(journal.json["calibration"]?["known"]?.number == 1)

            // Every chart is well-formed SVG with its series, at its API address and its page address.
            let chartChecks: [(String, [String])] = [
                ("/api/v1/teams/\(f.teamID)/velocity.svg", ["Committed", "Done", "Median done"]),
                ("/api/v1/sprints/\(sprintIDs[1])/burndown.svg", ["Added", "Removed", "Ideal", "Remaining"]),
                ("/api/v1/releases/\(release)/burnup.svg", ["Forecast cone (median to 85% sure)", "Total scope", "Done"]),
                ("/api/v1/forecasts/\(saved.json["id"]?.string ?? "")/histogram.svg", ["Trials"]),
            ]
            for (path, series) in chartChecks {
                let chart = try await api.call(.get, path, token: f.stakeholder.token)
                #expect(chart.status == .ok && chart.headers[.contentType]?.hasPrefix("image/svg+xml") == true, "\(path): \(chart.text.prefix(200))")
                let svg = try SVGReader.read(chart.text)
                #expect(Set(svg.series) == Set(series), "\(path)")
            }
            var browser = Browser(client: api.client)
            try await browser.logIn(f.dev.email)
            #expect(try SVGReader.read(try await browser.get("/releases/\(release)/burnup.svg").text).series.contains("Done"))
            let releasePage = try await browser.get("/releases/\(release)")
            #expect(releasePage.status == .ok)
            #expect(releasePage.text.contains("Release 1.0") && releasePage.text.contains(#"id="burnup""#) && releasePage.text.contains("2027-02-05"),
                    "the burnup and the date at each level: 3 points left at 5 to 8 a sprint is one more week")
            let page = try await browser.get("/products/\(f.productID)/planning")
            #expect(page.status == .ok)
            #expect(page.text.contains("Forecast journal") && page.text.contains(#"id="burnup""#) && page.text.contains(#"id="velocity""#))
            let outsider = try await api.person("Otto")
            #expect(try await api.call(.get, "/api/v1/releases/\(release)/burnup", token: outsider.token).status == .notFound)
            #expect(try await api.call(.post, forecasts, token: outsider.token, body: ["mode": "when", "remainingPoints": 5]).status == .notFound)

            // A closed sprint's burndown never changes: re-estimating its carried-over item later leaves it as it was.
            let carried = try await api.call(.get, "/api/v1/products/\(f.productID)/backlog?q=Work%200-1", token: f.po.token).json["items"]?[0]
            #expect(try await api.call(.patch, "/api/v1/items/\(carried?["id"]?.string ?? "")", token: f.po.token,
                                       body: ["estimate": 8, "version": carried?["version"] ?? 1]).status == .ok)
            #expect(try await api.call(.get, "/api/v1/sprints/\(sprintIDs[1])/burndown", token: f.stakeholder.token).json == burndown.json)
            // The burnup counts each past sprint with the estimate as it stood at that sprint's end: the 3 points
            // before the re-estimate, the 8 from the day of it (the fourth sprint ended that day).
            let reestimated = try await api.call(.get, "/api/v1/releases/\(release)/burnup", token: f.stakeholder.token)
            #expect(reestimated.json["sprints"]?.array.map { $0["scopePoints"]?.number ?? -1 } == [8, 13, 21, 26], "\(reestimated.text)")
            #expect(reestimated.json["sprints"]?.array.map { $0["donePoints"]?.number ?? -1 } == [5, 10, 18, 18])
            #expect(reestimated.json["forecast"]?["remaining"]?.number == 8)

            // A second team makes the team a required choice.
            try await api.call(.post, "/api/v1/products/\(f.productID)/teams", token: f.po.token, body: ["name": "Second"])
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "remainingPoints": 5]).errorCode == "team_required")
            #expect(try await api.call(.post, forecasts, token: f.dev.token, body: ["mode": "when", "remainingPoints": 5, "teamId": .string(f.teamID), "seed": 1]).status == .ok)
        }
    }

    /// The track record worked out by hand: a steady 8 a sprint is forecast at exactly 24 for the next three at every
    /// level; from sprint 4 the next three brought 24 (met), from sprint 5 they brought 8 + 8 + 3 = 19 (missed).
    @Test(arguments: TestEngine.all)
    func aTeamsTrackRecordOnAKnownHistory(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let s = try await SprintFixture.make(api)
            let path = "/api/v1/teams/\(s.f.teamID)/forecast-track-record"
            let early = try await api.call(.get, path, token: s.f.stakeholder.token)
            #expect(early.status == .ok && early.json["levels"]?.array.allSatisfy { $0["met"]?.number == 0 && $0["of"]?.number == 0 } == true)
            #expect(early.json["basis"]?.string == "A three-sprint forecast can be judged once 6 sprints have closed: 6 more to go.", "\(early.text)")
            var start = CalendarDay("2027-01-04")!
            for points in [8.0, 8, 8, 8, 8, 8, 3] {
                let sprint = try await s.sprintID(start.description, start.adding(days: 4).description)
                let item = try await s.ready("Work \(start)", points: points)
                try await s.add(item, to: sprint)
                #expect(try await s.start(sprint).status == .ok)
                #expect(try await s.work(item["id"]!.string!, "done").status == .ok)
                #expect(try await s.close(sprint).status == .ok)
                start = start.adding(days: 7)
            }
            let record = try await api.call(.get, path, token: s.f.stakeholder.token)
            #expect(record.json["unit"]?.string == "points" && record.json["horizonSprints"]?.number == 3)
            #expect(record.json["levels"]?.array.map { [$0["level"]?.number, $0["met"]?.number, $0["of"]?.number] } == [[50, 1, 2], [85, 1, 2], [95, 1, 2]], "\(record.text)")
            #expect(record.json["basis"]?.string?.hasPrefix("From sprint 4 on, forecasting a three-sprint total from the sprints before: the 50% level was met 1 time in 2") == true)
            #expect(try await api.call(.get, path + "?horizon=7", token: s.f.po.token).errorField == "horizon")
            #expect(try await api.call(.get, path + "?horizon=1", token: s.f.po.token).json["levels"]?[1]?["of"]?.number == 4)
        }
    }
}
