import Foundation
import SQLKit
import TandemCore

/// A product's whole activity: every change Tandem records, newest first, filtered by kind (the part of the action
/// before the dot: `item`, `sprint`, `impediment`, …) and by who did it.
public struct ProductActivity: Sendable {
    let database: TandemDatabase

    public func page(productID: String, kind rawKind: String?, actorID: String?, offset: Int, limit: Int, userID: String) async throws -> (items: [ActivityDTO], nextCursor: String?) {
        let kind = try rawKind.flatMap { $0.isEmpty ? nil : $0 }.map { try InputRules.activityKind.validated($0, field: "kind") }
        return try await database.read { db in
            _ = try await ProductService.access(productID: productID, userID: userID, on: db)
            var condition: SQLQueryString = "a.product_id = \(bind: productID)"
            if let kind { condition = condition + " AND a.action LIKE \(bind: kind + ".%")" }
            if let actorID, !actorID.isEmpty { condition = condition + " AND a.actor_id = \(bind: actorID)" }
            let rows = try await db.raw("""
                SELECT a.id, a.action, a.actor_id, u.display_name AS actor_name, a.subject_type, a.subject_id, a.detail, a.created_at
                FROM activities a LEFT JOIN users u ON u.id = a.actor_id WHERE \(condition)
                ORDER BY a.created_at DESC, a.id DESC LIMIT \(unsafeRaw: String(limit + 1)) OFFSET \(unsafeRaw: String(offset))
                """).all(ActivityJoinRow.self)
            let items = rows.prefix(limit).map(\.dto)
            return (Array(items), rows.count > limit ? Cursor.offset(after: offset, limit: limit) : nil)
        }
    }
}
