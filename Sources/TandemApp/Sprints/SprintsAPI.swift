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

    func register(on api: RouterGroup<TandemRequestContext>) {
        api.get("teams/:teamId/calendar") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await sprints.calendar(teamID: try context.parameter("teamId"), userID: identity.user.id))
        }
        api.put("teams/:teamId/calendar") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(CalendarInput.self, from: request)
            return try JSONBody.response(try await sprints.setCalendar(
                teamID: try context.parameter("teamId"), timeZone: input.timeZone, workingWeekdays: input.workingWeekdays,
                nonWorkingDates: input.nonWorkingDates, actorID: identity.user.id
            ))
        }
        api.get("teams/:teamId/sprints") { request, context -> Response in
            let identity = try context.requireIdentity()
            let state = try QueryFilter.one("state", SprintState.self, request.uri.queryParameters)
            let list = try await sprints.sprints(teamID: try context.parameter("teamId"), state: state, userID: identity.user.id)
            return try JSONBody.response(Page(items: list, nextCursor: nil))
        }
        api.post("teams/:teamId/sprints") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(NewSprintBody.self, from: request)
            let sprint = try await sprints.createSprint(
                teamID: try context.parameter("teamId"), input: SprintInput(startDate: input.startDate, endDate: input.endDate, goal: input.goal), actorID: identity.user.id
            )
            return try JSONBody.response(sprint, status: .created)
        }
        api.get("teams/:teamId/velocity") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await sprints.velocity(teamID: try context.parameter("teamId"), userID: identity.user.id))
        }
        api.get("sprints/:sprintId") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await sprints.sprint(try context.parameter("sprintId"), userID: identity.user.id))
        }
        api.patch("sprints/:sprintId") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(SprintBody.self, from: request)
            return try JSONBody.response(try await sprints.updateSprint(
                try context.parameter("sprintId"),
                input: SprintInput(startDate: input.startDate, endDate: input.endDate, goal: input.goal, version: input.version), actorID: identity.user.id
            ))
        }
        api.get("sprints/:sprintId/capacity") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await sprints.capacity(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
        }
        api.put("sprints/:sprintId/capacity") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(CapacityInput.self, from: request)
            return try JSONBody.response(try await sprints.setCapacity(
                sprintID: try context.parameter("sprintId"), members: input.members.map { ($0.userId, $0.daysAvailable) },
                focusFactor: input.focusFactor, actorID: identity.user.id
            ))
        }
        api.get("sprints/:sprintId/planning") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await sprints.planning(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
        }
        api.get("sprints/:sprintId/record") { _, context -> Response in
            let identity = try context.requireIdentity()
            return try JSONBody.response(try await sprints.record(sprintID: try context.parameter("sprintId"), userID: identity.user.id))
        }
        api.post("sprints/:sprintId/items") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(AddItemInput.self, from: request)
            let item = try await sprints.addItem(
                sprintID: try context.parameter("sprintId"), itemID: input.itemId, override: input.override ?? false, reason: input.reason, actorID: identity.user.id
            )
            return try JSONBody.response(item, status: .created)
        }
        api.delete("sprints/:sprintId/items/:itemId") { _, context -> Response in
            let identity = try context.requireIdentity()
            try await sprints.removeItem(sprintID: try context.parameter("sprintId"), itemID: try context.parameter("itemId"), actorID: identity.user.id)
            return Response(status: .noContent)
        }
        api.post("sprints/:sprintId/start") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(StartInput.self, from: request)
            return try JSONBody.response(try await sprints.start(sprintID: try context.parameter("sprintId"), goal: input.goal, actorID: identity.user.id))
        }
        api.post("sprints/:sprintId/close") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(CloseInput.self, from: request)
            return try JSONBody.response(try await sprints.close(
                sprintID: try context.parameter("sprintId"), closing: SprintClosing(goalMet: input.goalMet, note: input.note, carryOver: input.carryOver ?? .top),
                actorID: identity.user.id
            ))
        }
        api.post("sprints/:sprintId/cancel") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(CancelInput.self, from: request)
            return try JSONBody.response(try await sprints.cancel(sprintID: try context.parameter("sprintId"), reason: input.reason, actorID: identity.user.id))
        }
    }
}
