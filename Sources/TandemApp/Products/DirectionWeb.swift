import Foundation
import Hummingbird
import TandemCore

/// The vision and goals page and its forms.
struct DirectionWeb: Sendable {
    let web: WebPages
    let products: ProductService
    let direction: ProductDirection

    /// The table of contents: each page route and the handler that answers it (under "Handlers").
    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.Pattern.vision), use: showVision)
        router.post(RouterPath(SiteRoute.Pattern.vision), use: setVision)
        router.post(RouterPath(SiteRoute.Pattern.productGoals), use: createProductGoal)
        for state in [ProductGoalState.achieved, .abandoned] {
            router.post(RouterPath(state == .achieved ? SiteRoute.Pattern.achieveGoal : SiteRoute.Pattern.abandonGoal)) { request, context in try await closeGoal(request, context: context, state: state) }
        }
    }

    func page(productID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let access = try await products.access(productID: productID, userID: identity.user.id, header: true)
        // Who the person is in this product is read once and handed to every part of the page.
        let vision = try await direction.vision(access: access)
        let goals = try await direction.goals(access: access)
        return { csrf, flash in
            DirectionPage(identity: identity, csrf: csrf, product: access.product, membership: access.membership, vision: vision, goals: goals, flash: flash, header: access.headerNode).html
        }
    }

    func action(
        _ request: Request, _ context: TandemRequestContext, productID: String, identity: Identity,
        _ body: @escaping @Sendable (FormData) async throws -> Void
    ) async throws -> Response {
        try await web.formAction(request, context, reshow: { try await page(productID: productID, identity: identity) }) { form in
            try await body(form)
            return HTMLResponse.redirect(to: SiteRoute.vision(productID).path + "?notice=saved")
        }
    }
}

// MARK: Handlers

extension DirectionWeb {
    @Sendable func showVision(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await page(productID: try context.parameter("productId"), identity: identity)
        let saved = request.uri.queryParameters["notice"] == "saved"
        return try await web.page(request, context) { csrf in model(csrf, saved ? .notice("Saved.") : nil) }
    }

    @Sendable func setVision(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await action(request, context, productID: productID, identity: identity) { form in
            let input = VisionInput(statement: form["statement"], targetGroup: form["targetGroup"], needs: form["needs"], product: form["product"], businessGoals: form["businessGoals"])
            _ = try await direction.setVision(productID: productID, input: input, actorID: identity.user.id)
        }
    }

    @Sendable func createProductGoal(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await action(request, context, productID: productID, identity: identity) { form in
            _ = try await direction.createGoal(productID: productID, statement: form["statement"], measure: form["measure"], actorID: identity.user.id)
        }
    }

    @Sendable func closeGoal(_ request: Request, context context: TandemRequestContext, state: ProductGoalState) async throws -> Response {
        let identity = try web.requireLogin(context)
        let goalID = try context.parameter("goalId")
        let productID = try await direction.productID(ofGoal: goalID, userID: identity.user.id)
        return try await action(request, context, productID: productID, identity: identity) { form in
            _ = try await direction.closeGoal(goalID: goalID, as: state, note: form["note"], actorID: identity.user.id)
        }
    }
}
