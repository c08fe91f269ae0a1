import Foundation
import SQLKit
import TandemCore

/// One change of a product as a program reads it: its number, kind, when, who, what about, and its data.
public struct ChangeDTO: Encodable, Sendable {
    public struct Subject: Encodable, Sendable {
        public let type: String
        public let id: String
        public var ref: String?
    }

    public let seq: Int64
    public let type: String
    public let at: Date
    @NullEncodable public var actor: PersonRef?
    public let subject: Subject
    public let data: JSONValue
}

public struct ChangePageDTO: Encodable, Sendable {
    public let items: [ChangeDTO]
    /// The product's latest change number: a reader that has it has everything.
    public let latestSeq: Int64
}

/// A product's change stream, read from any point: every member reads it (what a change carries is what every member
/// may see), in number order, so a program resumes after the last number it has.
public struct ProductChanges: Sendable {
    let database: TandemDatabase

    public static let maxLimit = 200

    public func page(productID: String, after: Int64, limit: Int, userID: String) async throws -> ChangePageDTO {
        try await database.read { db in
            _ = try await ProductService.access(productID: productID, userID: userID, on: db)
            let items = try await Self.changes(productID: productID, after: after, limit: limit, on: db)
            return ChangePageDTO(items: items, latestSeq: try await ProductEvents.latestSeq(productID, on: db))
        }
    }

    /// Up to `limit` changes after number `after`, in number order (the page and every event stream read this).
    static func changes(productID: String, after: Int64, limit: Int, on db: any SQLDatabase) async throws -> [ChangeDTO] {
        try await db.raw("""
            SELECT c.seq, c.type, c.at, c.actor_id, u.display_name, c.subject_type, c.subject_id, c.subject_ref, c.data
            FROM changes c LEFT JOIN users u ON u.id = c.actor_id
            WHERE c.product_id = \(bind: productID) AND c.seq > \(bind: after) ORDER BY c.seq LIMIT \(unsafeRaw: String(limit))
            """).all().map(Self.change)
    }

    static func change(_ row: any SQLRow) throws -> ChangeDTO {
        let r = RowReader(row: row)
        return ChangeDTO(
            seq: try r.integer("seq"), type: try r.text("type"), at: try r.date("at"), actor: try r.person("actor_id", "display_name"),
            subject: .init(type: try r.text("subject_type"), id: try r.text("subject_id"), ref: try r.optionalText("subject_ref")),
            data: try JSONDecoder().decode(JSONValue.self, from: Data(try r.text("data").utf8))
        )
    }
}
