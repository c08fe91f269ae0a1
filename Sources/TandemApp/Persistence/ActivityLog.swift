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
    }
}
