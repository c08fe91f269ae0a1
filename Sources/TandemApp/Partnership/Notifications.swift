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
}

public struct NotificationListDTO: Encodable, Sendable {
    public let items: [NotificationDTO]
    @NullEncodable public var nextCursor: String?
    public let unread: Int
}

/// In-app notifications: written in the same transaction as the change they tell about, read by their person only.
public struct NotificationInbox: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    func notify(_ userIDs: [String], kind: String, text: String, link: String, on db: any SQLDatabase) async throws {
        try await NotificationLog.notify(userIDs, kind: kind, text: text, link: link, stamps: stamps, on: db)
    }

    /// The newest 100, unread first counted.
    public func list(userID: String) async throws -> NotificationListDTO {
        try await database.read { db in
            let rows = try await db.select().column("*").from("notifications").where("user_id", .equal, userID)
                .orderBy("created_at", .descending).orderBy("id").limit(100).all()
            let unread = try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL").first()
                .map { try $0.decode(column: "n", as: Int.self) } ?? 0
            return NotificationListDTO(items: try rows.map { row in
                let r = RowReader(row: row)
                return NotificationDTO(id: try r.text("id"), kind: try r.text("kind"), text: try r.text("text"), link: try r.text("link"),
                                       createdAt: try r.date("created_at"), readAt: try r.optionalDate("read_at"))
            }, nextCursor: nil, unread: unread)
        }
    }

    public func unreadCount(userID: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL").first()
                .map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }
    }

    /// Marks one read; someone else's is "not found".
    public func read(_ id: String, userID: String) async throws {
        try await database.write { db in
            guard try await db.select().column("id").from("notifications").where("id", .equal, id).where("user_id", .equal, userID).first() != nil else {
                throw DomainError.notFound("The notification")
            }
            try await db.update("notifications").set("read_at", to: stamps.now()).where("id", .equal, id).where("read_at", .is, SQLLiteral.null).run()
        }
    }

    public func readAll(userID: String) async throws {
        try await database.write { db in
            try await db.update("notifications").set("read_at", to: stamps.now()).where("user_id", .equal, userID).where("read_at", .is, SQLLiteral.null).run()
        }
    }
}
