import Foundation
import Logging
import SQLKit
import TandemCore

/// Seeds the "Tandem Demo" product so a newcomer sees something real at once; running it twice changes nothing.
public enum DemoSeed {
    public static let password = "tandem-demo"
    public static let productKey = "DEMO"

    /// The demo people: email, name, accountability.
    public static let people: [(email: String, name: String, accountability: Accountability)] = [
        ("po@tandem.demo", "Paula Owner", .productOwner),
        ("sm@tandem.demo", "Sam Master", .scrumMaster),
        ("dev1@tandem.demo", "Dana Dev", .developer),
        ("dev2@tandem.demo", "Devi Patel", .developer),
        ("dev3@tandem.demo", "Diego Ruiz", .developer),
        ("dev4@tandem.demo", "Dora Kim", .developer),
        ("stakeholder@tandem.demo", "Stella Holder", .stakeholder),
    ]

    public static func seed(services: TandemServices, logger: Logger) async throws {
        let existing = try await services.database.read { db in
            try await db.select().column("id").from("products").where("key", .equal, productKey).first()?.decode(column: "id", as: String.self)
        }
        let productID: String
        if let existing { productID = existing } else { productID = try await seedProduct(services: services) }
        let hasItems = try await services.database.read { db in
            try await db.select().column("id").from("backlog_items").where("product_id", .equal, productID).limit(1).first() != nil
        }
        if !hasItems {
            var ids: [String: String] = [:]
            for person in people { ids[person.email] = try await userID(person.email, services: services) }
            try await DemoBacklog.seed(productID: productID, backlog: services.backlog, people: ids)
        }
        logger.info("demo product ready", metadata: ["key": "\(productKey)"])
    }

    static func userID(_ email: String, services: TandemServices) async throws -> String {
        guard let user = try await services.database.read({ db in try await AccountService.user(byEmail: email, on: db) }) else {
            throw DomainError.notFound("The demo user \(email)")
        }
        return user.id
    }

    private static func seedProduct(services: TandemServices) async throws -> String {
        for person in people where try await services.database.read({ db in try await AccountService.user(byEmail: person.email, on: db) }) == nil {
            _ = try await services.accounts.createUser(email: person.email, password: password, displayName: person.name)
        }
        let ownerID = try await userID("po@tandem.demo", services: services)
        let product = try await services.products.createProduct(name: "Tandem Demo", key: productKey, ownerID: ownerID)
        let team = try await services.products.createTeam(productID: product.id, name: "Team Tandem", actorID: ownerID)
        for person in people where person.accountability.isTeamAccountability {
            _ = try await services.products.addTeamMember(teamID: team.id, email: person.email, accountability: person.accountability.rawValue, actorID: ownerID)
        }
        for person in people where person.accountability == .stakeholder {
            _ = try await services.products.addProductMember(productID: product.id, email: person.email, accountability: person.accountability.rawValue, actorID: ownerID)
        }
        return product.id
    }
}
