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
            var condition: SQLQueryString = "c.product_id = \(bind: productID)"
            if let kind {
                let types = ChangeType.allCases.filter { $0.family == kind }.map(\.rawValue)
                condition = condition + " AND c.type IN (\(binds: types.isEmpty ? [""] : types))"
            }
            if let actorID, !actorID.isEmpty { condition = condition + " AND c.actor_id = \(bind: actorID)" }
            let rows = try await db.raw("""
                SELECT \(ChangeRead.activityColumns) FROM changes c LEFT JOIN users u ON u.id = c.actor_id WHERE \(condition)
                ORDER BY c.at DESC, c.id DESC LIMIT \(unsafeRaw: String(limit + 1)) OFFSET \(unsafeRaw: String(offset))
                """).all(ActivityJoinRow.self)
            let items = try rows.prefix(limit).map { try $0.dto() }
            return (Array(items), rows.count > limit ? Cursor.offset(after: offset, limit: limit) : nil)
        }
    }
}
