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
        let exists = try await services.database.read { db in
            try await db.select().column("id").from("products").where("key", .equal, productKey).first() != nil
        }
        if exists { return }
        var ids: [String: String] = [:]
        for person in people {
            if let user = try await services.database.read({ db in try await AccountService.user(byEmail: person.email, on: db) }) {
                ids[person.email] = user.id
            } else {
                ids[person.email] = try await services.accounts.createUser(email: person.email, password: password, displayName: person.name).id
            }
        }
        guard let ownerID = ids["po@tandem.demo"] else { return }
        let product = try await services.products.createProduct(name: "Tandem Demo", key: productKey, ownerID: ownerID)
        let team = try await services.products.createTeam(productID: product.id, name: "Team Tandem", actorID: ownerID)
        for person in people where person.accountability.isTeamAccountability {
            _ = try await services.products.addTeamMember(teamID: team.id, email: person.email, accountability: person.accountability.rawValue, actorID: ownerID)
        }
        for person in people where person.accountability == .stakeholder {
            _ = try await services.products.addProductMember(productID: product.id, email: person.email, accountability: person.accountability.rawValue, actorID: ownerID)
        }
        logger.info("seeded the demo product", metadata: ["key": "\(productKey)"])
    }
}
