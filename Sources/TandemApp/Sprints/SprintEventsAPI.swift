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

    func register(on api: RouterGroup<TandemRequestContext>) {
        api.get("sprints/:sprintId/review") { _, context -> Response in
            let identity = try context.requireIdentity()
            guard let review = try await events.review(sprintID: try context.parameter("sprintId"), userID: identity.user.id) else {
                throw DomainError.notFound("The sprint's review")
            }
            return try JSONBody.response(review)
        }
        api.post("sprints/:sprintId/review") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(ReviewInput.self, from: request)
            return try JSONBody.response(try await events.recordReview(
                sprintID: try context.parameter("sprintId"), invitees: input.invitees, notes: input.notes, actorID: identity.user.id
            ), status: .created)
        }
        api.get("products/:productId/feedback") { request, context -> Response in
            let identity = try context.requireIdentity()
            let state = try QueryFilter.one("state", FeedbackState.self, request.uri.queryParameters)
            let list = try await events.feedback(productID: try context.parameter("productId"), state: state, userID: identity.user.id)
            return try JSONBody.response(Page(items: list, nextCursor: nil))
        }
        api.post("products/:productId/feedback") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(FeedbackInput.self, from: request)
            return try JSONBody.response(try await events.giveFeedback(
                productID: try context.parameter("productId"), text: input.text, itemID: input.itemId, actorID: identity.user.id
            ), status: .created)
        }
        api.post("feedback/:feedbackId/accept") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await events.acceptFeedback(try context.parameter("feedbackId"), actorID: identity.user.id))
        }
        api.post("feedback/:feedbackId/decline") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(ReasonInput.self, from: request)
            return try JSONBody.response(try await events.declineFeedback(try context.parameter("feedbackId"), reason: input.reason, actorID: identity.user.id))
        }
        api.get("sprints/:sprintId/retrospective") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await events.retrospective(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
        }
        api.post("sprints/:sprintId/retrospective/notes") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(NoteInput.self, from: request)
            return try JSONBody.response(try await events.addNote(
                sprintID: try context.parameter("sprintId"), kind: input.kind, text: input.text, actorID: identity.user.id
            ), status: .created)
        }
        api.post("sprints/:sprintId/retrospective/actions") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(ActionInput.self, from: request)
            return try JSONBody.response(try await events.addAction(
                sprintID: try context.parameter("sprintId"), text: input.text, ownerID: input.ownerId, actorID: identity.user.id
            ), status: .created)
        }
        api.patch("improvement-actions/:actionId") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(ActionChange.self, from: request)
            return try JSONBody.response(try await events.setActionState(try context.parameter("actionId"), state: input.state, actorID: identity.user.id))
        }
    }
}
