import SQLKit

extension SchemaStep {
    /// The typed change stream replaces the activity log: every product's changes numbered 1, 2, 3 … in commit order,
    /// each with its kind's wire name, what it is about and its data. The activity log's rows become the first
    /// changes (numbered by time), keeping their ids; the product's change counter is the latest number, moved by the
    /// change log itself (PostgreSQL) or by a trigger on each change (SQLite, whose one writer needs no lock).
    static let m0020Changes = SchemaStep(name: "0020_changes", owns: ["changes": "Persistence"]) { db in
        try await db.create(table: "changes")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("product_id", type: .text, .notNull, .references("products", "id", onDelete: .cascade))
            .column("seq", type: .bigint, .notNull)
            .column("type", type: .text, .notNull)
            .column("actor_id", type: .text, .references("users", "id", onDelete: .setNull))
            .column("subject_type", type: .text, .notNull)
            .column("subject_id", type: .text, .notNull)
            .column("subject_ref", type: .text)
            .column("data", type: .text, .notNull)
            .column("at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "changes_product_seq").on("changes").column("product_id").column("seq").unique().run()
        try await db.create(index: "changes_subject").on("changes").column("product_id").column("subject_type").column("subject_id").run()
        try await db.create(index: "changes_type").on("changes").column("product_id").column("type").run()
        try await db.raw("""
            INSERT INTO changes (id, product_id, seq, type, actor_id, subject_type, subject_id, subject_ref, data, at)
            SELECT a.id, a.product_id, ROW_NUMBER() OVER (PARTITION BY a.product_id ORDER BY a.created_at, a.id), a.action, a.actor_id,
                   a.subject_type, a.subject_id, (SELECT i.ref FROM backlog_items i WHERE a.subject_type = 'item' AND i.id = a.subject_id), a.detail, a.created_at
            FROM activities a WHERE a.product_id IS NOT NULL
            """).run()
        if db.dialect.name == "postgresql" {
            try await db.raw("DROP TRIGGER activities_count_changes ON activities").run()
            try await db.raw("DROP FUNCTION tandem_count_change()").run()
        } else {
            try await db.raw("DROP TRIGGER activities_count_changes").run()
            try await db.raw("""
                CREATE TRIGGER changes_count AFTER INSERT ON changes
                BEGIN
                    INSERT INTO product_changes (product_id, revision) VALUES (NEW.product_id, NEW.seq)
                    ON CONFLICT (product_id) DO UPDATE SET revision = excluded.revision;
                END
                """).run()
        }
        try await db.raw("""
            UPDATE product_changes SET revision = COALESCE((SELECT MAX(c.seq) FROM changes c WHERE c.product_id = product_changes.product_id), 0)
            """).run()
        try await db.drop(table: "activities").run()
    }
}
