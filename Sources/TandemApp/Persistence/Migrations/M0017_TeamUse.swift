import SQLKit

extension SchemaStep {
    /// What a team trying Tandem found missing: a sprint's entered person-days frozen beside the focus-discounted ones
    /// (for sprints closed earlier, recovered by dividing by their focus factor), who took an item of the sprint, and
    /// notifications that name their product and the thing they are about, so they can be grouped and settled.
    static let m0017TeamUse = SchemaStep(name: "0017_team_use") { db in
        try await db.alter(table: "sprints").column("available_days", type: .custom(SQLRaw("DOUBLE PRECISION"))).run()
        try await db.raw("""
            UPDATE sprints SET available_days = CASE WHEN focus_factor IS NULL OR focus_factor <= 0 THEN person_days
                ELSE ROUND(CAST(person_days / focus_factor AS NUMERIC), 2) END
            WHERE person_days IS NOT NULL
            """).run()
        try await db.alter(table: "backlog_items").column("assignee_id", type: .text, .references("users", "id", onDelete: .setNull)).run()
    }
}
