import Foundation
import SQLKit
import TandemCore

/// The Product Vision Board as a client sends it.
public struct VisionInput: Decodable, Sendable {
    public var statement: String
    public var targetGroup: String
    public var needs: String
    public var product: String
    public var businessGoals: String
}

/// One version of the Product Vision Board: what, for whom, why and what for, with who wrote it and when.
public struct VisionDTO: Encodable, Sendable {
    public let productId: String
    public let version: Int64
    public let statement: String
    public let targetGroup: String
    public let needs: String
    public let product: String
    public let businessGoals: String
    @NullEncodable public var updatedBy: PersonRef?
    public let updatedAt: Date
}

/// The current vision (null before the Product Owner writes one) and every version, newest first.
public struct VisionHistoryDTO: Encodable, Sendable {
    @NullEncodable public var current: VisionDTO?
    public let versions: [VisionDTO]
}

/// A Product Goal and what became of it.
public struct ProductGoalDTO: Encodable, Sendable {
    public let id: String
    public let productId: String
    public let statement: String
    @NullEncodable public var measure: String?
    public let state: ProductGoalState
    @NullEncodable public var note: String?
    @NullEncodable public var createdBy: PersonRef?
    public let createdAt: Date
    @NullEncodable public var closedBy: PersonRef?
    @NullEncodable public var closedAt: Date?
}

/// The Product Owner's direction for a product: the vision (every version kept) and the Product Goals, one active at
/// a time. Every member reads them; only the Product Owner changes them.
public struct ProductDirection: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public init(database: TandemDatabase, stamps: Stamps) {
        self.database = database
        self.stamps = stamps
    }

    static let onlyProductOwner = "The Product Owner gives the product its vision and goals; propose changes to them instead."

    // MARK: Vision

    public func vision(productID: String, userID: String) async throws -> VisionHistoryDTO {
        let access = try await database.read { db in try await ProductService.access(productID: productID, userID: userID, on: db) }
        return try await vision(access: access)
    }

    /// For a page that already loaded the caller's access: no second membership read.
    public func vision(access: ProductAccess) async throws -> VisionHistoryDTO {
        try await database.read { db in
            let versions = try await Self.visions(productID: access.product.id, on: db)
            return VisionHistoryDTO(current: versions.first, versions: versions)
        }
    }

    /// Writes a new version; earlier ones stay readable.
    public func setVision(productID: String, input: VisionInput, actorID: String) async throws -> VisionDTO {
        let statement = try InputRules.visionStatement.validated(input.statement, field: "statement")
        let targetGroup = try InputRules.visionPart.validated(input.targetGroup, field: "targetGroup")
        let needs = try InputRules.visionPart.validated(input.needs, field: "needs")
        let product = try InputRules.visionPart.validated(input.product, field: "product")
        let businessGoals = try InputRules.visionPart.validated(input.businessGoals, field: "businessGoals")
        return try await database.write { db in
            let access = try await ProductService.access(productID: productID, userID: actorID, on: db)
            try access.require(.setProductDirection, message: Self.onlyProductOwner)
            let latest = try await db.raw("SELECT MAX(version) AS latest FROM product_visions WHERE product_id = \(bind: productID)").first()
            let version = (try latest.flatMap { try $0.decodeNil(column: "latest") ? nil : try $0.decode(column: "latest", as: Int64.self) } ?? 0) + 1
            try await db.insert(into: "product_visions")
                .columns("id", "product_id", "version", "statement", "target_group", "needs", "product", "business_goals", "created_by", "created_at")
                .values(
                    SQLBind(stamps.newID()), SQLBind(productID), SQLBind(version), SQLBind(statement), SQLBind(targetGroup), SQLBind(needs),
                    SQLBind(product), SQLBind(businessGoals), SQLBind(actorID), SQLBind(stamps.now())
                )
                .run()
            try await ChangeLog.append(Change(.productVisionSet, subject: productID, ["version": .number(Double(version))]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            return try await Self.visions(productID: productID, on: db)[0]
        }
    }

    static func visions(productID: String, on db: any SQLDatabase) async throws -> [VisionDTO] {
        try await db.raw("""
            SELECT v.*, u.display_name FROM product_visions v LEFT JOIN users u ON u.id = v.created_by
            WHERE v.product_id = \(bind: productID) ORDER BY v.version DESC
            """).all().map { row in
            let by = try row.decodeNil(column: "created_by") ? nil : try row.decode(column: "created_by", as: String.self)
            let name = try row.decodeNil(column: "display_name") ? nil : try row.decode(column: "display_name", as: String.self)
            return VisionDTO(
                productId: productID, version: try row.decode(column: "version", as: Int64.self),
                statement: try row.decode(column: "statement", as: String.self), targetGroup: try row.decode(column: "target_group", as: String.self),
                needs: try row.decode(column: "needs", as: String.self), product: try row.decode(column: "product", as: String.self),
                businessGoals: try row.decode(column: "business_goals", as: String.self),
                updatedBy: by.map { PersonRef(id: $0, displayName: name ?? "(removed)") },
                updatedAt: Clock.date(try row.decode(column: "created_at", as: Int64.self))
            )
        }
    }

    // MARK: Product Goals

    /// The product's goals, the active one first, then the rest newest first.
    public func goals(productID: String, userID: String) async throws -> [ProductGoalDTO] {
        let access = try await database.read { db in try await ProductService.access(productID: productID, userID: userID, on: db) }
        return try await goals(access: access)
    }

    public func goals(access: ProductAccess) async throws -> [ProductGoalDTO] {
        try await database.read { db in try await Self.goals(where: "g.product_id = \(bind: access.product.id)", on: db) }
    }

    public func createGoal(productID: String, statement rawStatement: String, measure rawMeasure: String?, actorID: String) async throws -> ProductGoalDTO {
        let statement = try InputRules.goalStatement.validated(rawStatement, field: "statement")
        let measure = try rawMeasure.map { try InputRules.goalMeasure.validated($0, field: "measure") }.flatMap { $0.isEmpty ? nil : $0 }
        let id = stamps.newID()
        do {
            return try await database.write { db in
                let access = try await ProductService.access(productID: productID, userID: actorID, on: db)
                try access.require(.setProductDirection, message: Self.onlyProductOwner)
                if let active = try await Self.goals(where: "g.product_id = \(bind: productID) AND g.state = 'active'", on: db).first {
                    throw Self.activeGoalExists(active)
                }
                try await db.insert(into: "product_goals")
                    .columns("id", "product_id", "statement", "measure", "state", "created_by", "created_at")
                    .values(SQLBind(id), SQLBind(productID), SQLBind(statement), SQLBind(measure), SQLBind(ProductGoalState.active.rawValue), SQLBind(actorID), SQLBind(stamps.now()))
                    .run()
                try await ChangeLog.append(Change(.productGoalCreated, subject: id, ["statement": .string(statement)]), productID: productID, actorID: actorID, stamps: stamps, on: db)
                return try await Self.goals(where: "g.id = \(bind: id)", on: db)[0]
            }
        } catch where RowCoding.isUniqueViolation(error) {
            // Two goals created at once: the index keeps one active, the other is told as if it came second.
            throw DomainError(.ruleBroken, code: "active_goal_exists", message: "The product already has an active Product Goal; mark it achieved or abandoned first.", field: "statement")
        }
    }

    /// Closes the active goal as achieved or abandoned, with a note for its history.
    public func closeGoal(goalID: String, as state: ProductGoalState, note rawNote: String, actorID: String) async throws -> ProductGoalDTO {
        let note = try InputRules.goalNote.validated(rawNote, field: "note")
        return try await database.write { db in
            guard let goal = try await Self.goals(where: "g.id = \(bind: goalID)", on: db).first else { throw DomainError.notFound("The Product Goal") }
            let access: ProductAccess
            do { access = try await ProductService.access(productID: goal.productId, userID: actorID, on: db) } catch let error as DomainError where error.kind == .notFound { throw DomainError.notFound("The Product Goal") }
            try access.require(.setProductDirection, message: Self.onlyProductOwner)
            guard goal.state == .active else {
                throw DomainError(.conflict, code: "goal_closed", message: "This Product Goal was already \(goal.state.rawValue).")
            }
            try await db.update("product_goals").set("state", to: state.rawValue).set("note", to: note)
                .set("closed_by", to: actorID).set("closed_at", to: stamps.now()).where("id", .equal, goalID).run()
            try await ChangeLog.append(Change(state == .achieved ? .productGoalAchieved : .productGoalAbandoned, subject: goalID, ["note": .string(note)]), productID: goal.productId, actorID: actorID, stamps: stamps, on: db)
            return try await Self.goals(where: "g.id = \(bind: goalID)", on: db)[0]
        }
    }

    /// The product a goal belongs to, for someone who can see it (anyone else: not found).
    public func productID(ofGoal goalID: String, userID: String) async throws -> String {
        try await database.read { db in
            guard let goal = try await Self.goals(where: "g.id = \(bind: goalID)", on: db).first,
                  (try await DomainError.nilIfNotFound({ try await ProductService.access(productID: goal.productId, userID: userID, on: db) })) != nil
            else { throw DomainError.notFound("The Product Goal") }
            return goal.productId
        }
    }

    static func activeGoalExists(_ active: ProductGoalDTO) -> DomainError {
        var error = DomainError(
            .ruleBroken, code: "active_goal_exists",
            message: "The product already has an active Product Goal (\(active.statement)); mark it achieved or abandoned first.", field: "statement"
        )
        error.details["activeGoalId"] = .string(active.id)
        return error
    }

    static func goals(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [ProductGoalDTO] {
        try await db.raw("""
            SELECT g.*, cu.display_name AS creator_name, du.display_name AS closer_name FROM product_goals g
            LEFT JOIN users cu ON cu.id = g.created_by LEFT JOIN users du ON du.id = g.closed_by
            WHERE \(condition) ORDER BY CASE WHEN g.state = 'active' THEN 0 ELSE 1 END, g.created_at DESC, g.id DESC
            """).all().map { row in
            func text(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self) }
            let raw = try row.decode(column: "state", as: String.self)
            guard let state = ProductGoalState(rawValue: raw) else {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "A stored Product Goal has a state this version of Tandem does not know: \(raw).")
            }
            return ProductGoalDTO(
                id: try row.decode(column: "id", as: String.self), productId: try row.decode(column: "product_id", as: String.self),
                statement: try row.decode(column: "statement", as: String.self), measure: try text("measure"), state: state, note: try text("note"),
                createdBy: try text("created_by").map { PersonRef(id: $0, displayName: try text("creator_name") ?? "(removed)") },
                createdAt: Clock.date(try row.decode(column: "created_at", as: Int64.self)),
                closedBy: try text("closed_by").map { PersonRef(id: $0, displayName: try text("closer_name") ?? "(removed)") },
                closedAt: try row.decodeNil(column: "closed_at") ? nil : Clock.date(try row.decode(column: "closed_at", as: Int64.self))
            )
        }
    }
}

/// A release and when it was (or is meant to be) shipped.
public struct ReleaseDTO: Encodable, Sendable {
    public let id: String
    public let productId: String
    public let name: String
    @NullEncodable public var targetDate: String?
    public let state: ReleaseState
    /// The calendar day it was marked released (UTC).
    @NullEncodable public var releasedOn: String?
    @NullEncodable public var releasedBy: PersonRef?
    public let createdAt: Date
}

extension ProductDirection {
    /// The product's releases: planned ones by target date (undated last), then the released ones, newest first.
    public func releases(productID: String, userID: String) async throws -> [ReleaseDTO] {
        try await database.read { db in
            _ = try await ProductService.access(productID: productID, userID: userID, on: db)
            return try await Self.releases(where: "r.product_id = \(bind: productID)", on: db)
        }
    }

    public func createRelease(productID: String, name rawName: String, targetDate rawDate: String?, actorID: String) async throws -> ReleaseDTO {
        let name = try InputRules.name.validated(rawName, field: "name")
        let targetDate = try rawDate.map { try InputRules.calendarDate.validated($0, field: "targetDate") }
        let id = stamps.newID()
        do {
            return try await database.write { db in
                let access = try await ProductService.access(productID: productID, userID: actorID, on: db)
                try access.require(.setProductDirection, message: Self.onlyProductOwner)
                try await db.insert(into: "releases")
                    .columns("id", "product_id", "name", "target_date", "state", "created_by", "created_at")
                    .values(SQLBind(id), SQLBind(productID), SQLBind(name), SQLBind(targetDate), SQLBind(ReleaseState.planned.rawValue), SQLBind(actorID), SQLBind(stamps.now()))
                    .run()
                try await ChangeLog.append(Change(.releasePlanned, subject: id, ["name": .string(name), "targetDate": targetDate.map(JSONValue.string) ?? .null]), productID: productID, actorID: actorID, stamps: stamps, on: db)
                return try await Self.releases(where: "r.id = \(bind: id)", on: db)[0]
            }
        } catch where RowCoding.isUniqueViolation(error) {
            throw DomainError(.conflict, code: "release_name_taken", message: "The product already has a release named \(name).", field: "name")
        }
    }

    /// Marks a planned release released today (UTC); a released one stays as it was.
    public func markReleased(releaseID: String, actorID: String) async throws -> ReleaseDTO {
        try await database.write { db in
            guard let release = try await Self.releases(where: "r.id = \(bind: releaseID)", on: db).first else { throw DomainError.notFound("The release") }
            let access: ProductAccess
            do { access = try await ProductService.access(productID: release.productId, userID: actorID, on: db) } catch let error as DomainError where error.kind == .notFound { throw DomainError.notFound("The release") }
            try access.require(.setProductDirection, message: Self.onlyProductOwner)
            guard release.state == .planned else {
                throw DomainError(.conflict, code: "already_released", message: "\(release.name) was already released on \(release.releasedOn ?? "an earlier day").")
            }
            let now = stamps.now()
            let day = String(ISO8601UTC.string(Clock.date(now)).prefix(10))
            try await db.update("releases").set("state", to: ReleaseState.released.rawValue).set("released_on", to: day)
                .set("released_by", to: actorID).set("released_at", to: now).where("id", .equal, releaseID).run()
            try await ChangeLog.append(Change(.releaseReleased, subject: releaseID, ["name": .string(release.name), "releasedOn": .string(day)]), productID: release.productId, actorID: actorID, stamps: stamps, on: db)
            return try await Self.releases(where: "r.id = \(bind: releaseID)", on: db)[0]
        }
    }

    static func releases(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [ReleaseDTO] {
        try await db.raw("""
            SELECT r.*, u.display_name AS releaser_name FROM releases r LEFT JOIN users u ON u.id = r.released_by
            WHERE \(condition)
            ORDER BY CASE WHEN r.state = 'planned' THEN 0 ELSE 1 END, CASE WHEN r.target_date IS NULL THEN 1 ELSE 0 END,
                     r.target_date, r.released_on DESC, r.created_at, r.id
            """).all().map { row in
            func text(_ column: String) throws -> String? { try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: String.self) }
            let raw = try row.decode(column: "state", as: String.self)
            guard let state = ReleaseState(rawValue: raw) else {
                throw DomainError(.inconsistent, code: "unreadable_row", message: "A stored release has a state this version of Tandem does not know: \(raw).")
            }
            return ReleaseDTO(
                id: try row.decode(column: "id", as: String.self), productId: try row.decode(column: "product_id", as: String.self),
                name: try row.decode(column: "name", as: String.self), targetDate: try text("target_date"), state: state,
                releasedOn: try text("released_on"),
                releasedBy: try text("released_by").map { PersonRef(id: $0, displayName: try text("releaser_name") ?? "(removed)") },
                createdAt: Clock.date(try row.decode(column: "created_at", as: Int64.self))
            )
        }
    }
}
