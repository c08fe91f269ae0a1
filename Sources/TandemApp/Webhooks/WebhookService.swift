import Crypto
import Foundation
import SQLKit
import TandemCore

/// A webhook as its managers see it; the secret appears only in the answer that created or rotated it.
public struct WebhookDTO: Encodable, Sendable {
    public let id: String
    public let productId: String
    public let url: String
    public let events: [String]
    public let active: Bool
    public let createdAt: Date
    public let updatedAt: Date
    /// The change number delivered (or skipped as not asked for) up to; the next delivery is the first change after it.
    public let deliveredThroughSeq: Int64
    /// Since when deliveries have failed without a success; a hook failing for 24 hours is turned off.
    @NullEncodable public var failingSince: Date?
    @NullEncodable public var nextAttemptAt: Date?
    /// Why Tandem turned the hook off, when it did.
    @NullEncodable public var deactivatedReason: String?
    /// Until when deliveries also carry the signature of the secret before the last rotation.
    @NullEncodable public var previousSecretValidUntil: Date?
    /// Shown once: in the answer to creating the hook or rotating its secret, never again.
    public var secret: String?
}

/// One attempt to deliver one change to one hook.
public struct WebhookDeliveryDTO: Encodable, Sendable {
    public let id: String
    /// The same for every attempt at the same change, so a receiver can drop what it already has.
    public let deliveryId: String
    public let seq: Int64
    public let type: String
    public let attempt: Int
    @NullEncodable public var statusCode: Int?
    public let durationMs: Int
    @NullEncodable public var error: String?
    public let redelivery: Bool
    public let at: Date
}

/// What a redelivery request queued.
public struct WebhookRedeliveryDTO: Encodable, Sendable {
    public let queued: Bool
    public let seq: Int64
    public let deliveryId: String
}

/// The changes a hook asks for, as the API and the form give them.
public struct WebhookInput: Decodable, Sendable {
    public var url: String
    public var events: [String]
    public var secret: String?
}

/// A change to a hook: any of its address, its events, whether it is on.
public struct WebhookPatch: Decodable, Sendable {
    public var url: String?
    public var events: [String]?
    public var active: Bool?
}

/// Webhooks of a product, set by its Product Owner or a Scrum Master: where its changes are sent, signed with a
/// secret only they and the receiver hold. Saving a hook checks where its address leads; delivering is the
/// dispatcher's (`WebhookDispatcher`), so the request that made a change never waits for a receiver.
public struct WebhookService: Sendable {
    let database: TandemDatabase
    let stamps: Stamps
    let addresses: WebhookAddressCheck

    static let secretRange = 16...200
    static let previousSecretSeconds: Int64 = 24 * 3600

    public func create(productID: String, input: WebhookInput, actorID: String) async throws -> WebhookDTO {
        _ = try await database.read { db in try await Self.manager(productID: productID, userID: actorID, on: db) }
        let url = try await addresses.checked(input.url)
        let events = try WebhookEvents(input.events)
        let secret = try input.secret.map(Self.validSecret) ?? Self.newSecret()
        let id = stamps.newID(), now = stamps.now()
        return try await database.write { db in
            _ = try await Self.manager(productID: productID, userID: actorID, on: db)
            let latest = try await ProductEvents.latestSeq(productID, on: db)
            try await db.insert(into: "webhooks")
                .columns("id", "product_id", "url", "events", "secret", "active", "created_by", "created_at", "updated_at", "cursor_seq", "attempt")
                .values(SQLBind(id), SQLBind(productID), SQLBind(url.url), SQLBind(Self.encode(events.types)), SQLBind(secret), SQLBind(1), SQLBind(actorID),
                        SQLBind(now), SQLBind(now), SQLBind(latest), SQLBind(0))
                .run()
            var hook = try await Self.hook(id, productID: productID, on: db)
            hook.secret = secret
            return hook
        }
    }

    public func list(productID: String, userID: String) async throws -> [WebhookDTO] {
        try await database.read { db in
            _ = try await Self.manager(productID: productID, userID: userID, on: db)
            return try await db.select().column("*").from("webhooks").where("product_id", .equal, productID).orderBy("created_at").orderBy("id")
                .all(WebhookRow.self).map(\.dto)
        }
    }

    public func webhook(_ id: String, productID: String, userID: String) async throws -> WebhookDTO {
        try await database.read { db in
            _ = try await Self.manager(productID: productID, userID: userID, on: db)
            return try await Self.hook(id, productID: productID, on: db)
        }
    }

    public func update(_ id: String, productID: String, patch: WebhookPatch, actorID: String) async throws -> WebhookDTO {
        _ = try await webhook(id, productID: productID, userID: actorID)
        var url: WebhookURL?
        if let raw = patch.url { url = try await addresses.checked(raw) }
        let events = try patch.events.map(WebhookEvents.init)
        let now = stamps.now()
        return try await database.write { [url] db in
            _ = try await Self.manager(productID: productID, userID: actorID, on: db)
            let current = try await Self.hook(id, productID: productID, on: db)
            let update = db.update("webhooks").set("updated_at", to: now).where("id", .equal, id)
            if let url { update.set("url", to: url.url) }
            if let events { update.set("events", to: Self.encode(events.types)) }
            if let active = patch.active {
                update.set("active", to: active ? 1 : 0)
                if active && !current.active {  // turned on again: a fresh start, from where it stopped
                    update.set("attempt", to: 0).set("failing_since", to: SQLLiteral.null).set("next_attempt_at", to: SQLLiteral.null)
                        .set("deactivated_reason", to: SQLLiteral.null)
                }
            }
            try await update.run()
            return try await Self.hook(id, productID: productID, on: db)
        }
    }

    public func delete(_ id: String, productID: String, actorID: String) async throws {
        try await database.write { db in
            _ = try await Self.manager(productID: productID, userID: actorID, on: db)
            _ = try await Self.hook(id, productID: productID, on: db)
            try await db.delete(from: "webhooks").where("id", .equal, id).run()
        }
    }

    /// A new secret; the old one keeps signing beside it for 24 hours, so receivers can switch without a gap.
    public func rotateSecret(_ id: String, productID: String, actorID: String) async throws -> WebhookDTO {
        let secret = Self.newSecret(), now = stamps.now()
        return try await database.write { db in
            _ = try await Self.manager(productID: productID, userID: actorID, on: db)
            _ = try await Self.hook(id, productID: productID, on: db)
            try await db.raw("""
                UPDATE webhooks SET previous_secret = secret, previous_secret_until = \(bind: now + Self.previousSecretSeconds * 1000),
                    secret = \(bind: secret), updated_at = \(bind: now) WHERE id = \(bind: id)
                """).run()
            var hook = try await Self.hook(id, productID: productID, on: db)
            hook.secret = secret
            return hook
        }
    }

    /// The attempts, newest first, a page at a time.
    public func deliveries(_ id: String, productID: String, userID: String, limit: Int, offset: Int) async throws -> (items: [WebhookDeliveryDTO], more: Bool) {
        try await database.read { db in
            _ = try await Self.manager(productID: productID, userID: userID, on: db)
            _ = try await Self.hook(id, productID: productID, on: db)
            let rows = try await db.select().column("*").from("webhook_deliveries").where("webhook_id", .equal, id)
                .orderBy("at", .descending).orderBy("id", .descending).limit(limit + 1).offset(offset).all(DeliveryRow.self)
            return (rows.prefix(limit).map(\.dto), rows.count > limit)
        }
    }

    /// Sends the change of a past attempt again, soon, whatever came of it before; answered at once.
    public func redeliver(_ id: String, deliveryID: String, productID: String, actorID: String) async throws -> WebhookRedeliveryDTO {
        let now = stamps.now(), queued = stamps.newID()
        let result = try await database.write { db in
            _ = try await Self.manager(productID: productID, userID: actorID, on: db)
            _ = try await Self.hook(id, productID: productID, on: db)
            guard let delivery = try await db.select().column("*").from("webhook_deliveries").where("id", .equal, deliveryID).where("webhook_id", .equal, id)
                .first(DeliveryRow.self) else { throw DomainError.notFound("The delivery") }
            try await db.insert(into: "webhook_redeliveries").columns("id", "webhook_id", "seq", "requested_at")
                .values(SQLBind(queued), SQLBind(id), SQLBind(delivery.seq), SQLBind(now)).run()
            return WebhookRedeliveryDTO(queued: true, seq: delivery.seq, deliveryId: delivery.deliveryId)
        }
        database.changeSignal.wake(products: [productID])  // the dispatcher follows every product
        return result
    }

    // MARK: Shared

    /// The product's access, when the caller may manage its webhooks.
    static func manager(productID: String, userID: String, on db: any SQLDatabase) async throws -> ProductAccess {
        let access = try await ProductService.access(productID: productID, userID: userID, on: db)
        try access.require(.manageWebhooks)
        return access
    }

    static func hook(_ id: String, productID: String, on db: any SQLDatabase) async throws -> WebhookDTO {
        guard let row = try await db.select().column("*").from("webhooks").where("id", .equal, id).where("product_id", .equal, productID)
            .first(WebhookRow.self) else { throw DomainError.notFound("The webhook") }
        return row.dto
    }

    static func validSecret(_ raw: String) throws -> String {
        guard secretRange.contains(raw.count), raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f }) else {
            throw DomainError.invalid(field: "secret", "Give a secret of \(secretRange.lowerBound) to \(secretRange.upperBound) printable ASCII characters without spaces, or leave it out and Tandem makes one.")
        }
        return raw
    }

    static func newSecret() -> String {
        "whsec_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.map { String(format: "%02x", $0) }.joined()
    }

    static func encode(_ events: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(events)) ?? Data("[\"*\"]".utf8), as: UTF8.self)
    }

    /// The id a receiver sees for the delivery of one change to one hook, the same on every attempt.
    static func deliveryID(webhookID: String, seq: Int64) -> String {
        let digest = Array(SHA256.hash(data: Data("\(webhookID):\(seq)".utf8)).prefix(16))
        var bytes = digest
        bytes[6] = (bytes[6] & 0x0f) | 0x50  // name-based (version 5 layout)
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}

/// A `webhooks` row.
struct WebhookRow: Decodable, Sendable {
    var id: String
    var productId: String
    var url: String
    var events: String
    var secret: String
    var previousSecret: String?
    var previousSecretUntil: Int64?
    var active: Int
    var createdAt: Int64
    var updatedAt: Int64
    var cursorSeq: Int64
    var attempt: Int
    var nextAttemptAt: Int64?
    var failingSince: Int64?
    var deactivatedReason: String?

    var eventTypes: [String] { (try? JSONDecoder().decode([String].self, from: Data(events.utf8))) ?? ["*"] }

    var dto: WebhookDTO {
        func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
        return WebhookDTO(
            id: id, productId: productId, url: url, events: eventTypes, active: active != 0, createdAt: date(createdAt), updatedAt: date(updatedAt),
            deliveredThroughSeq: cursorSeq, failingSince: failingSince.map(date), nextAttemptAt: nextAttemptAt.map(date),
            deactivatedReason: deactivatedReason, previousSecretValidUntil: previousSecretUntil.map(date)
        )
    }
}

/// A `webhook_deliveries` row.
struct DeliveryRow: Decodable, Sendable {
    var id: String
    var deliveryId: String
    var seq: Int64
    var type: String
    var attempt: Int
    var statusCode: Int?
    var durationMs: Int
    var error: String?
    var redelivery: Int
    var at: Int64

    var dto: WebhookDeliveryDTO {
        WebhookDeliveryDTO(id: id, deliveryId: deliveryId, seq: seq, type: type, attempt: attempt, statusCode: statusCode, durationMs: durationMs,
                           error: error, redelivery: redelivery != 0, at: Date(timeIntervalSince1970: Double(at) / 1000))
    }
}
