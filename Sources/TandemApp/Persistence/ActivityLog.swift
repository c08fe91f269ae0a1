import TandemCore
import Foundation
import SQLKit

/// The columns the activity feed reads from the change stream, under the names it has always answered with.
enum ChangeRead {
    static let activityColumns: SQLQueryString = """
        c.id, c.type AS action, c.actor_id, u.display_name AS actor_name, c.subject_type, c.subject_id, c.data AS detail, c.at AS created_at
        """
}

/// Writes in-app notifications inside the caller's transaction: the change and the word about it land together.
/// Plumbing like the activity log, so every feature can tell people what concerns them.
enum NotificationLog {
    /// `productID` names the product it is about (the list groups by it); `subjectID` the thing that asks something
    /// of the person (a question, a check, an impediment), so answering it settles the notification.
    static func notify(
        _ userIDs: [String], kind: String, text: String, link: String, productID: String, subjectID: String? = nil, stamps: Stamps, on db: any SQLDatabase
    ) async throws {
        PendingWakes.users(userIDs)
        for user in Set(userIDs).sorted() {
            try await db.insert(into: "notifications").columns("id", "user_id", "kind", "text", "link", "created_at", "product_id", "subject_id")
                .values(SQLBind(stamps.newID()), SQLBind(user), SQLBind(kind), SQLBind(String(text.prefix(300))), SQLBind(link), SQLBind(stamps.now()),
                        SQLBind(productID), SQLBind(subjectID))
                .run()
        }
    }

    /// The notifications about `subjectID` (of `kinds`, for `userID` when given) ask nothing any more: they are no
    /// longer new, and no longer counted as unread.
    static func settle(subjectID: String, kinds: [String], userID: String? = nil, at now: Int64, on db: any SQLDatabase) async throws {
        var update = db.update("notifications").set("settled_at", to: now).where("subject_id", .equal, subjectID)
            .where("kind", .in, kinds).where("settled_at", .is, SQLLiteral.null)
        if let userID { update = update.where("user_id", .equal, userID) }
        try await update.run()
        if let userID { PendingWakes.users([userID]) }
    }

    /// Columns for the caller's authentication query: the person's unread count (and on a page, the unread about
    /// that page), as scalar subqueries, so every page shows them without a statement of its own.
    static func unreadColumns(userColumn: String, page: String?) -> SQLQueryString {
        var columns: SQLQueryString = ", (SELECT COUNT(*) FROM notifications n WHERE n.user_id = \(unsafeRaw: userColumn) AND n.read_at IS NULL AND n.settled_at IS NULL) AS unread"
        if let page {
            columns = columns + ", (SELECT COUNT(*) FROM notifications h WHERE h.user_id = \(unsafeRaw: userColumn) AND h.link = \(bind: page) AND h.read_at IS NULL AND h.settled_at IS NULL) AS unread_here"
        }
        return columns
    }

    /// How many of the person's notifications are neither read nor settled.
    static func unreadCount(userID: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL AND settled_at IS NULL").first()
            .map { try $0.decode(column: "n", as: Int.self) } ?? 0
    }

    /// Marks the person's unread notifications read: those linking to `link`, the one with `id`, or all of them.
    /// Returns how many were unread; one with an `id` that is not theirs is "not found".
    @discardableResult
    static func markRead(userID: String, link: String? = nil, id: String? = nil, at now: Int64, on db: any SQLDatabase) async throws -> Int {
        if let id, try await db.select().column("id").from("notifications").where("id", .equal, id).where("user_id", .equal, userID).first() == nil {
            throw DomainError.notFound("The notification")
        }
        func unread(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            var query = query.where("user_id", .equal, userID).where("read_at", .is, SQLLiteral.null)
            if let link { query = query.where("link", .equal, link).where("settled_at", .is, SQLLiteral.null) }
            if let id { query = query.where("id", .equal, id) }
            return query
        }
        let count = try await unread(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("notifications")).first()
            .map { try $0.decode(column: "n", as: Int.self) } ?? 0
        guard count > 0 else { return 0 }
        PendingWakes.users([userID])
        var update = db.update("notifications").set("read_at", to: now).where("user_id", .equal, userID).where("read_at", .is, SQLLiteral.null)
        if let link { update = update.where("link", .equal, link) }
        if let id { update = update.where("id", .equal, id) }
        try await update.run()
        return count
    }
}
