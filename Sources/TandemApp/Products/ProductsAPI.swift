import Foundation
import Hummingbird
import TandemCore

/// `/api/v1/products`, `/teams` and their members.
struct ProductsAPI {
    let products: ProductService
    let changes: ProductChanges
    let events: ProductEvents

    struct ProductInput: Decodable { let name: String; let key: String }
    struct TeamInput: Decodable { let name: String }
    struct MemberInput: Decodable { let email: String; let accountability: String }
    struct HandOverInput: Decodable { let userId: String }

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        api.post("products", use: createProduct)
        api.get("products", use: getProducts)
        api.get("products/:productId/changes", use: getChanges)
        api.get("products/:productId/events", use: streamEvents)
        api.get("products/:productId", use: showProduct)
        api.post("products/:productId/teams", use: createTeam)
        api.post("products/:productId/members", use: addProductMember)
        api.delete("products/:productId/members/:userId", use: removeProductMember)
        api.put("products/:productId/product-owner", use: handOverProductOwner)
        api.get("teams/:teamId", use: showTeam)
        api.post("teams/:teamId/members", use: addTeamMember)
        api.delete("teams/:teamId/members/:userId", use: removeTeamMember)
    }
}

// MARK: Handlers

extension ProductsAPI {
    @Sendable func createProduct(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ProductInput.self, from: request)
        let product = try await products.createProduct(name: input.name, key: input.key, ownerID: identity.user.id)
        return try JSONBody.response(product, status: .created)
    }

    @Sendable func getProducts(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let page = try Pagination(request: request)
        let all = try await products.products(for: identity.user.id)
        let slice = page.slice(all)
        return try JSONBody.response(Page(items: slice.items, nextCursor: slice.nextCursor))
    }

    @Sendable func getChanges(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = request.uri.queryParameters
        let after = try query["after"].map { try WholeNumberRule(0...9_007_199_254_740_991).validated(String($0), field: "after") } ?? 0
        let limit = try Pagination.limit(request)
        return try JSONBody.response(try await changes.page(productID: try context.parameter("productId"), after: after, limit: limit, userID: identity.user.id))
    }

    @Sendable func showProduct(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await products.product(try context.parameter("productId"), for: identity.user.id))
    }

    @Sendable func createTeam(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(TeamInput.self, from: request)
        let team = try await products.createTeam(productID: try context.parameter("productId"), name: input.name, actorID: identity.user.id)
        return try JSONBody.response(team, status: .created)
    }

    @Sendable func addProductMember(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(MemberInput.self, from: request)
        let member = try await products.addProductMember(
            productID: try context.parameter("productId"), email: input.email, accountability: input.accountability, actorID: identity.user.id
        )
        return try JSONBody.response(member, status: .created)
    }

    @Sendable func removeProductMember(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await products.removeProductMember(
            productID: try context.parameter("productId"), userID: try context.parameter("userId"), actorID: identity.user.id
        )
        return Response(status: .noContent)
    }

    @Sendable func handOverProductOwner(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(HandOverInput.self, from: request)
        let product = try await products.handOverProductOwnership(
            productID: try context.parameter("productId"), to: input.userId, actorID: identity.user.id
        )
        return try JSONBody.response(product)
    }

    @Sendable func showTeam(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await products.team(try context.parameter("teamId"), for: identity.user.id))
    }

    @Sendable func addTeamMember(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(MemberInput.self, from: request)
        let member = try await products.addTeamMember(
            teamID: try context.parameter("teamId"), email: input.email, accountability: input.accountability, actorID: identity.user.id
        )
        return try JSONBody.response(member, status: .created)
    }

    @Sendable func removeTeamMember(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await products.removeTeamMember(teamID: try context.parameter("teamId"), userID: try context.parameter("userId"), actorID: identity.user.id)
        return Response(status: .noContent)
    }

    @Sendable func streamEvents(_ request: Request, context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try await events.response(request, productID: try context.parameter("productId"), identity: identity, notifications: false)
    }
}
