import TandemCore

/// The Product Backlog part of the OpenAPI document.
extension OpenAPIDocument {
    static let nullableNumber: JSONValue = ["type": ["number", "null"]]
    static let nullableInteger: JSONValue = ["type": ["integer", "null"]]
    /// Enumerations come from the Swift enums, so a new case reaches the document by itself.
    static func enumeration<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> JSONValue where E.RawValue == String {
        ["type": "string", "enum": .array(E.allCases.map { .string($0.rawValue) })]
    }
    static let kind = enumeration(ItemKind.self)
    static let status = enumeration(ItemStatus.self)
    static let refinement = enumeration(RefinementLevel.self)
    static let valueInput = InputRules.wsjfInput.schema(nullable: true)
    static let longText = InputRules.longText.schema
    static let itemName: JSONValue = ["type": "string", "minLength": 1, "maxLength": 200]
    static let placeProperties: [String: JSONValue] = ["before": itemName, "after": itemName, "to": ["type": "string", "enum": ["top", "bottom"]]]
    /// Exactly one of the three keys with a value (null counts as left out), as `PositionDTO.parse` demands.
    static let exactlyOnePlace: JSONValue = .array(["before", "after", "to"].map { key in
        ["required": [.string(key)], "properties": [key: ["type": "string"]]]
    })
    static let position: JSONValue = [
        "type": "object",
        "description": "Exactly one of before, after (an item id or reference) or to (top or bottom).",
        "properties": .object(placeProperties), "oneOf": exactlyOnePlace,
    ]
    /// The same as a request sends it: a key may be null, which counts as left out.
    static let positionInput: JSONValue = [
        "type": "object", "description": "Exactly one of before, after (an item id or reference) or to (top or bottom).",
        "properties": .object(placeProperties.mapValues(nullable)), "oneOf": exactlyOnePlace,
    ]
    static func list(_ item: String) -> JSONValue {
        object(["items": ["type": "array", "items": ref(item)], "nextCursor": nullableString], required: ["items", "nextCursor"])
    }
    static func queryParam(_ name: String, _ description: String, schema: JSONValue = ["type": "string"]) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": schema]
    }

    static let backlogSchemas: [String: JSONValue] = [
        "ItemRef": object(["id": string, "ref": string, "title": string, "status": status], required: ["id", "ref", "title", "status"]),
        "Warning": object(["code": string, "message": string, "blockerId": nullableString, "blockerRef": nullableString], required: ["code", "message"]),
        "Item": object([
            "id": string, "ref": string, "productId": string, "title": string, "kind": kind, "status": status, "refinement": refinement,
            "estimate": nullableNumber, "rank": string, "version": version, "productGoalId": nullableString, "releaseId": nullableString,
            "warnings": ["type": "array", "items": ref("Warning")],
            "description": string, "acceptanceCriteria": string, "readiness": ["type": "array", "items": ["type": "boolean"]],
            "businessValue": nullableInteger, "timeCriticality": nullableInteger, "riskReduction": nullableInteger, "wsjf": nullableNumber,
            "parentId": nullableString, "declineReason": nullableString,
            "sprintId": nullableString, "workState": nullable(enumeration(WorkState.self)), "doneChecks": ["type": "array", "items": ["type": "boolean"]],
            "assigneeId": nullableString,
            "blockedBy": ["type": "array", "items": ref("ItemRef")], "blocks": ["type": "array", "items": ref("ItemRef")],
            "createdBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "createdAt": dateTime, "updatedAt": dateTime,
        ], required: ["id", "ref", "title", "kind", "status", "refinement", "estimate", "rank", "version", "warnings", "createdAt", "updatedAt"]),
        "ItemList": list("Item"),
        "Items": object(["items": ["type": "array", "items": ref("Item")]], required: ["items"]),
        "NewItem": input([
            "title": InputRules.title.schema, "kind": kind,
            "description": longText, "acceptanceCriteria": longText,
            "estimate": ["type": "number", "enum": [0, 1, 2, 3, 5, 8, 13, 20, 40, 100]], "parentId": string, "position": positionInput,
            "productGoalId": string, "releaseId": string,
            "refinement": refinement, "businessValue": valueInput, "timeCriticality": valueInput, "riskReduction": valueInput,
        ], required: ["title", "kind"]),
        "ItemChange": [
            "type": "object", "required": ["version"],
            "description": "Only the fields sent change; null clears an optional one. `version` (or If-Match) must be the current version.",
            "properties": [
                "version": version, "title": InputRules.title.schema, "kind": kind,
                "description": longText, "acceptanceCriteria": longText,
                "estimate": ["type": ["number", "null"], "enum": [0, 1, 2, 3, 5, 8, 13, 20, 40, 100, .null]],
                "parentId": nullableString, "productGoalId": nullableString, "releaseId": nullableString, "refinement": refinement, "readiness": ["type": "array", "items": ["type": "boolean"]],
                "businessValue": valueInput, "timeCriticality": valueInput, "riskReduction": valueInput,
                "status": ["type": "string", "enum": ["open", "planned", "done"]],
                "workState": enumeration(WorkState.self), "doneChecks": ["type": "array", "items": ["type": "boolean"]],
                "assigneeId": ["type": ["string", "null"], "description": "Who took it: a Developer of the team whose sprint holds the item (422 `not_in_sprint` outside a sprint, `not_a_developer` for anyone else); any of the team's Developers or its Scrum Master sets it."],
            ],
        ],
        "Move": [
            "type": "object", "required": ["version"], "description": "Exactly one of before, after or to, and the version last seen (or If-Match).",
            "properties": .object(placeProperties.mapValues(nullable).merging(["version": version]) { $1 }), "oneOf": exactlyOnePlace,
        ],
        "ProposalInput": [
            "type": "object", "required": ["rationale"], "description": "Exactly one of before, after or to, and why.",
            "properties": .object(placeProperties.mapValues(nullable).merging(["rationale": InputRules.rationale.schema]) { $1 }), "oneOf": exactlyOnePlace,
        ],
        "Proposal": object([
            "id": string, "productId": string, "itemId": string, "item": ref("ItemRef"), "proposer": ["oneOf": [ref("PersonRef"), ["type": "null"]]],
            "position": position, "anchor": ["oneOf": [ref("ItemRef"), ["type": "null"]]], "rationale": string,
            "state": enumeration(ProposalState.self),
            "decidedBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "decisionNote": nullableString,
            "createdAt": dateTime, "decidedAt": ["type": ["string", "null"]],
        ], required: ["id", "itemId", "position", "rationale", "state", "decisionNote"]),
        "ProposalList": list("Proposal"),
        "Note": input(["note": InputRules.note.schema], required: []),
        "DeclineNote": object(["note": InputRules.declineNote.schema], required: ["note"]),
        "Reason": object(["reason": InputRules.reason.schema], required: ["reason"]),
        "ReopenNote": object(["note": InputRules.reopenNote.schema], required: ["note"]),
        "Reorder": [
            "type": "object", "description": "Either `basis: wsjf` alone, or `itemIds` in the wanted order (`basis: manual` may be said).",
            "properties": [
                "itemIds": nullable(["type": "array", "items": itemName, "minItems": 2, "uniqueItems": true]),
                "basis": nullable(["type": "string", "enum": ["wsjf", "manual"]]), "note": nullable(InputRules.note.schema),
            ],
            "oneOf": [
                ["required": ["itemIds"], "properties": ["itemIds": ["type": "array"], "basis": ["enum": ["manual", .null]]]],
                ["required": ["basis"], "properties": ["basis": ["const": "wsjf"], "itemIds": ["type": "null"]]],
            ],
        ],
        "DelegatesInput": object(["userIds": ["type": "array", "items": string]], required: ["userIds"]),
        "Delegates": object(["userIds": ["type": "array", "items": string], "delegates": ["type": "array", "items": ref("PersonRef")]], required: ["userIds", "delegates"]),
        "DefinitionOfReady": object(["items": ["type": "array", "items": InputRules.definitionOfReadyItem.schema, "maxItems": .number(Double(InputRules.definitionOfReadyEntries)), "uniqueItems": true]], required: ["items"]),
        "Points": object(["points": ["type": "number", "enum": [0, 1, 2, 3, 5, 8, 13, 20, 40, 100]]], required: ["points"]),
        "EstimationRound": object([
            "id": string, "itemId": string, "state": enumeration(EstimationRoundState.self),
            "openedBy": ["oneOf": [ref("PersonRef"), ["type": "null"]]],
            "votes": ["type": "array", "items": object(["user": ref("PersonRef"), "voted": ["type": "boolean"], "points": nullableNumber], required: ["user", "voted", "points"])],
            "waitingFor": ["type": "array", "items": ref("PersonRef")], "notVoted": ["type": "array", "items": ref("PersonRef")],
            "spread": ["oneOf": [object([
                "min": ["type": "number"], "max": ["type": "number"], "median": ["type": "number"], "consensus": ["type": "boolean"],
                "suggestedEstimate": ["type": "number"], "wideSpread": ["type": "boolean"],
            ], required: ["min", "max", "median", "consensus", "suggestedEstimate", "wideSpread"]), ["type": "null"]]],
            "agreedEstimate": nullableNumber, "scale": ["type": "array", "items": ["type": "number"]],
            "createdAt": dateTime, "revealedAt": ["type": ["string", "null"]], "closedAt": ["type": ["string", "null"]],
        ], required: ["id", "itemId", "state", "votes", "spread"]),
        "EstimationRoundList": list("EstimationRound"),
        "Agreed": object(["round": ref("EstimationRound"), "item": ref("Item")], required: ["round", "item"]),
        "DependencyInput": object(["blockedBy": string], required: ["blockedBy"]),
        "Dependency": object(["itemId": string, "blockedBy": ref("ItemRef"), "item": ref("Item")], required: ["itemId", "blockedBy", "item"]),
        "DependencyGraph": object([
            "nodes": ["type": "array", "items": object(["id": string, "ref": string, "title": string, "status": status, "refinement": refinement, "rank": string], required: ["id", "ref"])],
            "edges": ["type": "array", "items": object(["itemId": string, "blockedBy": string], required: ["itemId", "blockedBy"])],
        ], required: ["nodes", "edges"]),
        "Activity": object([
            "id": string, "action": string, "actor": ["oneOf": [ref("PersonRef"), ["type": "null"]]], "subjectType": string, "subjectId": string,
            "detail": [:], "createdAt": dateTime,
        ], required: ["id", "action", "createdAt"]),
        "ActivityList": list("Activity"),
    ]

    static let product = pathParam("productId")
    static let item = pathParam("itemId")
    static let round = pathParam("roundId")
    static let ifMatch: JSONValue = [
        "name": "If-Match", "in": "header", "required": false, "description": "The version last seen, instead of `version` in the body.",
        "schema": ["type": "string", "pattern": "^(W/)?\"?[1-9][0-9]{0,15}\"?$"],
    ]
    /// From an item to what can be done with it next: read it, change it, move it, propose, block, estimate.
    static let itemLinks: [String: (operation: String, parameters: [String: String])] = [
        "GetItem": ("getItem", ["itemId": "$response.body#/id"]),
        "UpdateItem": ("updateItem", ["itemId": "$response.body#/id", "header.If-Match": "$response.body#/version"]),
        "MoveItem": ("moveItem", ["itemId": "$response.body#/id", "header.If-Match": "$response.body#/version"]),
        "ProposeMove": ("proposeMove", ["itemId": "$response.body#/id"]),
        "GetItemActivity": ("getItemActivity", ["itemId": "$response.body#/id"]),
        "GetItemPartnership": ("getItemPartnership", ["itemId": "$response.body#/id"]),
        "AddDependency": ("addDependency", ["itemId": "$response.body#/id"]),
        "OpenEstimationRound": ("openEstimationRound", ["itemId": "$response.body#/id"]),
        "DeclineItem": ("declineItem", ["itemId": "$response.body#/id"]),
        "ReopenItem": ("reopenItem", ["itemId": "$response.body#/id"]),
    ]
    static let conflict = error("Stale version (`version_conflict`, with `current`) or another conflict.")

    static let backlogPaths: [String: JSONValue] = [
        "/api/v1/products/{productId}/items": ["post": operation("Create a backlog item (at the bottom unless the Product Owner places it)", id: "createItem",
                                                                params: [product], body: body("NewItem", example: ["title": "Export the sprint report as PDF", "kind": "story", "estimate": 3, "position": ["to": "top"]]), responses: ["201": ok("The item.", "Item", links: itemLinks)])],
        "/api/v1/products/{productId}/backlog": ["get": operation("The Product Backlog in order; with `Accept: text/csv`, every item the filters match as a spreadsheet-ready CSV (UTF-8 with BOM, formula-looking cells neutralised)", id: "getBacklog", params: [product, limitParam, cursorParam(.backlog)] + [
            queryParam("status", "Comma-separated; default open,planned.", schema: QueryFilter.schema(list: ItemStatus.self)),
            queryParam("refinement", "Comma-separated refinement levels.", schema: QueryFilter.schema(list: RefinementLevel.self)),
            queryParam("kind", "Comma-separated kinds.", schema: QueryFilter.schema(list: ItemKind.self)),
            queryParam("q", "Searches title, description and reference."),
            queryParam("productGoalId", "Only items serving this Product Goal; empty for all."),
            queryParam("releaseId", "Only items of this release; empty for all."),
            queryParam("sort", "rank (default) or wsjf.", schema: QueryFilter.schema(one: BacklogSort.self)),
            ["name": "If-None-Match", "in": "header", "required": false, "description": "The ETag of an earlier answer: 304 when nothing changed; any other value is no match.",
             "schema": ["type": "string"]],
        ], responses: [
            "200": ["description": "A page of items, with an ETag (JSON); or the whole filtered backlog as CSV.",
                    "content": ["application/json": ["schema": ref("ItemList")], "text/csv": ["schema": ["type": "string"]]]],
            "304": ["description": "Nothing the answer depends on changed since the ETag in If-None-Match."],
        ])],
        "/api/v1/products/{productId}/backlog/reorder": ["post": operation("Apply an order to many items at once (one decision)", id: "reorderBacklog",
                                                                          params: [product], body: body("Reorder", example: ["basis": "wsjf", "note": "Quarterly WSJF session"]), responses: ["200": ok("The reordered items in their new order.", "Items")])],
        "/api/v1/products/{productId}/dependencies": ["get": operation("The dependency graph", id: "getDependencies", params: [product],
                                                                      responses: ["200": ok("Nodes and blocked-by edges.", "DependencyGraph")])],
        "/api/v1/products/{productId}/proposals": ["get": operation("Ordering proposals", id: "listProposals", params: [
            product, queryParam("state", "open, accepted or declined; empty or left out for all.", schema: QueryFilter.schema(one: ProposalState.self)),
        ], responses: ["200": ok("Proposals, oldest first.", "ProposalList")])],
        "/api/v1/products/{productId}/ordering-delegates": [
            "get": operation("Who the Product Owner delegated ordering to", id: "getOrderingDelegates", params: [product], responses: ["200": ok("The delegates.", "Delegates")]),
            "put": operation("Replace the ordering delegates (Product Owner only)", id: "setOrderingDelegates", params: [product], body: body("DelegatesInput"),
                             responses: ["200": ok("The delegates.", "Delegates")]),
        ],
        "/api/v1/products/{productId}/definition-of-ready": [
            "get": operation("The Definition of Ready", id: "getDefinitionOfReady", params: [product], responses: ["200": ok("The checklist.", "DefinitionOfReady")]),
            "put": operation("Set the Definition of Ready", id: "setDefinitionOfReady", params: [product], body: body("DefinitionOfReady"),
                             responses: ["200": ok("The checklist.", "DefinitionOfReady")]),
        ],
        "/api/v1/products/{productId}/definition-of-done": [
            "get": operation("The Definition of Done", id: "getDefinitionOfDone", params: [product], responses: ["200": ok("The checklist.", "DefinitionOfReady")]),
            "put": operation("Set the Definition of Done (Product Owner)", id: "setDefinitionOfDone", params: [product], body: body("DefinitionOfReady"),
                             responses: ["200": ok("The checklist.", "DefinitionOfReady")]),
        ],
        "/api/v1/items/{itemId}": [
            "get": operation("An item, by id or reference", id: "getItem", params: [item], responses: ["200": ok("The item.", "Item")]),
            "patch": operation("Change an item", id: "updateItem", params: [item, ifMatch], body: body("ItemChange", example: ["version": 1, "title": "Export the sprint report as PDF and CSV", "estimate": 5]), responses: [
                "200": ok("The item.", "Item", links: itemLinks), "409": conflict,
            ]),
            "delete": operation("Delete an item (Product Owner only; kept in the activity log)", id: "deleteItem", params: [item],
                                responses: ["204": noContent, "409": error("The item is in a planned or running sprint (`in_sprint`).")]),
        ],
        "/api/v1/items/{itemId}/activity": ["get": operation("An item's history", id: "getItemActivity", params: [item],
                                                            responses: ["200": ok("Newest first.", "ActivityList")])],
        "/api/v1/items/{itemId}/move": ["post": operation("Move an item (Product Owner and delegates)", id: "moveItem", params: [item, ifMatch], body: body("Move", example: ["to": "top", "version": 1]),
                                                         responses: ["200": ok("The moved item.", "Item", links: itemLinks), "409": conflict])],
        "/api/v1/items/{itemId}/decline": ["post": operation("Say no to an item, with a reason (Product Owner only)", id: "declineItem", params: [item],
                                                            body: body("Reason", example: ["reason": "It does not serve the Product Goal."]), responses: ["200": ok("The declined item.", "Item"), "409": conflict])],
        "/api/v1/items/{itemId}/reopen": ["post": operation("Take back a no: the declined item returns at the bottom, open (Product Owner only)", id: "reopenItem",
                                                          params: [item], body: body("ReopenNote", example: ["note": "The new Product Goal needs it after all."]),
                                                          responses: ["200": ok("The reopened item.", "Item", links: itemLinks), "409": error("The item is not declined (`not_declined`).")])],
        "/api/v1/proposals/{proposalId}/withdraw": ["post": operation("Withdraw your own open proposal", id: "withdrawProposal",
                                                                     params: [pathParam("proposalId")],
                                                                     responses: ["200": ok("The withdrawn proposal.", "Proposal"), "409": conflict])],
        "/api/v1/items/{itemId}/proposals": ["post": operation("Propose a move to the Product Owner", id: "proposeMove", params: [item],
                                                              body: body("ProposalInput", example: ["to": "top", "rationale": "Three customers are waiting for it."]), responses: ["201": ok("The open proposal.", "Proposal", links: [
                "AcceptProposal": ("acceptProposal", ["proposalId": "$response.body#/id"]),
                "DeclineProposal": ("declineProposal", ["proposalId": "$response.body#/id"]),
                "WithdrawProposal": ("withdrawProposal", ["proposalId": "$response.body#/id"]),
            ])])],
        "/api/v1/items/{itemId}/dependencies": ["post": operation("Record that the item is blocked by another", id: "addDependency", params: [item],
                                                                 body: body("DependencyInput"), responses: [
            "201": ok("The dependency.", "Dependency", links: [
                "RemoveDependency": ("removeDependency", ["itemId": "$response.body#/itemId", "blockerId": "$response.body#/blockedBy/id"]),
            ]), "409": error("The dependency exists."),
            "422": error("A cycle (`dependency_cycle` with `path`), another product, or a bad field."),
        ])],
        "/api/v1/items/{itemId}/dependencies/{blockerId}": ["delete": operation("Remove a dependency", id: "removeDependency",
                                                                               params: [item, pathParam("blockerId")], responses: ["204": noContent])],
        "/api/v1/items/{itemId}/estimation-rounds": [
            "post": operation("Open a planning-poker round", id: "openEstimationRound", params: [item], responses: [
                "201": ok("The round.", "EstimationRound", links: [
                "GetEstimationRound": ("getEstimationRound", ["itemId": "$response.body#/itemId", "roundId": "$response.body#/id"]),
                "Vote": ("vote", ["itemId": "$response.body#/itemId", "roundId": "$response.body#/id"]),
                "RevealEstimationRound": ("revealEstimationRound", ["itemId": "$response.body#/itemId", "roundId": "$response.body#/id"]),
            ]), "409": error("A round is already in progress (`round_open`)."),
            ]),
            "get": operation("The item's rounds", id: "listEstimationRounds", params: [item], responses: ["200": ok("Newest first.", "EstimationRoundList")]),
        ],
        "/api/v1/items/{itemId}/estimation-rounds/{roundId}": ["get": operation("A round; points are hidden until revealed", id: "getEstimationRound",
                                                                               params: [item, round], responses: ["200": ok("The round.", "EstimationRound")])],
        "/api/v1/items/{itemId}/estimation-rounds/{roundId}/vote": ["put": operation("Vote privately (Developers)", id: "vote", params: [item, round],
                                                                                    body: body("Points", example: ["points": 5]), responses: ["200": ok("The round.", "EstimationRound"), "409": conflict])],
        "/api/v1/items/{itemId}/estimation-rounds/{roundId}/reveal": ["post": operation("Reveal the votes (opener or Scrum Master)", id: "revealEstimationRound",
                                                                                       params: [item, round], responses: ["200": ok("The round with votes and spread.", "EstimationRound"), "409": conflict])],
        "/api/v1/items/{itemId}/estimation-rounds/{roundId}/agree": ["post": operation("Record the agreed estimate", id: "agreeEstimate", params: [item, round],
                                                                                      body: body("Points"), responses: ["200": ok("The closed round and the item.", "Agreed"), "409": conflict])],
        "/api/v1/proposals/{proposalId}/accept": ["post": operation("Accept a proposal and perform the move (Product Owner only)", id: "acceptProposal",
                                                                   params: [pathParam("proposalId")],
                                                                   body: ["required": false, "content": json(ref("Note"))],
                                                                   responses: ["200": ok("The accepted proposal.", "Proposal"), "409": conflict])],
        "/api/v1/proposals/{proposalId}/decline": ["post": operation("Decline a proposal with a note (Product Owner only)", id: "declineProposal",
                                                                    params: [pathParam("proposalId")], body: body("DeclineNote", example: ["note": "The release goal comes first."]),
                                                                    responses: ["200": ok("The declined proposal.", "Proposal"), "409": conflict])],
    ]
}
