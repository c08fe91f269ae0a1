import Foundation
import SQLKit
import TandemCore

/// Products, teams and accountabilities: applies `PermissionPolicy` inside each transaction.
public struct ProductService: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public init(database: TandemDatabase, stamps: Stamps) {
        self.database = database
        self.stamps = stamps
    }

    // MARK: Reading

    public func products(for userID: String) async throws -> [ProductSummaryDTO] {
        try await database.read { db in
            let rows = try await db.raw("""
                SELECT p.id, p.name, p.key, p.product_owner_id, u.display_name AS owner_name
                FROM products p JOIN users u ON u.id = p.product_owner_id
                WHERE p.product_owner_id = \(bind: userID)
                   OR p.id IN (SELECT product_id FROM product_members WHERE user_id = \(bind: userID))
                   OR p.id IN (SELECT t.product_id FROM teams t JOIN team_members tm ON tm.team_id = t.id WHERE tm.user_id = \(bind: userID))
                ORDER BY p.name, p.id
                """).all(ProductListRow.self)
            var result: [ProductSummaryDTO] = []
            for row in rows {
                let membership = try await Self.membership(productID: row.id, productOwnerID: row.productOwnerId, userID: userID, on: db)
                result.append(ProductSummaryDTO(
                    id: row.id, name: row.name, key: row.key,
                    productOwner: PersonRef(id: row.productOwnerId, displayName: row.ownerName),
                    accountabilities: membership.accountabilities
                ))
            }
            return result
        }
    }

    public func product(_ productID: String, for userID: String) async throws -> ProductDTO {
        try await database.read { db in
            _ = try await Self.authorize(.view, productID: productID, userID: userID, on: db)
            return try await Self.detail(productID, on: db)
        }
    }

    public func team(_ teamID: String, for userID: String) async throws -> TeamDTO {
        try await database.read { db in
            let team = try await Self.team(teamID, on: db)
            _ = try await Self.authorize(.view, productID: team.productId, userID: userID, hidden: "The team", on: db)
            let detail = try await Self.detail(team.productId, on: db)
            guard let dto = detail.teams.first(where: { $0.id == teamID }) else { throw DomainError.notFound("The team") }
            return dto
        }
    }

    // MARK: Writing

    /// The creator becomes the product's Product Owner.
    public func createProduct(name rawName: String, key rawKey: String, ownerID: String) async throws -> ProductDTO {
        let name = try InputRules.name.validated(rawName, field: "name")
        let key = try InputRules.productKey.validated(rawKey, field: "key")
        do {
            return try await database.write { [stamps] db in
                let id = try await Self.insertProduct(name: name, key: key, ownerID: ownerID, stamps: stamps, on: db)
                return try await Self.detail(id, on: db)
            }
        } catch where RowCoding.isUniqueViolation(error) {
            throw Self.keyTaken(key)
        }
    }

    /// A new product with its owner, inside the caller's transaction (an import creates its product with its items).
    static func insertProduct(name rawName: String, key rawKey: String, ownerID: String, stamps: Stamps, on db: any SQLDatabase) async throws -> String {
        let name = try InputRules.name.validated(rawName, field: "name")
        let key = try InputRules.productKey.validated(rawKey, field: "key")
        let now = stamps.now()
        let product = ProductRow(id: stamps.newID(), name: name, key: key, productOwnerId: ownerID, createdAt: now, updatedAt: now)
        let taken = try await db.select().column("id").from("products").where("key", .equal, key).first()
        if taken != nil { throw Self.keyTaken(key) }
        try await db.insert("products", product)
        try await ChangeLog.append(Change(.productCreated, subject: product.id, ["name": .string(name), "key": .string(key)]), productID: product.id, actorID: ownerID, stamps: stamps, on: db)
        return product.id
    }

    /// The team of the product with this name, created when it has none (an import names the team its history is for).
    static func team(named rawName: String, productID: String, actorID: String, stamps: Stamps, on db: any SQLDatabase) async throws -> (id: String, created: Bool) {
        let name = try InputRules.name.validated(rawName, field: "team")
        if let existing = try await db.select().column("id").from("teams").where("product_id", .equal, productID).where("name", .equal, name).first() {
            return (try existing.decode(column: "id", as: String.self), false)
        }
        let team = TeamRow(id: stamps.newID(), productId: productID, name: name, createdAt: stamps.now())
        try await db.insert("teams", team)
        try await ChangeLog.append(Change(.teamCreated, subject: team.id, ["name": .string(name)]), productID: productID, actorID: actorID, stamps: stamps, on: db)
        return (team.id, true)
    }

    /// The product with this key and its owner, if there is one.
    static func product(key: String, on db: any SQLDatabase) async throws -> (id: String, ownerID: String)? {
        try await db.select().columns("id", "product_owner_id").from("products").where("key", .equal, key.uppercased()).first()
            .map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "product_owner_id", as: String.self)) }
    }

    /// The names of the product's teams.
    static func teamNames(productID: String, on db: any SQLDatabase) async throws -> [String] {
        try await db.select().column("name").from("teams").where("product_id", .equal, productID).orderBy("name").all().map { try $0.decode(column: "name", as: String.self) }
    }

    /// The id of the product with this key (for the command line, where people name products by key).
    public func productID(key: String) async throws -> String {
        try await database.read { db in
            guard let row = try await db.select().column("id").from("products").where("key", .equal, key.uppercased()).first() else {
                throw DomainError.notFound("The product \(key.prefix(20))")
            }
            return try row.decode(column: "id", as: String.self)
        }
    }

    static func keyTaken(_ key: String) -> DomainError {
        DomainError(.conflict, code: "key_taken", message: "Another product already uses the key \(key).", field: "key")
    }

    public func createTeam(productID: String, name rawName: String, actorID: String) async throws -> TeamDTO {
        let name = try InputRules.name.validated(rawName, field: "name")
        let team = TeamRow(id: stamps.newID(), productId: productID, name: name, createdAt: stamps.now())
        do {
            return try await database.write { db in
                _ = try await Self.authorize(.createTeam, productID: productID, userID: actorID, on: db)
                let existing = try await db.select().column("id").from("teams")
                    .where("product_id", .equal, productID).where("name", .equal, name).first()
                if existing != nil { throw Self.teamNameTaken(name) }
                try await db.insert("teams", team)
                try await ChangeLog.append(Change(.teamCreated, subject: team.id, ["name": .string(name)]), productID: productID, actorID: actorID, stamps: stamps, on: db)
                return TeamDTO(id: team.id, productId: productID, name: name, scrumMaster: nil, members: [], createdAt: Clock.date(team.createdAt))
            }
        } catch where RowCoding.isUniqueViolation(error) {
            throw Self.teamNameTaken(name)
        }
    }

    static func teamNameTaken(_ name: String) -> DomainError {
        DomainError(.conflict, code: "team_name_taken", message: "This product already has a team named \(name).", field: "name")
    }

    /// Adds a Scrum Master or a Developer to a team.
    public func addTeamMember(teamID: String, email: String, accountability rawAccountability: String, actorID: String) async throws -> MemberDTO {
        let accountability = try Self.accountability(rawAccountability, allowed: Self.teamAccountabilities, hint: "Stakeholders and the Product Owner belong to the product, not to a team: add them on the product.")
        return try await database.write { db in
            let team = try await Self.team(teamID, on: db)
            _ = try await Self.authorize(.manageTeamMembers(teamID: teamID), productID: team.productId, userID: actorID, hidden: "The team", on: db)
            let user = try await Self.existingUser(email: email, on: db)
            let members = try await db.select().column("*").from("team_members").where("team_id", .equal, teamID).all(TeamMemberRow.self)
            if members.contains(where: { $0.userId == user.id }) {
                throw DomainError(.conflict, code: "already_member", message: "\(user.displayName) is already a member of this team.", field: "email")
            }
            if accountability == .scrumMaster, members.contains(where: { $0.accountability == Accountability.scrumMaster.rawValue }) {
                throw DomainError(
                    .conflict, code: "scrum_master_exists",
                    message: "This team already has a Scrum Master; remove them first to hand the accountability over.", field: "accountability"
                )
            }
            try await db.insert("team_members", TeamMemberRow(teamId: teamID, userId: user.id, accountability: accountability.rawValue, createdAt: stamps.now()))
            try await ChangeLog.append(Change(.teamMemberAdded, subject: teamID, ["userId": .string(user.id), "accountability": .string(accountability.rawValue)]), productID: team.productId, actorID: actorID, stamps: stamps, on: db)
            return MemberDTO(userId: user.id, displayName: user.displayName, email: user.email, accountability: accountability, teamId: teamID)
        }
    }

    /// Whether the person holds any accountability in the product. A failed read is thrown, never taken for "no".
    static func isMember(productID: String, userID: String, on db: any SQLDatabase) async throws -> Bool {
        try await DomainError.nilIfNotFound({ try await Self.access(productID: productID, userID: userID, on: db) }) != nil
    }

    /// A product membership and its change, in the caller's transaction: the one way a product gains a member,
    /// whether added on the product or invited to a Sprint Review (who then sees the product as a stakeholder).
    static func recordMember(productID: String, userID: String, accountability: Accountability, actorID: String, stamps: Stamps, on db: any SQLDatabase) async throws {
        try await db.insert("product_members", ProductMemberRow(productId: productID, userId: userID, accountability: accountability.rawValue, createdAt: stamps.now()))
        try await ChangeLog.append(Change(.productMemberAdded, subject: productID, ["userId": .string(userID), "accountability": .string(accountability.rawValue)]), productID: productID, actorID: actorID, stamps: stamps, on: db)
    }

    /// Adds a stakeholder; a second Product Owner is refused, the role is handed over instead.
    public func addProductMember(productID: String, email: String, accountability rawAccountability: String, actorID: String) async throws -> MemberDTO {
        let accountability = try Self.accountability(rawAccountability, allowed: Self.productAccountabilities, hint: "Scrum Masters and Developers belong to a team: add them on one of the product's teams.")
        return try await database.write { db in
            let (product, _) = try await Self.authorize(.manageProductMembers, productID: productID, userID: actorID, on: db)
            let user = try await Self.existingUser(email: email, on: db)
            if accountability == .productOwner {
                throw DomainError(
                    .conflict, code: "product_owner_exists",
                    message: "A product has exactly one Product Owner. Hand the accountability over instead.",
                    field: "accountability"
                )
            }
            let existing = try await db.select().column("user_id").from("product_members")
                .where("product_id", .equal, productID).where("user_id", .equal, user.id).first()
            if existing != nil || product.productOwnerId == user.id {
                throw DomainError(.conflict, code: "already_member", message: "\(user.displayName) already holds a product accountability here.", field: "email")
            }
            try await Self.recordMember(productID: productID, userID: user.id, accountability: accountability, actorID: actorID, stamps: stamps, on: db)
            return MemberDTO(userId: user.id, displayName: user.displayName, email: user.email, accountability: accountability, teamId: nil)
        }
    }

    public func removeTeamMember(teamID: String, userID: String, actorID: String) async throws {
        try await database.write { db in
            let team = try await Self.team(teamID, on: db)
            // Anyone may leave a team; removing someone else takes the right to manage it.
            if userID != actorID {
                _ = try await Self.authorize(.manageTeamMembers(teamID: teamID), productID: team.productId, userID: actorID, hidden: "The team", on: db)
            } else {
                _ = try await Self.authorize(.view, productID: team.productId, userID: actorID, hidden: "The team", on: db)
            }
            let member = try await db.select().column("*").from("team_members")
                .where("team_id", .equal, teamID).where("user_id", .equal, userID).first(TeamMemberRow.self)
            guard let member else { throw DomainError.notFound("The team member") }
            try await db.delete(from: "team_members").where("team_id", .equal, teamID).where("user_id", .equal, userID).run()
            try await ChangeLog.append(Change(.teamMemberRemoved, subject: teamID, ["userId": .string(userID), "accountability": .string(member.accountability)]), productID: team.productId, actorID: actorID, stamps: stamps, on: db)
        }
    }

    public func removeProductMember(productID: String, userID: String, actorID: String) async throws {
        try await database.write { db in
            let (product, _) = try await Self.authorize(userID == actorID ? .view : .manageProductMembers, productID: productID, userID: actorID, on: db)
            if product.productOwnerId == userID {
                throw DomainError(
                    .conflict, code: "product_owner_required",
                    message: "The Product Owner cannot be removed; hand the accountability over to another member first."
                )
            }
            let existing = try await db.select().column("user_id").from("product_members")
                .where("product_id", .equal, productID).where("user_id", .equal, userID).first()
            guard existing != nil else { throw DomainError.notFound("The product member") }
            try await db.delete(from: "product_members").where("product_id", .equal, productID).where("user_id", .equal, userID).run()
            try await ChangeLog.append(Change(.productMemberRemoved, subject: productID, ["userId": .string(userID)]), productID: productID, actorID: actorID, stamps: stamps, on: db)
        }
    }

    /// Hands the Product Owner accountability to another person; the previous one stays as a stakeholder.
    public func handOverProductOwnership(productID: String, to newOwnerID: String, actorID: String) async throws -> ProductDTO {
        try await database.write { db in
            let (product, _) = try await Self.authorize(.handOverProductOwnership, productID: productID, userID: actorID, on: db)
            // Only a member may take the accountability over: anyone else would suddenly see the product, and a
            // stranger's id answers like an unknown one.
            let newOwner = try await db.select().column("*").from("users").where("id", .equal, newOwnerID).first(UserRow.self)
            let eligible = try await Self.membership(productID: productID, productOwnerID: product.productOwnerId, userID: newOwnerID, on: db)
            guard let newOwner, eligible.isMember else {
                throw DomainError.invalid(field: "userId", "must name a member of this product (a stakeholder, Scrum Master or Developer)")
            }
            if newOwner.id != product.productOwnerId {
                try await db.update("products").set("product_owner_id", to: newOwner.id).set("updated_at", to: stamps.now())
                    .where("id", .equal, productID).run()
                try await db.delete(from: "product_members").where("product_id", .equal, productID).where("user_id", .equal, newOwner.id).run()
                try await db.insert("product_members", ProductMemberRow(
                    productId: productID, userId: product.productOwnerId, accountability: Accountability.stakeholder.rawValue, createdAt: stamps.now()
                ))
                try await ChangeLog.append(Change(.productOwnerHandedOver, subject: productID, ["from": .string(product.productOwnerId), "to": .string(newOwner.id)]), productID: productID, actorID: actorID, stamps: stamps, on: db)
            }
            return try await Self.detail(productID, on: db)
        }
    }

    // MARK: Shared rules

    /// Scrum Masters and Developers belong to a team.
    static let teamAccountabilities: [Accountability] = [.scrumMaster, .developer]
    /// Stakeholders belong to the product; naming the Product Owner explains that there is one already.
    static let productAccountabilities: [Accountability] = [.stakeholder, .productOwner]

    static func accountability(_ raw: String, allowed: [Accountability], hint: String) throws -> Accountability {
        guard let value = Accountability(rawValue: raw), allowed.contains(value) else {
            let names = allowed.map { "\"\($0.rawValue)\"" }.joined(separator: " or ")
            throw DomainError.invalid(field: "accountability", "must be \(names). \(Accountability(rawValue: raw) == nil ? "" : hint)".trimmingCharacters(in: .whitespaces))
        }
        return value
    }

    static func existingUser(email: String, on db: any SQLDatabase) async throws -> UserRow {
        _ = try InputRules.email.validated(email, field: "email")
        guard let user = try await AccountService.user(byEmail: email, on: db) else {
            throw DomainError(
                .ruleBroken, code: "unknown_user",
                message: "No one has signed up with \(email) yet; ask them to sign up first.", field: "email"
            )
        }
        return user
    }

    static func team(_ teamID: String, on db: any SQLDatabase) async throws -> TeamRow {
        guard let team = try await db.select().column("*").from("teams").where("id", .equal, teamID).first(TeamRow.self) else {
            throw DomainError.notFound("The team")
        }
        return team
    }

    /// Loads the product and the caller's accountabilities and applies the policy: 404 for outsiders, 403 naming who may.
    /// `hidden` names what the outsider asked for (a team reached by its own id is "the team"), so the answer is the
    /// same, word for word, as for an id that does not exist.
    static func authorize(
        _ action: ProductAction, productID: String, userID: String, hidden: String = "The product", on db: any SQLDatabase
    ) async throws -> (ProductRow, ProductMembership) {
        guard let product = try await db.select().column("*").from("products").where("id", .equal, productID).first(ProductRow.self) else {
            throw DomainError.notFound(hidden)
        }
        let membership = try await membership(productID: productID, productOwnerID: product.productOwnerId, userID: userID, on: db)
        switch PermissionPolicy.decide(action, for: membership) {
        case .allowed: return (product, membership)
        case .hidden: throw DomainError.notFound(hidden)
        case .denied(let whoMay): throw DomainError.notAllowed("Only \(whoMay) may do this.")
        }
    }

    /// The same when only the product's id is at hand; nobody belongs to a product that does not exist.
    static func membership(productID: String, userID: String, on db: any SQLDatabase) async throws -> ProductMembership {
        guard let row = try await db.select().column("product_owner_id").from("products").where("id", .equal, productID).first() else {
            return ProductMembership(isProductOwner: false)
        }
        let owner = try row.decode(column: "product_owner_id", as: String.self)
        return try await membership(productID: productID, productOwnerID: owner, userID: userID, on: db)
    }

    /// Everything one person holds in one product, in one round trip.
    static func membership(productID: String, productOwnerID: String, userID: String, on db: any SQLDatabase) async throws -> ProductMembership {
        let rows = try await db.raw("""
            SELECT m.source, m.team_id, m.accountability FROM (\(MembershipQuery.subquery(userID: userID))) m
            WHERE m.product_id = \(bind: productID)
            """).all()
        return try MembershipQuery.membership(productOwnerID: productOwnerID, userID: userID, rows: rows)
    }

    static func detail(_ productID: String, on db: any SQLDatabase) async throws -> ProductDTO {
        guard let product = try await db.select().column("*").from("products").where("id", .equal, productID).first(ProductRow.self),
              let owner = try await db.select().column("*").from("users").where("id", .equal, product.productOwnerId).first(UserRow.self)
        else { throw DomainError.notFound("The product") }
        let teams = try await db.select().column("*").from("teams").where("product_id", .equal, productID)
            .orderBy("name").all(TeamRow.self)
        let teamMembers = try await db.raw("""
            SELECT tm.team_id, tm.user_id, tm.accountability, u.display_name, u.email
            FROM team_members tm JOIN teams t ON t.id = tm.team_id JOIN users u ON u.id = tm.user_id
            WHERE t.product_id = \(bind: productID)
            ORDER BY tm.accountability DESC, u.display_name
            """).all(MemberJoinRow.self)
        let productMembers = try await db.raw("""
            SELECT NULL AS team_id, pm.user_id, pm.accountability, u.display_name, u.email
            FROM product_members pm JOIN users u ON u.id = pm.user_id
            WHERE pm.product_id = \(bind: productID)
            ORDER BY u.display_name
            """).all(MemberJoinRow.self)
        let teamDTOs = teams.map { team in
            let members = teamMembers.filter { $0.teamId == team.id }.compactMap(\.dto)
            let scrumMaster = members.first { $0.accountability == .scrumMaster }
            return TeamDTO(
                id: team.id, productId: productID, name: team.name,
                scrumMaster: scrumMaster.map { PersonRef(id: $0.userId, displayName: $0.displayName) },
                members: members, createdAt: Clock.date(team.createdAt)
            )
        }
        let ownerMember = MemberDTO(userId: owner.id, displayName: owner.displayName, email: owner.email, accountability: .productOwner, teamId: nil)
        return ProductDTO(
            id: product.id, name: product.name, key: product.key,
            productOwner: PersonRef(id: owner.id, displayName: owner.displayName),
            teams: teamDTOs,
            members: [ownerMember] + productMembers.compactMap(\.dto),
            roleConflicts: RoleConflict.find(
                productOwnerID: owner.id,
                scrumMasters: teamMembers.filter { $0.accountability == Accountability.scrumMaster.rawValue }.map { ($0.teamId ?? "", $0.userId) }
            ),
            createdAt: Clock.date(product.createdAt)
        )
    }
}

extension ProductMembership {
    /// Every accountability held, product-level first, for lists and pages.
    var accountabilities: [Accountability] {
        var result: [Accountability] = []
        if isProductOwner { result.append(.productOwner) }
        if isStakeholder { result.append(.stakeholder) }
        for value in [Accountability.scrumMaster, .developer] where teamAccountabilities.values.contains(value) { result.append(value) }
        return result
    }
}

private struct ProductListRow: Decodable {
    var id: String
    var name: String
    var key: String
    var productOwnerId: String
    var ownerName: String
}

private struct MemberJoinRow: Decodable {
    var teamId: String?
    var userId: String
    var accountability: String
    var displayName: String
    var email: String

    var dto: MemberDTO? {
        Accountability(rawValue: accountability).map {
            MemberDTO(userId: userId, displayName: displayName, email: email, accountability: $0, teamId: teamId)
        }
    }
}
