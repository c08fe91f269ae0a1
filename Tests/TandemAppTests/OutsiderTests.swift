import Foundation
import Hummingbird
import Logging
import SQLKit
import Testing
@testable import TandemApp

/// Someone outside a product must not learn that anything of it exists: every route that takes an id answers them
/// exactly as it answers a made-up id, status and body alike, on the demo data where every kind of id is real.
@Suite("Outsiders cannot tell real ids from made-up ones")
struct OutsiderTests {
    /// One real id of every kind a route takes, read from the demo product.
    static func realIDs(_ services: TandemServices) async throws -> [String: String] {
        try await services.database.read { db in
            func first(_ sql: SQLQueryString) async throws -> String {
                guard let row = try await db.raw(sql).first() else { return "none" }
                return try row.decode(column: "id", as: String.self)
            }
            return [
                "productId": try await first("SELECT id FROM products"), "teamId": try await first("SELECT id FROM teams"),
                "sprintId": try await first("SELECT id FROM sprints"), "itemId": try await first("SELECT ref AS id FROM backlog_items"),
                "releaseId": try await first("SELECT id FROM releases"), "impedimentId": try await first("SELECT id FROM impediments"),
                "questionId": try await first("SELECT id FROM questions"), "decisionId": try await first("SELECT id FROM decisions"),
                "checkId": try await first("SELECT id FROM partnership_checks"), "goalId": try await first("SELECT id FROM product_goals"),
                "proposalId": try await first("SELECT id FROM ordering_proposals"), "feedbackId": try await first("SELECT id FROM feedback"),
                "forecastId": try await first("SELECT id FROM forecasts"), "notificationId": try await first("SELECT id FROM notifications"),
                "roundId": try await first("SELECT id FROM estimation_rounds"), "userId": try await first("SELECT id FROM users"),
                "actionId": try await first("SELECT id FROM improvement_actions"), "blockerId": try await first("SELECT blocker_id AS id FROM item_dependencies"),
                "tokenId": try await first("SELECT id FROM auth_tokens"), "action": "reveal",
            ]
        }
    }

    static func fill(_ pattern: String, _ values: (String) -> String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? values(String(segment.dropFirst().dropLast())) : String(segment)
        }.joined(separator: "/")
    }

    @Test(arguments: TestEngine.all)
    func everyRouteAnswersAnOutsiderAlikeForRealAndMadeUpIDs(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            try await DemoSeed.seed(services: services, logger: Logger(label: "test"))
            let ids = try await Self.realIDs(services)
            let outsider = try await api.person("Otto")
            var browser = Browser(client: api.client)
            try await browser.logIn(outsider.email)
            let router = buildRouter(services: services)
            var compared = 0
            for route in router.routes where route.path.description.contains("{") && route.method != .head {
                let pattern = route.path.description.hasPrefix("/") ? route.path.description : "/" + route.path.description
                let real = Self.fill(pattern) { ids[$0] ?? "none" }
                let madeUp = Self.fill(pattern) { $0 == "action" ? "reveal" : "made-up-\($0)" }
                let answers: [TestResult]
                if pattern.hasPrefix("/api/") {
                    let body = [.post, .put, .patch].contains(route.method) ? "{}" : nil
                    answers = [
                        try await api.call(route.method, real, token: outsider.token, json: body),
                        try await api.call(route.method, madeUp, token: outsider.token, json: body),
                    ]
                } else if route.method == .get {
                    answers = [try await browser.get(real), try await browser.get(madeUp)]
                } else {
                    _ = try await browser.get("/")
                    let form = ["csrf": browser.csrf]
                    answers = [try await browser.post(real, form: form), try await browser.post(madeUp, form: form)]
                }
                let differs = zip(answers[0].text, answers[1].text).prefix { $0 == $1 }.count
                #expect(answers[0].status == answers[1].status && answers[0].text == answers[1].text,
                        "\(route.method) \(pattern): \(answers[0].status) …\(answers[0].text.dropFirst(differs).prefix(120)) | \(answers[1].status) …\(answers[1].text.dropFirst(differs).prefix(120))")
                #expect(answers[0].status.code >= 400 || answers[0].status == .seeOther, "\(route.method) \(pattern) let an outsider in: \(answers[0].status)")
                compared += 1
            }
            #expect(compared > 100, "routes compared: \(compared)")
        }
    }
}
