import Foundation
import Hummingbird
import TandemCore

/// `/api/v1/users`, `/sessions`, `/me`, `/tokens`: thin handlers over `AccountService`.
struct AccountsAPI {
    let accounts: AccountService

    struct SignUpInput: Decodable { let email: String; let password: String; let displayName: String }
    struct LogInInput: Decodable { let email: String; let password: String }
    struct TokenInput: Decodable { let name: String }
    struct SessionDTO: Encodable { let token: String; let user: UserDTO }
    struct TokenDTO: Encodable, Sendable { let id: String; let name: String?; let createdAt: Date; let token: String? }

    func register(on api: RouterGroup<TandemRequestContext>) {
        api.post("users") { request, _ -> Response in
            let input = try await JSONBody.decode(SignUpInput.self, from: request)
            let user = try await accounts.signUp(email: input.email, password: input.password, displayName: input.displayName)
            return try JSONBody.response(UserDTO(user), status: .created)
        }
        api.post("sessions") { request, context -> Response in
            let input = try await JSONBody.decode(LogInInput.self, from: request)
            let (token, user) = try await accounts.logIn(email: input.email, password: input.password, clientAddress: context.clientAddress)
            return try JSONBody.response(SessionDTO(token: token, user: UserDTO(user)), status: .created)
        }
        api.delete("sessions/current") { _, context -> Response in
            let identity = try context.requireIdentity()
            _ = try await accounts.revokeToken(id: identity.tokenID, userID: identity.user.id)
            return Response(status: .noContent)
        }
        api.get("me") { _, context -> Response in
            try JSONBody.response(UserDTO(try context.requireIdentity().user))
        }
        api.post("tokens") { request, context -> Response in
            let identity = try context.requireIdentity()
            let input = try await JSONBody.decode(TokenInput.self, from: request)
            let name: String
            do { name = try Validate.name(input.name, field: "name") } catch { throw DomainError.invalid(error) }
            let token = try await accounts.issueToken(for: identity.user.id, kind: "api", name: name, lifetime: nil)
            return try JSONBody.response(TokenDTO(id: token.id, name: name, createdAt: Date(), token: token.secret), status: .created)
        }
        api.get("tokens") { _, context -> Response in
            let identity = try context.requireIdentity()
            let tokens = try await accounts.apiTokens(userID: identity.user.id)
            return try JSONBody.response(Page(
                items: tokens.map { TokenDTO(id: $0.id, name: $0.name, createdAt: Clock.date($0.createdAt), token: nil) }, nextCursor: nil
            ))
        }
        api.delete("tokens/:tokenId") { _, context -> Response in
            let identity = try context.requireIdentity()
            guard try await accounts.revokeToken(id: try context.parameter("tokenId"), userID: identity.user.id) else {
                throw APIError.notFound("The token")
            }
            return Response(status: .noContent)
        }
    }
}
