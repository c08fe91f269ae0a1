import Foundation
import Hummingbird
import TandemCore

/// The Webhooks page and its forms, for the Product Owner and the Scrum Masters.
struct WebhooksWeb: Sendable {
    let web: WebPages
    let products: ProductService
    let webhooks: WebhookService

    /// The table of contents: each page route and the handler that answers it (under "Handlers").
    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.Pattern.webhooks), use: showWebhooks)
        router.post(RouterPath(SiteRoute.Pattern.webhooks), use: createWebhook)
        router.post(RouterPath(SiteRoute.Pattern.webhook), use: updateWebhook)
        router.post(RouterPath(SiteRoute.Pattern.deleteWebhook), use: deleteWebhook)
        router.post(RouterPath(SiteRoute.Pattern.rotateWebhookSecret), use: rotateSecret)
        router.post(RouterPath(SiteRoute.Pattern.redeliverWebhook), use: redeliver)
    }

    func page(productID: String, identity: Identity, shown: WebhookDTO? = nil) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let access = try await products.access(productID: productID, userID: identity.user.id, header: true)
        let hooks = try await webhooks.list(productID: productID, userID: identity.user.id)
        var deliveries: [String: [WebhookDeliveryDTO]] = [:]
        for hook in hooks {
            deliveries[hook.id] = try await webhooks.deliveries(hook.id, productID: productID, userID: identity.user.id, limit: 20, offset: 0).items
        }
        return { [deliveries] csrf, flash in
            WebhooksPage(identity: identity, csrf: csrf, product: access.product, hooks: hooks, deliveries: deliveries, shown: shown, flash: flash, header: access.headerNode).html
        }
    }

    func action(
        _ request: Request, _ context: TandemRequestContext, productID: String, identity: Identity, notice: String,
        _ body: @escaping @Sendable (FormData) async throws -> Void
    ) async throws -> Response {
        try await web.formAction(request, context, reshow: { try await page(productID: productID, identity: identity) }) { form in
            try await body(form)
            return HTMLResponse.redirect(to: SiteRoute.webhooks(productID).path + "?notice=\(notice)")
        }
    }

    /// The page again with the secret shown this once (not in a redirect's address, where it would be logged).
    func secretShown(_ request: Request, _ context: TandemRequestContext, productID: String, identity: Identity, hook: WebhookDTO) async throws -> Response {
        let model = try await page(productID: productID, identity: identity, shown: hook)
        return try await web.page(request, context) { csrf in model(csrf, nil) }  // pages are no-store: the secret is not cached
    }

    static let notices = ["saved": "Saved.", "deleted": "Webhook removed.", "queued": "Queued: the change is sent again within a few seconds; its attempt appears below."]

    static func events(_ raw: String) -> [String] {
        raw.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).map(String.init)
    }
}

// MARK: Handlers

extension WebhooksWeb {
    @Sendable func showWebhooks(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await page(productID: try context.parameter("productId"), identity: identity)
        let notice = request.uri.queryParameters["notice"].flatMap { Self.notices[String($0)] }
        return try await web.page(request, context) { csrf in model(csrf, notice.map { .notice($0) }) }
    }

    @Sendable func createWebhook(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await web.formAction(request, context, reshow: { try await page(productID: productID, identity: identity) }) { form in
            let secret = form["secret"].trimmingCharacters(in: .whitespaces)
            let input = WebhookInput(url: form["url"], events: Self.events(form["events"]), secret: secret.isEmpty ? nil : secret)
            let hook = try await webhooks.create(productID: productID, input: input, actorID: identity.user.id)
            return try await secretShown(request, context, productID: productID, identity: identity, hook: hook)
        }
    }

    @Sendable func updateWebhook(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId"), hookID = try context.parameter("webhookId")
        return try await action(request, context, productID: productID, identity: identity, notice: "saved") { form in
            let patch = WebhookPatch(url: form["url"], events: Self.events(form["events"]), active: form["active"] == "on")
            _ = try await webhooks.update(hookID, productID: productID, patch: patch, actorID: identity.user.id)
        }
    }

    @Sendable func deleteWebhook(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId"), hookID = try context.parameter("webhookId")
        return try await action(request, context, productID: productID, identity: identity, notice: "deleted") { _ in
            try await webhooks.delete(hookID, productID: productID, actorID: identity.user.id)
        }
    }

    @Sendable func rotateSecret(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId"), hookID = try context.parameter("webhookId")
        return try await web.formAction(request, context, reshow: { try await page(productID: productID, identity: identity) }) { _ in
            let hook = try await webhooks.rotateSecret(hookID, productID: productID, actorID: identity.user.id)
            return try await secretShown(request, context, productID: productID, identity: identity, hook: hook)
        }
    }

    @Sendable func redeliver(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId"), hookID = try context.parameter("webhookId"), deliveryID = try context.parameter("deliveryId")
        return try await action(request, context, productID: productID, identity: identity, notice: "queued") { _ in
            _ = try await webhooks.redeliver(hookID, deliveryID: deliveryID, productID: productID, actorID: identity.user.id)
        }
    }
}

/// The Webhooks page's addresses.
extension SiteRoute {
    static func webhook(productID: String, webhookID: String) -> SiteRoute { SiteRoute(fill(Pattern.webhook, productID, webhookID)) }
    static func deleteWebhook(productID: String, webhookID: String) -> SiteRoute { SiteRoute(fill(Pattern.deleteWebhook, productID, webhookID)) }
    static func rotateWebhookSecret(productID: String, webhookID: String) -> SiteRoute { SiteRoute(fill(Pattern.rotateWebhookSecret, productID, webhookID)) }
    static func redeliverWebhook(productID: String, webhookID: String, deliveryID: String) -> SiteRoute {
        SiteRoute(fill(Pattern.redeliverWebhook, productID, webhookID, deliveryID))
    }
}

extension SiteRoute.Pattern {
    static let webhook = "/products/:productId/webhooks/:webhookId"
    static let deleteWebhook = "/products/:productId/webhooks/:webhookId/delete"
    static let rotateWebhookSecret = "/products/:productId/webhooks/:webhookId/rotate-secret"
    static let redeliverWebhook = "/products/:productId/webhooks/:webhookId/deliveries/:deliveryId/redeliver"
}
