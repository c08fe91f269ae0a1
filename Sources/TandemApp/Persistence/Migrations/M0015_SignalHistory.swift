import SQLKit

extension SchemaStep {
    /// One value per signal, team and day, written when the signals are read, so each tile can draw its trend; the
    /// day's last reading wins. `team_id` is empty for product-wide signals (a key column cannot be NULL everywhere).
    static let m0015SignalHistory = SchemaStep(name: "0015_signal_history", owns: ["signal_history": "Partnership"]) { db in
        try await db.create(table: "signal_history")
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("team_id", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("day", type: .text, .notNull)
            .column("value", type: .custom(SQLRaw("DOUBLE PRECISION")))
            .column("healthy", type: .int)
            .column("recorded_at", type: .bigint, .notNull)
            .primaryKey("product_id", "team_id", "name", "day")
            .run()
    }
}
