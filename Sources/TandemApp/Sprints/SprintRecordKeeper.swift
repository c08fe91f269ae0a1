import Foundation
import SQLKit
import TandemCore

/// Takes part in every item change: moving sprint work is the team's (the Developers' once the sprint runs), and
/// while a sprint runs, finished and re-estimated work goes into its record with the day it happened.
struct SprintRecordKeeper: ItemChangeParticipant {
    func itemWillChange(from before: BacklogItemRow, to after: BacklogItemRow, access: ProductAccess, actorID: String, now: Int64, on db: any SQLDatabase) async throws {
        guard let sprintID = before.sprintId, after.sprintId == sprintID else { return }
        let workChanged = before.workState != after.workState
        let estimateChanged = before.estimate != after.estimate
        guard workChanged || estimateChanged else { return }
        let context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
        let sprint = context.sprint
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
