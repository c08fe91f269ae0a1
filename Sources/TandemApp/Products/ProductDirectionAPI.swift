import Foundation
import Hummingbird
import TandemCore

/// `/api/v1/products/{id}/vision` and the Product Goals.
struct ProductDirectionAPI: Sendable {
    let direction: ProductDirection

    struct GoalInput: Decodable { var statement: String; var measure: String? }
    struct NoteInput: Decodable { var note: String }
    struct ReleaseInput: Decodable { var name: String; var targetDate: String? }

    func register(on api: RouterGroup<TandemRequestContext>) {
        api.get("products/:productId/vision") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await direction.vision(productID: try context.parameter("productId"), userID: identity.user.id))
        }
        api.put("products/:productId/vision") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(VisionInput.self, from: request)
            return try JSONBody.response(try await direction.setVision(productID: try context.parameter("productId"), input: input, actorID: identity.user.id))
        }
        api.get("products/:productId/product-goals") { _, context -> Response in
            let identity = try context.requireIdentity()
            let goals = try await direction.goals(productID: try context.parameter("productId"), userID: identity.user.id)
            return try JSONBody.response(Page(items: goals, nextCursor: nil))
        }
        api.post("products/:productId/product-goals") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(GoalInput.self, from: request)
            let goal = try await direction.createGoal(productID: try context.parameter("productId"), statement: input.statement, measure: input.measure, actorID: identity.user.id)
            return try JSONBody.response(goal, status: .created)
        }
        api.get("products/:productId/releases") { _, context -> Response in
            let identity = try context.requireIdentity()
            let releases = try await direction.releases(productID: try context.parameter("productId"), userID: identity.user.id)
            return try JSONBody.response(Page(items: releases, nextCursor: nil))
        }
        api.post("products/:productId/releases") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(ReleaseInput.self, from: request)
            let release = try await direction.createRelease(productID: try context.parameter("productId"), name: input.name, targetDate: input.targetDate, actorID: identity.user.id)
            return try JSONBody.response(release, status: .created)
        }
        api.post("releases/:releaseId/release") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await direction.markReleased(releaseID: try context.parameter("releaseId"), actorID: identity.user.id))
        }
        for state in [ProductGoalState.achieved, .abandoned] {
            api.post(RouterPath("product-goals/:goalId/\(state == .achieved ? "achieve" : "abandon")")) { request, context -> Response in
                let identity = try context.requireIdentity()
                let input = try await JSONBody.decode(NoteInput.self, from: request)
                return try JSONBody.response(try await direction.closeGoal(goalID: try context.parameter("goalId"), as: state, note: input.note, actorID: identity.user.id))
            }
        }
    }
}
