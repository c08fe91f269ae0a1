import TandemCore

/// The OpenAPI 3.1 description of `/api/v1`; a test keeps it equal to the routes the router really has.
/// Every input's type, length, range and pattern comes from `InputRules`, the same values the services validate with,
/// and enumerations from the Swift enums: the document cannot promise what the server refuses.
enum OpenAPIDocument {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func json(_ schema: JSONValue) -> JSONValue { ["application/json": ["schema": schema]] }
    static func body(_ schema: String) -> JSONValue { ["required": true, "content": json(ref(schema))] }
    /// A body with a typical request, which documents the operation and seeds schemathesis's examples phase.
    static func body(_ schema: String, example: JSONValue) -> JSONValue {
        ["required": true, "content": ["application/json": ["schema": ref(schema), "example": example]]]
    }
    static func ok(_ description: String, _ schema: String) -> JSONValue { ["description": .string(description), "content": json(ref(schema))] }
    static let noContent: JSONValue = ["description": "Done; no body."]
    /// A response with OpenAPI links: what a client (or a stateful fuzzer) can do next with what it got back.
    /// `links` maps a link name to the operation and its parameters as runtime expressions (`$response.body#/id`).
    static func ok(_ description: String, _ schema: String, links: [String: (operation: String, parameters: [String: String])]) -> JSONValue {
        ["description": .string(description), "content": json(ref(schema)), "links": .object(links.mapValues { link in
            ["operationId": .string(link.operation), "parameters": .object(link.parameters.mapValues { .string($0) })]
        })]
    }
    static func error(_ description: String) -> JSONValue { ["description": .string(description), "content": json(ref("Error"))] }
    static func pathParam(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]]
    }
    static let limitParam: JSONValue = ["name": "limit", "in": "query", "required": false, "schema": InputRules.pageSize.schema()]
    /// The list's own cursor kind (`Cursor`), so every cursor the pattern allows is one the server reads.
    static func cursorParam(_ kind: Cursor.Kind) -> JSONValue {
        ["name": "cursor", "in": "query", "required": false, "description": "Pass back `nextCursor` as it was given.",
         "schema": ["type": "string", "pattern": .string(kind.pattern)]]
    }
    static let version = InputRules.version.schema()

    /// Every operation shares the error answers a client must handle.
    static func operation(
        _ summary: String, id: String, auth: Bool = true, params: [JSONValue] = [], body: JSONValue? = nil,
        responses: [String: JSONValue]
    ) -> JSONValue {
        var all = responses
        all["400"] = error("Malformed request body.")
        all["422"] = all["422"] ?? error("A field broke a rule; `field` names it.")
        if auth {
            all["401"] = error("Missing or invalid bearer token.")
            all["403"] = all["403"] ?? error("The caller's accountability does not allow this.")
            all["404"] = all["404"] ?? error("Not found, or not visible to the caller.")
        }
        var result: [String: JSONValue] = [
            "summary": .string(summary), "operationId": .string(id), "responses": .object(all),
        ]
        if !params.isEmpty { result["parameters"] = .array(params) }
        if let body { result["requestBody"] = body }
        result["security"] = auth ? [["bearerAuth": []]] : []
        return .object(result)
    }

    /// A request body: its optional fields may also be null, which the server reads as left out.
    static func input(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        object(properties.mapValues(nullable).merging(properties.filter { required.contains($0.key) }) { $1 }, required: required)
    }

    /// `schema` or null.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var fields) = schema, fields["$ref"] == nil, fields["oneOf"] == nil, fields["anyOf"] == nil,
              let type = fields["type"]?.string
        else { return ["anyOf": [schema, ["type": "null"]]] }
        fields["type"] = [.string(type), "null"]
        if case .array(let values)? = fields["enum"] { fields["enum"] = .array(values + [.null]) }
        return .object(fields)
    }

    static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        ["type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) })]
    }

    static let string: JSONValue = ["type": "string"]
    static let name = InputRules.name.schema
    static let email = InputRules.email.schema
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]
    static let nullableString: JSONValue = ["type": ["string", "null"]]
    static let accountability = enumeration(Accountability.self)
    static func accountabilities(_ allowed: [Accountability]) -> JSONValue { ["type": "string", "enum": .array(allowed.map { .string($0.rawValue) })] }

    static let schemas: [String: JSONValue] = [
        "Error": object([
            "error": object(["code": string, "message": string, "field": string], required: ["code", "message"]),
        ], required: ["error"]),
        "SignUp": object(["email": email, "password": ["type": "string", "minLength": .number(Double(InputRules.password.lowerBound)), "maxLength": .number(Double(InputRules.password.upperBound))],
                           "displayName": name],
                         required: ["email", "password", "displayName"]),
        "LogIn": object(["email": string, "password": string], required: ["email", "password"]),
        "User": object(["id": string, "email": string, "displayName": string, "createdAt": dateTime], required: ["id", "email", "displayName"]),
        "Session": object(["token": string, "user": ref("User")], required: ["token", "user"]),
        "TokenInput": object(["name": name], required: ["name"]),
        "Token": object(["id": string, "name": nullableString, "createdAt": dateTime, "token": nullableString], required: ["id", "createdAt"]),
        "TokenList": object(["items": ["type": "array", "items": ref("Token")], "nextCursor": nullableString], required: ["items"]),
        "PersonRef": object(["id": string, "displayName": string], required: ["id", "displayName"]),
        "Member": object([
            "userId": string, "displayName": string, "email": string, "accountability": accountability, "teamId": nullableString,
        ], required: ["userId", "displayName", "email", "accountability"]),
        "Team": object([
            "id": string, "productId": string, "name": string, "createdAt": dateTime,
            "scrumMaster": ["oneOf": [ref("PersonRef"), ["type": "null"]]],
            "members": ["type": "array", "items": ref("Member")],
        ], required: ["id", "productId", "name", "members"]),
        "RoleConflict": object([
            "userId": string, "teamId": string, "accountabilities": ["type": "array", "items": accountability],
        ], required: ["userId", "teamId", "accountabilities"]),
        "Product": object([
            "id": string, "name": string, "key": string, "createdAt": dateTime, "productOwner": ref("PersonRef"),
            "teams": ["type": "array", "items": ref("Team")],
            "members": ["type": "array", "items": ref("Member")],
            "roleConflicts": ["type": "array", "items": ref("RoleConflict")],
        ], required: ["id", "name", "key", "productOwner", "teams", "roleConflicts"]),
        "ProductSummary": object([
            "id": string, "name": string, "key": string, "productOwner": ref("PersonRef"),
            "accountabilities": ["type": "array", "items": accountability],
        ], required: ["id", "name", "key", "productOwner"]),
        "ProductList": object(["items": ["type": "array", "items": ref("ProductSummary")], "nextCursor": nullableString], required: ["items"]),
        "ProductInput": object(["name": name, "key": InputRules.productKey.schema], required: ["name", "key"]),
        "TeamInput": object(["name": name], required: ["name"]),
        "ProductMemberInput": object(["email": email, "accountability": accountabilities(ProductService.productAccountabilities)], required: ["email", "accountability"]),
        "TeamMemberInput": object(["email": email, "accountability": accountabilities(ProductService.teamAccountabilities)], required: ["email", "accountability"]),
        "HandOver": object(["userId": string], required: ["userId"]),
        "Health": object(["status": string, "database": ["type": "string", "enum": ["sqlite", "postgres"]]], required: ["status", "database"]),
    ]

    static let paths: [String: JSONValue] = [
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
        "/api/v1/products": [
            "get": operation("Products the caller belongs to", id: "listProducts", params: [limitParam, cursorParam(.offset)], responses: ["200": ok("A page of products.", "ProductList")]),
            "post": operation("Create a product; the caller becomes its Product Owner", id: "createProduct", body: body("ProductInput", example: ["name": "Orbit", "key": "ORB"]), responses: [
                "201": ok("The product.", "Product", links: [
                "GetProduct": ("getProduct", ["productId": "$response.body#/id"]),
                "CreateTeam": ("createTeam", ["productId": "$response.body#/id"]),
                "CreateItem": ("createItem", ["productId": "$response.body#/id"]),
                "GetBacklog": ("getBacklog", ["productId": "$response.body#/id"]),
                "AddProductMember": ("addProductMember", ["productId": "$response.body#/id"]),
            ]), "409": error("The key is taken (`key_taken`)."),
            ]),
        ],
        "/api/v1/products/{productId}": ["get": operation("A product with teams, members and role conflicts", id: "getProduct",
                                                         params: [pathParam("productId")], responses: ["200": ok("The product.", "Product")])],
        "/api/v1/products/{productId}/teams": ["post": operation("Create a team (Product Owner only)", id: "createTeam",
                                                               params: [pathParam("productId")], body: body("TeamInput", example: ["name": "Team Two"]), responses: [
            "201": ok("The team.", "Team", links: [
                "GetTeam": ("getTeam", ["teamId": "$response.body#/id"]),
                "AddTeamMember": ("addTeamMember", ["teamId": "$response.body#/id"]),
            ]), "409": error("The product already has a team with this name."),
        ])],
        "/api/v1/products/{productId}/members": ["post": operation("Add a stakeholder", id: "addProductMember",
                                                                 params: [pathParam("productId")], body: body("ProductMemberInput"), responses: [
            "201": ok("The membership.", "Member"), "409": error("`product_owner_exists` or `already_member`."),
        ])],
        "/api/v1/products/{productId}/members/{userId}": ["delete": operation("Remove a stakeholder", id: "removeProductMember",
                                                                            params: [pathParam("productId"), pathParam("userId")], responses: [
            "204": noContent, "409": error("The Product Owner cannot be removed, only handed over."),
        ])],
        "/api/v1/products/{productId}/product-owner": ["put": operation("Hand the Product Owner accountability over", id: "handOverProductOwner",
                                                                      params: [pathParam("productId")], body: body("HandOver"), responses: [
            "200": ok("The product with its new Product Owner.", "Product"),
        ])],
        "/api/v1/teams/{teamId}": ["get": operation("A team and its members", id: "getTeam", params: [pathParam("teamId")], responses: [
            "200": ok("The team.", "Team"),
        ])],
        "/api/v1/teams/{teamId}/members": ["post": operation("Add a Scrum Master or Developer", id: "addTeamMember",
                                                           params: [pathParam("teamId")], body: body("TeamMemberInput"), responses: [
            "201": ok("The membership.", "Member"), "409": error("`already_member` or `scrum_master_exists`."),
        ])],
        "/api/v1/teams/{teamId}/members/{userId}": ["delete": operation("Remove a team member", id: "removeTeamMember",
                                                                      params: [pathParam("teamId"), pathParam("userId")], responses: ["204": noContent])],
    ]

    static let document: JSONValue = [
        "openapi": "3.1.0",
        "info": [
            "title": "Tandem API", "version": "1.0.0",
            "description": "The Scrum workspace built around the Product Owner and Scrum Master partnership. Errors share one shape: {error: {code, message, field?}}.",
        ],
        "servers": [["url": "/"]],
        "paths": .object(paths.merging(backlogPaths) { first, _ in first }),
        "components": [
            "schemas": .object(schemas.merging(backlogSchemas) { first, _ in first }),
            "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/sessions or POST /api/v1/tokens."]],
        ],
    ]
}
