import SQLKit

extension SchemaStep {
    /// People and their credentials (login sessions and API tokens share one table, told apart by `kind`).
    static let m0001Accounts = SchemaStep(name: "0001_accounts", owns: ["users": "Accounts", "auth_tokens": "Accounts"]) { db in
        try await db.create(table: "users")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("email", type: .text, .notNull)
            .column("email_normalized", type: .text, .notNull, .unique)
            .column("display_name", type: .text, .notNull)
            .column("password_hash", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await db.create(table: "auth_tokens")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("user_id", type: .text, .notNull, .references("users", "id", onDelete: .cascade))
            .column("token_hash", type: .text, .notNull, .unique)
            .column("kind", type: .text, .notNull)
            .column("name", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("expires_at", type: .bigint)
            .run()
        try await db.create(index: "auth_tokens_user").on("auth_tokens").column("user_id").run()
    }
}
