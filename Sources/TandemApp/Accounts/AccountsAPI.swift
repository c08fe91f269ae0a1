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
    /// An API token as listed; `token` (the secret) only in the answer that created it.
    struct TokenDTO: Encodable, Sendable {
        let id: String
        let name: String?
        let createdAt: Date
        let token: String?

        init(_ row: AuthTokenRow, secret: String?) {
            id = row.id
            name = row.name
            createdAt = Clock.date(row.createdAt)
            token = secret
        }
    }

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
            let token = try await accounts.createAPIToken(for: identity.user.id, name: input.name)
            return try JSONBody.response(TokenDTO(token.row, secret: token.secret), status: .created)
        }
        api.get("tokens") { _, context -> Response in
            let identity = try context.requireIdentity()
            let tokens = try await accounts.apiTokens(userID: identity.user.id)
            return try JSONBody.response(Page(
                items: tokens.map { TokenDTO($0, secret: nil) }, nextCursor: nil
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
