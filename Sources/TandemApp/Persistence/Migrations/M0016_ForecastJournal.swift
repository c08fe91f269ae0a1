import SQLKit

extension SchemaStep {
    /// Saved forecasts with their inputs and levels, so the journal can later set them against what happened.
    static let m0016ForecastJournal = SchemaStep(name: "0016_forecast_journal", owns: ["forecasts": "Planning"]) { db in
        try await db.create(table: "forecasts")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("team_id", type: .text, .notNull, .references("teams", "id", onDelete: .cascade))
            .column("release_id", type: .text, .references("releases", "id", onDelete: .setNull))
            .column("mode", type: .text, .notNull)
            .column("unit", type: .text, .notNull)
            .column("counted_from", type: .text, .notNull)
            .column("remaining", type: .custom(SQLRaw("DOUBLE PRECISION")))
            .column("sprints", type: .int)
            .column("p50", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("p85", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("p95", type: .custom(SQLRaw("DOUBLE PRECISION")), .notNull)
            .column("forecast", type: .text, .notNull)
            .column("created_by", type: .text, .references("users", "id", onDelete: .setNull))
            .column("created_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "forecasts_product").on("forecasts").column("product_id").column("created_at").run()
    }
}
