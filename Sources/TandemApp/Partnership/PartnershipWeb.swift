import Foundation
import Hummingbird
import TandemCore

/// The partnership pages and their forms: the dashboard, questions, decisions, and a team's impediments, working
/// agreement and health checks.
struct PartnershipWeb: Sendable {
    let web: WebPages
    let products: ProductService
    let partnership: PartnershipService
    let sprints: SprintService
    let database: TandemDatabase

    /// The table of contents: each page route and the handler that answers it (under "Handlers").
    func register(on router: Router<TandemRequestContext>) {
        registerNotifications(on: router)
        router.get(RouterPath(SiteRoute.Pattern.dashboard), use: showDashboard)
        router.get(RouterPath(SiteRoute.Pattern.questions), use: showQuestions)
        router.post(RouterPath(SiteRoute.Pattern.questions), use: askQuestion)
        router.post(RouterPath(SiteRoute.Pattern.answerQuestion), use: answerQuestion)
        router.get(RouterPath(SiteRoute.Pattern.decisions), use: showDecisions)
        router.post(RouterPath(SiteRoute.Pattern.decisions), use: recordDecision)

        router.get(RouterPath(SiteRoute.Pattern.teamPartnership), use: showTeamPartnership)
        // Notification links name these addresses; they show the team's partnership page.
        router.get(RouterPath(SiteRoute.Pattern.impediments), use: showImpediments)
        router.get(RouterPath(SiteRoute.Pattern.partnershipCheck), use: showPartnershipCheck)
        router.post(RouterPath(SiteRoute.Pattern.impediments), use: raiseImpediment)
        for action in ImpedimentPageAction.allCases {
            router.post(RouterPath(SiteRoute.Pattern.impediment(action))) { request, context in try await actOnImpediment(request, context: context, action: action) }
        }
        router.post(RouterPath(SiteRoute.Pattern.workingAgreement), use: writeWorkingAgreement)
        router.post(RouterPath(SiteRoute.Pattern.agreeWorkingAgreement), use: agreeWorkingAgreement)
        router.post(RouterPath(SiteRoute.Pattern.partnershipChecks), use: openPartnershipCheck)
        router.post(RouterPath(SiteRoute.Pattern.partnershipCheck), use: answerPartnershipCheck)
    }

    func registerNotifications(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.notifications.path)) { request, context in
            let identity = try web.requireLogin(context)
            let list = try await partnership.notifications.list(userID: identity.user.id)
            return try await web.page(request, context) { csrf in NotificationsPage(identity: identity, csrf: csrf, list: list).html }
        }
        router.post(RouterPath(SiteRoute.readAllNotifications.path)) { request, context in
            let identity = try web.requireLogin(context)
            return try await web.withForm(request, context) { _, _ in
                try await partnership.notifications.readAll(userID: identity.user.id)
                return HTMLResponse.redirect(.notifications)
            }
        }
        // Opening one marks it read and follows its link (only to a local path).
        router.post(RouterPath(SiteRoute.Pattern.openNotification)) { request, context in
            let identity = try web.requireLogin(context)
            let id = try context.parameter("notificationId")
            return try await web.withForm(request, context) { _, _ in
                try await partnership.notifications.read(id, userID: identity.user.id)
                let link = try await partnership.notifications.list(userID: identity.user.id).items.first { $0.id == id }?.link ?? SiteRoute.notifications.path
                return HTMLResponse.redirect(to: link.hasPrefix("/") && !link.hasPrefix("//") ? link : SiteRoute.notifications.path)
            }
        }
    }

    static func notice(_ request: Request) -> Layout.Flash? {
        request.uri.queryParameters["notice"] == "saved" ? .notice("Saved.") : nil
    }

    func dashboard(_ productID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let access = try await products.access(productID: productID, userID: identity.user.id, header: true)
        let report = try await partnership.signals.report(access: access)
        let teams = try await database.read { db in
            try await db.select().columns("id", "name").from("teams").where("product_id", .equal, productID).all()
                .map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "name", as: String.self)) }
        }
        let names = Dictionary(uniqueKeysWithValues: teams)
        // Each team's velocity beside the signals: the evidence both partners plan from.
        var velocities: [(name: String, sprints: [VelocitySprintDTO], trackRecord: TrackRecord.Result)] = []
        for (id, name) in teams.sorted(by: { $0.1 < $1.1 }) {
            let closed = try await sprints.velocity(teamID: id, userID: identity.user.id).sprints
            velocities.append((name, closed, TrackRecord.of(closed.map(\.donePoints), horizon: 3)))
        }
        let charts = velocities
        return { csrf, flash in DashboardPage(identity: identity, csrf: csrf, access: access, report: report, teams: names, velocities: charts, flash: flash).html }
    }

    /// `onlyBlocking`: just the blocking questions still waiting (the dashboard's tile opens these).
    func questionsPage(_ productID: String, identity: Identity, onlyBlocking: Bool = false) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let access = try await products.access(productID: productID, userID: identity.user.id, header: true)
        let questions = try await partnership.questions.list(productID: productID, state: onlyBlocking ? .open : nil, userID: identity.user.id)
            .filter { !onlyBlocking || $0.blocking }
        return { csrf, flash in QuestionsPage(identity: identity, csrf: csrf, access: access, questions: questions, onlyBlocking: onlyBlocking, flash: flash).html }
    }

    /// `withoutRationale`: just the entries decided without a note the team can read.
    func decisionsPage(_ productID: String, identity: Identity, withoutRationale: Bool = false) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let access = try await products.access(productID: productID, userID: identity.user.id, header: true)
        let log = try await partnership.decisions.log(productID: productID, userID: identity.user.id).filter { !withoutRationale || $0.rationale.isEmpty }
        return { csrf, flash in DecisionsPage(identity: identity, csrf: csrf, access: access, log: log, withoutRationale: withoutRationale, flash: flash).html }
    }

    func teamPage(_ teamID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let team = try await database.read { db in try await TeamPartnership.load(teamID, userID: identity.user.id, on: db) }
        let impediments = try await partnership.impediments.list(teamID: teamID, state: nil, userID: identity.user.id)
        let agreement = try await partnership.agreements.current(teamID: teamID, userID: identity.user.id)
        let checks = try await partnership.checks.trend(teamID: teamID, userID: identity.user.id)
        let members = agreement.agreedBy + agreement.waitingFor
        return { csrf, flash in
            TeamPartnershipPage(identity: identity, csrf: csrf, team: team, impediments: impediments, agreement: agreement, checks: checks,
                                members: members.sorted { $0.displayName < $1.displayName }, flash: flash).html
        }
    }

    func teamForm(_ request: Request, _ context: TandemRequestContext, teamID: String, identity: Identity, _ body: @escaping @Sendable (FormData) async throws -> Void) async throws -> Response {
        try await web.formAction(request, context, reshow: { try await teamPage(teamID, identity: identity) }) { form in
            try await body(form)
            return HTMLResponse.redirect(to: SiteRoute.teamPartnership(teamID).path + "?notice=saved")
        }
    }
}

// MARK: Handlers

extension PartnershipWeb {
    @Sendable func showDashboard(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await dashboard(try context.parameter("productId"), identity: identity)
        return try await web.page(request, context) { csrf in model(csrf, nil) }
    }

    @Sendable func showQuestions(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await questionsPage(try context.parameter("productId"), identity: identity, onlyBlocking: request.uri.queryParameters["blocking"] == "1")
        return try await web.page(request, context) { csrf in model(csrf, Self.notice(request)) }
    }

    @Sendable func askQuestion(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await web.formAction(request, context, reshow: { try await questionsPage(productID, identity: identity) }) { form in
            _ = try await partnership.questions.ask(productID: productID, text: form["text"], itemID: nil, blocking: form["blocking"] == "on", actorID: identity.user.id)
            return HTMLResponse.redirect(to: SiteRoute.questions(productID).path + "?notice=saved")
        }
    }

    @Sendable func answerQuestion(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let questionID = try context.parameter("questionId")
        let productID = try await partnership.questions.productID(of: questionID, userID: identity.user.id)
        return try await web.formAction(request, context, reshow: { try await questionsPage(productID, identity: identity) }) { form in
            _ = try await partnership.questions.answer(questionID, answer: form["answer"], actorID: identity.user.id)
            return HTMLResponse.redirect(to: SiteRoute.questions(productID).path + "?notice=saved")
        }
    }

    @Sendable func showDecisions(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await decisionsPage(try context.parameter("productId"), identity: identity, withoutRationale: request.uri.queryParameters["missing"] == "rationale")
        return try await web.page(request, context) { csrf in model(csrf, Self.notice(request)) }
    }

    @Sendable func recordDecision(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await web.formAction(request, context, reshow: { try await decisionsPage(productID, identity: identity) }) { form in
            let input = DecisionInput(
                title: form["title"], context: form["context"], decision: form["decision"], rationale: form["rationale"], alternatives: form["alternatives"],
                accountability: form["accountability"], itemIds: nil, supersedes: form["supersedes"].isEmpty ? nil : form["supersedes"]
            )
            _ = try await partnership.decisions.record(productID: productID, input: input, actorID: identity.user.id)
            return HTMLResponse.redirect(to: SiteRoute.decisions(productID).path + "?notice=saved")
        }
    }

    @Sendable func showTeamPartnership(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await teamPage(try context.parameter("teamId"), identity: identity)
        return try await web.page(request, context) { csrf in model(csrf, Self.notice(request)) }
    }

    @Sendable func showImpediments(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        _ = try web.requireLogin(context)
        return HTMLResponse.redirect(.teamPartnership(try context.parameter("teamId")))
    }

    @Sendable func showPartnershipCheck(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let check = try await partnership.checks.check(try context.parameter("checkId"), userID: identity.user.id)
        return HTMLResponse.redirect(to: SiteRoute.teamPartnership(check.teamId).path + "#checks-heading")
    }

    @Sendable func raiseImpediment(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let teamID = try context.parameter("teamId")
        return try await teamForm(request, context, teamID: teamID, identity: identity) { form in
            let refs = form["items"].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            _ = try await partnership.impediments.raise(teamID: teamID, title: form["title"], detail: form["detail"], itemIDs: refs, actorID: identity.user.id)
        }
    }

    @Sendable func actOnImpediment(_ request: Request, context context: TandemRequestContext, action: ImpedimentPageAction) async throws -> Response {
        let identity = try web.requireLogin(context)
        let impedimentID = try context.parameter("impedimentId")
        let teamID = try await partnership.impediments.teamID(of: impedimentID, userID: identity.user.id)
        return try await teamForm(request, context, teamID: teamID, identity: identity) { form in
            switch action {
            case .update:
                _ = try await partnership.impediments.update(
                    impedimentID, state: form["state"], ownerID: form["ownerId"].isEmpty ? nil : form["ownerId"],
                    resolution: form["resolution"].isEmpty ? nil : form["resolution"], actorID: identity.user.id
                )
            case .escalate:
                _ = try await partnership.impediments.escalate(impedimentID, note: form["note"], actorID: identity.user.id)
            }
        }
    }

    @Sendable func writeWorkingAgreement(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let teamID = try context.parameter("teamId")
        return try await teamForm(request, context, teamID: teamID, identity: identity) { form in
            let items = form["items"].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            _ = try await partnership.agreements.set(teamID: teamID, items: items, actorID: identity.user.id)
        }
    }

    @Sendable func agreeWorkingAgreement(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let teamID = try context.parameter("teamId")
        return try await teamForm(request, context, teamID: teamID, identity: identity) { _ in
            _ = try await partnership.agreements.agree(teamID: teamID, actorID: identity.user.id)
        }
    }

    @Sendable func openPartnershipCheck(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let teamID = try context.parameter("teamId")
        return try await teamForm(request, context, teamID: teamID, identity: identity) { _ in
            _ = try await partnership.checks.open(teamID: teamID, actorID: identity.user.id)
        }
    }

    @Sendable func answerPartnershipCheck(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let checkID = try context.parameter("checkId")
        let check = try await partnership.checks.check(checkID, userID: identity.user.id)
        return try await teamForm(request, context, teamID: check.teamId, identity: identity) { form in
            // Every rating and every expectation must be chosen: an untouched form is not a healthy answer.
            var ratings: [String: Double] = [:]
            for foundation in PartnershipFoundation.allCases {
                guard let value = Double(form["rating-\(foundation.rawValue)"]) else {
                    throw DomainError.invalid(field: "rating-\(foundation.rawValue)", "Rate “\(foundation.title)” from 1 to 5.")
                }
                ratings[foundation.rawValue] = value
            }
            let side: PartnershipSide = check.productOwner?.id == identity.user.id ? .productOwner : .scrumMaster
            var met: [String] = []
            for expectation in Expectations.owed(by: side == .productOwner ? .scrumMaster : .productOwner) {
                switch form["met-\(expectation.id)"] {
                case "met": met.append(expectation.id)
                case "unmet": break
                default: throw DomainError.invalid(field: "met-\(expectation.id)", "Say whether this was met or not.")
                }
            }
            _ = try await partnership.checks.respond(checkID: checkID, ratings: ratings, expectationsMet: met, comment: form["comment"], actorID: identity.user.id)
        }
    }
}
