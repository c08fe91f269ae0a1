import Foundation
import Hummingbird
import TandemCore

/// The review, the feedback inbox and the retrospective.
struct SprintEventsAPI: Sendable {
    let events: SprintEvents

    struct ReviewInput: Decodable { var invitees: [String]; var notes: String }
    struct FeedbackInput: Decodable { var text: String; var itemId: String? }
    struct ReasonInput: Decodable { var reason: String }
    struct NoteInput: Decodable { var kind: String; var text: String }
    struct ActionInput: Decodable { var text: String; var ownerId: String }
    struct ActionChange: Decodable { var state: String }

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        api.get("sprints/:sprintId/review", use: getReview)
        api.post("sprints/:sprintId/review", use: recordReview)
        api.get("products/:productId/feedback", use: getFeedback)
        api.post("products/:productId/feedback", use: createFeedback)
        api.post("feedback/:feedbackId/accept", use: acceptFeedback)
        api.post("feedback/:feedbackId/decline", use: declineFeedback)
        api.get("sprints/:sprintId/retrospective", use: getRetrospective)
        api.post("sprints/:sprintId/retrospective/notes", use: addRetrospectiveNote)
        api.post("sprints/:sprintId/retrospective/actions", use: createImprovementAction)
        api.patch("improvement-actions/:actionId", use: updateImprovementAction)
    }
}

// MARK: Handlers

extension SprintEventsAPI {
    @Sendable func getReview(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let review = try await events.review(sprintID: try context.parameter("sprintId"), userID: identity.user.id) else {
            throw DomainError.notFound("The sprint's review")
        }
        return try JSONBody.response(review)
    }

    @Sendable func recordReview(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ReviewInput.self, from: request)
        return try JSONBody.response(try await events.recordReview(
            sprintID: try context.parameter("sprintId"), invitees: input.invitees, notes: input.notes, actorID: identity.user.id
        ), status: .created)
    }

    @Sendable func getFeedback(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let state = try QueryFilter.one("state", FeedbackState.self, request.uri.queryParameters)
        let list = try await events.feedback(productID: try context.parameter("productId"), state: state, userID: identity.user.id)
        return try JSONBody.response(Page(items: list, nextCursor: nil))
    }

    @Sendable func createFeedback(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(FeedbackInput.self, from: request)
        return try JSONBody.response(try await events.giveFeedback(
            productID: try context.parameter("productId"), text: input.text, itemID: input.itemId, actorID: identity.user.id
        ), status: .created)
    }

    @Sendable func acceptFeedback(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await events.acceptFeedback(try context.parameter("feedbackId"), actorID: identity.user.id))
    }

    @Sendable func declineFeedback(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ReasonInput.self, from: request)
        return try JSONBody.response(try await events.declineFeedback(try context.parameter("feedbackId"), reason: input.reason, actorID: identity.user.id))
    }

    @Sendable func getRetrospective(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await events.retrospective(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
    }

    @Sendable func addRetrospectiveNote(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(NoteInput.self, from: request)
        return try JSONBody.response(try await events.addNote(
            sprintID: try context.parameter("sprintId"), kind: input.kind, text: input.text, actorID: identity.user.id
        ), status: .created)
    }

    @Sendable func createImprovementAction(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ActionInput.self, from: request)
        return try JSONBody.response(try await events.addAction(
            sprintID: try context.parameter("sprintId"), text: input.text, ownerID: input.ownerId, actorID: identity.user.id
        ), status: .created)
    }

    @Sendable func updateImprovementAction(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ActionChange.self, from: request)
        return try JSONBody.response(try await events.setActionState(try context.parameter("actionId"), state: input.state, actorID: identity.user.id))
    }
}
