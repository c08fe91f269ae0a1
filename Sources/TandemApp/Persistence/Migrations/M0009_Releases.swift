import SQLKit

extension SchemaStep {
    /// Releases the Product Owner plans and marks released; the target date is a calendar date (`YYYY-MM-DD`).
    static let m0009Releases = SchemaStep(name: "0009_releases", owns: ["releases": "Products"]) { db in
        try await db.create(table: "releases")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("target_date", type: .text)
            .column("state", type: .text, .notNull)
            .column("released_on", type: .text)
            .column("created_by", type: .text, .references("users", "id", onDelete: .setNull))
            .column("created_at", type: .bigint, .notNull)
            .column("released_by", type: .text, .references("users", "id", onDelete: .setNull))
            .column("released_at", type: .bigint)
            .unique("product_id", "name")
            .run()
    }
}
