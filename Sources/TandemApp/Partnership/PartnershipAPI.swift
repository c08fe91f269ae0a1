import Foundation
import Hummingbird
import TandemCore

/// Impediments, questions, decisions, working agreements, expectations, health checks and notifications.
struct PartnershipAPI: Sendable {
    let partnership: PartnershipService

    struct ImpedimentInput: Decodable { var title: String; var detail: String?; var itemIds: [String]? }
    struct ImpedimentChange: Decodable { var state: String?; var ownerId: String?; var resolution: String? }
    struct EscalationInput: Decodable { var note: String }
    struct QuestionInput: Decodable { var text: String; var itemId: String?; var blocking: Bool? }
    struct AnswerInput: Decodable { var answer: String }
    struct AgreementInput: Decodable { var items: [String] }
    struct CheckResponse: Decodable { var ratings: [String: Double]; var expectationsMet: [String]; var comment: String? }
    struct Expectations: Encodable { let items: [Expectation] }

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        api.post("teams/:teamId/impediments", use: createImpediment)
        api.get("teams/:teamId/impediments", use: getImpediments)
        api.patch("impediments/:impedimentId", use: updateImpediment)
        api.post("impediments/:impedimentId/escalate", use: escalateImpediment)

        api.post("products/:productId/questions", use: createQuestion)
        api.get("products/:productId/questions", use: getQuestions)
        api.get("items/:itemId/partnership", use: getItemPartnership)
        api.post("questions/:questionId/answer", use: answerQuestion)

        api.post("products/:productId/decisions", use: createDecision)
        api.get("products/:productId/decisions", use: getDecisions)
        // Append-only: only GET is routed, so PATCH and DELETE answer 405 with Allow: GET, HEAD.
        api.get("decisions/:decisionId", use: showDecision)

        api.get("teams/:teamId/working-agreement", use: getWorkingAgreement)
        api.put("teams/:teamId/working-agreement", use: setWorkingAgreement)
        api.post("teams/:teamId/working-agreement/agree", use: agreeWorkingAgreement)
        api.get("expectations", use: getExpectations)

        api.post("teams/:teamId/partnership-checks", use: createPartnershipCheck)
        api.get("teams/:teamId/partnership-checks", use: getPartnershipChecks)
        api.get("partnership-checks/:checkId", use: showPartnershipCheck)
        api.put("partnership-checks/:checkId/responses", use: answerPartnershipCheck)

        api.get("products/:productId/partnership", use: getProductPartnership)
        api.put("products/:productId/partnership/thresholds", use: setSignalThresholds)
        api.get("products/:productId/activity", use: getProductActivity)
        api.get("notifications", use: getNotifications)
        api.post("notifications/read-all", use: readAllNotifications)
        api.post("notifications/:notificationId/read", use: readNotification)
    }
}

// MARK: Handlers

extension PartnershipAPI {
    @Sendable func createImpediment(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ImpedimentInput.self, from: request)
        return try JSONBody.response(try await partnership.impediments.raise(
            teamID: try context.parameter("teamId"), title: input.title, detail: input.detail, itemIDs: input.itemIds ?? [], actorID: identity.user.id
        ), status: .created)
    }

    @Sendable func getImpediments(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let state = try QueryFilter.one("state", ImpedimentState.self, request.uri.queryParameters)
        return try JSONBody.response(try await partnership.impediments.list(teamID: try context.parameter("teamId"), state: state, userID: identity.user.id))
    }

    @Sendable func updateImpediment(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ImpedimentChange.self, from: request)
        return try JSONBody.response(try await partnership.impediments.update(
            try context.parameter("impedimentId"), state: input.state, ownerID: input.ownerId, resolution: input.resolution, actorID: identity.user.id
        ))
    }

    @Sendable func escalateImpediment(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(EscalationInput.self, from: request)
        return try JSONBody.response(try await partnership.impediments.escalate(try context.parameter("impedimentId"), note: input.note, actorID: identity.user.id))
    }

    @Sendable func createQuestion(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(QuestionInput.self, from: request)
        return try JSONBody.response(try await partnership.questions.ask(
            productID: try context.parameter("productId"), text: input.text, itemID: input.itemId, blocking: input.blocking ?? false, actorID: identity.user.id
        ), status: .created)
    }

    @Sendable func getQuestions(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let state = try QueryFilter.one("state", QuestionState.self, request.uri.queryParameters)
        let list = try await partnership.questions.list(productID: try context.parameter("productId"), state: state, userID: identity.user.id)
        return try JSONBody.response(Page(items: list, nextCursor: nil))
    }

    @Sendable func getItemPartnership(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.items.forItem(try context.parameter("itemId"), userID: identity.user.id))
    }

    @Sendable func answerQuestion(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(AnswerInput.self, from: request)
        return try JSONBody.response(try await partnership.questions.answer(try context.parameter("questionId"), answer: input.answer, actorID: identity.user.id))
    }

    @Sendable func createDecision(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(DecisionInput.self, from: request)
        return try JSONBody.response(try await partnership.decisions.record(productID: try context.parameter("productId"), input: input, actorID: identity.user.id), status: .created)
    }

    @Sendable func getDecisions(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let log = try await partnership.decisions.log(productID: try context.parameter("productId"), userID: identity.user.id)
        return try JSONBody.response(Page(items: log, nextCursor: nil))
    }

    @Sendable func showDecision(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.decisions.decision(try context.parameter("decisionId"), userID: identity.user.id))
    }

    @Sendable func getWorkingAgreement(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.agreements.current(teamID: try context.parameter("teamId"), userID: identity.user.id))
    }

    @Sendable func setWorkingAgreement(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(AgreementInput.self, from: request)
        return try JSONBody.response(try await partnership.agreements.set(teamID: try context.parameter("teamId"), items: input.items, actorID: identity.user.id))
    }

    @Sendable func agreeWorkingAgreement(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.agreements.agree(teamID: try context.parameter("teamId"), actorID: identity.user.id))
    }

    @Sendable func getExpectations(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        _ = try context.requireIdentity()
        return try JSONBody.response(Expectations(items: TandemCore.Expectations.all))
    }

    @Sendable func createPartnershipCheck(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.checks.open(teamID: try context.parameter("teamId"), actorID: identity.user.id), status: .created)
    }

    @Sendable func getPartnershipChecks(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.checks.trend(teamID: try context.parameter("teamId"), userID: identity.user.id))
    }

    @Sendable func showPartnershipCheck(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.checks.check(try context.parameter("checkId"), userID: identity.user.id))
    }

    @Sendable func answerPartnershipCheck(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(CheckResponse.self, from: request)
        return try JSONBody.response(try await partnership.checks.respond(
            checkID: try context.parameter("checkId"), ratings: input.ratings, expectationsMet: input.expectationsMet, comment: input.comment, actorID: identity.user.id
        ))
    }

    @Sendable func getProductPartnership(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.signals.report(productID: try context.parameter("productId"), userID: identity.user.id))
    }

    @Sendable func setSignalThresholds(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode([String: Double].self, from: request)
        return try JSONBody.response(try await partnership.signals.setThresholds(productID: try context.parameter("productId"), values: input, actorID: identity.user.id))
    }

    @Sendable func getProductActivity(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let page = try Pagination(request: request)
        let parameters = request.uri.queryParameters
        let result = try await partnership.activity.page(
            productID: try context.parameter("productId"), kind: parameters["kind"].map(String.init), actorID: parameters["actorId"].map(String.init),
            offset: page.offset, limit: page.limit, userID: identity.user.id
        )
        return try JSONBody.response(Page(items: result.items, nextCursor: result.nextCursor))
    }

    @Sendable func getNotifications(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await partnership.notifications.list(userID: identity.user.id))
    }

    @Sendable func readAllNotifications(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await partnership.notifications.readAll(userID: identity.user.id)
        return Response(status: .noContent)
    }

    @Sendable func readNotification(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await partnership.notifications.read(try context.parameter("notificationId"), userID: identity.user.id)
        return Response(status: .noContent)
    }
}
