import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SQLKit
import TandemCore

/// Signs a delivery as the README's recipe checks it: HMAC-SHA256 over "<timestamp>.<body>" with the hook's secret.
enum WebhookSignature {
    static func sign(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// The header's value: the current secret's signature, and for a day after a rotation the previous one's too.
    static func header(secret: String, previous: String?, timestamp: Int64, body: [UInt8]) -> String {
        ([secret] + (previous.map { [$0] } ?? [])).map { sign(secret: $0, timestamp: timestamp, body: body) }.joined(separator: ",")
    }
}

/// Sends each product's changes to its webhooks, in change order per hook, from the change table after each hook's
/// cursor: nothing to write beside a change, and after a crash the cursor says where to go on (a change may then
/// arrive twice, with the same delivery id; none is lost). A failed delivery is tried again with growing pauses;
/// a hook failing for 24 hours is turned off and its Product Owner and Scrum Masters are told. Several processes
/// may run it on one database: a hook is worked by one of them at a time (a lease on its row).
public struct WebhookDispatcher: Service {
    let database: TandemDatabase
    let stamps: Stamps
    let addresses: WebhookAddressCheck
    let logger: Logger
    let owner = UUID().uuidString.lowercased()
    /// How often hooks are looked at when nothing wakes the dispatcher (changes by another process on SQLite, retries due).
    var idle: Duration = .seconds(1)

    static let batch = 50
    /// Longer than one attempt (10 s at most) and renewed at each: after a crash, another process (or the restarted one) takes over within it.
    static let leaseMillis: Int64 = 20_000
    static let timeout: TimeAmount = .seconds(10)
    static let maxResponseBytes = 64 * 1024

    public func run() async throws {
        let follow = database.changeSignal.followEveryProduct()
        // A tick besides the wakes: changes another process wrote to a SQLite file, and retries falling due.
        let tick = Task { [signal = database.changeSignal, idle] in
            while !Task.isCancelled {
                try? await Task.sleep(for: idle)  // try?: cancelled means the dispatcher stopped; the loop ends.
                signal.nudge(follow.id)
            }
        }
        defer {
            tick.cancel()
            database.changeSignal.unfollow(follow.id)
        }
        await deliverDue()
        await withGracefulShutdownHandler {
            for await _ in follow.wakes {
                await deliverDue()
            }
        } onGracefulShutdown: { [signal = database.changeSignal] in
            signal.unfollow(follow.id)
        }
    }

    /// One pass: every hook with something to send now, each in turn (hooks side by side, up to four at once).
    func deliverDue() async {
        let due: [WebhookRow]
        do {
            due = try await database.read { [now = stamps.now()] db in
                try await db.raw("""
                    SELECT w.* FROM webhooks w LEFT JOIN product_changes pc ON pc.product_id = w.product_id
                    WHERE w.active = 1 AND (w.lease_until IS NULL OR w.lease_until < \(bind: now) OR w.lease_owner = \(bind: owner))
                      AND ((COALESCE(pc.revision, 0) > w.cursor_seq AND (w.next_attempt_at IS NULL OR w.next_attempt_at <= \(bind: now)))
                           OR EXISTS (SELECT 1 FROM webhook_redeliveries r WHERE r.webhook_id = w.id))
                    ORDER BY w.id
                    """).all(WebhookRow.self)
            }
        } catch {
            logger.warning("reading the webhooks due failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return
        }
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for hook in due {
                if running == 4 { await group.next(); running -= 1 }
                group.addTask { await work(hook) }
                running += 1
            }
        }
    }

    private func work(_ hook: WebhookRow) async {
        do {
            guard try await lease(hook.id) else { return }
            do {
                try await redeliveries(hook)
                if hook.nextAttemptAt.map({ $0 <= stamps.now() }) ?? true { try await deliverChanges(hook) }
            } catch {
                logger.warning("a webhook pass stopped on an error", metadata: ["webhook": "\(hook.id)", "error": "\(String(reflecting: type(of: error)))"])
            }
            // Released when the pass ends, so another process need not wait for the lease to lapse.
            try await database.write { [owner] db in
                try await db.update("webhooks").set("lease_until", to: SQLLiteral.null).set("lease_owner", to: SQLLiteral.null)
                    .where("id", .equal, hook.id).where("lease_owner", .equal, owner).run()
            }
        } catch {
            logger.warning("a webhook's lease could not be taken or given back; it lapses by itself", metadata: ["webhook": "\(hook.id)", "error": "\(String(reflecting: type(of: error)))"])
        }
    }

    private func lease(_ id: String) async throws -> Bool {
        let now = stamps.now()
        return try await database.write { [owner] db in
            try await db.raw("""
                UPDATE webhooks SET lease_owner = \(bind: owner), lease_until = \(bind: now + Self.leaseMillis)
                WHERE id = \(bind: id) AND active = 1 AND (lease_until IS NULL OR lease_until < \(bind: now) OR lease_owner = \(bind: owner))
                """).run()
            return try await db.select().column("lease_owner").from("webhooks").where("id", .equal, id).first()
                .map { try $0.decode(column: "lease_owner", as: String?.self) } == owner
        }
    }

    private func redeliveries(_ hook: WebhookRow) async throws {
        let queued = try await database.read { db in
            try await db.select().columns("id", "seq").from("webhook_redeliveries").where("webhook_id", .equal, hook.id).orderBy("requested_at").all()
                .map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "seq", as: Int64.self)) }
        }
        for (id, seq) in queued {
            let change = try await database.read { db in try await ProductChanges.changes(productID: hook.productId, after: seq - 1, limit: 1, on: db) }.first
            if let change, change.seq == seq {
                _ = try await attempt(change, hook: hook, attempt: 1, redelivery: true)
            }
            try await database.write { db in try await db.delete(from: "webhook_redeliveries").where("id", .equal, id).run() }
        }
    }

    private func deliverChanges(_ hook: WebhookRow) async throws {
        let events = try (try? WebhookEvents(hook.eventTypes)) ?? WebhookEvents(["*"])
        var cursor = hook.cursorSeq, attempt = hook.attempt, failingSince = hook.failingSince
        while !Task.isShuttingDownGracefully {
            let page = try await database.read { [cursor] db in try await ProductChanges.changes(productID: hook.productId, after: cursor, limit: Self.batch, on: db) }
            for change in page {
                guard events.matches(change.type) else {
                    cursor = change.seq
                    continue
                }
                if cursor != hook.cursorSeq || attempt != hook.attempt { try await advance(hook.id, to: cursor) }  // skipped ones first
                let delivered = try await self.attempt(change, hook: hook, attempt: attempt + 1, redelivery: false)
                let now = stamps.now()
                if delivered {
                    cursor = change.seq
                    attempt = 0
                    failingSince = nil
                    try await advance(hook.id, to: cursor)
                    continue
                }
                attempt += 1
                let since = failingSince ?? now
                if now - since >= WebhookRetry.giveUpAfterSeconds * 1000 {
                    try await deactivate(hook, attempts: attempt, since: since)
                } else {
                    let delay = WebhookRetry.delaySeconds(afterAttempt: attempt, random: Double.random(in: 0...1))
                    try await database.write { [attempt, cursor] db in
                        try await db.update("webhooks").set("attempt", to: attempt).set("failing_since", to: since)
                            .set("next_attempt_at", to: now + Int64(delay * 1000)).set("cursor_seq", to: cursor).where("id", .equal, hook.id).run()
                    }
                }
                return
            }
            if cursor != hook.cursorSeq { try await advance(hook.id, to: cursor) }
            if page.count < Self.batch { return }
        }
    }

    private func advance(_ id: String, to seq: Int64) async throws {
        let now = stamps.now()
        try await database.write { db in
            try await db.update("webhooks").set("cursor_seq", to: seq).set("attempt", to: 0).set("failing_since", to: SQLLiteral.null)
                .set("next_attempt_at", to: SQLLiteral.null).set("lease_until", to: now + Self.leaseMillis).where("id", .equal, id).run()
        }
    }

    private func deactivate(_ hook: WebhookRow, attempts: Int, since: Int64) async throws {
        let reason = "Every delivery failed for 24 hours (\(attempts) attempts); turned off. Fix the receiver, then turn the hook on again: it resumes at the change it stopped at."
        let now = stamps.now()
        try await database.write { db in
            try await db.update("webhooks").set("active", to: 0).set("deactivated_reason", to: reason).set("attempt", to: attempts)
                .set("failing_since", to: since).set("next_attempt_at", to: SQLLiteral.null).set("updated_at", to: now).where("id", .equal, hook.id).run()
            let product = try await ProductService.detail(hook.productId, on: db)
            let partners = [product.productOwner.id] + product.teams.compactMap { $0.scrumMaster?.id }
            try await NotificationLog.notify(partners, kind: "webhook.deactivated", text: "A webhook of \(product.name) was turned off after failing for 24 hours: \(hook.url.prefix(120))",
                                             link: SiteRoute.webhooks(hook.productId).path, productID: hook.productId, subjectID: hook.id, stamps: stamps, on: db)
        }
        logger.notice("a webhook failing for 24 hours was turned off", metadata: ["webhook": "\(hook.id)"])
    }

    /// Sends one change once and records the attempt; true when the receiver answered 2xx.
    private func attempt(_ change: ChangeDTO, hook: WebhookRow, attempt: Int, redelivery: Bool) async throws -> Bool {
        let renewed = stamps.now() + Self.leaseMillis
        try await database.write { [owner] db in
            try await db.update("webhooks").set("lease_until", to: renewed).where("id", .equal, hook.id).where("lease_owner", .equal, owner).run()
        }
        let started = ContinuousClock.now
        let deliveryID = WebhookService.deliveryID(webhookID: hook.id, seq: change.seq)
        var status: Int?, failure: String?
        do {
            status = try await send(change, hook: hook, deliveryID: deliveryID)
            if let code = status, !(200..<300).contains(code) { failure = "The receiver answered \(code)." }
        } catch let error as DomainError {
            failure = error.message
        } catch {
            failure = Self.describe(error)
        }
        let elapsed = ContinuousClock.now - started
        let millis = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        let now = stamps.now(), id = stamps.newID()
        try await database.write { [status, failure] db in
            try await db.insert(into: "webhook_deliveries")
                .columns("id", "webhook_id", "delivery_id", "seq", "type", "attempt", "status_code", "duration_ms", "error", "redelivery", "at")
                .values(SQLBind(id), SQLBind(hook.id), SQLBind(deliveryID), SQLBind(change.seq), SQLBind(change.type), SQLBind(attempt), SQLBind(status),
                        SQLBind(millis), SQLBind(failure.map { String($0.prefix(500)) }), SQLBind(redelivery ? 1 : 0), SQLBind(now))
                .run()
        }
        return failure == nil
    }

    /// The POST itself: to the address checked just now, no redirects, ten seconds, at most 64 KB of answer read.
    private func send(_ change: ChangeDTO, hook: WebhookRow, deliveryID: String) async throws -> Int {
        let url = try WebhookURL(hook.url, allowPlainHTTP: addresses.allowPrivate)
        let address = try await addresses.destination(url)
        let body = Array(try JSONBody.encoder.encode(change))
        let timestamp = stamps.now() / 1000
        let previous = (hook.previousSecretUntil ?? 0) > stamps.now() ? hook.previousSecret : nil
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: Self.timeout, read: Self.timeout))
        configuration.dnsOverride = [url.host: address]
        configuration.connectionPool.retryConnectionEstablishment = false  // a refused connection is a failed attempt; our schedule retries
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            var request = HTTPClientRequest(url: url.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "Tandem-Webhooks/1")
            request.headers.add(name: "X-Tandem-Event", value: change.type)
            request.headers.add(name: "X-Tandem-Delivery", value: deliveryID)
            request.headers.add(name: "X-Tandem-Seq", value: String(change.seq))
            request.headers.add(name: "X-Tandem-Timestamp", value: String(timestamp))
            request.headers.add(name: "X-Tandem-Webhook", value: hook.id)
            request.headers.add(name: "X-Tandem-Signature", value: WebhookSignature.header(secret: hook.secret, previous: previous, timestamp: timestamp, body: body))
            request.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(request, timeout: Self.timeout)
            var read = 0
            for try await part in response.body {  // read (and drop) at most 64 KB of the answer
                read += part.readableBytes
                if read >= Self.maxResponseBytes { break }
            }
            try await client.shutdown()
            return Int(response.status.code)
        } catch {
            try? await client.shutdown()  // try?: the delivery's own error is the one to record
            throw error
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectTimeout") || text.contains("deadlineExceeded") || text.contains("readTimeout") { return "No answer within 10 seconds." }
        if text.contains("connectionRefused") || text.contains("Connection refused") || text.contains("ECONNREFUSED") { return "The receiver refused the connection." }
        if text.contains("remoteConnectionClosed") { return "The receiver closed the connection without an answer." }
        if text.contains("handshake") || text.contains("certificate") || text.contains("BoringSSL") { return "The TLS handshake failed (the receiver's certificate?)." }
        return "The delivery failed: \(String(reflecting: type(of: error)))."
    }
}
