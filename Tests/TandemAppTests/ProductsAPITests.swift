import Foundation
import Testing
@testable import TandemApp

@Suite("Products, teams and accountabilities API")
struct ProductsAPITests {
    @Test(arguments: TestEngine.all)
    func theCreatorBecomesProductOwner(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let paula = try await api.person("Paula")
            let product = try await api.product("Atlas", key: "ATL", token: paula.token)
            #expect(product["name"]?.string == "Atlas")
            #expect(product["key"]?.string == "ATL")
            #expect(product["productOwner"]?["id"]?.string == paula.id)
            #expect(product["productOwner"]?["displayName"]?.string == "Paula")
            #expect(product["teams"]?.array.isEmpty == true)
            #expect(product["roleConflicts"] == .array([]))

            let list = try await api.call(.get, "/api/v1/products", token: paula.token)
            #expect(list.json["items"]?.array.count == 1)
            #expect(list.json["nextCursor"] == .null)
        }
    }

    @Test(arguments: TestEngine.all)
    func keysAreValidatedAndUnique(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let paula = try await api.person("Paula")
            for bad in ["a", "atl", "TOOLONGKEY1", "AT-L"] {
                let result = try await api.call(.post, "/api/v1/products", token: paula.token, body: ["name": "X", "key": .string(bad)])
                #expect(result.status == .unprocessableContent, "\(bad)")
                #expect(result.errorField == "key")
            }
            _ = try await api.product("Atlas", key: "ATL", token: paula.token)
            let duplicate = try await api.call(.post, "/api/v1/products", token: paula.token, body: ["name": "Other", "key": "ATL"])
            #expect(duplicate.status == .conflict)
            #expect(duplicate.errorField == "key")
            let anonymous = try await api.call(.post, "/api/v1/products", body: ["name": "X", "key": "XX"])
            #expect(anonymous.status == .unauthorized)
        }
    }

    @Test(arguments: TestEngine.all)
    func outsidersSeeNothing(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let paula = try await api.person("Paula")
            let otto = try await api.person("Otto")
            let product = try await api.product("Atlas", key: "ATL", token: paula.token)
            let id = try #require(product["id"]?.string)
            let seen = try await api.call(.get, "/api/v1/products/\(id)", token: otto.token)
            #expect(seen.status == .notFound)
            #expect(seen.errorCode == "not_found")
            let missing = try await api.call(.get, "/api/v1/products/no-such-id", token: otto.token)
            #expect(seen.text == missing.text, "an outsider cannot tell a hidden product from a missing one")
            #expect(try await api.call(.get, "/api/v1/products", token: otto.token).json["items"]?.array.isEmpty == true)
            let team = try await api.call(.post, "/api/v1/products/\(id)/teams", token: otto.token, body: ["name": "Sneaky"])
            #expect(team.status == .notFound)
        }
    }

    @Test(arguments: TestEngine.all)
    func teamsAndTheirAccountabilities(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            // setup
            let paula = try await api.person("Paula")
            let sam = try await api.person("Sam")
            let dana = try await api.person("Dana")
            let devi = try await api.person("Devi")
            let stella = try await api.person("Stella")
            let productID = try #require(try await api.product("Atlas", key: "ATL", token: paula.token)["id"]?.string)

            // MUT + validate: only the Product Owner creates teams
            let team = try await api.call(.post, "/api/v1/products/\(productID)/teams", token: paula.token, body: ["name": "Rockets"])
            #expect(team.status == .created)
            let teamID = try #require(team.json["id"]?.string)
            #expect(team.json["name"]?.string == "Rockets")

            let sm = try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: paula.token, body: ["email": .string(sam.email), "accountability": "scrumMaster"])
            #expect(sm.status == .created)
            #expect(sm.json["accountability"]?.string == "scrumMaster")

            // the team's Scrum Master may add members
            let dev = try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: sam.token, body: ["email": .string(dana.email), "accountability": "developer"])
            #expect(dev.status == .created)

            // a Developer may not, and the 403 says who may
            let denied = try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: dana.token, body: ["email": .string(devi.email), "accountability": "developer"])
            #expect(denied.status == .forbidden)
            #expect(denied.errorCode == "forbidden")
            #expect(denied.json["error"]?["message"]?.string?.contains("Product Owner or the team's Scrum Master") == true)

            let teamByDev = try await api.call(.post, "/api/v1/products/\(productID)/teams", token: dana.token, body: ["name": "Mine"])
            #expect(teamByDev.status == .forbidden)
            #expect(teamByDev.json["error"]?["message"]?.string?.contains("Product Owner") == true)

            let stakeholder = try await api.call(.post, "/api/v1/products/\(productID)/members", token: sam.token, body: ["email": .string(stella.email), "accountability": "stakeholder"])
            #expect(stakeholder.status == .created)

            let secondSM = try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: paula.token, body: ["email": .string(devi.email), "accountability": "scrumMaster"])
            #expect(secondSM.status == .conflict)
            #expect(secondSM.errorCode == "scrum_master_exists")

            let duplicate = try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: paula.token, body: ["email": .string(dana.email), "accountability": "developer"])
            #expect(duplicate.errorCode == "already_member")

            let unknownAccountability = try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: paula.token, body: ["email": .string(devi.email), "accountability": "boss"])
            #expect(unknownAccountability.status == .unprocessableContent)
            #expect(unknownAccountability.errorField == "accountability")

            let wrongLevel = try await api.call(.post, "/api/v1/products/\(productID)/members", token: paula.token, body: ["email": .string(devi.email), "accountability": "developer"])
            #expect(wrongLevel.status == .unprocessableContent)

            let unknownPerson = try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: paula.token, body: ["email": "ghost@example.com", "accountability": "developer"])
            #expect(unknownPerson.status == .unprocessableContent)
            #expect(unknownPerson.errorField == "email")

            // every member now sees the product with its people
            let product = try await api.call(.get, "/api/v1/products/\(productID)", token: stella.token)
            #expect(product.status == .ok)
            let members = product.json["teams"]?[0]?["members"]?.array ?? []
            #expect(Set(members.compactMap { $0["userId"]?.string }) == [sam.id, dana.id])
            #expect(product.json["teams"]?[0]?["scrumMaster"]?["id"]?.string == sam.id)
            let productMembers = product.json["members"]?.array ?? []
            #expect(productMembers.contains { $0["userId"]?.string == stella.id && $0["accountability"]?.string == "stakeholder" })
            #expect(try await api.call(.get, "/api/v1/products", token: dana.token).json["items"]?.array.count == 1)

            // removal
            let removed = try await api.call(.delete, "/api/v1/teams/\(teamID)/members/\(dana.id)", token: sam.token)
            #expect(removed.status == .noContent)
            #expect(try await api.call(.get, "/api/v1/products/\(productID)", token: dana.token).status == .notFound)
            let removeOwner = try await api.call(.delete, "/api/v1/products/\(productID)/members/\(paula.id)", token: paula.token)
            #expect(removeOwner.status == .conflict)
        }
    }

    @Test(arguments: TestEngine.all)
    func oneProductOwnerHandedOverExplicitly(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let paula = try await api.person("Paula")
            let olga = try await api.person("Olga")
            let productID = try #require(try await api.product("Atlas", key: "ATL", token: paula.token)["id"]?.string)

            let second = try await api.call(.post, "/api/v1/products/\(productID)/members", token: paula.token, body: ["email": .string(olga.email), "accountability": "productOwner"])
            #expect(second.status == .conflict)
            #expect(second.errorCode == "product_owner_exists")

            let notOwner = try await api.call(.put, "/api/v1/products/\(productID)/product-owner", token: olga.token, body: ["userId": .string(olga.id)])
            #expect(notOwner.status == .notFound, "Olga is not a member yet, so the product is hidden from her")

            // only a member may take the accountability over: a stranger would suddenly see the product
            let stranger = try await api.call(.put, "/api/v1/products/\(productID)/product-owner", token: paula.token, body: ["userId": .string(olga.id)])
            #expect(stranger.status == .unprocessableContent)
            #expect(stranger.errorField == "userId")
            #expect(try await api.call(.get, "/api/v1/products/\(productID)", token: olga.token).status == .notFound)
            try await api.call(.post, "/api/v1/products/\(productID)/members", token: paula.token, body: ["email": .string(olga.email), "accountability": "stakeholder"])

            let handOver = try await api.call(.put, "/api/v1/products/\(productID)/product-owner", token: paula.token, body: ["userId": .string(olga.id)])
            #expect(handOver.status == .ok)
            #expect(handOver.json["productOwner"]?["id"]?.string == olga.id)
            let members = handOver.json["members"]?.array ?? []
            #expect(members.contains { $0["userId"]?.string == paula.id && $0["accountability"]?.string == "stakeholder" })

            let paulaTriesAgain = try await api.call(.post, "/api/v1/products/\(productID)/teams", token: paula.token, body: ["name": "T"])
            #expect(paulaTriesAgain.status == .forbidden)

            let ghost = try await api.call(.put, "/api/v1/products/\(productID)/product-owner", token: olga.token, body: ["userId": "nobody"])
            #expect(ghost.status == .unprocessableContent)
            #expect(ghost.errorField == "userId")
        }
    }

    @Test(arguments: TestEngine.all)
    func productOwnerServingAsScrumMasterIsAFlaggedRoleConflict(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let paula = try await api.person("Paula")
            let productID = try #require(try await api.product("Atlas", key: "ATL", token: paula.token)["id"]?.string)
            let teamID = try #require(try await api.call(.post, "/api/v1/products/\(productID)/teams", token: paula.token, body: ["name": "Solo"]).json["id"]?.string)
            let added = try await api.call(.post, "/api/v1/teams/\(teamID)/members", token: paula.token, body: ["email": .string(paula.email), "accountability": "scrumMaster"])
            #expect(added.status == .created, "allowed, but flagged")
            let product = try await api.call(.get, "/api/v1/products/\(productID)", token: paula.token)
            #expect(product.json["roleConflicts"] == .array([
                ["userId": .string(paula.id), "teamId": .string(teamID), "accountabilities": ["productOwner", "scrumMaster"]],
            ]))
        }
    }

    @Test(arguments: TestEngine.all)
    func dataSurvivesARestart(engine: TestEngine) async throws {
        let testDatabase = try await TestDatabase.make(engine)
        let first = try await testDatabase.open()
        let services = TandemServices(configuration: TandemConfiguration(database: testDatabase.location, bcryptCost: 4), database: first)
        let user = try await services.accounts.createUser(email: "p@example.com", password: "correct-horse", displayName: "P")
        let product = try await services.products.createProduct(name: "Atlas", key: "ATL", ownerID: user.id)
        await first.close()

        let second = try await testDatabase.open()
        let reopened = TandemServices(configuration: TandemConfiguration(database: testDatabase.location, bcryptCost: 4), database: second)
        let again = try await reopened.products.product(product.id, for: user.id)
        #expect(again.key == "ATL")
        #expect(try await Migrator.migrate(second, logger: TestDatabase.logger).isEmpty, "migrating twice applies nothing")
        await second.close()
        await testDatabase.cleanup()
    }

    @Test(arguments: TestEngine.all)
    func concurrentSignUpsWithOneEmailCreateOneAccount(engine: TestEngine) async throws {
        try await withTandem(engine) { _, services in
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        (try? await services.accounts.createUser(email: "race@example.com", password: "correct-horse", displayName: "R\(index)")) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
        }
    }
}
