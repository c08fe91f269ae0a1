import SQLKit

extension SchemaStep {
    /// An item may serve the product's active goal and belong to a release; the backlog filters by either.
    static let m0010ItemDirection = SchemaStep(name: "0010_item_direction") { db in
        try await db.alter(table: "backlog_items").column("product_goal_id", type: .text, .references("product_goals", "id", onDelete: .setNull)).run()
        try await db.alter(table: "backlog_items").column("release_id", type: .text, .references("releases", "id", onDelete: .setNull)).run()
        try await db.create(index: "backlog_items_goal").on("backlog_items").column("product_goal_id").run()
        try await db.create(index: "backlog_items_release").on("backlog_items").column("release_id").run()
    }
}
