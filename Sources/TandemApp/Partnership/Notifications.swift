import Foundation
import SQLKit
import TandemCore

/// One in-app notification.
public struct NotificationDTO: Encodable, Sendable {
    public let id: String
    public let kind: String
    public let text: String
    public let link: String
    public let createdAt: Date
    @NullEncodable public var readAt: Date?
    /// The product it is about (null only for one whose product was deleted).
    @NullEncodable public var productId: String?
    @NullEncodable public var productName: String?
    /// When what it asked for was done (the question answered, the check answered, the impediment resolved): from
    /// then on it is not new, whether or not it was opened.
    @NullEncodable public var settledAt: Date?
    /// Unread and still asking something of the person.
    public let isNew: Bool
}

public struct NotificationListDTO: Encodable, Sendable {
    public let items: [NotificationDTO]
    @NullEncodable public var nextCursor: String?
    public let unread: Int
}

/// In-app notifications: written in the same transaction as the change they tell about, read by their person only.
public struct NotificationInbox: NotificationsSeen {
    let database: TandemDatabase
    let stamps: Stamps

    func notify(_ userIDs: [String], kind: String, text: String, link: String, productID: String, subjectID: String? = nil, on db: any SQLDatabase) async throws {
        try await NotificationLog.notify(userIDs, kind: kind, text: text, link: link, productID: productID, subjectID: subjectID, stamps: stamps, on: db)
    }

    func settle(subjectID: String, kinds: [String], userID: String? = nil, on db: any SQLDatabase) async throws {
        try await NotificationLog.settle(subjectID: subjectID, kinds: kinds, userID: userID, at: stamps.now(), on: db)
    }

    /// The newest 100, newest first, each with its product; `unread` counts those still new.
    public func list(userID: String) async throws -> NotificationListDTO {
        try await database.read { db in
            let rows = try await db.raw("""
                SELECT n.*, p.name AS product_name FROM notifications n LEFT JOIN products p ON p.id = n.product_id
                WHERE n.user_id = \(bind: userID) ORDER BY n.created_at DESC, n.id LIMIT 100
                """).all()
            let unread = try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL AND settled_at IS NULL").first()
                .map { try $0.decode(column: "n", as: Int.self) } ?? 0
            return NotificationListDTO(items: try rows.map { row in
                let r = RowReader(row: row)
                let readAt = try r.optionalDate("read_at"), settledAt = try r.optionalDate("settled_at")
                return NotificationDTO(id: try r.text("id"), kind: try r.text("kind"), text: try r.text("text"), link: try r.text("link"),
                                       createdAt: try r.date("created_at"), readAt: readAt, productId: try r.optionalText("product_id"),
                                       productName: try r.optionalText("product_name"), settledAt: settledAt, isNew: readAt == nil && settledAt == nil)
            }, nextCursor: nil, unread: unread)
        }
    }

    public func unreadCount(userID: String) async throws -> Int {
        try await database.read { db in try await NotificationLog.unreadCount(userID: userID, on: db) }
    }

    /// The person opened the page `link` names: what it told them about is seen.
    public func markSeen(userID: String, link: String) async throws -> Int {
        try await database.write { db in try await NotificationLog.markRead(userID: userID, link: link, at: stamps.now(), on: db) }
    }

    /// Marks one read; someone else's is "not found".
    public func read(_ id: String, userID: String) async throws {
        try await database.write { db in try await NotificationLog.markRead(userID: userID, id: id, at: stamps.now(), on: db) }
    }

    public func readAll(userID: String) async throws {
        try await database.write { db in try await NotificationLog.markRead(userID: userID, at: stamps.now(), on: db) }
    }
}
