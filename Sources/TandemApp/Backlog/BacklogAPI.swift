import Foundation
import Hummingbird
import TandemCore

/// `/api/v1/products/{id}/items|backlog|proposals|…`, `/api/v1/items/…`, `/api/v1/proposals/…`.
struct BacklogAPI {
    let backlog: BacklogService
    let products: ProductService

    struct MoveInput: Decodable { var before: String?; var after: String?; var to: String?; var version: Double? }
    struct ProposalInput: Decodable { var before: String?; var after: String?; var to: String?; var rationale: String }
    struct NoteInput: Decodable { var note: String? }
    struct ReasonInput: Decodable { var reason: String }
    struct RequiredNoteInput: Decodable { var note: String }
    struct DelegatesInput: Decodable { var userIds: [String] }
    struct DefinitionInput: Decodable { var items: [String] }
    struct PointsInput: Decodable { var points: Double }
    struct DependencyInput: Decodable { var blockedBy: String }
    struct ReorderInput: Decodable { var itemIds: [String]?; var basis: String?; var note: String? }
    struct DelegatesDTO: Encodable, Sendable { let userIds: [String]; let delegates: [PersonRef] }
    struct DefinitionDTO: Encodable, Sendable { let items: [String] }
    struct DependencyDTO: Encodable, Sendable { let itemId: String; let blockedBy: ItemRefDTO; let item: ItemDTO }
    struct AgreedDTO: Encodable, Sendable { let round: EstimationRoundDTO; let item: ItemDTO }
    struct ItemsDTO: Encodable, Sendable { let items: [ItemDTO] }

    /// The table of contents: each route and the handler that answers it (under "Handlers"), grouped by resource.
    func register(on api: RouterGroup<TandemRequestContext>) {
        // The Product Backlog and the product's refinement settings
        api.get("products/:productId/backlog", use: getBacklog)
        api.post("products/:productId/items", use: createItem)
        api.post("products/:productId/backlog/reorder", use: reorderBacklog)
        api.get("products/:productId/dependencies", use: getDependencies)
        api.get("products/:productId/ordering-delegates", use: getOrderingDelegates)
        api.put("products/:productId/ordering-delegates", use: setOrderingDelegates)
        api.get("products/:productId/definition-of-ready", use: getDefinitionOfReady)
        api.put("products/:productId/definition-of-ready", use: setDefinitionOfReady)
        api.get("products/:productId/definition-of-done", use: getDefinitionOfDone)
        api.put("products/:productId/definition-of-done", use: setDefinitionOfDone)

        // Items
        api.get("items/:itemId", use: showItem)
        api.patch("items/:itemId", use: updateItem)
        api.delete("items/:itemId", use: deleteItem)
        api.get("items/:itemId/activity", use: getActivity)
        api.post("items/:itemId/move", use: moveItem)
        api.post("items/:itemId/decline", use: declineItem)
        api.post("items/:itemId/reopen", use: reopenItem)
        api.post("items/:itemId/dependencies", use: createDependency)
        api.delete("items/:itemId/dependencies/:blockerId", use: deleteDependency)

        // Ordering proposals
        api.get("products/:productId/proposals", use: getProposals)
        api.post("items/:itemId/proposals", use: createProposal)
        api.post("proposals/:proposalId/accept", use: acceptProposal)
        api.post("proposals/:proposalId/decline", use: declineProposal)
        api.post("proposals/:proposalId/withdraw", use: withdrawProposal)

        // Planning poker
        api.post("items/:itemId/estimation-rounds", use: createEstimationRound)
        api.get("items/:itemId/estimation-rounds", use: getEstimationRounds)
        api.get("items/:itemId/estimation-rounds/:roundId", use: showEstimationRound)
        api.put("items/:itemId/estimation-rounds/:roundId/vote", use: voteEstimationRound)
        api.post("items/:itemId/estimation-rounds/:roundId/reveal", use: revealEstimationRound)
        api.post("items/:itemId/estimation-rounds/:roundId/agree", use: agreeEstimationRound)
    }

    /// A weak tag of what the backlog answer depends on: every change to the product, the caller, the query.
    static func entityTag(access: ProductAccess, query: String) -> String {
        let digest = Tokens.sha256Hex("\(access.userID)|\(query)").prefix(16)
        return "W/\"\(access.changeCount ?? 0)-\(digest)\""
    }

    /// The version a client names in `If-Match` (`"3"`, `W/"3"` or `3`); anything else is a 422 naming the header.
    static func ifMatch(_ request: Request) throws -> Int64? {
        guard let raw = request.headers[.ifMatch] else { return nil }
        let text = raw.trimmingCharacters(in: .whitespaces)
        let bare = text.hasPrefix("W/") ? String(text.dropFirst(2)) : text
        let unquoted = bare.count >= 2 && bare.hasPrefix("\"") && bare.hasSuffix("\"") ? String(bare.dropFirst().dropLast()) : bare
        return try InputRules.version.validated(unquoted, field: "If-Match")
    }

    /// Accept takes an optional note, so an empty body is fine there.
    static func optionalBody<T: Decodable>(_ type: T.Type, _ request: Request) async throws -> T? {
        if let length = request.headers[.contentLength], length == "0" { return nil }
        do { return try await JSONBody.decode(T.self, from: request) } catch let error as APIError where error.message.contains("empty") { return nil }
    }

    /// Reads the backlog filters; each list accepts comma-separated values or repeated parameters.
    static func query(_ request: Request) throws -> BacklogItems.BacklogQuery {
        let parameters = request.uri.queryParameters
        var query = BacklogItems.BacklogQuery()
        if let statuses = try QueryFilter.list("status", ItemStatus.self, parameters) { query.statuses = statuses }
        query.refinements = try QueryFilter.list("refinement", RefinementLevel.self, parameters) ?? []
        query.kinds = try QueryFilter.list("kind", ItemKind.self, parameters) ?? []
        query.text = parameters["q"].map(String.init)
        query.productGoalId = parameters["productGoalId"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        query.releaseId = parameters["releaseId"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        query.sortByWSJF = try QueryFilter.one("sort", BacklogSort.self, parameters) == .wsjf
        query.limit = try Pagination.limit(request)
        query.cursor = parameters["cursor"].map(String.init)
        return query
    }
}

// MARK: Handlers

extension BacklogAPI {
    @Sendable func createItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(NewItemInput.self, from: request)
        let item = try await backlog.items.createItem(productID: try context.parameter("productId"), input: input, actorID: identity.user.id)
        return try JSONBody.response(item, status: .created)
    }

    @Sendable func getBacklog(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = try Self.query(request)
        if BacklogCSV.wanted(request) {
            let access = try await products.access(productID: try context.parameter("productId"), userID: identity.user.id)
            return try await BacklogCSV.response(items: backlog.items, access: access, query: query)
        }
        let access = try await products.access(productID: try context.parameter("productId"), userID: identity.user.id, countingChanges: true)
        // Known before the body is built: the product's change count, who asks and what they asked for.
        let tag = Self.entityTag(access: access, query: request.uri.query ?? "")
        var headers: HTTPFields = [.eTag: tag, .cacheControl: "private, no-cache"]
        if let wanted = request.headers[.ifNoneMatch], wanted == "*" || wanted.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag }) {
            return Response(status: .notModified, headers: headers)
        }
        let page = try await backlog.items.backlog(access: access, query: query)
        var response = try JSONBody.response(Page(items: page.items, nextCursor: page.nextCursor))
        headers[.contentType] = response.headers[.contentType]
        response.headers = headers
        return response
    }

    @Sendable func reorderBacklog(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ReorderInput.self, from: request)
        let items = try await backlog.ordering.reorder(
            productID: try context.parameter("productId"), itemIDs: input.itemIds, basis: input.basis, note: input.note, actorID: identity.user.id
        )
        return try JSONBody.response(ItemsDTO(items: items))
    }

    @Sendable func getDependencies(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await backlog.dependencies.dependencyGraph(productID: try context.parameter("productId"), userID: identity.user.id))
    }

    @Sendable func getProposals(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let state = try QueryFilter.one("state", ProposalState.self, request.uri.queryParameters)
        let proposals = try await backlog.ordering.proposals(productID: try context.parameter("productId"), state: state, userID: identity.user.id)
        return try JSONBody.response(Page(items: proposals, nextCursor: nil))
    }

    @Sendable func getOrderingDelegates(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let people = try await backlog.ordering.orderingDelegates(productID: try context.parameter("productId"), userID: identity.user.id)
        return try JSONBody.response(DelegatesDTO(userIds: people.map(\.id), delegates: people))
    }

    @Sendable func setOrderingDelegates(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(DelegatesInput.self, from: request)
        let people = try await backlog.ordering.setOrderingDelegates(productID: try context.parameter("productId"), userIDs: input.userIds, actorID: identity.user.id)
        return try JSONBody.response(DelegatesDTO(userIds: people.map(\.id), delegates: people))
    }

    @Sendable func getDefinitionOfReady(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(DefinitionDTO(items: try await backlog.refinement.definitionOfReady(productID: try context.parameter("productId"), userID: identity.user.id)))
    }

    @Sendable func setDefinitionOfReady(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(DefinitionInput.self, from: request)
        let items = try await backlog.refinement.setDefinitionOfReady(productID: try context.parameter("productId"), items: input.items, actorID: identity.user.id)
        return try JSONBody.response(DefinitionDTO(items: items))
    }

    @Sendable func getDefinitionOfDone(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(DefinitionDTO(items: try await backlog.refinement.definitionOfDone(productID: try context.parameter("productId"), userID: identity.user.id)))
    }

    @Sendable func setDefinitionOfDone(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(DefinitionInput.self, from: request)
        let items = try await backlog.refinement.setDefinitionOfDone(productID: try context.parameter("productId"), items: input.items, actorID: identity.user.id)
        return try JSONBody.response(DefinitionDTO(items: items))
    }

    @Sendable func showItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await backlog.items.item(try context.parameter("itemId"), userID: identity.user.id))
    }

    @Sendable func updateItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let body = try await JSONBody.decode(JSONValue.self, from: request)
        guard case .object(let changes) = body else { throw APIError.malformed("The request body must be a JSON object.") }
        let item = try await backlog.items.updateItem(try context.parameter("itemId"), changes: changes, ifMatch: try Self.ifMatch(request), actorID: identity.user.id)
        return try JSONBody.response(item)
    }

    @Sendable func deleteItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await backlog.items.deleteItem(try context.parameter("itemId"), actorID: identity.user.id)
        return Response(status: .noContent)
    }

    @Sendable func getActivity(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let activity = try await backlog.items.activity(itemIDOrRef: try context.parameter("itemId"), userID: identity.user.id)
        return try JSONBody.response(Page(items: activity, nextCursor: nil))
    }

    @Sendable func moveItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(MoveInput.self, from: request)
        let position = try PositionDTO(before: input.before, after: input.after, to: input.to).parse()
        guard let version = try input.version.map(BacklogStore.version) ?? Self.ifMatch(request) else {
            throw DomainError.invalid(field: "version", "is required: send the version you last saw (or If-Match)")
        }
        let item = try await backlog.ordering.move(try context.parameter("itemId"), to: position, version: version, actorID: identity.user.id)
        return try JSONBody.response(item)
    }

    @Sendable func declineItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ReasonInput.self, from: request)
        return try JSONBody.response(try await backlog.items.declineItem(try context.parameter("itemId"), reason: input.reason, actorID: identity.user.id))
    }

    @Sendable func reopenItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(RequiredNoteInput.self, from: request)
        return try JSONBody.response(try await backlog.items.reopenItem(try context.parameter("itemId"), note: input.note, actorID: identity.user.id))
    }

    @Sendable func withdrawProposal(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await backlog.ordering.withdraw(proposalID: try context.parameter("proposalId"), actorID: identity.user.id))
    }

    @Sendable func createProposal(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(ProposalInput.self, from: request)
        let position = try PositionDTO(before: input.before, after: input.after, to: input.to).parse()
        let proposal = try await backlog.ordering.propose(itemIDOrRef: try context.parameter("itemId"), position: position, rationale: input.rationale, actorID: identity.user.id)
        return try JSONBody.response(proposal, status: .created)
    }

    @Sendable func createDependency(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(DependencyInput.self, from: request)
        let (item, blocker) = try await backlog.dependencies.addDependency(itemIDOrRef: try context.parameter("itemId"), blockedBy: input.blockedBy, actorID: identity.user.id)
        return try JSONBody.response(DependencyDTO(itemId: item.id, blockedBy: blocker, item: item), status: .created)
    }

    @Sendable func deleteDependency(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await backlog.dependencies.removeDependency(itemIDOrRef: try context.parameter("itemId"), blockerIDOrRef: try context.parameter("blockerId"), actorID: identity.user.id)
        return Response(status: .noContent)
    }

    @Sendable func createEstimationRound(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await backlog.estimation.openEstimationRound(itemIDOrRef: try context.parameter("itemId"), actorID: identity.user.id), status: .created)
    }

    @Sendable func getEstimationRounds(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let rounds = try await backlog.estimation.estimationRounds(itemIDOrRef: try context.parameter("itemId"), userID: identity.user.id)
        return try JSONBody.response(Page(items: rounds, nextCursor: nil))
    }

    @Sendable func showEstimationRound(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await backlog.estimation.estimationRound(
            itemIDOrRef: try context.parameter("itemId"), roundID: try context.parameter("roundId"), userID: identity.user.id
        ))
    }

    @Sendable func voteEstimationRound(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(PointsInput.self, from: request)
        return try JSONBody.response(try await backlog.estimation.vote(
            itemIDOrRef: try context.parameter("itemId"), roundID: try context.parameter("roundId"), points: input.points, actorID: identity.user.id
        ))
    }

    @Sendable func revealEstimationRound(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await backlog.estimation.reveal(
            itemIDOrRef: try context.parameter("itemId"), roundID: try context.parameter("roundId"), actorID: identity.user.id
        ))
    }

    @Sendable func agreeEstimationRound(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(PointsInput.self, from: request)
        let (round, item) = try await backlog.estimation.agree(
            itemIDOrRef: try context.parameter("itemId"), roundID: try context.parameter("roundId"), points: input.points, actorID: identity.user.id
        )
        return try JSONBody.response(AgreedDTO(round: round, item: item))
    }

    @Sendable func acceptProposal(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await Self.optionalBody(NoteInput.self, request) ?? NoteInput(note: nil)
        return try JSONBody.response(try await backlog.ordering.decide(proposalID: try context.parameter("proposalId"), accept: true, note: input.note, actorID: identity.user.id))
    }

    @Sendable func declineProposal(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(NoteInput.self, from: request)
        return try JSONBody.response(try await backlog.ordering.decide(proposalID: try context.parameter("proposalId"), accept: false, note: input.note, actorID: identity.user.id))
    }
}
