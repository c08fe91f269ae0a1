import Foundation
import SQLKit
import TandemCore

/// A version of a team's working agreement and who agreed to it.
public struct WorkingAgreementDTO: Encodable, Sendable {
    public let teamId: String
    /// 0 before the team writes one.
    public let version: Int64
    public let items: [String]
    @NullEncodable public var writtenBy: PersonRef?
    @NullEncodable public var writtenAt: Date?
    public let agreedBy: [PersonRef]
    /// Members of the team's Scrum Team who have not agreed to this version yet.
    public let waitingFor: [PersonRef]
}

/// The team's working agreement: every change is a new version, and agreement is given to a version.
public struct WorkingAgreements: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public func current(teamID: String, userID: String) async throws -> WorkingAgreementDTO {
        try await database.read { db in
            let team = try await TeamPartnership.load(teamID, userID: userID, on: db)
            return try await Self.current(team, on: db)
        }
    }

    public func set(teamID: String, items rawItems: [String], actorID: String) async throws -> WorkingAgreementDTO {
        guard rawItems.count <= 30 else { throw DomainError.invalid(field: "items", "must have at most 30 entries") }
        let items = try rawItems.enumerated().map { try InputRules.agreementItem.validated($0.element, field: "items[\($0.offset)]") }
        guard Set(items).count == items.count else { throw DomainError.invalid(field: "items", "must not repeat an entry") }
        return try await database.write { db in
            let team = try await TeamPartnership.load(teamID, userID: actorID, on: db)
            try team.access.require(.setWorkingAgreement(teamID: teamID))
            let version = try await Self.latestVersion(teamID, on: db) + 1
            try await db.insert(into: "working_agreements").columns("team_id", "version", "items", "created_by", "created_at")
                .values(SQLBind(teamID), SQLBind(version), SQLBind(JSONText.encode(items)), SQLBind(actorID), SQLBind(stamps.now())).run()
            // Writing it is agreeing to it.
            try await db.insert(into: "working_agreement_consents").columns("team_id", "version", "user_id", "agreed_at")
                .values(SQLBind(teamID), SQLBind(version), SQLBind(actorID), SQLBind(stamps.now())).run()
            try await ChangeLog.append(Change(.workingAgreementSet, subject: teamID, ["version": .number(Double(version))]), productID: team.productID, actorID: actorID, stamps: stamps, on: db)
            return try await Self.current(team, on: db)
        }
    }

    public func agree(teamID: String, actorID: String) async throws -> WorkingAgreementDTO {
        try await database.write { db in
            let team = try await TeamPartnership.load(teamID, userID: actorID, on: db)
            try team.access.require(.setWorkingAgreement(teamID: teamID))
            let version = try await Self.latestVersion(teamID, on: db)
            guard version > 0 else {
                throw DomainError(.ruleBroken, code: "no_working_agreement", message: "The team has no working agreement yet; write one first.")
            }
            let existing = try await db.select().column("user_id").from("working_agreement_consents").where("team_id", .equal, teamID)
                .where("version", .equal, version).where("user_id", .equal, actorID).first()
            if existing == nil {
                try await db.insert(into: "working_agreement_consents").columns("team_id", "version", "user_id", "agreed_at")
                    .values(SQLBind(teamID), SQLBind(version), SQLBind(actorID), SQLBind(stamps.now())).run()
                try await ChangeLog.append(Change(.workingAgreementAgreed, subject: teamID, ["version": .number(Double(version))]),
                                           productID: team.productID, actorID: actorID, stamps: stamps, on: db)
            }
            return try await Self.current(team, on: db)
        }
    }

    static func latestVersion(_ teamID: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.raw("SELECT MAX(version) AS v FROM working_agreements WHERE team_id = \(bind: teamID)").first()
            .flatMap { try $0.decodeNil(column: "v") ? nil : try $0.decode(column: "v", as: Int64.self) } ?? 0
    }

    static func current(_ team: TeamPartnership, on db: any SQLDatabase) async throws -> WorkingAgreementDTO {
        let version = try await latestVersion(team.teamID, on: db)
        let members = try await db.raw("""
            SELECT u.id, u.display_name FROM users u WHERE u.id IN (SELECT user_id FROM team_members WHERE team_id = \(bind: team.teamID))
               OR u.id = \(bind: team.productOwnerID) ORDER BY u.display_name
            """).all().map { PersonRef(id: try $0.decode(column: "id", as: String.self), displayName: try $0.decode(column: "display_name", as: String.self)) }
        guard version > 0, let row = try await db.raw("""
            SELECT w.*, u.display_name FROM working_agreements w LEFT JOIN users u ON u.id = w.created_by
            WHERE w.team_id = \(bind: team.teamID) AND w.version = \(bind: version)
            """).first()
        else { return WorkingAgreementDTO(teamId: team.teamID, version: 0, items: [], writtenBy: nil, writtenAt: nil, agreedBy: [], waitingFor: members) }
        let r = RowReader(row: row)
        let agreed = try await db.raw("""
            SELECT c.user_id, u.display_name FROM working_agreement_consents c JOIN users u ON u.id = c.user_id
            WHERE c.team_id = \(bind: team.teamID) AND c.version = \(bind: version) ORDER BY c.agreed_at
            """).all().map { PersonRef(id: try $0.decode(column: "user_id", as: String.self), displayName: try $0.decode(column: "display_name", as: String.self)) }
        let agreedIDs = Set(agreed.map(\.id))
        return WorkingAgreementDTO(
            teamId: team.teamID, version: version, items: try r.json("items", as: [String].self, in: "working_agreements"),
            writtenBy: try r.person("created_by", "display_name"), writtenAt: try r.date("created_at"), agreedBy: agreed,
            waitingFor: members.filter { !agreedIDs.contains($0.id) }
        )
    }
}
