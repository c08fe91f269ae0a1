import Foundation
import SQLKit
import TandemCore

/// Appends a product's changes inside the caller's transaction, numbered 1, 2, 3 … per product without gaps and in
/// commit order: the number comes from the product's change counter, whose row the append locks until the
/// transaction ends (PostgreSQL) or which the one writer owns (SQLite), so a rolled-back change leaves no number
/// behind and a later commit never has a smaller one. One statement per change, as the activity record it replaced;
/// on PostgreSQL the same statement notifies the other processes, which PostgreSQL delivers only on commit.
enum ChangeLog {
    /// Sorted keys, so the same data is always the same text.
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// Appends `change` and answers its number in the product's sequence.
    @discardableResult
    static func append(_ change: Change, productID: String, actorID: String?, stamps: Stamps, on db: any SQLDatabase) async throws -> Int64 {
        if let problem = change.type.mismatch(in: change.data) {
            throw DomainError(.inconsistent, code: "change_undeclared", message: "A change does not match its declaration: \(problem).")
        }
        let data = String(decoding: try encoder.encode(change.data), as: UTF8.self)
        let id = stamps.newID(), at = stamps.now()
        let values: SQLQueryString = """
            \(bind: id), \(bind: productID), \(bind: change.type.rawValue), \(bind: actorID), \(bind: change.type.subjectType), \
            \(bind: change.subjectID), \(bind: change.subjectRef), \(bind: data), \(bind: at)
            """
        let row: (any SQLRow)?
        if db.dialect.name == "postgresql" {
            row = try await db.raw("""
                WITH next AS (
                    INSERT INTO product_changes (product_id, revision) VALUES (\(bind: productID), 1)
                    ON CONFLICT (product_id) DO UPDATE SET revision = product_changes.revision + 1 RETURNING revision)
                , inserted AS (
                    INSERT INTO changes (id, product_id, type, actor_id, subject_type, subject_id, subject_ref, data, at, seq)
                    SELECT \(values), next.revision FROM next RETURNING seq)
                SELECT i.seq FROM inserted i
                CROSS JOIN LATERAL (SELECT pg_notify(\(bind: ChangeWatcher.channel), \(bind: productID) || ':' || i.seq)) n
                """).first()
        } else {
            // The one writer owns the database; a trigger moves the counter on to this change's number.
            row = try await db.raw("""
                INSERT INTO changes (id, product_id, type, actor_id, subject_type, subject_id, subject_ref, data, at, seq)
                VALUES (\(values), COALESCE((SELECT revision FROM product_changes WHERE product_id = \(bind: productID)), 0) + 1) RETURNING seq
                """).first()
        }
        guard let row else { throw DomainError(.inconsistent, code: "change_not_numbered", message: "The change could not be numbered.") }
        PendingWakes.product(productID)
        return try row.decode(column: "seq", as: Int64.self)
    }

    /// Sets a product's change counter, for a product restored with its changes (which keep their numbers): its
    /// next change follows them.
    static func setCounter(productID: String, to revision: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO product_changes (product_id, revision) VALUES (\(bind: productID), \(bind: revision))
            ON CONFLICT (product_id) DO UPDATE SET revision = excluded.revision
            """).run()
    }
}
