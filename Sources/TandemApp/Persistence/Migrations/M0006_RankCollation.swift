import SQLKit

extension SchemaStep {
    /// Rank keys are compared byte by byte (`0-9 < A-Z < a-z`). SQLite's default collation does that; PostgreSQL's
    /// follows the database locale (in `en_US` "a" sorts next to "A"), which would reorder a backlog created on a
    /// server with a different locale. The `C` collation makes PostgreSQL compare bytes too.
    static let m0006RankCollation = SchemaStep(name: "0006_rank_collation") { db in
        guard db.dialect.name == "postgresql" else { return }
        try await db.raw(#"ALTER TABLE backlog_items ALTER COLUMN rank TYPE TEXT COLLATE "C""#).run()
    }
}
