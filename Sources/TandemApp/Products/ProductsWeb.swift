import Foundation
import Hummingbird
import TandemCore

/// The product pages: the list of one's products, a product with its teams and members, and their forms.
struct ProductsWeb: Sendable {
    let web: WebPages
    let products: ProductService
    let events: ProductEvents

    /// The table of contents: each page route and the handler that answers it (under "Handlers").
    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.home.path), use: showHome)
        router.post(RouterPath(SiteRoute.products.path), use: createProduct)
        router.get(RouterPath(SiteRoute.Pattern.product), use: showProduct)
        router.post(RouterPath(SiteRoute.Pattern.productTeams), use: createTeam)
        router.post(RouterPath(SiteRoute.Pattern.productMembers), use: addProductMember)
        router.post(RouterPath(SiteRoute.Pattern.removeProductMember), use: removeProductMember)
        router.post(RouterPath(SiteRoute.Pattern.handOver), use: handOverProductOwner)
        router.post(RouterPath(SiteRoute.Pattern.teamMembers), use: addTeamMember)
        router.post(RouterPath(SiteRoute.Pattern.removeTeamMember), use: removeTeamMember)
        router.get(RouterPath(SiteRoute.Pattern.productEvents), use: streamEvents)
    }

    /// Runs a product form action and shows the product page again: redirected on success, with the error otherwise.
    func productAction(
        _ request: Request, _ context: TandemRequestContext, productID: String, identity: Identity,
        _ action: @escaping @Sendable (FormData) async throws -> Void
    ) async throws -> Response {
        try await web.formAction(request, context, reshow: {
            let model = try await showModel(productID: productID, identity: identity)
            return { csrf, flash in model(csrf, flash).html }
        }) { form in
            try await action(form)
            return HTMLResponse.redirect(.product(productID))
        }
    }

    func showModel(productID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> ProductPages.Show {
        let access = try await products.access(productID: productID, userID: identity.user.id, header: true)
        let product = try await products.product(access: access)
        return { csrf, flash in ProductPages.Show(identity: identity, csrf: csrf, product: product, membership: access.membership, flash: flash, header: access.headerNode) }
    }
}

// MARK: Handlers

extension ProductsWeb {
    @Sendable func showHome(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        guard let identity = context.identity else { return HTMLResponse.redirect(.login) }
        let products = try await products.products(for: identity.user.id)
        return try await web.page(request, context) { csrf in ProductPages.List(identity: identity, csrf: csrf, products: products).html }
    }

    @Sendable func createProduct(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        return try await web.withForm(request, context) { form, csrf in
            do {
                let key = form["key"].trimmingCharacters(in: .whitespaces).uppercased()
                let product = try await products.createProduct(name: form["name"], key: key, ownerID: identity.user.id)
                return HTMLResponse.redirect(.product(product.id))
            } catch let error as DomainError {
                let products = try await products.products(for: identity.user.id)
                return web.refused(error, form: form, request: request) { flash in
                    ProductPages.List(identity: identity, csrf: csrf, products: products, flash: flash).html
                }
            }
        }
    }

    @Sendable func showProduct(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        let model = try await showModel(productID: productID, identity: identity)
        return try await web.page(request, context) { csrf in model(csrf, nil).html }
    }

    @Sendable func createTeam(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await productAction(request, context, productID: productID, identity: identity) { form in
            _ = try await products.createTeam(productID: productID, name: form["name"], actorID: identity.user.id)
        }
    }

    @Sendable func addProductMember(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await productAction(request, context, productID: productID, identity: identity) { form in
            _ = try await products.addProductMember(
                productID: productID, email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), accountability: form["accountability"], actorID: identity.user.id
            )
        }
    }

    @Sendable func removeProductMember(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        let userID = try context.parameter("userId")
        return try await productAction(request, context, productID: productID, identity: identity) { _ in
            try await products.removeProductMember(productID: productID, userID: userID, actorID: identity.user.id)
        }
    }

    @Sendable func handOverProductOwner(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await productAction(request, context, productID: productID, identity: identity) { form in
            guard !form["userId"].isEmpty else { throw DomainError.invalid(field: "userId", "Choose the person who becomes Product Owner.") }
            guard form["confirm"] == "on" else { throw DomainError.invalid(field: "confirm", "Tick the box to confirm the hand-over.") }
            _ = try await products.handOverProductOwnership(productID: productID, to: form["userId"], actorID: identity.user.id)
        }
    }

    @Sendable func addTeamMember(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let teamID = try context.parameter("teamId")
        let team = try await products.team(teamID, for: identity.user.id)
        return try await productAction(request, context, productID: team.productId, identity: identity) { form in
            _ = try await products.addTeamMember(teamID: teamID, email: form["email"].trimmingCharacters(in: .whitespacesAndNewlines), accountability: form["accountability"], actorID: identity.user.id)
        }
    }

    @Sendable func removeTeamMember(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let teamID = try context.parameter("teamId")
        let userID = try context.parameter("userId")
        let team = try await products.team(teamID, for: identity.user.id)
        return try await productAction(request, context, productID: team.productId, identity: identity) { _ in
            try await products.removeTeamMember(teamID: teamID, userID: userID, actorID: identity.user.id)
        }
    }

    /// The page's live stream: the product's changes and the person's unread count.
    @Sendable func streamEvents(_ request: Request, context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        return try await events.response(request, productID: try context.parameter("productId"), identity: identity, notifications: true)
    }
}
