import SQLKit

extension SchemaStep {
    /// Work brought in from another tool: an item keeps the key and type it had there (so a second import updates it
    /// instead of adding it again), and a sprint of its history says it was imported (it has no frozen commitment, so
    /// the signals that need one pass it over) and keeps its name there.
    static let m0023Imports = SchemaStep(name: "0023_imports") { db in
        try await db.alter(table: "backlog_items").column("external_ref", type: .text).run()
        try await db.alter(table: "backlog_items").column("source_type", type: .text).run()
        try await db.create(index: "backlog_items_external_ref").on("backlog_items").column("product_id").column("external_ref").run()
        try await db.alter(table: "sprints").column("imported", type: .int, .notNull, .default(0)).run()
        try await db.alter(table: "sprints").column("external_name", type: .text).run()
    }
}
