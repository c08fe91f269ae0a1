import Foundation
import Hummingbird
import TandemCore

/// `/api/v1/products/{id}/export`: the whole product as one JSON document, streamed.
struct InteropAPI: Sendable {
    let export: ProductExport

    /// The table of contents: each route and the handler that answers it (under "Handlers").
    func register(on api: RouterGroup<TandemRequestContext>) {
        api.get("products/:productId/export", use: exportProduct)
    }
}

// MARK: Handlers

extension InteropAPI {
    @Sendable func exportProduct(_ request: Request, context context: TandemRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        let productID = try context.parameter("productId")
        try await export.authorize(productID: productID, userID: identity.user.id)
        let headers: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .cacheControl: "private, no-store",
            .contentDisposition: "attachment; filename=\"tandem-export-\(productID).json\"",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await export.write(productID: productID) { bytes in try await writer.write(ByteBuffer(bytes: bytes)) }
            try await writer.finish(nil)
        })
    }
}

/// The export in the OpenAPI document.
extension OpenAPIDocument {
    static let interopSchemas: [String: JSONValue] = [
        "ProductExport": [
            "type": "object",
            "description": "Every table of the product under its camelCase name (`items` for the backlog), each an array of its rows with their stored values; `product` is the product's row, `changes` the change stream, `people` the people the rows name.",
            "properties": [
                "format": ["type": "string", "const": "tandem-export"], "version": ["type": "integer", "const": 1], "exportedAt": dateTime,
                "product": ["type": "object"], "items": ["type": "array", "items": ["type": "object"]], "sprints": ["type": "array", "items": ["type": "object"]],
                "changes": ["type": "array", "items": ["type": "object"]],
                "people": ["type": "array", "items": object(["id": string, "email": string, "displayName": string], required: ["id", "email", "displayName"])],
            ],
            "required": ["format", "version", "exportedAt", "product", "items", "sprints", "changes", "people"],
        ],
    ]

    static let interopPaths: [String: JSONValue] = [
        "/api/v1/products/{productId}/export": ["get": operation(
            "The whole product as one JSON document (Product Owner): items with ranks, teams, sprints with their records, events, partnership, forecasts and the change stream; what members may not see yet stays out. Streamed.",
            id: "exportProduct", params: [pathParam("productId")], responses: ["200": ok("The document.", "ProductExport")]
        )],
    ]
}
