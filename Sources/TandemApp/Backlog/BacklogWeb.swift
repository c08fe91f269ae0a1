import Foundation
import Hummingbird
import TandemCore

/// The backlog pages' handlers: forms in, the same `BacklogService` calls as the API, pages or redirects out.
/// The move endpoint also answers JSON, so the page's script can reorder without a reload.
/// A later feature's part of the item page, read with the page's data: the partnership shows what blocks the item
/// without the backlog knowing impediments.
protocol ItemPageContributor: Sendable {
    func itemPageSection(item: ItemDTO, access: ProductAccess) async throws -> BodyNode
}

struct BacklogWeb: Sendable {
    let web: WebPages
    let backlog: BacklogService
    let products: ProductService
    var contributors: [any ItemPageContributor] = []

    /// Fixed notices a redirect may name; free text never travels in the address.
    static let notices: [String: String] = [
        "proposal-sent": "Proposal sent: the Product Owner decides, and you will see the outcome and the note here.",
        "proposal-accepted": "Proposal accepted and the item moved.",
        "proposal-declined": "Proposal declined; the proposer sees your note.",
        "reordered": "The order was applied as one decision.",
        "declined": "Item declined; it stays searchable with your reason.",
        "deleted": "Item deleted; its history stays in the activity log.",
        "saved": "Saved.",
        "reopened": "Item reopened: it is back at the bottom of the backlog, with your note in its history.",
        "proposal-withdrawn": "Proposal withdrawn.",
        "created": "Item added at the bottom of the backlog.",
        "moved": "Item moved.",
        "voted": "Your vote is in; the others see it when the votes are revealed.",
        "revealed": "Votes revealed: talk about the spread, then record the estimate.",
        "estimated": "Estimate recorded: the agreed points are now the item's estimate, and the round is closed.",
        "poker-started": "Planning poker started: each Developer votes privately.",
    ]

    /// The table of contents: each page route and the handler that answers it (under "Handlers").
    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.Pattern.backlog), use: showBacklog)
        router.get(RouterPath(SiteRoute.Pattern.backlogCSV), use: downloadBacklog)
        router.post(RouterPath(SiteRoute.Pattern.backlogItems), use: createItem)
        router.post(RouterPath(SiteRoute.Pattern.backlogReorder), use: reorderBacklog)
        router.post(RouterPath(SiteRoute.Pattern.definitionOfReady), use: setDefinitionOfReady)
        router.post(RouterPath(SiteRoute.Pattern.itemMove), use: moveItem)
        router.post(RouterPath(SiteRoute.Pattern.itemPropose), use: proposeMove)
        for accept in [true, false] {
            router.post(RouterPath(accept ? SiteRoute.Pattern.proposalAccept : SiteRoute.Pattern.proposalDecline)) { request, context in try await decideProposal(request, context: context, accept: accept) }
        }

        router.get(RouterPath(SiteRoute.Pattern.item), use: showItem)
        router.post(RouterPath(SiteRoute.Pattern.itemEdit), use: editItem)
        router.post(RouterPath(SiteRoute.Pattern.itemDecline), use: declineItem)
        router.post(RouterPath(SiteRoute.Pattern.itemReopen), use: reopenItem)
        router.post(RouterPath(SiteRoute.Pattern.proposalWithdraw), use: withdrawProposal)
        router.post(RouterPath(SiteRoute.Pattern.itemDelete), use: deleteItem)
        router.post(RouterPath(SiteRoute.Pattern.itemDependencies), use: addDependency)
        router.post(RouterPath(SiteRoute.Pattern.removeDependency), use: removeDependency)
        router.post(RouterPath(SiteRoute.Pattern.estimation), use: openEstimation)
        router.post(RouterPath(SiteRoute.Pattern.estimationAction), use: actOnEstimation)
    }

    /// The proposal form names the place with `where` and `anchor`, the service with `to`, `before` and `after`.
    static let proposalInputs = ["before": "anchor", "after": "anchor", "to": "where", "position": "where"]

    /// The version a move form carries; empty means "move whatever is current" (the no-script buttons), junk is a 422.
    static func formVersion(_ form: FormData) throws -> Int64? {
        let raw = form["version"]
        guard !raw.isEmpty else { return nil }
        return try InputRules.version.validated(raw, field: "version")
    }

    /// Reads a place in the backlog from any of the pages' forms, so every form reads it one way: the move buttons'
    /// `position` (`top`, `bottom`, `before:ID`, `after:ID`), the proposal form's `where` with an `anchor` reference,
    /// or the API's separate `before`, `after` and `to` (the page's script).
    static func position(_ form: FormData, example: String = "DEMO-1") throws -> BacklogPosition {
        let raw = form["position"]
        if raw == "top" { return .top }
        if raw == "bottom" { return .bottom }
        if raw.hasPrefix("before:") { return .before(String(raw.dropFirst("before:".count))) }
        if raw.hasPrefix("after:") { return .after(String(raw.dropFirst("after:".count))) }
        if let choice = form.values["where"] {
            let anchor = form["anchor"].trimmingCharacters(in: .whitespaces).uppercased()
            switch choice {
            case "top": return .top
            case "bottom": return .bottom
            case "before", "after":
                guard !anchor.isEmpty else { throw DomainError.invalid(field: "anchor", "Choose the item to place it next to, by its reference like \(example).") }
                return choice == "before" ? .before(anchor) : .after(anchor)
            default: throw DomainError.invalid(field: "where", "must be top, bottom, before or after")
            }
        }
        return try PositionDTO(
            before: form["before"].isEmpty ? nil : form["before"], after: form["after"].isEmpty ? nil : form["after"],
            to: form["to"].isEmpty ? nil : form["to"]
        ).parse()
    }

    func backlogModel(productID: String, identity: Identity, request: Request) async throws -> @Sendable (String, Layout.Flash?) -> BacklogPage {
        let parameters = request.uri.queryParameters
        var filters = BacklogPage.Filters()
        filters.status = parameters["status"].map(String.init) ?? ""
        filters.refinement = parameters["refinement"].map(String.init) ?? ""
        filters.kind = parameters["kind"].map(String.init) ?? ""
        filters.q = parameters["q"].map(String.init) ?? ""
        filters.sort = parameters["sort"].map(String.init) ?? ""
        var query = try BacklogAPI.query(request)
        // The partnership dashboard's freshness tile opens exactly its stale items: not refined in that many days.
        if let raw = parameters["stale"], let days = Int(raw), (1...365).contains(days) {
            filters.staleDays = days
            query.staleDays = days
        }
        // The first paint shows the top 50; more load in place as the person scrolls or asks ("Next 50 items").
        if request.uri.queryParameters["limit"] == nil { query.limit = 50 }
        // Who the person is in this product is read once and handed to every part of the page.
        let access = try await products.access(productID: productID, userID: identity.user.id, header: true)
        let page = try await backlog.items.backlog(access: access, query: query)
        let proposals = try await backlog.ordering.proposalsForBacklog(access: access)
        let graph = try await backlog.dependencies.dependencyGraph(access: access)
        let declinedIDs = page.items.filter { $0.status == .declined }.map(\.id)
        let declines = try await backlog.items.declines(of: declinedIDs, in: productID)
        let chosenFilters = filters
        return { csrf, flash in
            BacklogPage(
                identity: identity, csrf: csrf, product: access.product, membership: access.membership, items: page.items, nextCursor: page.nextCursor,
                filters: chosenFilters, proposals: proposals.open, myProposals: proposals.mine, declines: declines, graph: graph, definitionOfReady: access.product.definitionOfReadyItems,
                scale: access.product.scale.values, flash: flash, header: access.headerNode
            )
        }
    }

    func itemModel(_ itemID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> ItemPage {
        let (item, access) = try await backlog.items.itemWithAccess(itemID, userID: identity.user.id)
        let rounds = try await backlog.estimation.estimationRounds(of: item.id, access: access)
        let proposals = try await backlog.ordering.proposals(access: access, state: nil, itemID: item.id)
        let activity = try await backlog.items.activity(of: item.id, in: item.productId)
        var contributed: [BodyNode] = []
        for contributor in contributors { contributed.append(try await contributor.itemPageSection(item: item, access: access)) }
        let sections = contributed
        return { csrf, flash in
            ItemPage(
                identity: identity, csrf: csrf, product: access.product, membership: access.membership, item: item,
                definitionOfReady: access.product.definitionOfReadyItems, scale: access.product.scale.values, rounds: rounds,
                proposals: proposals, activity: activity, contributed: sections, flash: flash
            )
        }
    }

    /// Runs a backlog form action; a broken rule shows the backlog again with the message.
    func backlogAction(
        _ request: Request, _ context: TandemRequestContext, productID: String, identity: Identity,
        _ action: @escaping @Sendable (FormData) async throws -> Response
    ) async throws -> Response {
        try await web.formAction(request, context, inputNames: Self.proposalInputs, reshow: {
            let model = try await backlogModel(productID: productID, identity: identity, request: request)
            return { csrf, flash in model(csrf, flash).html }
        }, action)
    }

    /// Runs an item form action; a broken rule shows the item page again with the message.
    func itemAction(
        _ request: Request, _ context: TandemRequestContext, itemID: String, identity: Identity,
        _ action: @escaping @Sendable (FormData, ItemDTO) async throws -> Response
    ) async throws -> Response {
        let item = try await backlog.items.item(itemID, userID: identity.user.id)
        return try await web.formAction(request, context, reshow: {
            let model = try await itemModel(itemID, identity: identity)
            return { csrf, flash in model(csrf, flash).html }
        }) { form in try await action(form, item) }
    }
}

// MARK: Handlers

extension BacklogWeb {
    @Sendable func downloadBacklog(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let access = try await products.access(productID: try context.parameter("productId"), userID: identity.user.id)
        var query = try BacklogAPI.query(request)
        if let raw = request.uri.queryParameters["stale"], let days = Int(raw), (1...365).contains(days) { query.staleDays = days }
        return try await BacklogCSV.response(items: backlog.items, access: access, query: query)
    }

    @Sendable func showBacklog(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        let model = try await backlogModel(productID: productID, identity: identity, request: request)
        let notice = request.uri.queryParameters["notice"].flatMap { Self.notices[String($0)] }
        let highlighted = request.uri.queryParameters["item"].map(String.init)
        return try await web.page(request, context) { csrf in
            var page = model(csrf, nil)
            page.status = notice
            page.highlighted = highlighted
            return page.html
        }
    }

    @Sendable func createItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await backlogAction(request, context, productID: productID, identity: identity) { form in
            var input = NewItemInput(title: form["title"], kind: form["kind"].isEmpty ? "story" : form["kind"])
            input.estimate = Double(form["estimate"])
            let created = try await backlog.items.createItem(productID: productID, input: input, actorID: identity.user.id)
            return Response(status: .seeOther, headers: [.location: SiteRoute.backlog(productID, query: "notice=created&item=\(created.ref)").path + "#item-\(created.id)"])
        }
    }

    @Sendable func reorderBacklog(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await backlogAction(request, context, productID: productID, identity: identity) { form in
            _ = try await backlog.ordering.reorder(productID: productID, itemIDs: nil, basis: form["basis"], note: nil, actorID: identity.user.id)
            return HTMLResponse.redirect(.backlog(productID, query: "notice=reordered"))
        }
    }

    @Sendable func setDefinitionOfReady(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await backlogAction(request, context, productID: productID, identity: identity) { form in
            let lines = form["items"].split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            _ = try await backlog.refinement.setDefinitionOfReady(productID: productID, items: lines, actorID: identity.user.id)
            return HTMLResponse.redirect(.backlog(productID, query: "notice=saved"))
        }
    }

    @Sendable func moveItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        let wantsJSON = request.headers[.accept]?.contains("application/json") == true
        let item = try await backlog.items.item(itemID, userID: identity.user.id)
        if wantsJSON {
            // The script's request: errors travel as the API's JSON errors.
            return try await web.withForm(request, context) { form, _ in
                let moved = try await backlog.ordering.move(itemID, to: try Self.position(form), version: try Self.formVersion(form), actorID: identity.user.id)
                return try JSONBody.response(moved)
            }
        }
        return try await backlogAction(request, context, productID: item.productId, identity: identity) { form in
            _ = try await backlog.ordering.move(itemID, to: try Self.position(form), version: try Self.formVersion(form), actorID: identity.user.id)
            return Response(status: .seeOther, headers: [.location: SiteRoute.backlog(item.productId, query: "notice=moved&item=\(item.ref)").path + "#item-\(item.id)"])
        }
    }

    @Sendable func proposeMove(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        let item = try await backlog.items.item(itemID, userID: identity.user.id)
        return try await backlogAction(request, context, productID: item.productId, identity: identity) { form in
            let position = try Self.position(form, example: item.ref)
            _ = try await backlog.ordering.propose(itemIDOrRef: itemID, position: position, rationale: form["rationale"], actorID: identity.user.id)
            return HTMLResponse.redirect(.backlog(item.productId, query: "notice=proposal-sent"))
        }
    }

    @Sendable func decideProposal(_ request: Request, context context: TandemRequestContext, accept: Bool) async throws -> Response {
        let identity = try web.requireLogin(context)
        let proposalID = try context.parameter("proposalId")
        let productID = try await backlog.ordering.proposal(proposalID, userID: identity.user.id).productId
        return try await backlogAction(request, context, productID: productID, identity: identity) { form in
            let decided = try await backlog.ordering.decide(proposalID: proposalID, accept: accept, note: form["note"], actorID: identity.user.id)
            let query = (accept ? "notice=proposal-accepted" : "notice=proposal-declined") + "&item=\(decided.item.ref)"
            return Response(status: .seeOther, headers: [.location: SiteRoute.backlog(productID, query: query).path + "#item-\(decided.itemId)"])
        }
    }

    @Sendable func showItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await itemModel(try context.parameter("itemId"), identity: identity)
        let notice = request.uri.queryParameters["notice"].flatMap { Self.notices[String($0)] }
        return try await web.page(request, context) { csrf in model(csrf, notice.map { Layout.Flash.notice($0) }).html }
    }

    @Sendable func editItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        return try await itemAction(request, context, itemID: itemID, identity: identity) { form, item in
            var changes: [String: JSONValue] = [
                "version": .number(Double(form["version"]) ?? -1),
                "title": .string(form["title"]), "kind": .string(form["kind"]),
                "description": .string(form["description"]), "acceptanceCriteria": .string(form["acceptanceCriteria"]),
                "estimate": Double(form["estimate"]).map(JSONValue.number) ?? .null,
                "refinement": .string(form["refinement"]),
            ]
            for key in ["businessValue", "timeCriticality", "riskReduction"] {
                let raw = form[key].trimmingCharacters(in: .whitespaces)
                changes[key] = raw.isEmpty ? .null : (Double(raw).map(JSONValue.number) ?? .string(raw))
            }
            let checklist = try await backlog.refinement.definitionOfReady(productID: item.productId, userID: identity.user.id)
            changes["readiness"] = .array(checklist.indices.map { .bool(form["readiness-\($0)"] == "on") })
            _ = try await backlog.items.updateItem(itemID, changes: changes, ifMatch: nil, actorID: identity.user.id)
            return HTMLResponse.redirect(.item(item.ref, query: "notice=saved"))
        }
    }

    @Sendable func declineItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        return try await itemAction(request, context, itemID: itemID, identity: identity) { form, item in
            _ = try await backlog.items.declineItem(itemID, reason: form["reason"], actorID: identity.user.id)
            return HTMLResponse.redirect(.backlog(item.productId, query: "notice=declined"))
        }
    }

    @Sendable func reopenItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        let item = try await backlog.items.item(itemID, userID: identity.user.id)
        return try await backlogAction(request, context, productID: item.productId, identity: identity) { form in
            let reopened = try await backlog.items.reopenItem(itemID, note: form["note"], actorID: identity.user.id)
            return Response(status: .seeOther, headers: [.location: SiteRoute.backlog(item.productId, query: "notice=reopened&item=\(reopened.ref)").path + "#item-\(reopened.id)"])
        }
    }

    @Sendable func withdrawProposal(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let proposalID = try context.parameter("proposalId")
        let productID = try await backlog.ordering.proposal(proposalID, userID: identity.user.id).productId
        return try await backlogAction(request, context, productID: productID, identity: identity) { _ in
            _ = try await backlog.ordering.withdraw(proposalID: proposalID, actorID: identity.user.id)
            return HTMLResponse.redirect(.backlog(productID, query: "notice=proposal-withdrawn"))
        }
    }

    @Sendable func deleteItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        return try await itemAction(request, context, itemID: itemID, identity: identity) { _, item in
            try await backlog.items.deleteItem(itemID, actorID: identity.user.id)
            return HTMLResponse.redirect(.backlog(item.productId, query: "notice=deleted"))
        }
    }

    @Sendable func addDependency(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        return try await itemAction(request, context, itemID: itemID, identity: identity) { form, item in
            _ = try await backlog.dependencies.addDependency(itemIDOrRef: itemID, blockedBy: form["blockedBy"].trimmingCharacters(in: .whitespaces).uppercased(), actorID: identity.user.id)
            return HTMLResponse.redirect(.item(item.ref, query: "notice=saved"))
        }
    }

    @Sendable func removeDependency(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        let blockerID = try context.parameter("blockerId")
        return try await itemAction(request, context, itemID: itemID, identity: identity) { _, item in
            try await backlog.dependencies.removeDependency(itemIDOrRef: itemID, blockerIDOrRef: blockerID, actorID: identity.user.id)
            return HTMLResponse.redirect(.item(item.ref, query: "notice=saved"))
        }
    }

    @Sendable func openEstimation(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        return try await itemAction(request, context, itemID: itemID, identity: identity) { _, item in
            _ = try await backlog.estimation.openEstimationRound(itemIDOrRef: itemID, actorID: identity.user.id)
            return Response(status: .seeOther, headers: [.location: SiteRoute.item(item.ref).path + "?notice=poker-started#estimation"])
        }
    }

    @Sendable func actOnEstimation(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let itemID = try context.parameter("itemId")
        let roundID = try context.parameter("roundId")
        let action = try context.parameter("action")
        return try await itemAction(request, context, itemID: itemID, identity: identity) { form, item in
            let points = Double(form["points"]) ?? -1
            let notice: String
            switch action {
            case "vote": _ = try await backlog.estimation.vote(itemIDOrRef: itemID, roundID: roundID, points: points, actorID: identity.user.id); notice = "voted"
            case "reveal": _ = try await backlog.estimation.reveal(itemIDOrRef: itemID, roundID: roundID, actorID: identity.user.id); notice = "revealed"
            case "agree": _ = try await backlog.estimation.agree(itemIDOrRef: itemID, roundID: roundID, points: points, actorID: identity.user.id); notice = "estimated"
            default: throw APIError.notFound("The page")
            }
            return Response(status: .seeOther, headers: [.location: SiteRoute.item(item.ref).path + "?notice=\(notice)#estimation"])
        }
    }
}
