import SQLKit

extension SchemaStep {
    /// The append-only log of every change: the decision log, the feed and live updates read it.
    static let m0003Activity = SchemaStep(name: "0003_activity", owns: ["activities": "Persistence"]) { db in
        try await db.create(table: "activities")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("product_id", type: .text, .references("products", "id", onDelete: .cascade))
            .column("actor_id", type: .text, .references("users", "id", onDelete: .setNull))
            .column("action", type: .text, .notNull)
            .column("subject_type", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .column("detail", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "activities_product_time").on("activities").column("product_id").column("created_at").run()
    }
}
