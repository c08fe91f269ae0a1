import TandemCore

/// Webhooks in the OpenAPI document.
extension OpenAPIDocument {
    static let webhookSchemas: [String: JSONValue] = [
        "Webhook": object([
            "id": string, "productId": string, "url": string, "events": ["type": "array", "items": string], "active": ["type": "boolean"],
            "createdAt": dateTime, "updatedAt": dateTime, "deliveredThroughSeq": ["type": "integer", "minimum": 0],
            "failingSince": ["type": ["string", "null"], "format": "date-time"], "nextAttemptAt": ["type": ["string", "null"], "format": "date-time"],
            "deactivatedReason": nullableString, "previousSecretValidUntil": ["type": ["string", "null"], "format": "date-time"],
            "secret": ["type": "string", "description": "Only in the answer that created the hook or rotated its secret."],
        ], required: ["id", "productId", "url", "events", "active", "createdAt", "updatedAt", "deliveredThroughSeq"]),
        "WebhookList": object(["items": ["type": "array", "items": ref("Webhook")], "nextCursor": nullableString], required: ["items"]),
        "WebhookInput": input([
            "url": ["type": "string", "minLength": 1, "maxLength": .number(Double(WebhookURL.maxLength)), "description": "https (http only with TANDEM_WEBHOOKS_ALLOW_PRIVATE=1)."],
            "events": ["type": "array", "minItems": 1, "maxItems": 200, "items": ["type": "string", "enum": .array(["*"] + ChangeType.allCases.map { .string($0.rawValue) })]],
            "secret": ["type": "string", "minLength": .number(Double(WebhookService.secretRange.lowerBound)), "maxLength": .number(Double(WebhookService.secretRange.upperBound)),
                       "pattern": "^[!-~]+$"],
        ], required: ["url", "events"]),
        "WebhookPatch": input([
            "url": ["type": "string", "minLength": 1, "maxLength": .number(Double(WebhookURL.maxLength))],
            "events": ["type": "array", "minItems": 1, "maxItems": 200, "items": ["type": "string", "enum": .array(["*"] + ChangeType.allCases.map { .string($0.rawValue) })]],
            "active": ["type": "boolean"],
        ], required: []),
        "WebhookDelivery": object([
            "id": string, "deliveryId": string, "seq": ["type": "integer", "minimum": 1], "type": string, "attempt": ["type": "integer", "minimum": 1],
            "statusCode": ["type": ["integer", "null"]], "durationMs": ["type": "integer", "minimum": 0], "error": nullableString,
            "redelivery": ["type": "boolean"], "at": dateTime,
        ], required: ["id", "deliveryId", "seq", "type", "attempt", "statusCode", "durationMs", "error", "redelivery", "at"]),
        "WebhookDeliveryList": object(["items": ["type": "array", "items": ref("WebhookDelivery")], "nextCursor": nullableString], required: ["items"]),
        "WebhookRedelivery": object(["queued": ["type": "boolean"], "seq": ["type": "integer"], "deliveryId": string], required: ["queued", "seq", "deliveryId"]),
    ]

    static let webhookPaths: [String: JSONValue] = {
        let hook = [pathParam("productId"), pathParam("webhookId")]
        let refused = error("A field broke a rule; `field` names it. `webhook_address_refused`: the url is, or resolves to, a loopback, private, link-local, multicast or metadata address; `webhook_address_unresolved`: its host has no address.")
        return [
            "/api/v1/products/{productId}/webhooks": [
                "get": operation("The product's webhooks, without their secrets (Product Owner or Scrum Master)", id: "listWebhooks",
                                 params: [pathParam("productId"), limitParam, cursorParam(.offset)], responses: ["200": ok("A page of webhooks.", "WebhookList")]),
                "post": operation("Send the product's changes to a URL, signed with a secret (generated when left out and shown once)", id: "createWebhook",
                                  params: [pathParam("productId")], body: body("WebhookInput", example: ["url": "https://hooks.example.com/tandem", "events": ["item.moved", "sprint.started"]]),
                                  responses: ["201": ok("The webhook, with its secret this once.", "Webhook", links: [
                                      "ListDeliveries": ("listWebhookDeliveries", ["productId": "$response.body#/productId", "webhookId": "$response.body#/id"]),
                                  ]), "422": refused]),
            ],
            "/api/v1/products/{productId}/webhooks/{webhookId}": [
                "get": operation("One webhook, without its secret", id: "getWebhook", params: hook, responses: ["200": ok("The webhook.", "Webhook")]),
                "patch": operation("Change a webhook's url, events, or whether it is on (turning it on again resumes where it stopped)", id: "updateWebhook",
                                   params: hook, body: body("WebhookPatch"), responses: ["200": ok("The webhook.", "Webhook"), "422": refused]),
                "delete": operation("Remove a webhook and its delivery log", id: "deleteWebhook", params: hook, responses: ["204": noContent]),
            ],
            "/api/v1/products/{productId}/webhooks/{webhookId}/rotate-secret": ["post": operation(
                "A new secret, shown once; for 24 hours deliveries carry the old secret's signature too", id: "rotateWebhookSecret",
                params: hook, responses: ["200": ok("The webhook with its new secret.", "Webhook")]
            )],
            "/api/v1/products/{productId}/webhooks/{webhookId}/deliveries": ["get": operation(
                "The attempts to deliver, newest first", id: "listWebhookDeliveries",
                params: hook + [limitParam, cursorParam(.offset)], responses: ["200": ok("A page of attempts.", "WebhookDeliveryList")]
            )],
            "/api/v1/products/{productId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver": ["post": operation(
                "Send an attempt's change again, soon (answered at once; the attempt appears in the log)", id: "redeliverWebhook",
                params: hook + [pathParam("deliveryId")], responses: ["202": ok("Queued.", "WebhookRedelivery")]
            )],
        ]
    }()
}
