import TandemCore

/// Sign-up, sessions and API tokens in the OpenAPI document.
extension OpenAPIDocument {
    static let accountSchemas: [String: JSONValue] = [
        "SignUp": object(["email": email, "password": ["type": "string", "minLength": .number(Double(InputRules.password.lowerBound)), "maxLength": .number(Double(InputRules.password.upperBound))],
                           "displayName": name],
                         required: ["email", "password", "displayName"]),
        "LogIn": object(["email": string, "password": string], required: ["email", "password"]),
        "User": object(["id": string, "email": string, "displayName": string, "createdAt": dateTime], required: ["id", "email", "displayName"]),
        "Session": object(["token": string, "user": ref("User")], required: ["token", "user"]),
        "TokenInput": object(["name": name], required: ["name"]),
        "Token": object(["id": string, "name": nullableString, "createdAt": dateTime, "token": nullableString], required: ["id", "createdAt"]),
        "TokenList": object(["items": ["type": "array", "items": ref("Token")], "nextCursor": nullableString], required: ["items"]),
    ]

    static let accountPaths: [String: JSONValue] = [
        "/api/v1/users": ["post": operation("Sign up", id: "signUp", auth: false, body: body("SignUp"), responses: [
            "201": ok("The new account.", "User"), "403": error("Sign-up is closed."), "409": error("The email is taken (`email_taken`)."),
        ])],
        "/api/v1/sessions": ["post": operation("Log in", id: "logIn", auth: false, body: body("LogIn"), responses: [
            "201": ok("A bearer token and its user.", "Session"), "401": error("Wrong email or password."),
        ])],
        "/api/v1/sessions/current": ["delete": operation("Log out", id: "logOut", responses: ["204": noContent])],
        "/api/v1/me": ["get": operation("The caller's account", id: "me", responses: ["200": ok("The caller.", "User")])],
        "/api/v1/tokens": [
            "get": operation("List API tokens", id: "listTokens", responses: ["200": ok("The caller's API tokens, without secrets.", "TokenList")]),
            "post": operation("Create an API token", id: "createToken", body: body("TokenInput", example: ["name": "CI pipeline"]), responses: [
                "201": ok("The token; its secret is shown only now.", "Token"),
            ]),
        ],
        "/api/v1/tokens/{tokenId}": ["delete": operation("Revoke an API token", id: "revokeToken", params: [pathParam("tokenId")], responses: ["204": noContent])],
    ]
}
