import Foundation
import Testing
@testable import TandemApp

@Suite("Accounts API")
struct AccountsAPITests {
    @Test(arguments: TestEngine.all)
    func signUpLogInAndOut(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            // setup
            let signUp = try await api.call(.post, "/api/v1/users", body: ["email": "Ana@Example.com", "password": "correct-horse", "displayName": "Ana"])
            #expect(signUp.status == .created)
            #expect(signUp.json["email"]?.string == "Ana@Example.com")
            #expect(signUp.json["displayName"]?.string == "Ana")
            #expect(signUp.json["id"]?.string?.isEmpty == false)
            #expect(!signUp.text.contains("password"))

            // MUT: log in with the email in another case
            let session = try await api.call(.post, "/api/v1/sessions", body: ["email": "ana@EXAMPLE.com", "password": "correct-horse"])

            // validate
            #expect(session.status == .created)
            let token = try #require(session.json["token"]?.string)
            #expect(session.json["user"]?["id"] == signUp.json["id"])
            let me = try await api.call(.get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(me.json["email"]?.string == "Ana@Example.com")

            let logout = try await api.call(.delete, "/api/v1/sessions/current", token: token)
            #expect(logout.status == .noContent)
            let after = try await api.call(.get, "/api/v1/me", token: token)
            #expect(after.status == .unauthorized)
            #expect(after.errorCode == "unauthorized")
        }
    }

    @Test(arguments: TestEngine.all)
    func emailsAreUniqueWithoutCase(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            _ = try await api.call(.post, "/api/v1/users", body: ["email": "ana@example.com", "password": "correct-horse", "displayName": "Ana"])
            let again = try await api.call(.post, "/api/v1/users", body: ["email": "ANA@example.com", "password": "correct-horse", "displayName": "Ana 2"])
            #expect(again.status == .conflict)
            #expect(again.errorCode == "email_taken")
            #expect(again.errorField == "email")
        }
    }

    @Test(arguments: TestEngine.all)
    func badSignUpsNameTheField(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let short = try await api.call(.post, "/api/v1/users", body: ["email": "a@example.com", "password": "short", "displayName": "A"])
            #expect(short.status == .unprocessableContent)
            #expect(short.errorCode == "validation_failed")
            #expect(short.errorField == "password")

            let missing = try await api.call(.post, "/api/v1/users", body: ["email": "a@example.com", "password": "correct-horse"])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.errorField == "displayName")

            let wrongType = try await api.call(.post, "/api/v1/users", body: ["email": 42, "password": "correct-horse", "displayName": "A"])
            #expect(wrongType.status == .unprocessableContent)
            #expect(wrongType.errorField == "email")

            let badEmail = try await api.call(.post, "/api/v1/users", body: ["email": "not-an-email", "password": "correct-horse", "displayName": "A"])
            #expect(badEmail.errorField == "email")

            for malformed in ["{", "", "[1,2]", "null", "\"text\""] {
                let result = try await api.call(.post, "/api/v1/users", json: malformed)
                #expect(result.status == .badRequest, "\(malformed) gave \(result.status)")
                #expect(result.json["error"]?["message"]?.string?.isEmpty == false)
            }

            // Nothing half-written: no user exists after all those refusals.
            let count = try await services.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 0)
        }
    }

    @Test(arguments: TestEngine.all)
    func wrongCredentialsGiveNoHint(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            _ = try await api.person("Ana")
            let wrongPassword = try await api.call(.post, "/api/v1/sessions", body: ["email": "ana@example.com", "password": "wrong-horse!"])
            let unknownEmail = try await api.call(.post, "/api/v1/sessions", body: ["email": "nobody@example.com", "password": "correct-horse"])
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownEmail.status == .unauthorized)
            #expect(wrongPassword.text == unknownEmail.text)
        }
    }

    @Test(arguments: TestEngine.all)
    func closedSignUpRefusesButTheCLIPathStillCreates(engine: TestEngine) async throws {
        try await withTandem(engine, signupOpen: false) { api, services in
            let refused = try await api.call(.post, "/api/v1/users", body: ["email": "a@example.com", "password": "correct-horse", "displayName": "A"])
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "signup_closed")
            _ = try await services.accounts.createUser(email: "a@example.com", password: "correct-horse", displayName: "A")
            let session = try await api.call(.post, "/api/v1/sessions", body: ["email": "a@example.com", "password": "correct-horse"])
            #expect(session.status == .created)
        }
    }

    @Test(arguments: TestEngine.all)
    func tokensAreStoredHashedAndRevocable(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let ana = try await api.person("Ana")
            let created = try await api.call(.post, "/api/v1/tokens", token: ana.token, body: ["name": "CI"])
            #expect(created.status == .created)
            let secret = try #require(created.json["token"]?.string)
            let stored = try await services.database.read { db in
                try await db.raw("SELECT token_hash FROM auth_tokens").all().map { try $0.decode(column: "token_hash", as: String.self) }
            }
            #expect(!stored.contains(secret))
            #expect(stored.contains(AccountService.tokenHash(secret)))
            #expect(try await api.call(.get, "/api/v1/me", token: secret).status == .ok)
            let list = try await api.call(.get, "/api/v1/tokens", token: ana.token)
            #expect(list.json["items"]?.array.count == 1)
            #expect(list.json["items"]?[0]?["token"] == nil || list.json["items"]?[0]?["token"] == .null)
            let id = try #require(created.json["id"]?.string)
            #expect(try await api.call(.delete, "/api/v1/tokens/\(id)", token: ana.token).status == .noContent)
            #expect(try await api.call(.get, "/api/v1/me", token: secret).status == .unauthorized)
        }
    }

    @Test(arguments: TestEngine.all)
    func resetPasswordEndsSessions(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let ana = try await api.person("Ana")
            _ = try await services.accounts.resetPassword(email: "ana@example.com", newPassword: "battery-staple")
            #expect(try await api.call(.get, "/api/v1/me", token: ana.token).status == .unauthorized)
            let old = try await api.call(.post, "/api/v1/sessions", body: ["email": "ana@example.com", "password": "correct-horse"])
            #expect(old.status == .unauthorized)
            let new = try await api.call(.post, "/api/v1/sessions", body: ["email": "ana@example.com", "password": "battery-staple"])
            #expect(new.status == .created)
        }
    }
}
