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
        try await seedDirection(productID: productID, services: services)
        if let teamID = try await services.database.read({ db in
            try await db.select().column("id").from("teams").where("product_id", .equal, productID).first()?.decode(column: "id", as: String.self)
        }) {
            var ids: [String: String] = [:]
            for person in people { ids[person.email] = try await userID(person.email, services: services) }
            let release = try await DemoPlanning.release(productID: productID, services: services, people: ids)
            let people = ids
            try await DemoSprints.seed(productID: productID, teamID: teamID, services: services, people: ids, releaseID: release) { number, stamps in
                try await DemoPlanning.afterClose(number: number, stamps: stamps, productID: productID, teamID: teamID, people: people, services: services)
            }
            if let release { try await DemoPlanning.finish(productID: productID, releaseID: release, services: services, people: ids) }
            try await DemoPartnership.seed(productID: productID, teamID: teamID, services: services, people: ids)
            // Today's reading of the signals starts each tile's daily trend (the sprint signals draw theirs from the sprints).
            if let owner = ids["po@tandem.demo"] { _ = try await services.partnership.signals.report(productID: productID, userID: owner) }
        }
        logger.info("demo product ready", metadata: ["key": "\(productKey)"])
    }

    /// A vision with two versions, an achieved Product Goal and the active one, once.
    private static func seedDirection(productID: String, services: TandemServices) async throws {
        let owner = try await userID("po@tandem.demo", services: services)
        guard try await services.direction.vision(productID: productID, userID: owner).current == nil else { return }
        _ = try await services.direction.setVision(productID: productID, input: VisionInput(
            statement: "A Scrum tool that tracks tickets.", targetGroup: "Scrum teams", needs: "", product: "", businessGoals: ""
        ), actorID: owner)
        _ = try await services.direction.setVision(productID: productID, input: VisionInput(
            statement: "Make the partnership of the Product Owner and the Scrum Master visible, so both sides see what they owe each other.",
            targetGroup: "Scrum teams of 3 to 9 people and the organisations around them, self-hosting their tools.",
            needs: "Product Owners need a backlog they decide on and a team that is never blocked; Scrum Masters need impediments, agreements and commitments in the open.",
            product: "A self-hosted Scrum workspace: an ordered backlog with decision rights, sprints with an honest record, partnership signals and forecasts.",
            businessGoals: "Teams that keep their Sprint Goals and plan releases from evidence; adoption by 50 teams in the first year."
        ), actorID: owner)
        let first = try await services.direction.createGoal(
            productID: productID, statement: "Every team orders its backlog in Tandem with the Product Owner's decision rights enforced.",
            measure: "All five pilot teams order in Tandem for two sprints", actorID: owner
        )
        _ = try await services.direction.closeGoal(goalID: first.id, as: .achieved, note: "All pilot teams moved over by sprint 6.", actorID: owner)
        _ = try await services.direction.createGoal(
            productID: productID, statement: "Teams plan releases from forecasts they can trust.",
            measure: "Half the teams publish an 85% release forecast each sprint", actorID: owner
        )
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
