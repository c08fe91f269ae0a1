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

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        api.post("users", use: signUp)
        api.post("sessions", use: logIn)
        api.delete("sessions/current", use: logOut)
        api.get("me", use: getMe)
        api.post("tokens", use: createToken)
        api.get("tokens", use: getTokens)
        api.delete("tokens/:tokenId", use: deleteToken)
    }
}

// MARK: Handlers

extension AccountsAPI {
    @Sendable func signUp(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let input = try await JSONBody.decode(SignUpInput.self, from: request)
        let user = try await accounts.signUp(email: input.email, password: input.password, displayName: input.displayName)
        return try JSONBody.response(UserDTO(user), status: .created)
    }

    @Sendable func logIn(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let input = try await JSONBody.decode(LogInInput.self, from: request)
        let (token, user) = try await accounts.logIn(email: input.email, password: input.password, clientAddress: context.clientAddress)
        return try JSONBody.response(SessionDTO(token: token, user: UserDTO(user)), status: .created)
    }

    @Sendable func logOut(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        _ = try await accounts.revokeToken(id: identity.tokenID, userID: identity.user.id)
        return Response(status: .noContent)
    }

    @Sendable func getMe(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        try JSONBody.response(UserDTO(try context.requireIdentity().user))
    }

    @Sendable func createToken(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let input = try await JSONBody.decode(TokenInput.self, from: request)
        let token = try await accounts.createAPIToken(for: identity.user.id, name: input.name)
        return try JSONBody.response(TokenDTO(token.row, secret: token.secret), status: .created)
    }

    @Sendable func getTokens(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let tokens = try await accounts.apiTokens(userID: identity.user.id)
        return try JSONBody.response(Page(
            items: tokens.map { TokenDTO($0, secret: nil) }, nextCursor: nil
        ))
    }

    @Sendable func deleteToken(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        guard try await accounts.revokeToken(id: try context.parameter("tokenId"), userID: identity.user.id) else {
            throw APIError.notFound("The token")
        }
        return Response(status: .noContent)
    }
}
