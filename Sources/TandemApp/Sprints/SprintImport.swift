import Foundation
import SQLKit
import TandemCore

/// A closed sprint of another tool's history.
public struct ImportedSprint: Sendable {
    public var name: String
    public var start: CalendarDay
    public var end: CalendarDay
    public var donePoints: Double
    public var doneItems: Int

    public init(name: String, start: CalendarDay, end: CalendarDay, donePoints: Double, doneItems: Int) {
        (self.name, self.start, self.end, self.donePoints, self.doneItems) = (name, start, end, donePoints, doneItems)
    }
}

/// The sprints' import path: a team's history as closed sprints, numbered after its own in date order. It keeps the
/// rules that guard the data (a start on or before the end, a team of the product) and skips those that guard a live
/// process (a Sprint Goal to start, one active sprint, a frozen commitment): an imported sprint says so, and the
/// signals that need a commitment pass it over. Sprints may overlap (parallel boards). A sprint an earlier import
/// brought (same team, same name there) is left as it is. Runs inside the caller's transaction.
public enum SprintImport {
    static func write(_ sprints: [ImportedSprint], teamID: String, productID: String, actorID: String, stamps: Stamps, on db: any SQLDatabase) async throws -> (created: Int, kept: Int) {
        let known = Set(try await db.select().column("external_name").from("sprints").where("team_id", .equal, teamID).where("imported", .equal, 1).all()
            .compactMap { try $0.decode(column: "external_name", as: String?.self) })
        var number = try await db.select().column(SQLFunction("MAX", args: SQLColumn("number")), as: "last").from("sprints").where("team_id", .equal, teamID).first()?
            .decode(column: "last", as: Int64?.self) ?? 0
        var created = 0, kept = 0
        for sprint in sprints.sorted(by: { ($0.end, $0.name) < ($1.end, $1.name) }) {
            guard !known.contains(sprint.name) else { kept += 1; continue }
            guard sprint.start <= sprint.end else {
                throw DomainError.invalid(field: "sprint", "The sprint “\(sprint.name)” ends (\(sprint.end)) before it starts (\(sprint.start)).")
            }
            number += 1
            let now = stamps.now()
            var row = SprintRow(
                id: stamps.newID(), teamId: teamID, productId: productID, number: number, startDate: sprint.start.description, endDate: sprint.end.description,
                goal: "", state: .closed, productGoalId: nil, focusFactor: nil, version: 1, recordLength: 0, createdBy: actorID, createdAt: now,
                startedBy: nil, startedAt: nil, closedBy: actorID, closedAt: now, goalMet: nil, closeNote: "Imported", carryOver: nil,
                committedPoints: nil, committedItems: nil, addedPoints: nil, addedItems: nil, removedPoints: nil, removedItems: nil, reestimatedPoints: nil,
                donePoints: sprint.donePoints, doneItems: sprint.doneItems, carriedOverPoints: nil, carriedOverItems: nil, personDays: nil
            )
            row.imported = 1
            row.externalName = sprint.name
            try await db.insert("sprints", row)
            try await ChangeLog.append(Change(.sprintImported, subject: row.id, [
                "number": .number(Double(number)), "name": .string(sprint.name), "startDate": .string(row.startDate), "endDate": .string(row.endDate),
                "donePoints": .number(sprint.donePoints),
            ]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            created += 1
        }
        return (created, kept)
    }
}
