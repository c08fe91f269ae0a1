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

    /// The schemas every operation shares: the error shape, a person as others see them, the health answer.
    static let sharedSchemas: [String: JSONValue] = [
        "Error": object([
            "error": object(["code": string, "message": string, "field": string], required: ["code", "message"]),
        ], required: ["error"]),
        "PersonRef": object(["id": string, "displayName": string], required: ["id", "displayName"]),
        "Health": object(["status": string, "database": ["type": "string", "enum": ["sqlite", "postgres"]]], required: ["status", "database"]),
    ]

    /// Assembles the document from the parts each feature declares.
    static func document(paths parts: [[String: JSONValue]], schemas schemaParts: [[String: JSONValue]]) -> JSONValue {
        let paths = parts.reduce(into: [String: JSONValue]()) { all, part in all.merge(part) { first, _ in first } }
        let schemas = schemaParts.reduce(into: sharedSchemas) { all, part in all.merge(part) { first, _ in first } }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "Tandem API", "version": "1.0.0",
                "description": "The Scrum workspace built around the Product Owner and Scrum Master partnership. Errors share one shape: {error: {code, message, field?}}.",
            ],
            "servers": [["url": "/"]],
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/sessions or POST /api/v1/tokens."]],
            ],
        ]
    }
}
