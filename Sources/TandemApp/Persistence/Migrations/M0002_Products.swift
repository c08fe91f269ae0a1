import SQLKit

extension SchemaStep {
    /// Products, their teams and who holds which accountability where.
    ///
    /// The Product Owner lives on the product row (NOT NULL), so "exactly one per product" is
    /// a property of the schema, not of the code; stakeholders are product members.
    static let m0002Products = SchemaStep(name: "0002_products", owns: ["products": "Products", "product_members": "Products", "teams": "Products", "team_members": "Products"]) { db in
        try await db.create(table: "products")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull)
            .column("key", type: .text, .notNull, .unique)
            .column("product_owner_id", type: .text, .notNull, .references("users", "id"))
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "products_owner").on("products").column("product_owner_id").run()
        try await db.create(table: "product_members")
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("accountability", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("product_id", "user_id")
            .run()
        try await db.create(index: "product_members_user").on("product_members").column("user_id").run()
        try await db.create(table: "teams")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("name", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .unique("product_id", "name")
            .run()
        try await db.create(table: "team_members")
            .column("team_id", type: .text, .notNull, .references("teams", "id", onDelete: .cascade))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("accountability", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("team_id", "user_id")
            .run()
        try await db.create(index: "team_members_user").on("team_members").column("user_id").run()
    }
}
