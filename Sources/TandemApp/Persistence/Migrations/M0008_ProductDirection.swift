import SQLKit

extension SchemaStep {
    /// The Product Owner's direction: every version of the Product Vision Board is kept (who and when), and Product
    /// Goals with their history; a partial unique index makes "one active goal per product" a fact of the schema.
    static let m0008ProductDirection = SchemaStep(name: "0008_product_direction", owns: ["product_visions": "Products", "product_goals": "Products"]) { db in
        try await db.create(table: "product_visions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("version", type: .bigint, .notNull)
            .column("statement", type: .text, .notNull)
            .column("target_group", type: .text, .notNull)
            .column("needs", type: .text, .notNull)
            .column("product", type: .text, .notNull)
            .column("business_goals", type: .text, .notNull)
            .column("created_by", type: .text, .references("users", "id", onDelete: .setNull))
            .column("created_at", type: .bigint, .notNull)
            .unique("product_id", "version")
            .run()
        try await db.create(table: "product_goals")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("statement", type: .text, .notNull)
            .column("measure", type: .text)
            .column("state", type: .text, .notNull)
            .column("note", type: .text)
            .column("created_by", type: .text, .references("users", "id", onDelete: .setNull))
            .column("created_at", type: .bigint, .notNull)
            .column("closed_by", type: .text, .references("users", "id", onDelete: .setNull))
            .column("closed_at", type: .bigint)
            .run()
        try await db.create(index: "product_goals_product").on("product_goals").column("product_id").column("created_at").run()
        try await db.raw("CREATE UNIQUE INDEX product_goals_one_active ON product_goals (product_id) WHERE state = 'active'").run()
    }
}
