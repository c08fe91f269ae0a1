import Foundation
import SQLKit
import TandemCore

/// An impediment with its age, owner and the items it blocks.
public struct ImpedimentDTO: Encodable, Sendable {
    public let id: String
    public let teamId: String
    public let productId: String
    public let title: String
    public let detail: String
    public let state: ImpedimentState
    public let level: ImpedimentLevel
    @NullEncodable public var owner: PersonRef?
    @NullEncodable public var resolution: String?
    @NullEncodable public var escalationNote: String?
    @NullEncodable public var raisedBy: PersonRef?
    public let createdAt: Date
    public let updatedAt: Date
    @NullEncodable public var escalatedAt: Date?
    @NullEncodable public var resolvedAt: Date?
    /// Days open so far, or until it was resolved.
    public let ageDays: Int
    public let items: [ItemRefDTO]
}

/// A team's impediments, oldest first, with how long resolving took lately.
public struct ImpedimentListDTO: Encodable, Sendable {
    public let items: [ImpedimentDTO]
    @NullEncodable public var nextCursor: String?
    /// Median days from raised to resolved over the team's resolved impediments; null before the first.
    @NullEncodable public var medianDaysToResolve: Double?
}

/// Impediments: anyone in the product raises one, the team's Scrum Master owns it by default and removes it, or
/// escalates it to the organisation when it is beyond the team's reach.
public struct Impediments: Sendable {
    let database: TandemDatabase
    let stamps: Stamps
    let notifications: NotificationInbox

    public func raise(teamID: String, title rawTitle: String, detail rawDetail: String?, itemIDs: [String], actorID: String) async throws -> ImpedimentDTO {
        let title = try InputRules.title.validated(rawTitle, field: "title")
        let detail = try InputRules.longText.validated(rawDetail ?? "", field: "detail")
        guard itemIDs.count <= 50 else { throw DomainError.invalid(field: "itemIds", "must name at most 50 items") }
        let id = stamps.newID()
        return try await database.write { db in
            let team = try await TeamPartnership.load(teamID, userID: actorID, on: db)
            let items = try await Self.items(itemIDs, productID: team.productID, on: db)
            let now = stamps.now()
            try await db.insert(into: "impediments")
                .columns("id", "team_id", "product_id", "title", "detail", "state", "level", "owner_id", "created_by", "created_at", "updated_at")
                .values(SQLBind(id), SQLBind(teamID), SQLBind(team.productID), SQLBind(title), SQLBind(detail), SQLBind(ImpedimentState.open.rawValue),
                        SQLBind(ImpedimentLevel.team.rawValue), SQLBind(team.scrumMasterID), SQLBind(actorID), SQLBind(now), SQLBind(now))
                .run()
            for item in items {
                try await db.insert(into: "impediment_items").columns("impediment_id", "item_id").values(SQLBind(id), SQLBind(item)).run()
            }
            try await ChangeLog.append(Change(.impedimentRaised, subject: id, ["title": .string(title)]), productID: team.productID, actorID: actorID, stamps: stamps, on: db)
            if let owner = team.scrumMasterID, owner != actorID {
                try await notifications.notify([owner], kind: "impediment.assigned", text: "Impediment for you: \(title)", link: "/teams/\(teamID)/partnership",
                                               productID: team.productID, subjectID: id, on: db)
            }
            return try await Self.impediments(where: "m.id = \(bind: id)", now: now, on: db)[0]
        }
    }

    /// Moves an impediment along; resolving needs the resolution, and a new owner must be in the team's Scrum Team.
    public func update(_ impedimentID: String, state rawState: String?, ownerID: String?, resolution rawResolution: String?, actorID: String) async throws -> ImpedimentDTO {
        let state = try rawState.map { raw -> ImpedimentState in
            guard let state = ImpedimentState(rawValue: raw) else { throw DomainError.invalid(field: "state", "must be open, inProgress or resolved") }
            return state
        }
        let resolution = try rawResolution.map { try InputRules.resolution.validated($0, field: "resolution") }
        return try await database.write { db in
            let (current, team) = try await Self.load(impedimentID, actorID: actorID, on: db)
            try team.access.require(.handleImpediment(teamID: team.teamID, ownsIt: current.owner?.id == actorID))
            let now = stamps.now()
            var query = db.update("impediments").set("updated_at", to: now)
            if let ownerID {
                let owner = try await DomainError.nilIfNotFound({ try await ProductService.access(productID: team.productID, userID: ownerID, on: db) })
                guard owner?.membership.isScrumTeamMember(ofTeam: team.teamID) == true else {
                    throw DomainError(.ruleBroken, code: "not_a_team_member", message: "An impediment's owner is one of the team's Scrum Team.", field: "ownerId")
                }
                query = query.set("owner_id", to: ownerID)
            }
            if let state {
                if state == .resolved {
                    guard let resolution, !resolution.isEmpty else {
                        throw DomainError.invalid(field: "resolution", "is required to resolve an impediment: say how it was removed")
                    }
                    query = query.set("resolution", to: resolution).set("resolved_at", to: current.resolvedAt.map(Clock.millis) ?? now)
                } else {
                    query = query.set("resolved_at", to: SQLBind(Int64?.none))
                }
                query = query.set("state", to: state.rawValue)
            } else if let resolution {
                query = query.set("resolution", to: resolution)
            }
            try await query.where("id", .equal, impedimentID).run()
            if state == .resolved {
                try await notifications.settle(subjectID: impedimentID, kinds: ["impediment.assigned", "impediment.escalated"], on: db)
            }
            let change = state == .resolved && current.state != .resolved
                ? Change(.impedimentResolved, subject: impedimentID, ["resolution": .string(resolution ?? "")])
                : Change(.impedimentUpdated, subject: impedimentID, ["state": state.map { .string($0.rawValue) } ?? .null, "ownerId": ownerID.map(JSONValue.string) ?? .null])
            try await ChangeLog.append(change, productID: team.productID, actorID: actorID, stamps: stamps, on: db)
            if let ownerID, ownerID != actorID, ownerID != current.owner?.id {
                try await notifications.notify([ownerID], kind: "impediment.assigned", text: "Impediment handed to you: \(current.title)", link: "/teams/\(team.teamID)/partnership",
                                               productID: team.productID, subjectID: impedimentID, on: db)
            }
            return try await Self.impediments(where: "m.id = \(bind: impedimentID)", now: now, on: db)[0]
        }
    }

    /// Beyond the team's reach: the organisation must act; the Product Owner and the owner are told.
    public func escalate(_ impedimentID: String, note rawNote: String, actorID: String) async throws -> ImpedimentDTO {
        let note = try InputRules.reason.validated(rawNote, field: "note")
        return try await database.write { db in
            let (current, team) = try await Self.load(impedimentID, actorID: actorID, on: db)
            try team.access.require(.handleImpediment(teamID: team.teamID, ownsIt: current.owner?.id == actorID))
            guard current.state != .resolved else {
                throw DomainError(.conflict, code: "impediment_resolved", message: "This impediment is resolved; raise a new one if it came back.")
            }
            let now = stamps.now()
            try await db.update("impediments").set("level", to: ImpedimentLevel.organisation.rawValue).set("escalation_note", to: note)
                .set("escalated_at", to: now).set("updated_at", to: now).where("id", .equal, impedimentID).run()
            try await ChangeLog.append(Change(.impedimentEscalated, subject: impedimentID, ["note": .string(note)]), productID: team.productID, actorID: actorID, stamps: stamps, on: db)
            let told = Set([team.productOwnerID] + (current.owner.map { [$0.id] } ?? [])).subtracting([actorID])
            try await notifications.notify(Array(told).sorted(), kind: "impediment.escalated", text: "Escalated to the organisation: \(current.title)",
                                           link: "/teams/\(team.teamID)/partnership", productID: team.productID, subjectID: impedimentID, on: db)
            return try await Self.impediments(where: "m.id = \(bind: impedimentID)", now: now, on: db)[0]
        }
    }

    /// The team an impediment belongs to, for someone who may see it; anyone else is told it was not found.
    public func teamID(of impedimentID: String, userID: String) async throws -> String {
        try await database.read { db in try await Self.load(impedimentID, actorID: userID, on: db).1.teamID }
    }

    public func list(teamID: String, state: ImpedimentState?, userID: String) async throws -> ImpedimentListDTO {
        try await database.read { db in
            _ = try await TeamPartnership.load(teamID, userID: userID, on: db)
            var condition: SQLQueryString = "m.team_id = \(bind: teamID)"
            if let state { condition = condition + " AND m.state = \(bind: state.rawValue)" }
            let now = stamps.now()
            let list = try await Self.impediments(where: condition, now: now, on: db)
            let resolved = try await Self.impediments(where: "m.team_id = \(bind: teamID) AND m.state = 'resolved'", now: now, on: db)
            return ImpedimentListDTO(
                items: list, nextCursor: nil,
                medianDaysToResolve: resolved.isEmpty ? nil : CapacityPlan.median(resolved.compactMap { impediment in
                    impediment.resolvedAt.map { $0.timeIntervalSince(impediment.createdAt) / 86_400 }
                }).rounded(toPlaces: 1)
            )
        }
    }

    static func load(_ id: String, actorID: String, on db: any SQLDatabase) async throws -> (ImpedimentDTO, TeamPartnership) {
        guard let current = try await impediments(where: "m.id = \(bind: id)", now: 0, on: db).first else { throw DomainError.notFound("The impediment") }
        do {
            return (current, try await TeamPartnership.load(current.teamId, userID: actorID, on: db))
        } catch let error as DomainError where error.kind == .notFound {
            throw DomainError.notFound("The impediment")
        }
    }

    /// The ids of the items `ids` name (ids or references), all of `productID`'s backlog; `field` names the input
    /// in the error (`itemIds[2]` for a list, `itemId` for one).
    static func items(_ ids: [String], productID: String, field: (Int) -> String = { "itemIds[\($0)]" }, on db: any SQLDatabase) async throws -> [String] {
        var found: [String] = []
        for (index, id) in ids.enumerated() {
            guard let item = try await DomainError.nilIfNotFound({ try await BacklogStore.item(id, on: db) }), item.productId == productID else {
                throw DomainError(.ruleBroken, code: "unknown_item", message: "Choose items of this product's backlog.", field: field(index))
            }
            if !found.contains(item.id) { found.append(item.id) }
        }
        return found
    }

    /// Oldest first; `now` gives open impediments their age.
    static func impediments(where condition: SQLQueryString, now: Int64, on db: any SQLDatabase) async throws -> [ImpedimentDTO] {
        let rows = try await db.raw("""
            SELECT m.*, o.display_name AS owner_name, c.display_name AS creator_name FROM impediments m
            LEFT JOIN users o ON o.id = m.owner_id LEFT JOIN users c ON c.id = m.created_by
            WHERE \(condition) ORDER BY m.created_at, m.id
            """).all()
        let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
        var items: [String: [ItemRefDTO]] = [:]
        if !ids.isEmpty {
            for row in try await db.raw("""
                SELECT l.impediment_id, i.id, i.ref, i.title, i.status FROM impediment_items l JOIN backlog_items i ON i.id = l.item_id
                WHERE l.impediment_id IN (\(binds: ids)) AND i.deleted_at IS NULL ORDER BY i.rank
                """).all() {
                let reader = RowReader(row: row)
                items[try reader.text("impediment_id"), default: []].append(ItemRefDTO(
                    id: try reader.text("id"), ref: try reader.text("ref"), title: try reader.text("title"), status: try reader.known("status", as: ItemStatus.self, in: "backlog_items")
                ))
            }
        }
        return try rows.map { row in
            let r = RowReader(row: row)
            let created = try r.integer("created_at")
            let resolved = try r.optionalInteger("resolved_at")
            let id = try r.text("id")
            return ImpedimentDTO(
                id: id, teamId: try r.text("team_id"), productId: try r.text("product_id"), title: try r.text("title"), detail: try r.text("detail"),
                state: try r.known("state", as: ImpedimentState.self, in: "impediments"), level: try r.known("level", as: ImpedimentLevel.self, in: "impediments"),
                owner: try r.person("owner_id", "owner_name"), resolution: try r.optionalText("resolution"), escalationNote: try r.optionalText("escalation_note"),
                raisedBy: try r.person("created_by", "creator_name"), createdAt: Clock.date(created), updatedAt: try r.date("updated_at"),
                escalatedAt: try r.optionalDate("escalated_at"), resolvedAt: resolved.map(Clock.date),
                ageDays: Age.days(from: created, to: resolved ?? max(now, created)), items: items[id] ?? []
            )
        }
    }
}

extension Double {
    func rounded(toPlaces places: Int) -> Double {
        let factor = Foundation.pow(10, Double(places))
        return (self * factor).rounded() / factor
    }
}
