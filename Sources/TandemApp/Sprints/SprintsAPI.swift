import Foundation
import Hummingbird
import TandemCore

/// `/api/v1/teams/{id}/sprints`, `/api/v1/sprints/{id}/…` and the team's calendar and velocity.
struct SprintsAPI: Sendable {
    let sprints: SprintService

    struct CalendarInput: Decodable { var timeZone: String?; var workingWeekdays: [String]?; var nonWorkingDates: [String]? }
    struct SprintBody: Decodable { var startDate: String?; var endDate: String?; var goal: String?; var version: Int64? }
    struct NewSprintBody: Decodable { var startDate: String; var endDate: String; var goal: String? }
    struct CapacityInput: Decodable {
        struct Member: Decodable { var userId: String; var daysAvailable: Double }
        var members: [Member]
        var focusFactor: Double?
    }
    struct AddItemInput: Decodable { var itemId: String; var override: Bool?; var reason: String? }
    struct StartInput: Decodable { var goal: String? }
    struct CloseInput: Decodable { var goalMet: Bool; var note: String; var carryOver: CarryOver? }
    struct CancelInput: Decodable { var reason: String }

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        api.get("teams/:teamId/calendar", use: getCalendar)
        api.put("teams/:teamId/calendar", use: setCalendar)
        api.get("teams/:teamId/sprints", use: getSprints)
        api.post("teams/:teamId/sprints", use: createSprint)
        api.get("teams/:teamId/velocity", use: getVelocity)
        api.get("sprints/:sprintId", use: showSprint)
        api.patch("sprints/:sprintId", use: updateSprint)
        api.get("sprints/:sprintId/capacity", use: getCapacity)
        api.put("sprints/:sprintId/capacity", use: setCapacity)
        api.get("sprints/:sprintId/planning", use: getSprintPlanning)
        api.get("sprints/:sprintId/record", use: getSprintRecord)
        api.post("sprints/:sprintId/items", use: addSprintItem)
        api.delete("sprints/:sprintId/items/:itemId", use: removeSprintItem)
        api.post("sprints/:sprintId/start", use: startSprint)
        api.post("sprints/:sprintId/close", use: closeSprint)
        api.post("sprints/:sprintId/cancel", use: cancelSprint)
    }
}

// MARK: Handlers

extension SprintsAPI {
    @Sendable func getCalendar(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await sprints.calendar(teamID: try context.parameter("teamId"), userID: identity.user.id))
    }

    @Sendable func setCalendar(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(CalendarInput.self, from: request)
        return try JSONBody.response(try await sprints.setCalendar(
            teamID: try context.parameter("teamId"), timeZone: input.timeZone, workingWeekdays: input.workingWeekdays,
            nonWorkingDates: input.nonWorkingDates, actorID: identity.user.id
        ))
    }

    @Sendable func getSprints(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let state = try QueryFilter.one("state", SprintState.self, request.uri.queryParameters)
        let list = try await sprints.sprints(teamID: try context.parameter("teamId"), state: state, userID: identity.user.id)
        return try JSONBody.response(Page(items: list, nextCursor: nil))
    }

    @Sendable func createSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(NewSprintBody.self, from: request)
        let sprint = try await sprints.createSprint(
            teamID: try context.parameter("teamId"), input: SprintInput(startDate: input.startDate, endDate: input.endDate, goal: input.goal), actorID: identity.user.id
        )
        return try JSONBody.response(sprint, status: .created)
    }

    @Sendable func getVelocity(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await sprints.velocity(teamID: try context.parameter("teamId"), userID: identity.user.id))
    }

    @Sendable func showSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await sprints.sprint(try context.parameter("sprintId"), userID: identity.user.id))
    }

    @Sendable func updateSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(SprintBody.self, from: request)
        return try JSONBody.response(try await sprints.updateSprint(
            try context.parameter("sprintId"),
            input: SprintInput(startDate: input.startDate, endDate: input.endDate, goal: input.goal, version: input.version), actorID: identity.user.id
        ))
    }

    @Sendable func getCapacity(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await sprints.capacity(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
    }

    @Sendable func setCapacity(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(CapacityInput.self, from: request)
        return try JSONBody.response(try await sprints.setCapacity(
            sprintID: try context.parameter("sprintId"), members: input.members.map { ($0.userId, $0.daysAvailable) },
            focusFactor: input.focusFactor, actorID: identity.user.id
        ))
    }

    @Sendable func getSprintPlanning(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await sprints.planning(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
    }

    @Sendable func getSprintRecord(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        return try JSONBody.response(try await sprints.record(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
    }

    @Sendable func addSprintItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(AddItemInput.self, from: request)
        let item = try await sprints.addItem(
            sprintID: try context.parameter("sprintId"), itemID: input.itemId, override: input.override ?? false, reason: input.reason, actorID: identity.user.id
        )
        return try JSONBody.response(item, status: .created)
    }

    @Sendable func removeSprintItem(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        try await sprints.removeItem(sprintID: try context.parameter("sprintId"), itemID: try context.parameter("itemId"), actorID: identity.user.id)
        return Response(status: .noContent)
    }

    @Sendable func startSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(StartInput.self, from: request)
        return try JSONBody.response(try await sprints.start(sprintID: try context.parameter("sprintId"), goal: input.goal, actorID: identity.user.id))
    }

    @Sendable func closeSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(CloseInput.self, from: request)
        return try JSONBody.response(try await sprints.close(
            sprintID: try context.parameter("sprintId"), closing: SprintClosing(goalMet: input.goalMet, note: input.note, carryOver: input.carryOver ?? .top),
            actorID: identity.user.id
        ))
    }

    @Sendable func cancelSprint(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(CancelInput.self, from: request)
        return try JSONBody.response(try await sprints.cancel(sprintID: try context.parameter("sprintId"), reason: input.reason, actorID: identity.user.id))
    }
}
