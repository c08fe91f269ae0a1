import TandemCore

/// Products, teams and their members in the OpenAPI document.
extension OpenAPIDocument {
    static let productSchemas: [String: JSONValue] = [
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
    ]

    static let productPaths: [String: JSONValue] = [
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
}
