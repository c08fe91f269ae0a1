import Foundation
import Hummingbird
import TandemCore

/// The sprint pages and their forms: team sprints, planning, board, summary, review and retrospective.
struct SprintsWeb: Sendable {
    let web: WebPages
    let sprints: SprintService
    let events: SprintEvents
    let backlog: BacklogService

    /// The table of contents: each page route and the handler that answers it (under "Handlers").
    func register(on router: Router<TandemRequestContext>) {
        router.get(RouterPath(SiteRoute.Pattern.teamSprints), use: showTeamSprints)
        router.post(RouterPath(SiteRoute.Pattern.teamSprints), use: planSprint)
        router.post(RouterPath(SiteRoute.Pattern.teamCalendar), use: setTeamCalendar)
        router.get(RouterPath(SiteRoute.Pattern.myWork), use: showMyWork)
        router.get(RouterPath(SiteRoute.Pattern.sprint), use: showSprint)
        router.post(RouterPath(SiteRoute.Pattern.sprintAction(.close)), use: closeSprint)
        for action in SprintPageAction.allCases where action != .close {
            router.post(RouterPath(SiteRoute.Pattern.sprintAction(action))) { request, context in try await actOnSprint(request, context: context, action: action) }
        }
        router.post(RouterPath(SiteRoute.Pattern.sprintItemRemove), use: removeSprintItem)
        router.post(RouterPath(SiteRoute.Pattern.itemWork), use: moveItemWork)
        router.post(RouterPath(SiteRoute.Pattern.itemAssignee), use: setAssignee)
        router.post(RouterPath(SiteRoute.Pattern.definitionOfDone), use: setDefinitionOfDone)

        router.get(RouterPath(SiteRoute.Pattern.sprintReview), use: showSprintReview)
        router.post(RouterPath(SiteRoute.Pattern.sprintReview), use: recordSprintReview)
        // The feedback inbox lives on the Sprint Review page: the latest one that has started.
        router.get(RouterPath(SiteRoute.Pattern.feedback), use: showFeedback)
        router.post(RouterPath(SiteRoute.Pattern.feedback), use: giveFeedback)
        for accept in [true, false] {
            router.post(RouterPath(accept ? SiteRoute.Pattern.feedbackAccept : SiteRoute.Pattern.feedbackDecline)) { request, context in try await decideFeedback(request, context: context, accept: accept) }
        }

        router.get(RouterPath(SiteRoute.Pattern.retrospective), use: showRetrospective)
        for entry in RetrospectiveEntry.allCases {
            router.post(RouterPath(SiteRoute.Pattern.retrospectiveAdd(entry))) { request, context in try await addRetrospectiveEntry(request, context: context, entry: entry) }
        }
        router.post(RouterPath(SiteRoute.Pattern.improvementAction), use: setImprovementActionState)
    }

    /// The close form as a person filled it: whether the Sprint Goal was met must be said, never assumed.
    static func closing(_ form: FormData) throws -> SprintClosing {
        guard ["true", "false"].contains(form["goalMet"]) else {
            throw DomainError.invalid(field: "goalMet", "Say whether the Sprint Goal was met: closing records it for good.")
        }
        guard let carry = CarryOver(rawValue: form["carryOver"]) else { throw DomainError.invalid(field: "carryOver", "must say where the unfinished items go") }
        return SprintClosing(goalMet: form["goalMet"] == "true", note: form["note"], carryOver: carry)
    }

    /// What the last action did, said on the page it leads to, with a link to what it made: the query names the
    /// kind and the references (checked to be references, so a crafted address shows nothing else).
    static func notice(_ request: Request) -> Layout.Flash? {
        let query = request.uri.queryParameters
        let refs = (query["refs"].map(String.init) ?? query["ref"].map(String.init) ?? "").split(separator: ",").map(String.init).filter(ItemRef.isWellFormed)
        switch query["notice"].map(String.init) {
        case "saved": return .notice("Saved.")
        case "added" where !refs.isEmpty:
            return .notice("Added \(refs.joined(separator: ", ")) to the Sprint Backlog.", link: ("#sprint-backlog-heading", "See the Sprint Backlog"))
        case "closed":
            let carried = Int(query["carried"].map(String.init) ?? "") ?? 0
            return .notice("Sprint closed. Its figures are frozen below" + (carried > 0 ? "; \(carried) unfinished item\(carried == 1 ? " was" : "s were") carried over." : "."),
                           link: ("#summary-heading", "Read the summary"))
        case "feedback-accepted" where refs.count == 1:
            return .notice("Accepted: the feedback is now \(refs[0]) at the bottom of the Product Backlog.", link: (SiteRoute.item(refs[0]).path, "Open \(refs[0])"))
        case "feedback-declined": return .notice("Declined: the giver reads your reason with their feedback.")
        case "feedback-sent": return .notice("Sent to the Product Owner's inbox; its state shows under “Your feedback”.")
        case "action-agreed": return .notice("Improvement action agreed; it stays on the agenda until it is done.")
        default: return nil
        }
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func teamPage(_ teamID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let data = try await sprints.teamPage(teamID: teamID, userID: identity.user.id)
        return { csrf, flash in TeamSprintsPage(identity: identity, csrf: csrf, data: data, flash: flash).html }
    }

    func sprintPage(_ sprintID: String, identity: Identity, search: String = "") async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let data = try await sprints.page(sprintID: sprintID, userID: identity.user.id, search: search)
        return { csrf, flash in SprintPage(identity: identity, csrf: csrf, data: data, flash: flash).html }
    }

    func reviewPage(_ sprintID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let data = try await sprints.sprintWithAccess(sprintID, userID: identity.user.id)
        let review = try await events.review(sprintID: sprintID, userID: identity.user.id)
        let feedback = try await events.feedback(access: data.access, state: nil)
        return { csrf, flash in ReviewPage(identity: identity, csrf: csrf, access: data.access, sprint: data.sprint, review: review, feedback: feedback, flash: flash).html }
    }

    func retrospectivePage(_ sprintID: String, identity: Identity) async throws -> @Sendable (String, Layout.Flash?) -> HTML {
        let data = try await sprints.sprintWithAccess(sprintID, userID: identity.user.id)
        let retrospective = try await events.retrospective(sprintID: sprintID, userID: identity.user.id)
        return { csrf, flash in
            RetrospectivePage(identity: identity, csrf: csrf, access: data.access, sprint: data.sprint, retrospective: retrospective, members: data.members, flash: flash).html
        }
    }

    /// A sprint page form: on success back to the page it came from, refused ones reshow it with the message.
    func sprintForm(
        _ request: Request, _ context: TandemRequestContext, sprintID: String, identity: Identity,
        _ body: @escaping @Sendable (FormData) async throws -> SiteRoute
    ) async throws -> Response {
        try await web.formAction(request, context, reshow: { try await sprintPage(sprintID, identity: identity) }) { form in
            let path = try await body(form).path
            return HTMLResponse.redirect(to: path.contains("?") ? path : path + "?notice=saved")
        }
    }

    /// A form on a board card: the change it makes to the item (as the API's PATCH would, at the version the card
    /// showed), then back to the board at that card.
    func cardForm(
        _ request: Request, _ context: TandemRequestContext, itemID: String, identity: Identity,
        _ changes: @escaping @Sendable (FormData, ItemDTO) async throws -> [String: JSONValue]
    ) async throws -> Response {
        let item = try await backlog.items.item(itemID, userID: identity.user.id)
        guard let sprintID = item.sprintId else { throw DomainError.notFound("The item's sprint") }
        return try await web.formAction(request, context, reshow: { try await sprintPage(sprintID, identity: identity) }) { form in
            var change = try await changes(form, item)
            change["version"] = .number(Double(form["version"]) ?? 0)
            _ = try await backlog.items.updateItem(itemID, changes: change, ifMatch: nil, actorID: identity.user.id)
            return HTMLResponse.redirect(to: SiteRoute.sprint(sprintID).path + "?notice=saved#card-\(item.ref)")
        }
    }

    /// A form whose page to return to (or reshow when refused) is named by a field of the form itself.
    func formReturning(
        _ request: Request, _ context: TandemRequestContext,
        reshow: @escaping @Sendable (FormData) async throws -> @Sendable (String, Layout.Flash?) -> HTML,
        _ action: @escaping @Sendable (FormData) async throws -> SiteRoute
    ) async throws -> Response {
        try await web.withForm(request, context) { form, csrf in
            do {
                let path = try await action(form).path
                return HTMLResponse.redirect(to: path.contains("?") ? path : path + "?notice=saved")
            } catch let error as DomainError where error.kind != .notFound && error.kind != .unauthenticated {
                let page = try await reshow(form)
                return web.refused(error, form: form, request: request) { flash in page(csrf, flash) }
            }
        }
    }
}

// MARK: Handlers

extension SprintsWeb {
    @Sendable func showTeamSprints(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await teamPage(try context.parameter("teamId"), identity: identity)
        return try await web.page(request, context) { csrf in model(csrf, Self.notice(request)) }
    }

    @Sendable func planSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let teamID = try context.parameter("teamId")
        return try await web.formAction(request, context, reshow: { try await teamPage(teamID, identity: identity) }) { form in
            let sprint = try await sprints.createSprint(
                teamID: teamID, input: SprintInput(startDate: form["startDate"], endDate: form["endDate"], goal: form["goal"]), actorID: identity.user.id
            )
            return HTMLResponse.redirect(to: SiteRoute.sprint(sprint.id).path + "?notice=saved")
        }
    }

    @Sendable func setTeamCalendar(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let teamID = try context.parameter("teamId")
        return try await web.formAction(request, context, reshow: { try await teamPage(teamID, identity: identity) }) { form in
            let days = Weekday.allCases.filter { form["day-\($0.rawValue)"] == "on" }.map(\.rawValue)
            let dates = Self.lines(form["nonWorkingDates"])
            _ = try await sprints.setCalendar(teamID: teamID, timeZone: form["timeZone"], workingWeekdays: days, nonWorkingDates: dates, actorID: identity.user.id)
            return HTMLResponse.redirect(to: SiteRoute.teamSprints(teamID).path + "?notice=saved")
        }
    }

    @Sendable func showMyWork(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        let running = try await sprints.runningSprintOfDeveloper(productID: productID, userID: identity.user.id)
        return HTMLResponse.redirect(running.map(SiteRoute.sprint) ?? .product(productID))
    }

    @Sendable func showSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await sprintPage(try context.parameter("sprintId"), identity: identity, search: request.uri.queryParameters["q"].map(String.init) ?? "")
        return try await web.page(request, context) { csrf in model(csrf, Self.notice(request)) }
    }

    @Sendable func closeSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let sprintID = try context.parameter("sprintId")
        return try await web.formAction(request, context, reshow: { try await sprintPage(sprintID, identity: identity) }) { form in
            let closing = try Self.closing(form)
            guard form["confirm"] == "yes" else {
                let data = try await sprints.page(sprintID: sprintID, userID: identity.user.id)
                guard data.sprint.state == .active else { throw DomainError(.conflict, code: "sprint_not_active", message: "Sprint \(data.sprint.number) is not running.") }
                if closing.carryOver == .nextSprint, data.nextPlanned == nil {
                    throw DomainError(.ruleBroken, code: "no_next_sprint", message: "No sprint is planned yet: plan the next one first, or carry the work to the backlog.", field: "carryOver")
                }
                return try await web.page(request, context) { csrf in SprintClosePage(identity: identity, csrf: csrf, data: data, closing: closing).html }
            }
            let closed = try await sprints.close(sprintID: sprintID, closing: closing, actorID: identity.user.id)
            return HTMLResponse.redirect(to: SiteRoute.sprint(sprintID).path + "?notice=closed&carried=\(closed.figures?.carriedOverItems ?? 0)")
        }
    }

    @Sendable func actOnSprint(_ request: Request, context context: TandemRequestContext, action: SprintPageAction) async throws -> Response {
        let identity = try web.requireLogin(context)
        let sprintID = try context.parameter("sprintId")
        return try await sprintForm(request, context, sprintID: sprintID, identity: identity) { form in
            let actor = identity.user.id
            switch action {
            case .items:
                let override = form["override"] == "on"
                let chosen = form.all("itemIds") + form.all("itemId")
                let added = try await sprints.addItems(sprintID: sprintID, itemIDs: chosen, override: override, reason: form["reason"].isEmpty ? nil : form["reason"],
                                                       actorID: actor, field: { _ in "itemIds" })
                return SiteRoute(SiteRoute.sprint(sprintID).path + "?notice=added&refs=" + added.map(\.ref).joined(separator: ","))
            case .capacity:
                let page = try await sprints.sprintWithAccess(sprintID, userID: actor)
                let members = try page.members.filter { $0.accountability == .developer }.map { member -> (String, Double) in
                    guard let days = Double(form["days-\(member.id)"]) else {
                        throw DomainError.invalid(field: "days-\(member.id)", "must be a number of days")
                    }
                    return (member.id, days)
                }
                let focus = form["focusFactor"].isEmpty ? nil : Double(form["focusFactor"])
                if !form["focusFactor"].isEmpty, focus == nil { throw DomainError.invalid(field: "focusFactor", "must be a number between 0 and 1") }
                _ = try await sprints.setCapacity(sprintID: sprintID, members: members, focusFactor: focus, actorID: actor)
            case .start:
                _ = try await sprints.start(sprintID: sprintID, goal: form["goal"], actorID: actor)
            case .close:
                break
            case .cancel:
                _ = try await sprints.cancel(sprintID: sprintID, reason: form["reason"], actorID: actor)
            case .edit:
                _ = try await sprints.updateSprint(
                    sprintID, input: SprintInput(startDate: form["startDate"], endDate: form["endDate"], goal: form["goal"], version: Int64(form["version"])), actorID: actor
                )
            }
            return SiteRoute.sprint(sprintID)
        }
    }

    @Sendable func removeSprintItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let sprintID = try context.parameter("sprintId")
        let itemID = try context.parameter("itemId")
        return try await sprintForm(request, context, sprintID: sprintID, identity: identity) { _ in
            try await sprints.removeItem(sprintID: sprintID, itemID: itemID, actorID: identity.user.id)
            return SiteRoute.sprint(sprintID)
        }
    }

    @Sendable func moveItemWork(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        return try await cardForm(request, context, itemID: try context.parameter("itemId"), identity: identity) { form, item in
            var changes: [String: JSONValue] = ["workState": .string(form["workState"])]
            if form["workState"] == WorkState.done.rawValue {
                let definition = try await backlog.refinement.definitionOfDone(productID: item.productId, userID: identity.user.id)
                changes["doneChecks"] = .array(definition.indices.map { .bool(form["done\($0)"] == "on") })
            }
            return changes
        }
    }

    @Sendable func setAssignee(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        return try await cardForm(request, context, itemID: try context.parameter("itemId"), identity: identity) { form, _ in
            ["assigneeId": form["assigneeId"].isEmpty ? .null : .string(form["assigneeId"] == "me" ? identity.user.id : form["assigneeId"])]
        }
    }

    @Sendable func setDefinitionOfDone(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await formReturning(request, context, reshow: { form in try await sprintPage(form["sprintId"], identity: identity) }) { form in
            _ = try await backlog.refinement.setDefinitionOfDone(productID: productID, items: Self.lines(form["items"]), actorID: identity.user.id)
            return SiteRoute.sprint(form["sprintId"])
        }
    }

    @Sendable func showSprintReview(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await reviewPage(try context.parameter("sprintId"), identity: identity)
        return try await web.page(request, context) { csrf in model(csrf, Self.notice(request)) }
    }

    @Sendable func recordSprintReview(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let sprintID = try context.parameter("sprintId")
        return try await web.formAction(request, context, reshow: { try await reviewPage(sprintID, identity: identity) }) { form in
            _ = try await events.recordReview(sprintID: sprintID, invitees: Self.lines(form["invitees"]), notes: form["notes"], actorID: identity.user.id)
            return HTMLResponse.redirect(to: SiteRoute.sprintReview(sprintID).path + "?notice=saved")
        }
    }

    @Sendable func showFeedback(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        let latest = try await sprints.latestStartedSprint(productID: productID, userID: identity.user.id)
        return HTMLResponse.redirect(to: latest.map { SiteRoute.sprintReview($0).path + "#feedback-heading" } ?? SiteRoute.product(productID).path)
    }

    @Sendable func giveFeedback(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let productID = try context.parameter("productId")
        return try await formReturning(request, context, reshow: { form in try await reviewPage(form["sprintId"], identity: identity) }) { form in
            _ = try await events.giveFeedback(productID: productID, text: form["text"], itemID: nil, actorID: identity.user.id)
            return SiteRoute(SiteRoute.sprintReview(form["sprintId"]).path + "?notice=feedback-sent")
        }
    }

    @Sendable func decideFeedback(_ request: Request, context context: TandemRequestContext, accept: Bool) async throws -> Response {
        let identity = try web.requireLogin(context)
        let feedbackID = try context.parameter("feedbackId")
        return try await formReturning(request, context, reshow: { form in try await reviewPage(form["sprintId"], identity: identity) }) { form in
            let review = SiteRoute.sprintReview(form["sprintId"]).path
            if accept {
                let accepted = try await events.acceptFeedback(feedbackID, actorID: identity.user.id)
                return SiteRoute(review + "?notice=feedback-accepted&ref=" + (accepted.ref ?? ""))
            }
            _ = try await events.declineFeedback(feedbackID, reason: form["reason"], actorID: identity.user.id)
            return SiteRoute(review + "?notice=feedback-declined")
        }
    }

    @Sendable func showRetrospective(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let model = try await retrospectivePage(try context.parameter("sprintId"), identity: identity)
        return try await web.page(request, context) { csrf in model(csrf, Self.notice(request)) }
    }

    @Sendable func addRetrospectiveEntry(_ request: Request, context context: TandemRequestContext, entry: RetrospectiveEntry) async throws -> Response {
        let identity = try web.requireLogin(context)
        let sprintID = try context.parameter("sprintId")
        return try await web.formAction(request, context, reshow: { try await retrospectivePage(sprintID, identity: identity) }) { form in
            switch entry {
            case .notes:
                _ = try await events.addNote(sprintID: sprintID, kind: form["kind"], text: form["text"], actorID: identity.user.id)
                return HTMLResponse.redirect(to: SiteRoute.retrospective(sprintID).path + "?notice=saved")
            case .actions:
                guard !form["ownerId"].isEmpty else { throw DomainError.invalid(field: "ownerId", "Choose who owns the action: someone takes it on.") }
                _ = try await events.addAction(sprintID: sprintID, text: form["text"], ownerID: form["ownerId"], actorID: identity.user.id)
                return HTMLResponse.redirect(to: SiteRoute.retrospective(sprintID).path + "?notice=action-agreed")
            }
        }
    }

    @Sendable func setImprovementActionState(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try web.requireLogin(context)
        let actionID = try context.parameter("actionId")
        return try await formReturning(request, context, reshow: { form in try await retrospectivePage(form["sprintId"], identity: identity) }) { form in
            _ = try await events.setActionState(actionID, state: form["state"], actorID: identity.user.id)
            return SiteRoute.retrospective(form["sprintId"])
        }
    }
}
