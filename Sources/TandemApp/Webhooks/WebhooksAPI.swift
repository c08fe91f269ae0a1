import Foundation
import Hummingbird
import TandemCore

/// `/api/v1/products/{id}/webhooks`: the hooks of a product, their secrets and their delivery log.
struct WebhooksAPI: Sendable {
    let webhooks: WebhookService

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        api.get("products/:productId/webhooks", use: listWebhooks)
        api.post("products/:productId/webhooks", use: createWebhook)
        api.get("products/:productId/webhooks/:webhookId", use: getWebhook)
        api.patch("products/:productId/webhooks/:webhookId", use: updateWebhook)
        api.delete("products/:productId/webhooks/:webhookId", use: deleteWebhook)
        api.post("products/:productId/webhooks/:webhookId/rotate-secret", use: rotateSecret)
        api.get("products/:productId/webhooks/:webhookId/deliveries", use: listDeliveries)
        api.post("products/:productId/webhooks/:webhookId/deliveries/:deliveryId/redeliver", use: redeliver)
    }
}

// MARK: Handlers

extension WebhooksAPI {
    @Sendable func listWebhooks(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let page = try Pagination(request: request)
        let slice = page.slice(try await webhooks.list(productID: try context.parameter("productId"), userID: identity.user.id))
        return try JSONBody.response(Page(items: slice.items, nextCursor: slice.nextCursor))
    }

    @Sendable func createWebhook(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(WebhookInput.self, from: request)
        return try JSONBody.response(try await webhooks.create(productID: try context.parameter("productId"), input: input, actorID: identity.user.id), status: .created)
    }

    @Sendable func getWebhook(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await webhooks.webhook(try context.parameter("webhookId"), productID: try context.parameter("productId"), userID: identity.user.id))
    }

    @Sendable func updateWebhook(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let patch = try await JSONBody.decode(WebhookPatch.self, from: request)
        return try JSONBody.response(try await webhooks.update(try context.parameter("webhookId"), productID: try context.parameter("productId"), patch: patch, actorID: identity.user.id))
    }

    @Sendable func deleteWebhook(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await webhooks.delete(try context.parameter("webhookId"), productID: try context.parameter("productId"), actorID: identity.user.id)
        return Response(status: .noContent)
    }

    @Sendable func rotateSecret(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await webhooks.rotateSecret(try context.parameter("webhookId"), productID: try context.parameter("productId"), actorID: identity.user.id))
    }

    @Sendable func listDeliveries(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let page = try Pagination(request: request)
        let found = try await webhooks.deliveries(try context.parameter("webhookId"), productID: try context.parameter("productId"), userID: identity.user.id,
                                                  limit: page.limit, offset: page.offset)
        return try JSONBody.response(Page(items: found.items, nextCursor: found.more ? Cursor.offset(after: page.offset, limit: page.limit) : nil))
    }

    @Sendable func redeliver(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let queued = try await webhooks.redeliver(try context.parameter("webhookId"), deliveryID: try context.parameter("deliveryId"),
                                                 productID: try context.parameter("productId"), actorID: identity.user.id)
        return try JSONBody.response(queued, status: .accepted)
    }
}
