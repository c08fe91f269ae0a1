import Foundation
import SQLKit
import TandemCore

/// A partnership health check; `results` stay null until both partners have answered.
public struct PartnershipCheckDTO: Encodable, Sendable {
    public struct Answered: Encodable, Sendable {
        public let productOwner: Bool
        public let scrumMaster: Bool
    }
    public struct Results: Encodable, Sendable {
        public let foundations: [FoundationComparison]
        public let unmetByScrumMaster: [Expectation]
        public let unmetByProductOwner: [Expectation]
        public let productOwnerComment: String
        public let scrumMasterComment: String
    }
    public let id: String
    public let teamId: String
    public let productId: String
    @NullEncodable public var productOwner: PersonRef?
    @NullEncodable public var scrumMaster: PersonRef?
    public let openedAt: Date
    @NullEncodable public var completedAt: Date?
    public let answered: Answered
    @NullEncodable public var results: Results?
}

/// The foundations over the team's completed checks, oldest first: the trend the page draws.
public struct PartnershipTrendDTO: Encodable, Sendable {
    public struct Point: Encodable, Sendable {
        public let checkId: String
        public let completedAt: Date
        public let foundations: [FoundationComparison]
    }
    public let teamId: String
    public let checks: [PartnershipCheckDTO]
    public let trend: [Point]
}

/// Partnership health checks: the Product Owner and the Scrum Master each rate the seven foundations and say which of
/// the other's expectations were met; neither sees the other's answer before both have answered.
public struct PartnershipChecks: Sendable {
    let database: TandemDatabase
    let stamps: Stamps
    let notifications: NotificationInbox

    public func open(teamID: String, actorID: String) async throws -> PartnershipCheckDTO {
        let id = stamps.newID()
        return try await database.write { db in
            let team = try await TeamPartnership.load(teamID, userID: actorID, on: db)
            try team.access.require(.openPartnershipCheck(teamID: teamID))
            guard let scrumMaster = team.scrumMasterID else {
                throw DomainError(.ruleBroken, code: "no_partnership", message: "\(team.teamName) has no Scrum Master, so there is no partnership to check: nobody coaches the team and the Product Owner on the process. Name a Scrum Master first.")
            }
            guard scrumMaster != team.productOwnerID else {
                throw DomainError(.ruleBroken, code: "no_partnership", message: "The Product Owner is also \(team.teamName)'s Scrum Master: one person cannot check a partnership with themselves. That role conflict is the finding; the two accountabilities need two people.")
            }
            try await db.insert(into: "partnership_checks").columns("id", "team_id", "product_id", "product_owner_id", "scrum_master_id", "opened_by", "opened_at")
                .values(SQLBind(id), SQLBind(teamID), SQLBind(team.productID), SQLBind(team.productOwnerID), SQLBind(scrumMaster), SQLBind(actorID), SQLBind(stamps.now())).run()
            try await ChangeLog.append(Change(.checkOpened, subject: id), productID: team.productID, actorID: actorID, stamps: stamps, on: db)
            try await notifications.notify([team.productOwnerID, scrumMaster].filter { $0 != actorID }, kind: "check.opened",
                                           text: "A partnership health check for \(team.teamName) waits for your answer.", link: "/partnership-checks/\(id)",
                                           productID: team.productID, subjectID: id, on: db)
            return try await Self.check(id, viewerID: actorID, on: db)
        }
    }

    /// One answer per partner; a rating per foundation (1 to 5) and the ids of the other side's expectations met.
    public func respond(checkID: String, ratings: [String: Double], expectationsMet: [String], comment rawComment: String?, actorID: String) async throws -> PartnershipCheckDTO {
        var parsed: [PartnershipFoundation: Int] = [:]
        if let unknown = ratings.keys.sorted().first(where: { PartnershipFoundation(rawValue: $0) == nil }) {
            throw DomainError.invalid(field: "ratings.\(unknown)", "is not a foundation of the partnership")
        }
        for foundation in PartnershipFoundation.allCases {
            guard let value = ratings[foundation.rawValue] else { throw DomainError.invalid(field: "ratings.\(foundation.rawValue)", "is required: rate it from 1 to 5") }
            guard value == value.rounded(), PartnershipFoundation.ratings.contains(Int(exactly: value) ?? 0) else {
                throw DomainError.invalid(field: "ratings.\(foundation.rawValue)", "must be a whole number from 1 to 5")
            }
            parsed[foundation] = Int(value)
        }
        let comment = try InputRules.note.validated(rawComment ?? "", field: "comment")
        let ratingsJSON = JSONText.encode(Dictionary(uniqueKeysWithValues: parsed.map { ($0.key.rawValue, $0.value) }))
        guard Set(expectationsMet).count == expectationsMet.count else { throw DomainError.invalid(field: "expectationsMet", "must not repeat an expectation") }
        return try await database.write { db in
            guard let row = try await db.select().column("*").from("partnership_checks").where("id", .equal, checkID).first(),
                  (try await DomainError.nilIfNotFound({ try await ProductService.access(productID: try row.decode(column: "product_id", as: String.self), userID: actorID, on: db) })) != nil
            else { throw DomainError.notFound("The partnership check") }
            let r = RowReader(row: row)
            let side: PartnershipSide
            if try r.optionalText("product_owner_id") == actorID { side = .productOwner }
            else if try r.optionalText("scrum_master_id") == actorID { side = .scrumMaster }
            else { throw DomainError.notAllowed("Only the Product Owner and the Scrum Master of this check answer it; everyone sees the results once both have.") }
            // The Product Owner says which of the Scrum Master's expectations were met, and the reverse.
            let owedByOther = Set(Expectations.owed(by: side == .productOwner ? .scrumMaster : .productOwner).map(\.id))
            for (index, id) in expectationsMet.enumerated() where !owedByOther.contains(id) {
                throw DomainError.invalid(field: "expectationsMet[\(index)]", "must be the id of one of the \(side == .productOwner ? "Scrum Master's" : "Product Owner's") expectations (GET /api/v1/expectations)")
            }
            let existing = try await db.select().column("side").from("partnership_responses").where("check_id", .equal, checkID).where("side", .equal, side.rawValue).first()
            guard existing == nil else { throw DomainError(.conflict, code: "already_answered", message: "You have answered this check; each partner answers once.") }
            try await db.insert(into: "partnership_responses").columns("check_id", "side", "user_id", "ratings", "expectations_met", "comment", "answered_at")
                .values(SQLBind(checkID), SQLBind(side.rawValue), SQLBind(actorID), SQLBind(ratingsJSON), SQLBind(JSONText.encode(expectationsMet.sorted())), SQLBind(comment), SQLBind(stamps.now())).run()
            let answers = try await db.select().column("side").from("partnership_responses").where("check_id", .equal, checkID).all().count
            if answers == 2 {
                try await db.update("partnership_checks").set("completed_at", to: stamps.now()).where("id", .equal, checkID).run()
                let partners = [try r.optionalText("product_owner_id"), try r.optionalText("scrum_master_id")].compactMap { $0 }
                // The newest results supersede the team's earlier ones: those ask nothing any more.
                let teamID = try r.text("team_id")
                try await notifications.settle(subjectID: teamID, kinds: ["check.results"], on: db)
                try await notifications.notify(partners, kind: "check.results", text: "The partnership health check results are ready.", link: "/partnership-checks/\(checkID)",
                                               productID: try r.text("product_id"), subjectID: teamID, on: db)
            }
            // The person has answered: the request to answer asks nothing more of them.
            try await notifications.settle(subjectID: checkID, kinds: ["check.opened"], userID: actorID, on: db)
            // That a side answered, never what: the answers show to everyone only once both sides have answered.
            try await ChangeLog.append(Change(.checkAnswered, subject: checkID, ["side": .string(side.rawValue)]), productID: try r.text("product_id"), actorID: actorID, stamps: stamps, on: db)
            if answers == 2 {
                try await ChangeLog.append(Change(.checkCompleted, subject: checkID), productID: try r.text("product_id"), actorID: actorID, stamps: stamps, on: db)
            }
            return try await Self.check(checkID, viewerID: actorID, on: db)
        }
    }

    public func check(_ checkID: String, userID: String) async throws -> PartnershipCheckDTO {
        try await database.read { db in
            guard let row = try await db.select().columns("product_id").from("partnership_checks").where("id", .equal, checkID).first(),
                  (try await DomainError.nilIfNotFound({ try await ProductService.access(productID: try row.decode(column: "product_id", as: String.self), userID: userID, on: db) })) != nil
            else { throw DomainError.notFound("The partnership check") }
            return try await Self.check(checkID, viewerID: userID, on: db)
        }
    }

    public func trend(teamID: String, userID: String) async throws -> PartnershipTrendDTO {
        try await database.read { db in
            _ = try await TeamPartnership.load(teamID, userID: userID, on: db)
            let ids = try await db.select().column("id").from("partnership_checks").where("team_id", .equal, teamID).orderBy("opened_at").all()
                .map { try $0.decode(column: "id", as: String.self) }
            var checks: [PartnershipCheckDTO] = []
            for id in ids { checks.append(try await Self.check(id, viewerID: userID, on: db)) }
            return PartnershipTrendDTO(teamId: teamID, checks: checks.reversed(), trend: checks.compactMap { check in
                guard let results = check.results, let completed = check.completedAt else { return nil }
                return PartnershipTrendDTO.Point(checkId: check.id, completedAt: completed, foundations: results.foundations)
            })
        }
    }

    static func check(_ id: String, viewerID: String, on db: any SQLDatabase) async throws -> PartnershipCheckDTO {
        guard let row = try await db.raw("""
            SELECT c.*, p.display_name AS po_name, s.display_name AS sm_name FROM partnership_checks c
            LEFT JOIN users p ON p.id = c.product_owner_id LEFT JOIN users s ON s.id = c.scrum_master_id WHERE c.id = \(bind: id)
            """).first() else { throw DomainError.notFound("The partnership check") }
        let r = RowReader(row: row)
        var answers: [PartnershipSide: (ratings: [PartnershipFoundation: Int], met: Set<String>, comment: String)] = [:]
        for response in try await db.select().column("*").from("partnership_responses").where("check_id", .equal, id).all() {
            let rr = RowReader(row: response)
            let side = try rr.known("side", as: PartnershipSide.self, in: "partnership_responses")
            let raw = try rr.json("ratings", as: [String: Int].self, in: "partnership_responses")
            let ratings = Dictionary(uniqueKeysWithValues: raw.compactMap { key, value in PartnershipFoundation(rawValue: key).map { ($0, value) } })
            let met = Set(try rr.json("expectations_met", as: [String].self, in: "partnership_responses"))
            answers[side] = (ratings, met, try rr.text("comment"))
        }
        var results: PartnershipCheckDTO.Results?
        if let po = answers[.productOwner], let sm = answers[.scrumMaster] {
            let compared = PartnershipCheckResults.compare(productOwner: (po.ratings, po.met), scrumMaster: (sm.ratings, sm.met))
            let byID = Dictionary(uniqueKeysWithValues: Expectations.all.map { ($0.id, $0) })
            results = .init(
                foundations: compared.foundations, unmetByScrumMaster: compared.unmetByScrumMaster.compactMap { byID[$0] },
                unmetByProductOwner: compared.unmetByProductOwner.compactMap { byID[$0] }, productOwnerComment: po.comment, scrumMasterComment: sm.comment
            )
        }
        return PartnershipCheckDTO(
            id: id, teamId: try r.text("team_id"), productId: try r.text("product_id"),
            productOwner: try r.person("product_owner_id", "po_name"), scrumMaster: try r.person("scrum_master_id", "sm_name"),
            openedAt: try r.date("opened_at"), completedAt: try r.optionalDate("completed_at"),
            answered: .init(productOwner: answers[.productOwner] != nil, scrumMaster: answers[.scrumMaster] != nil), results: results
        )
    }
}
