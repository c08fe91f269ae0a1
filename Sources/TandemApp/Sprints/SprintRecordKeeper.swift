import Foundation
import SQLKit
import TandemCore

/// Takes part in every item change: moving sprint work is the team's (the Developers' once the sprint runs), taking
/// it is a Developer's of the team (or its Scrum Master's, handing it to one), and while a sprint runs, finished and
/// re-estimated work goes into its record with the day it happened.
struct SprintRecordKeeper: ItemChangeParticipant {
    func itemWillChange(from before: BacklogItemRow, to after: BacklogItemRow, access: ProductAccess, actorID: String, now: Int64, on db: any SQLDatabase) async throws {
        guard let sprintID = before.sprintId, after.sprintId == sprintID else { return }
        let workChanged = before.workState != after.workState
        let estimateChanged = before.estimate != after.estimate
        let assigneeChanged = before.assigneeId != after.assigneeId
        guard workChanged || estimateChanged || assigneeChanged else { return }
        let context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
        let sprint = context.sprint
        if assigneeChanged {
            guard sprint.state.isOpen else { throw SprintStore.sprintNotOpen(sprint) }
            try access.require(.assignSprintWork(teamID: sprint.teamId))
            if let assignee = after.assigneeId {
                let developer = try await db.select().column("user_id").from("team_members").where("team_id", .equal, sprint.teamId)
                    .where("user_id", .equal, assignee).where("accountability", .equal, Accountability.developer.rawValue).first()
                guard developer != nil else {
                    throw DomainError(.ruleBroken, code: "not_a_developer", message: "Work in this sprint is taken by a Developer of its team; choose one of them.", field: "assigneeId")
                }
            }
        }
        if workChanged {
            guard sprint.state.isOpen else { throw SprintStore.sprintNotOpen(sprint) }
            try access.require(.changeSprintBacklog(teamID: sprint.teamId, sprintRunning: sprint.state == .active))
        }
        guard sprint.state == .active else { return }
        let day = context.calendar.today(atMillis: now)
        if estimateChanged {
            try await SprintStore.record(
                .reestimated, item: after, points: after.estimate ?? 0, previousPoints: before.estimate ?? 0,
                sprintID: sprintID, day: day, actorID: actorID, now: now, on: db
            )
        }
        if workChanged, after.workState == .done {
            try await SprintStore.record(.done, item: after, sprintID: sprintID, day: day, actorID: actorID, now: now, on: db)
        } else if workChanged, before.workState == .done {
            try await SprintStore.record(.reopened, item: after, sprintID: sprintID, day: day, actorID: actorID, now: now, on: db)
        }
    }
}
