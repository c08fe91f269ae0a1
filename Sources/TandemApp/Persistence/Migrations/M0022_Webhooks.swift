import SQLKit

extension SchemaStep {
    /// Webhooks: where a product's changes are sent, how far each hook has got in the change stream (its cursor,
    /// so a delivery survives a restart without an outbox), the attempts made, and redeliveries asked for.
    static let m0022Webhooks = SchemaStep(
        name: "0022_webhooks", owns: ["webhooks": "Webhooks", "webhook_deliveries": "Webhooks", "webhook_redeliveries": "Webhooks"]
    ) { db in
        try await db.create(table: "webhooks")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("url", type: .text, .notNull)
            .column("events", type: .text, .notNull)
            .column("secret", type: .text, .notNull)
            .column("previous_secret", type: .text)
            .column("previous_secret_until", type: .bigint)
            .column("active", type: .int, .notNull)
            .column("created_by", type: .text, .references("users", "id", onDelete: .setNull))
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .column("cursor_seq", type: .bigint, .notNull)
            .column("attempt", type: .int, .notNull)
            .column("next_attempt_at", type: .bigint)
            .column("failing_since", type: .bigint)
            .column("deactivated_reason", type: .text)
            .column("lease_owner", type: .text)
            .column("lease_until", type: .bigint)
            .run()
        try await db.create(index: "webhooks_product").on("webhooks").column("product_id").run()
        try await db.create(table: "webhook_deliveries")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("webhook_id", type: .text, .notNull, .references("webhooks", "id", onDelete: .cascade))
            .column("delivery_id", type: .text, .notNull)
            .column("seq", type: .bigint, .notNull)
            .column("type", type: .text, .notNull)
            .column("attempt", type: .int, .notNull)
            .column("status_code", type: .int)
            .column("duration_ms", type: .int, .notNull)
            .column("error", type: .text)
            .column("redelivery", type: .int, .notNull)
            .column("at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "webhook_deliveries_newest").on("webhook_deliveries").column("webhook_id").column("at").run()
        try await db.create(table: "webhook_redeliveries")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("webhook_id", type: .text, .notNull, .references("webhooks", "id", onDelete: .cascade))
            .column("seq", type: .bigint, .notNull)
            .column("requested_at", type: .bigint, .notNull)
            .run()
    }
}
