import Foundation
import Hummingbird
import TandemCore

/// `/api/v1/products/{id}/vision` and the Product Goals.
struct ProductDirectionAPI: Sendable {
    let direction: ProductDirection

    struct GoalInput: Decodable { var statement: String; var measure: String? }
    struct NoteInput: Decodable { var note: String }
    struct ReleaseInput: Decodable { var name: String; var targetDate: String? }

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        api.get("products/:productId/vision", use: getVision)
        api.put("products/:productId/vision", use: setVision)
        api.get("products/:productId/product-goals", use: getProductGoals)
        api.post("products/:productId/product-goals", use: createProductGoal)
        api.get("products/:productId/releases", use: getReleases)
        api.post("products/:productId/releases", use: planRelease)
        api.post("releases/:releaseId/release", use: markReleased)
        api.post("product-goals/:goalId/achieve") { request, context in try await closeGoal(request, context: context, as: .achieved) }
        api.post("product-goals/:goalId/abandon") { request, context in try await closeGoal(request, context: context, as: .abandoned) }
    }
}

// MARK: Handlers

extension ProductDirectionAPI {
    @Sendable func getVision(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await direction.vision(productID: try context.parameter("productId"), userID: identity.user.id))
    }

    @Sendable func setVision(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(VisionInput.self, from: request)
        return try JSONBody.response(try await direction.setVision(productID: try context.parameter("productId"), input: input, actorID: identity.user.id))
    }

    @Sendable func getProductGoals(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let goals = try await direction.goals(productID: try context.parameter("productId"), userID: identity.user.id)
        return try JSONBody.response(Page(items: goals, nextCursor: nil))
    }

    @Sendable func createProductGoal(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(GoalInput.self, from: request)
        let goal = try await direction.createGoal(productID: try context.parameter("productId"), statement: input.statement, measure: input.measure, actorID: identity.user.id)
        return try JSONBody.response(goal, status: .created)
    }

    @Sendable func getReleases(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let releases = try await direction.releases(productID: try context.parameter("productId"), userID: identity.user.id)
        return try JSONBody.response(Page(items: releases, nextCursor: nil))
    }

    @Sendable func planRelease(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ReleaseInput.self, from: request)
        let release = try await direction.createRelease(productID: try context.parameter("productId"), name: input.name, targetDate: input.targetDate, actorID: identity.user.id)
        return try JSONBody.response(release, status: .created)
    }

    @Sendable func markReleased(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await direction.markReleased(releaseID: try context.parameter("releaseId"), actorID: identity.user.id))
    }

    @Sendable func closeGoal(_ request: Request, context: TandemRequestContext, as state: ProductGoalState) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(NoteInput.self, from: request)
        return try JSONBody.response(try await direction.closeGoal(goalID: try context.parameter("goalId"), as: state, note: input.note, actorID: identity.user.id))
    }
}
