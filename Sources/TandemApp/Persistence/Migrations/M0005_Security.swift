import SQLKit

extension SchemaStep {
    /// Failed logins (for the throttle; keys are hashes, so no address or email is stored in the clear) and the
    /// instance's own secrets (the CSRF key), kept in the database so every process sharing it agrees.
    static let m0005Security = SchemaStep(name: "0005_security", owns: ["login_failures": "Accounts", "instance_secrets": "Persistence"]) { db in
        try await db.create(table: "login_failures")
            .column("scope_key", type: .text, .notNull)
            .column("failed_at", type: .bigint, .notNull)
            .run()
        try await db.create(index: "login_failures_key_time").on("login_failures").column("scope_key").column("failed_at").run()
        try await db.create(table: "instance_secrets")
            .column("name", type: .text, .primaryKey(autoIncrement: false))
            .column("value", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
    }
}
