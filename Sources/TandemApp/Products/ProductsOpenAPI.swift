import TandemCore

/// Products, teams and their members in the OpenAPI document.
extension OpenAPIDocument {
    static let productSchemas: [String: JSONValue] = changeSchemas.merging([
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
    ]) { $1 }

    /// The change stream's schemas, built from `ChangeType`: one variant per kind, told apart by `type`, its `data`
    /// typed field by field as the kind declares it, so the document and the log cannot disagree.
    static var changeSchemas: [String: JSONValue] {
        func schemaName(_ type: ChangeType) -> String { "Change." + type.rawValue }
        func fieldSchema(_ field: ChangeField) -> JSONValue {
            let type: JSONValue = .string(field.type.rawValue == "boolean" ? "boolean" : field.type.rawValue)
            return ["type": field.nullable ? .array([type, "null"]) : type]
        }
        var schemas: [String: JSONValue] = [:]
        for type in ChangeType.allCases {
            schemas[schemaName(type)] = object([
                "seq": ["type": "integer", "minimum": 1], "type": ["type": "string", "const": .string(type.rawValue)], "at": dateTime,
                "actor": ["oneOf": [ref("PersonRef"), ["type": "null"]]],
                "subject": object(["type": string, "id": string, "ref": ["type": ["string", "null"]]], required: ["type", "id"]),
                "data": ["type": "object", "properties": .object(Dictionary(uniqueKeysWithValues: type.fields.map { ($0.name, fieldSchema($0)) }))],
            ], required: ["seq", "type", "at", "actor", "subject", "data"])
        }
        schemas["Change"] = [
            "oneOf": .array(ChangeType.allCases.map { ref(schemaName($0)) }),
            "discriminator": ["propertyName": "type", "mapping": .object(Dictionary(uniqueKeysWithValues: ChangeType.allCases.map {
                ($0.rawValue, JSONValue.string("#/components/schemas/" + schemaName($0)))
            }))],
        ]
        schemas["ChangePage"] = object(["items": ["type": "array", "items": ref("Change")], "latestSeq": ["type": "integer", "minimum": 0]], required: ["items", "latestSeq"])
        return schemas
    }

    static let productPaths: [String: JSONValue] = [
        "/api/v1/products/{productId}/changes": ["get": operation(
            "The product's changes in number order, from after `after`: each numbered 1, 2, 3 … without gaps in commit order, typed, and carrying only what every member may see",
            id: "listChanges",
            params: [pathParam("productId"), limitParam, queryParam("after", "The last number you have (default 0: from the start); beyond the latest gives no items.",
                                                                     schema: ["type": "integer", "minimum": 0, "maximum": 9_007_199_254_740_991])],
            responses: ["200": ok("A page of changes and the latest number.", "ChangePage")]
        )],
        "/api/v1/products/{productId}/events": ["get": operation(
            "The product's changes live, as Server-Sent Events (`text/event-stream`): `id:` the change's number, `event:` its type, `data:` the change as listChanges gives it; a comment every 15 s. With `Last-Event-ID` (or `after`) it first replays every change after that number; a number past the latest sends one `reset` event and ends. The stream ends when the caller is no longer a member or their session or token ends",
            id: "streamEvents",
            params: [
                pathParam("productId"),
                queryParam("after", "Resume after this change number (as `Last-Event-ID`); absent: from now.", schema: ["type": "integer", "minimum": 0, "maximum": 9_007_199_254_740_991]),
                ["name": "Last-Event-ID", "in": "header", "required": false, "description": "The last change number the client has (browsers send it when they reconnect).",
                 "schema": ["type": "string", "pattern": "^[0-9]{1,16}$"]],
            ],
            responses: [
                "200": ["description": "The event stream; it stays open.", "content": ["text/event-stream": ["schema": ["type": "string"]]]],
                "429": error("The caller has as many streams open as they may (`too_many_streams`)."),
                "503": error("The server holds as many streams as it may (`too_many_streams`); `Retry-After` says when to try again."),
            ]
        )],
        "/api/v1/products": [
            "get": operation("Products the caller belongs to", id: "listProducts", params: [limitParam, cursorParam(.offset)], responses: ["200": ok("A page of products.", "ProductList")]),
            "post": operation("Create a product; the caller becomes its Product Owner", id: "createProduct", body: body("ProductInput", example: ["name": "Orbit", "key": "ORB"]), responses: [
                "201": ok("The product.", "Product", links: [
                "GetProduct": ("getProduct", ["productId": "$response.body#/id"]),
                "CreateTeam": ("createTeam", ["productId": "$response.body#/id"]),
                "CreateItem": ("createItem", ["productId": "$response.body#/id"]),
                "GetBacklog": ("getBacklog", ["productId": "$response.body#/id"]),
                "AddProductMember": ("addProductMember", ["productId": "$response.body#/id"]),
                "GetPartnership": ("getPartnership", ["productId": "$response.body#/id"]),
                "Forecast": ("forecast", ["productId": "$response.body#/id"]),
                "GetForecastJournal": ("getForecastJournal", ["productId": "$response.body#/id"]),
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
                "GetVelocity": ("getVelocity", ["teamId": "$response.body#/id"]),
                "GetVelocityChart": ("getVelocityChart", ["teamId": "$response.body#/id"]),
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

/// The vision and the Product Goals in the OpenAPI document.
extension OpenAPIDocument {
    static let directionSchemas: [String: JSONValue] = [
        "VisionInput": object([
            "statement": InputRules.visionStatement.schema, "targetGroup": InputRules.visionPart.schema, "needs": InputRules.visionPart.schema,
            "product": InputRules.visionPart.schema, "businessGoals": InputRules.visionPart.schema,
        ], required: ["statement", "targetGroup", "needs", "product", "businessGoals"]),
        "Vision": object([
            "productId": string, "version": ["type": "integer"], "statement": string, "targetGroup": string, "needs": string, "product": string,
            "businessGoals": string, "updatedBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "updatedAt": dateTime,
        ], required: ["productId", "version", "statement", "targetGroup", "needs", "product", "businessGoals", "updatedAt"]),
        "VisionHistory": object([
            "current": ["oneOf": [ref("Vision"), ["type": "null"]]], "versions": ["type": "array", "items": ref("Vision")],
        ], required: ["current", "versions"]),
        "ProductGoalInput": input(["statement": InputRules.goalStatement.schema, "measure": InputRules.goalMeasure.schema], required: ["statement"]),
        "GoalNote": object(["note": InputRules.goalNote.schema], required: ["note"]),
        "ProductGoal": object([
            "id": string, "productId": string, "statement": string, "measure": nullableString, "state": enumeration(ProductGoalState.self),
            "note": nullableString, "createdBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "createdAt": dateTime,
            "closedBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "closedAt": ["type": ["string", "null"]],
        ], required: ["id", "productId", "statement", "state", "createdAt"]),
        "ReleaseInput": input(["name": name, "targetDate": InputRules.calendarDate.schema], required: ["name"]),
        "Release": object([
            "id": string, "productId": string, "name": string, "targetDate": ["type": ["string", "null"]], "state": enumeration(ReleaseState.self),
            "releasedOn": ["type": ["string", "null"]], "releasedBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "createdAt": dateTime,
        ], required: ["id", "productId", "name", "targetDate", "state", "releasedOn", "createdAt"]),
        "ReleaseList": object(["items": ["type": "array", "items": ref("Release")], "nextCursor": nullableString], required: ["items", "nextCursor"]),
        "ProductGoalList": object(["items": ["type": "array", "items": ref("ProductGoal")], "nextCursor": nullableString], required: ["items", "nextCursor"]),
    ]

    static let directionPaths: [String: JSONValue] = [
        "/api/v1/products/{productId}/vision": [
            "get": operation("The Product Vision Board and its earlier versions", id: "getVision", params: [pathParam("productId")],
                             responses: ["200": ok("The current vision (null before one is written) and every version, newest first.", "VisionHistory")]),
            "put": operation("Write a new version of the vision (Product Owner only)", id: "setVision", params: [pathParam("productId")],
                             body: body("VisionInput", example: [
                                 "statement": "Make the Product Owner and Scrum Master partnership visible", "targetGroup": "Scrum teams",
                                 "needs": "See what each accountability owes the other", "product": "A self-hosted Scrum workspace",
                                 "businessGoals": "Teams that keep their Sprint Goals",
                             ]),
                             responses: ["200": ok("The new version.", "Vision")]),
        ],
        "/api/v1/products/{productId}/product-goals": [
            "get": operation("The Product Goals, the active one first", id: "listProductGoals", params: [pathParam("productId")],
                             responses: ["200": ok("The goals with their history.", "ProductGoalList")]),
            "post": operation("Set the next Product Goal (Product Owner only; one active at a time)", id: "createProductGoal", params: [pathParam("productId")],
                              body: body("ProductGoalInput", example: ["statement": "Teams plan with honest forecasts", "measure": "Half the teams use the forecast"]),
                              responses: [
                                  "201": ok("The goal.", "ProductGoal", links: [
                                      "AchieveProductGoal": ("achieveProductGoal", ["goalId": "$response.body#/id"]),
                                      "AbandonProductGoal": ("abandonProductGoal", ["goalId": "$response.body#/id"]),
                                  ]),
                                  "422": error("A bad field, or another goal is active (`active_goal_exists`)."),
                              ]),
        ],
        "/api/v1/products/{productId}/releases": [
            "get": operation("The releases: planned ones by target date, then the released ones", id: "listReleases", params: [pathParam("productId")],
                             responses: ["200": ok("The releases.", "ReleaseList")]),
            "post": operation("Plan a release (Product Owner only)", id: "createRelease", params: [pathParam("productId")],
                              body: body("ReleaseInput", example: ["name": "1.0", "targetDate": "2027-03-31"]),
                              responses: [
                                  "201": ok("The release.", "Release", links: [
                                      "MarkReleased": ("markReleased", ["releaseId": "$response.body#/id"]),
                                      "GetBurnup": ("getBurnup", ["releaseId": "$response.body#/id"]),
                                      "GetBurnupChart": ("getBurnupChart", ["releaseId": "$response.body#/id"]),
                                  ]),
                                  "409": error("The product has a release of that name (`release_name_taken`)."),
                              ]),
        ],
        "/api/v1/releases/{releaseId}/release": ["post": operation("Mark a release released today (Product Owner only)", id: "markReleased",
                                                                  params: [pathParam("releaseId")],
                                                                  responses: ["200": ok("The release.", "Release"), "409": error("Already released (`already_released`).")])],
        "/api/v1/product-goals/{goalId}/achieve": ["post": operation("Mark the active goal achieved (Product Owner only)", id: "achieveProductGoal",
                                                                     params: [pathParam("goalId")], body: body("GoalNote", example: ["note": "Reached in sprint 12"]),
                                                                     responses: ["200": ok("The goal.", "ProductGoal"), "409": error("Already achieved or abandoned (`goal_closed`).")])],
        "/api/v1/product-goals/{goalId}/abandon": ["post": operation("Abandon the active goal (Product Owner only)", id: "abandonProductGoal",
                                                                     params: [pathParam("goalId")], body: body("GoalNote", example: ["note": "The market moved"]),
                                                                     responses: ["200": ok("The goal.", "ProductGoal"), "409": error("Already achieved or abandoned (`goal_closed`).")])],
    ]
}
