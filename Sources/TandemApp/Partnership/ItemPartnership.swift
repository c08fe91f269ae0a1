import Foundation
import SQLKit
import TandemCore

/// What the partnership holds about one backlog item, so the item shows what stands in its way.
public struct ItemPartnershipDTO: Encodable, Sendable {
    public let itemId: String
    /// True while an unresolved impediment is linked to the item.
    public let blocked: Bool
    /// Whole days the item has been blocked, each day counted once however many impediments overlapped on it.
    public let blockedDays: Int
    public let impediments: [ImpedimentDTO]
    public let questions: [QuestionDTO]
}

/// The impediments blocking an item and the questions about it, read for the item page and its API.
public struct ItemPartnership: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public func forItem(_ idOrRef: String, userID: String) async throws -> ItemPartnershipDTO {
        try await database.read { db in
            let (item, _) = try await BacklogStore.itemAccess(idOrRef, userID: userID, on: db)
            return try await Self.forItem(item.id, now: stamps.now(), on: db)
        }
    }

    /// For a caller already known to see the item (the item page reads its access once).
    public func forItem(id itemID: String) async throws -> ItemPartnershipDTO {
        try await database.read { db in try await Self.forItem(itemID, now: stamps.now(), on: db) }
    }

    static func forItem(_ itemID: String, now: Int64, on db: any SQLDatabase) async throws -> ItemPartnershipDTO {
        let impediments = try await Impediments.impediments(
            where: "m.id IN (SELECT impediment_id FROM impediment_items WHERE item_id = \(bind: itemID))", now: now, on: db
        )
        let questions = try await Questions.questions(where: "q.item_id = \(bind: itemID)", now: now, on: db)
        let spans = impediments.map { (start: Clock.millis($0.createdAt), end: $0.resolvedAt.map(Clock.millis)) }
        return ItemPartnershipDTO(
            itemId: itemID, blocked: impediments.contains { $0.state != .resolved }, blockedDays: Age.blockedDays(spans, now: now),
            impediments: impediments, questions: questions
        )
    }
}
