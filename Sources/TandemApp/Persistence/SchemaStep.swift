import Foundation
import Logging
import SQLKit

/// One append-only change to the schema; written with SQLKit's builders so one list serves SQLite and PostgreSQL.
public struct SchemaStep: Sendable {
    public let name: String
    /// The tables this step creates, each with the one folder that owns it (a feature, or `Persistence` for the
    /// plumbing every feature writes through): only the owner's SQL writes it (`ArchitectureTests`).
    public let owns: [String: String]
    let apply: @Sendable (any SQLDatabase) async throws -> Void

    init(name: String, owns: [String: String] = [:], apply: @escaping @Sendable (any SQLDatabase) async throws -> Void) {
        self.name = name
        self.owns = owns
        self.apply = apply
    }
}

/// Applies the schema steps not yet recorded in `schema_migrations`, each in its own transaction.
public enum Migrator {
    /// The ordered list: append new steps, never edit a landed one.
    static let steps: [SchemaStep] = [
        .m0001Accounts,
        .m0002Products,
        .m0003Activity,
        .m0004Backlog,
        .m0005Security,
        .m0006RankCollation,
        .m0007ProductChanges,
        .m0008ProductDirection,
        .m0009Releases,
        .m0010ItemDirection,
        .m0011Sprints,
        .m0012ReviewAndRetrospective,
        .m0013Partnership,
        .m0014SignalThresholds,
        .m0015SignalHistory,
        .m0016ForecastJournal,
        .m0017TeamUse,
        .m0018NotificationSubjects,
        .m0019RevealedWithout,
        .m0020Changes,
        .m0021TicksByText,
        .m0022Webhooks,
        .m0023Imports,
    ]

    /// Every table and the folder that owns it, from the steps' declarations.
    public static var tableOwners: [String: String] {
        steps.reduce(into: [:]) { owners, step in owners.merge(step.owns) { first, _ in first } }
    }

    @discardableResult
    public static func migrate(_ database: TandemDatabase, logger: Logger) async throws -> [String] {
        try await database.write { db in
            try await db.create(table: "schema_migrations").ifNotExists()
                .column("name", type: .text, .primaryKey(autoIncrement: false))
                .column("applied_at", type: .bigint, .notNull)
                .run()
        }
        var applied: [String] = []
        for step in steps {
            let done = try await database.write { db -> Bool in
                let existing = try await db.select().column("name").from("schema_migrations")
                    .where("name", .equal, step.name).first()
                if existing != nil { return false }
                try await step.apply(db)
                try await db.insert(into: "schema_migrations").columns("name", "applied_at")
                    .values(SQLBind(step.name), SQLBind(Clock.millis(Date())))
                    .run()
                return true
            }
            if done {
                logger.info("applied schema step", metadata: ["step": "\(step.name)"])
                applied.append(step.name)
            }
        }
        return applied
    }
}

/// Timestamps are stored as integer milliseconds since 1970: identical on both engines and sortable.
enum Clock {
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}
