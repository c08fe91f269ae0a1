import Foundation
import SQLKit
import TandemCore

/// The Sprint Review as recorded: what was shown and who was invited.
public struct ReviewDTO: Encodable, Sendable {
    public struct Invitee: Encodable, Sendable {
        public let userId: String
        public let displayName: String
        public let email: String
        /// Invited from outside the product: now one of its stakeholders.
        public let addedAsStakeholder: Bool
    }
    public let sprintId: String
    public let notes: String
    public let invitees: [Invitee]
    @NullEncodable public var recordedBy: PersonRef?
    public let recordedAt: Date
}

/// Feedback from anyone in the product, waiting for the Product Owner's decision; the giver sees the outcome.
public struct FeedbackDTO: Encodable, Sendable {
    public let id: String
    public let productId: String
    public let text: String
    @NullEncodable public var itemId: String?
    public let state: FeedbackState
    @NullEncodable public var givenBy: PersonRef?
    public let createdAt: Date
    /// The backlog item an accepted feedback became.
    @NullEncodable public var createdItemId: String?
    @NullEncodable public var ref: String?
    @NullEncodable public var reason: String?
    @NullEncodable public var decidedBy: PersonRef?
    @NullEncodable public var decidedAt: Date?
}

/// A retrospective note: what helped, what hindered, an idea.
public struct RetrospectiveNoteDTO: Encodable, Sendable {
    public let id: String
    public let kind: RetrospectiveNoteKind
    public let text: String
    @NullEncodable public var author: PersonRef?
    public let createdAt: Date
}

/// An improvement action; carried actions say for how many sprints they have stayed open.
public struct ImprovementActionDTO: Encodable, Sendable {
    public let id: String
    public let sprintId: String
    public let sprintNumber: Int64
    public let text: String
    @NullEncodable public var owner: PersonRef?
    public let state: ImprovementActionState
    public let createdAt: Date
    @NullEncodable public var doneAt: Date?
    /// How many later sprints of the team the action has been open through (0 in its own sprint's retrospective).
    public let carriedSprints: Int
}

public struct RetrospectiveDTO: Encodable, Sendable {
    public let sprintId: String
    public let notes: [RetrospectiveNoteDTO]
    public let actions: [ImprovementActionDTO]
    /// Open actions of earlier sprints: the retrospective opens with them.
    public let carriedActions: [ImprovementActionDTO]
}

/// The events around the sprint's end: the Sprint Review with stakeholders' feedback (which the Product Owner
/// accepts into the backlog or declines with a reason) and the retrospective, whose actions stay on the agenda until done.
public struct SprintEvents: Sendable {
    let database: TandemDatabase
    let stamps: Stamps
    let items: BacklogItems

    init(database: TandemDatabase, stamps: Stamps, items: BacklogItems) {
        self.database = database
        self.stamps = stamps
        self.items = items
    }

    // MARK: Review

    public func review(sprintID: String, userID: String) async throws -> ReviewDTO? {
        try await database.read { db in
            _ = try await SprintStore.sprint(sprintID, userID: userID, on: db)
            return try await Self.review(sprintID, on: db)
        }
    }

    /// Records the review; invitees not yet in the product become its stakeholders, so they can give feedback.
    public func recordReview(sprintID: String, invitees emails: [String], notes rawNotes: String, actorID: String) async throws -> ReviewDTO {
        let notes = try InputRules.longText.validated(rawNotes, field: "notes")
        guard emails.count <= 100 else { throw DomainError.invalid(field: "invitees", "must name at most 100 people") }
        for (index, email) in emails.enumerated() { _ = try InputRules.email.validated(email, field: "invitees[\(index)]") }
        return try await database.write { db in
            let context = try await SprintStore.sprint(sprintID, userID: actorID, lock: true, on: db)
            try context.require(.recordReview(teamID: context.sprint.teamId))
            guard context.sprint.state != .planned else {
                throw DomainError(.conflict, code: "sprint_not_started", message: "Sprint \(context.sprint.number) has not started; its review comes at its end.")
            }
            var invitees: [[String: JSONValue]] = []
            var seen = Set<String>()
            for (index, email) in emails.enumerated() {
                guard let user = try await AccountService.user(byEmail: email, on: db) else {
                    throw DomainError(.ruleBroken, code: "unknown_invitee", message: "No one has signed up with \(email) yet; ask them to sign up first.", field: "invitees[\(index)]")
                }
                guard seen.insert(user.id).inserted else { continue }
                let member = try await ProductService.isMember(productID: context.sprint.productId, userID: user.id, on: db)
                invitees.append(["userId": .string(user.id), "addedAsStakeholder": .bool(!member)])
                if !member {
                    try await ProductService.recordMember(productID: context.sprint.productId, userID: user.id, accountability: .stakeholder, actorID: actorID, stamps: stamps, on: db)
                }
            }
            try await db.delete(from: "sprint_reviews").where("sprint_id", .equal, sprintID).run()
            try await db.insert(into: "sprint_reviews").columns("sprint_id", "notes", "invitees", "recorded_by", "recorded_at")
                .values(SQLBind(sprintID), SQLBind(notes), SQLBind(JSONText.encode(invitees)), SQLBind(actorID), SQLBind(stamps.now())).run()
            try await ChangeLog.append(Change(.sprintReviewed, subject: sprintID, ["invitees": .number(Double(invitees.count))]), productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
            guard let review = try await Self.review(sprintID, on: db) else {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "The review of sprint \(context.sprint.number) was not stored.")
            }
            return review
        }
    }

    static func review(_ sprintID: String, on db: any SQLDatabase) async throws -> ReviewDTO? {
        guard let row = try await db.raw("""
            SELECT r.*, u.display_name FROM sprint_reviews r LEFT JOIN users u ON u.id = r.recorded_by WHERE r.sprint_id = \(bind: sprintID)
            """).first() else { return nil }
        let listed: [[String: JSONValue]]
        do { listed = try JSONDecoder().decode([[String: JSONValue]].self, from: Data(try row.decode(column: "invitees", as: String.self).utf8)) } catch {
            throw DomainError(.inconsistent, code: "unreadable_row", message: "The review of sprint \(sprintID) lists its invitees in a form this version of Tandem cannot read.")
        }
        let ids = listed.compactMap { $0["userId"]?.string }
        var people: [String: (name: String, email: String)] = [:]
        if !ids.isEmpty {
            for person in try await db.select().columns("id", "display_name", "email").from("users").where("id", .in, ids).all() {
                people[try person.decode(column: "id", as: String.self)] = (try person.decode(column: "display_name", as: String.self), try person.decode(column: "email", as: String.self))
            }
        }
        let by = try row.decodeNil(column: "recorded_by") ? nil : try row.decode(column: "recorded_by", as: String.self)
        let name = try row.decodeNil(column: "display_name") ? nil : try row.decode(column: "display_name", as: String.self)
        return ReviewDTO(
            sprintId: sprintID, notes: try row.decode(column: "notes", as: String.self),
            invitees: listed.compactMap { entry in
                guard let id = entry["userId"]?.string, let person = people[id] else { return nil }
                return ReviewDTO.Invitee(userId: id, displayName: person.name, email: person.email, addedAsStakeholder: entry["addedAsStakeholder"] == .bool(true))
            },
            recordedBy: by.map { PersonRef(id: $0, displayName: name ?? "(removed)") },
            recordedAt: Clock.date(try row.decode(column: "recorded_at", as: Int64.self))
        )
    }

    // MARK: Feedback

    /// Anyone in the product, stakeholders included, may give feedback, optionally about an item.
    public func giveFeedback(productID: String, text rawText: String, itemID: String?, actorID: String) async throws -> FeedbackDTO {
        let text = try InputRules.feedback.validated(rawText, field: "text")
        let id = stamps.newID()
        return try await database.write { db in
            let access = try await ProductService.access(productID: productID, userID: actorID, on: db)
            var about: String?
            if let itemID {
                guard let item = try await DomainError.nilIfNotFound({ try await BacklogStore.item(itemID, on: db) }), item.productId == productID else {
                    throw DomainError(.ruleBroken, code: "unknown_item", message: "Choose an item of this product's backlog, or leave the item out.", field: "itemId")
                }
                about = item.id
            }
            try await db.insert(into: "feedback").columns("id", "product_id", "giver_id", "text", "item_id", "state", "created_at")
                .values(SQLBind(id), SQLBind(productID), SQLBind(actorID), SQLBind(text), SQLBind(about), SQLBind(FeedbackState.open.rawValue), SQLBind(stamps.now())).run()
            try await ChangeLog.append(Change(.feedbackGiven, subject: id), productID: access.product.id, actorID: actorID, stamps: stamps, on: db)
            return try await Self.feedback(where: "f.id = \(bind: id)", on: db)[0]
        }
    }

    /// The Product Owner's inbox holds everyone's feedback; anyone else sees their own and what became of it.
    public func feedback(productID: String, state: FeedbackState?, userID: String) async throws -> [FeedbackDTO] {
        try await database.read { db in
            let access = try await ProductService.access(productID: productID, userID: userID, on: db)
            return try await Self.inbox(access: access, state: state, on: db)
        }
    }

    public func feedback(access: ProductAccess, state: FeedbackState?) async throws -> [FeedbackDTO] {
        try await database.read { db in try await Self.inbox(access: access, state: state, on: db) }
    }

    static func inbox(access: ProductAccess, state: FeedbackState?, on db: any SQLDatabase) async throws -> [FeedbackDTO] {
        var condition: SQLQueryString = "f.product_id = \(bind: access.product.id)"
        if !access.membership.isProductOwner { condition = condition + " AND f.giver_id = \(bind: access.userID)" }
        if let state { condition = condition + " AND f.state = \(bind: state.rawValue)" }
        return try await feedback(where: condition, on: db)
    }

    /// Accepting turns the feedback into a backlog item at the bottom, linked to it, in the same transaction.
    public func acceptFeedback(_ feedbackID: String, actorID: String) async throws -> FeedbackDTO {
        try await database.write { db in
            let feedback = try await decidable(feedbackID, actorID: actorID, on: db)
            let firstLine = feedback.text.split(whereSeparator: \.isNewline).first.map(String.init) ?? feedback.text
            var input = NewItemInput(title: String(firstLine.trimmingCharacters(in: .whitespaces).prefix(200)), kind: ItemKind.story.rawValue)
            input.description = "From feedback by \(feedback.givenBy?.displayName ?? "a stakeholder"):\n\n\(feedback.text)"
            let item = try await items.createItem(productID: feedback.productId, input: input, actorID: actorID, on: db)
            try await db.update("feedback").set("state", to: FeedbackState.accepted.rawValue).set("created_item_id", to: item.id)
                .set("decided_by", to: actorID).set("decided_at", to: stamps.now()).where("id", .equal, feedbackID).run()
            try await ChangeLog.append(Change(.feedbackAccepted, subject: feedbackID, ["itemId": .string(item.id), "ref": .string(item.ref)]), productID: feedback.productId, actorID: actorID, stamps: stamps, on: db)
            if let giver = feedback.givenBy?.id, giver != actorID {
                try await NotificationLog.notify([giver], kind: "feedback.accepted", text: "Your feedback became \(item.ref) in the backlog.", link: "/items/\(item.ref)", productID: feedback.productId, stamps: stamps, on: db)
            }
            return try await Self.feedback(where: "f.id = \(bind: feedbackID)", on: db)[0]
        }
    }

    /// Saying no, with the reason the giver reads.
    public func declineFeedback(_ feedbackID: String, reason rawReason: String, actorID: String) async throws -> FeedbackDTO {
        let reason = try InputRules.reason.validated(rawReason, field: "reason")
        return try await database.write { db in
            let feedback = try await decidable(feedbackID, actorID: actorID, on: db)
            try await db.update("feedback").set("state", to: FeedbackState.declined.rawValue).set("decision_reason", to: reason)
                .set("decided_by", to: actorID).set("decided_at", to: stamps.now()).where("id", .equal, feedbackID).run()
            try await ChangeLog.append(Change(.feedbackDeclined, subject: feedbackID, ["reason": .string(reason)]), productID: feedback.productId, actorID: actorID, stamps: stamps, on: db)
            if let giver = feedback.givenBy?.id, giver != actorID {
                try await NotificationLog.notify([giver], kind: "feedback.declined", text: "Your feedback was declined: \(reason)", link: "/products/\(feedback.productId)/backlog", productID: feedback.productId, stamps: stamps, on: db)
            }
            return try await Self.feedback(where: "f.id = \(bind: feedbackID)", on: db)[0]
        }
    }

    func decidable(_ feedbackID: String, actorID: String, on db: any SQLDatabase) async throws -> FeedbackDTO {
        guard let feedback = try await Self.feedback(where: "f.id = \(bind: feedbackID)", on: db).first,
              let access = try await DomainError.nilIfNotFound({ try await ProductService.access(productID: feedback.productId, userID: actorID, on: db) })
        else { throw DomainError.notFound("The feedback") }
        try access.require(.decideFeedback, message: "The Product Owner decides what feedback enters the backlog.")
        guard feedback.state == .open else {
            throw DomainError(.conflict, code: "feedback_decided", message: "This feedback was already \(feedback.state.rawValue).")
        }
        return feedback
    }

    static func feedback(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [FeedbackDTO] {
        try await db.raw("""
            SELECT f.*, g.display_name AS giver_name, d.display_name AS decider_name, i.ref AS created_ref
            FROM feedback f LEFT JOIN users g ON g.id = f.giver_id LEFT JOIN users d ON d.id = f.decided_by
            LEFT JOIN backlog_items i ON i.id = f.created_item_id
            WHERE \(condition) ORDER BY f.created_at DESC, f.id
            """).all().map { row in
            func text(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self) }
            let state = try text("state").flatMap(FeedbackState.init(rawValue:))
            guard let state else {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "The stored feedback \(try text("id") ?? "?") has a state this version of Tandem does not know.")
            }
            return FeedbackDTO(
                id: try row.decode(column: "id", as: String.self), productId: try row.decode(column: "product_id", as: String.self),
                text: try row.decode(column: "text", as: String.self), itemId: try text("item_id"), state: state,
                givenBy: try text("giver_id").map { PersonRef(id: $0, displayName: try text("giver_name") ?? "(removed)") },
                createdAt: Clock.date(try row.decode(column: "created_at", as: Int64.self)), createdItemId: try text("created_item_id"),
                ref: try text("created_ref"), reason: try text("decision_reason"),
                decidedBy: try text("decided_by").map { PersonRef(id: $0, displayName: try text("decider_name") ?? "(removed)") },
                decidedAt: try row.decodeNil(column: "decided_at") ? nil : Clock.date(try row.decode(column: "decided_at", as: Int64.self))
            )
        }
    }

    // MARK: Retrospective

    public func retrospective(sprintID: String, userID: String) async throws -> RetrospectiveDTO {
        try await database.read { db in
            let context = try await SprintStore.sprint(sprintID, userID: userID, on: db)
            return try await Self.retrospective(context.sprint, on: db)
        }
    }

    public func addNote(sprintID: String, kind rawKind: String, text rawText: String, actorID: String) async throws -> RetrospectiveNoteDTO {
        guard let kind = RetrospectiveNoteKind(rawValue: rawKind) else {
            throw DomainError.invalid(field: "kind", "must be one of \(RetrospectiveNoteKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let text = try InputRules.retrospectiveText.validated(rawText, field: "text")
        let id = stamps.newID()
        return try await database.write { db in
            let context = try await SprintStore.sprint(sprintID, userID: actorID, on: db)
            try context.require(.writeRetrospective(teamID: context.sprint.teamId))
            try await db.insert(into: "retrospective_notes").columns("id", "sprint_id", "kind", "text", "author_id", "created_at")
                .values(SQLBind(id), SQLBind(sprintID), SQLBind(kind.rawValue), SQLBind(text), SQLBind(actorID), SQLBind(stamps.now())).run()
            try await ChangeLog.append(Change(.retrospectiveNoteAdded, subject: sprintID, ["kind": .string(kind.rawValue)]),
                                       productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
            guard let note = try await Self.notes(sprintID, on: db).first(where: { $0.id == id }) else {
                throw DomainError(.inconsistent, code: "note_missing", message: "The note just written could not be read back.")
            }
            return note
        }
    }

    public func addAction(sprintID: String, text rawText: String, ownerID: String, actorID: String) async throws -> ImprovementActionDTO {
        let text = try InputRules.retrospectiveText.validated(rawText, field: "text")
        let id = stamps.newID()
        return try await database.write { db in
            let context = try await SprintStore.sprint(sprintID, userID: actorID, on: db)
            try context.require(.writeRetrospective(teamID: context.sprint.teamId))
            let owner = try await DomainError.nilIfNotFound({ try await ProductService.access(productID: context.sprint.productId, userID: ownerID, on: db) })
            guard owner?.membership.isScrumTeamMember(ofTeam: context.sprint.teamId) == true else {
                throw DomainError(.ruleBroken, code: "not_a_team_member", message: "An improvement action's owner is one of the team's Scrum Team.", field: "ownerId")
            }
            try await db.insert(into: "improvement_actions").columns("id", "sprint_id", "team_id", "text", "owner_id", "state", "created_by", "created_at")
                .values(SQLBind(id), SQLBind(sprintID), SQLBind(context.sprint.teamId), SQLBind(text), SQLBind(ownerID),
                        SQLBind(ImprovementActionState.open.rawValue), SQLBind(actorID), SQLBind(stamps.now())).run()
            try await ChangeLog.append(Change(.improvementActionCreated, subject: id, ["ownerId": .string(ownerID)]), productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
            return try await Self.actions(where: "a.id = \(bind: id)", atSprint: context.sprint.number, on: db)[0]
        }
    }

    /// The action's owner or the team's Scrum Master marks it done (or open again).
    public func setActionState(_ actionID: String, state rawState: String, actorID: String) async throws -> ImprovementActionDTO {
        guard let state = ImprovementActionState(rawValue: rawState) else {
            throw DomainError.invalid(field: "state", "must be open or done")
        }
        return try await database.write { db in
            guard let row = try await db.select().columns("sprint_id", "owner_id").from("improvement_actions").where("id", .equal, actionID).first(),
                  let context = try await DomainError.nilIfNotFound({ try await SprintStore.sprint(try row.decode(column: "sprint_id", as: String.self), userID: actorID, on: db) })
            else { throw DomainError.notFound("The improvement action") }
            let owner = try row.decodeNil(column: "owner_id") ? nil : try row.decode(column: "owner_id", as: String.self)
            try context.require(.setImprovementActionState(teamID: context.sprint.teamId, ownsAction: owner == actorID))
            try await db.update("improvement_actions").set("state", to: state.rawValue)
                .set("done_by", to: state == .done ? SQLBind(actorID) : SQLBind(String?.none))
                .set("done_at", to: state == .done ? SQLBind(stamps.now()) : SQLBind(Int64?.none))
                .where("id", .equal, actionID).run()
            try await ChangeLog.append(Change(state == .done ? .improvementActionDone : .improvementActionReopened, subject: actionID), productID: context.sprint.productId, actorID: actorID, stamps: stamps, on: db)
            return try await Self.actions(where: "a.id = \(bind: actionID)", atSprint: context.sprint.number, on: db)[0]
        }
    }

    static func retrospective(_ sprint: SprintRow, on db: any SQLDatabase) async throws -> RetrospectiveDTO {
        RetrospectiveDTO(
            sprintId: sprint.id, notes: try await notes(sprint.id, on: db),
            actions: try await actions(where: "a.sprint_id = \(bind: sprint.id)", atSprint: sprint.number, on: db),
            carriedActions: try await actions(
                where: "a.team_id = \(bind: sprint.teamId) AND s.number < \(bind: sprint.number) AND a.state = \(bind: ImprovementActionState.open.rawValue)",
                atSprint: sprint.number, on: db
            )
        )
    }

    static func notes(_ sprintID: String, on db: any SQLDatabase) async throws -> [RetrospectiveNoteDTO] {
        try await db.raw("""
            SELECT n.*, u.display_name FROM retrospective_notes n LEFT JOIN users u ON u.id = n.author_id
            WHERE n.sprint_id = \(bind: sprintID) ORDER BY n.created_at, n.id
            """).all().map { row in
            let author = try row.decodeNil(column: "author_id") ? nil : try row.decode(column: "author_id", as: String.self)
            let name = try row.decodeNil(column: "display_name") ? nil : try row.decode(column: "display_name", as: String.self)
            guard let kind = RetrospectiveNoteKind(rawValue: try row.decode(column: "kind", as: String.self)) else {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "A stored retrospective note has a kind this version of Tandem does not know.")
            }
            return RetrospectiveNoteDTO(
                id: try row.decode(column: "id", as: String.self), kind: kind, text: try row.decode(column: "text", as: String.self),
                author: author.map { PersonRef(id: $0, displayName: name ?? "(removed)") }, createdAt: Clock.date(try row.decode(column: "created_at", as: Int64.self))
            )
        }
    }

    /// Actions with their owner; `carriedSprints` counts the team's sprints after the action's own, up to `atSprint`.
    static func actions(where condition: SQLQueryString, atSprint: Int64, on db: any SQLDatabase) async throws -> [ImprovementActionDTO] {
        try await db.raw("""
            SELECT a.*, s.number AS sprint_number, u.display_name FROM improvement_actions a JOIN sprints s ON s.id = a.sprint_id
            LEFT JOIN users u ON u.id = a.owner_id WHERE \(condition) ORDER BY s.number, a.created_at, a.id
            """).all().map { row in
            let owner = try row.decodeNil(column: "owner_id") ? nil : try row.decode(column: "owner_id", as: String.self)
            let name = try row.decodeNil(column: "display_name") ? nil : try row.decode(column: "display_name", as: String.self)
            guard let state = ImprovementActionState(rawValue: try row.decode(column: "state", as: String.self)) else {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "A stored improvement action has a state this version of Tandem does not know.")
            }
            let number = try row.decode(column: "sprint_number", as: Int64.self)
            return ImprovementActionDTO(
                id: try row.decode(column: "id", as: String.self), sprintId: try row.decode(column: "sprint_id", as: String.self), sprintNumber: number,
                text: try row.decode(column: "text", as: String.self), owner: owner.map { PersonRef(id: $0, displayName: name ?? "(removed)") },
                state: state, createdAt: Clock.date(try row.decode(column: "created_at", as: Int64.self)),
                doneAt: try row.decodeNil(column: "done_at") ? nil : Clock.date(try row.decode(column: "done_at", as: Int64.self)),
                carriedSprints: Int(max(0, atSprint - number))
            )
        }
    }
}
