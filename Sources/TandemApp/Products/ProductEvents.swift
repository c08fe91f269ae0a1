import Foundation
import Hummingbird
import ServiceLifecycle
import SQLKit
import Synchronization
import TandemCore

/// What an event stream sends: a change, a `reset` when it cannot resume where asked, the person's unread count
/// (page streams), or nothing for a while (a keep-alive).
public enum ProductEvent: Sendable {
    case change(ChangeDTO)
    case reset(latestSeq: Int64)
    case notifications(unread: Int)
    case keepAlive
}

/// A product's changes as they happen, for the pages and for programs: each stream replays the changes after the
/// number it resumes from, then follows live ones, reading every one from the change table after its own cursor,
/// so nothing is lost or sent twice between the replay and the live part. Who may listen is asked at connect and
/// again at every wake and keep-alive: a person removed from the product, or whose session or token ended, gets
/// nothing more and the stream ends.
public struct ProductEvents: Sendable {
    let database: TandemDatabase
    let accounts: AccountService
    let limits: EventStreamLimits
    private let open: OpenStreams

    /// Open streams per person and in all, across the process.
    final class OpenStreams: Sendable {
        let counts = Mutex<(total: Int, byPerson: [String: Int])>((0, [:]))
    }

    init(database: TandemDatabase, accounts: AccountService, limits: EventStreamLimits) {
        self.database = database
        self.accounts = accounts
        self.limits = limits
        self.open = OpenStreams()
    }

    /// How many streams this process holds open now.
    public var openStreams: Int { open.counts.withLock { $0.total } }

    /// Checks the caller may listen and takes a place for the stream; the events follow until the person may no
    /// longer listen, the client goes, or the process stops.
    public func stream(productID: String, after: Int64, userID: String, tokenID: String, notifications: Bool) async throws -> AsyncStream<ProductEvent> {
        let latest = try await database.read { db in
            _ = try await ProductService.access(productID: productID, userID: userID, on: db)
            return try await Self.latestSeq(productID, on: db)
        }
        try reserve(userID)
        let (events, continuation) = AsyncStream<ProductEvent>.makeStream(bufferingPolicy: .bufferingOldest(limits.buffered))
        let follow = database.changeSignal.follow(productID: productID, userID: userID)
        @Sendable func pump(from after: Int64) async {
            var cursor = after, unread: Int?, lastSent = ContinuousClock.now
            var wakes = follow.wakes.makeAsyncIterator()
            repeat {
                do {
                    guard try await mayListen(productID: productID, userID: userID, tokenID: tokenID) else { return }
                    var sent = false
                    while true {
                        let page = try await database.read { [cursor] db in
                            try await ProductChanges.changes(productID: productID, after: cursor, limit: ProductChanges.maxLimit, on: db)
                        }
                        for change in page {
                            guard case .enqueued = continuation.yield(.change(change)) else { return }  // too slow: it resumes
                            cursor = change.seq
                            sent = true
                        }
                        if page.count < ProductChanges.maxLimit { break }
                    }
                    if notifications {
                        let count = try await database.read { db in try await NotificationLog.unreadCount(userID: userID, on: db) }
                        if count != unread {
                            unread = count
                            guard case .enqueued = continuation.yield(.notifications(unread: count)) else { return }
                            sent = true
                        }
                    }
                    if sent {
                        lastSent = .now
                    } else if ContinuousClock.now - lastSent >= limits.keepAlive {
                        guard case .enqueued = continuation.yield(.keepAlive) else { return }
                        lastSent = .now
                    }
                } catch {
                    database.logger.warning("an event stream stopped on an error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                    return
                }
            } while await wakes.next() != nil
        }
        let producer = Task { [self] in
            defer {
                database.changeSignal.unfollow(follow.id)
                release(userID)
                continuation.finish()
            }
            if after > latest {
                continuation.yield(.reset(latestSeq: latest))
                return
            }
            let keepAlive = Task { [signal = database.changeSignal, interval = limits.keepAlive] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)  // try?: cancelled means the stream ended; the loop stops.
                    signal.nudge(follow.id)
                }
            }
            defer { keepAlive.cancel() }
            // On SIGTERM the server waits for its open requests: the stream ends at once, and the client resumes
            // from its last event on whichever process answers next.
            await withGracefulShutdownHandler {
                await pump(from: after)
            } onGracefulShutdown: { [signal = database.changeSignal] in
                signal.unfollow(follow.id)
            }
        }
        continuation.onTermination = { _ in producer.cancel() }
        return events
    }

    /// Whether the person still holds an accountability in the product with a live session or token.
    func mayListen(productID: String, userID: String, tokenID: String) async throws -> Bool {
        guard try await accounts.isLive(tokenID: tokenID) else { return false }
        return try await database.read { db in try await ProductService.isMember(productID: productID, userID: userID, on: db) }
    }

    private func reserve(_ userID: String) throws {
        let refusal: DomainError? = open.counts.withLock { counts in
            if counts.total >= limits.perProcess {
                var error = DomainError(.unavailable, code: "too_many_streams", message: "This server holds as many live streams as it may; try again shortly.")
                error.retryAfterSeconds = 5
                return error
            }
            if counts.byPerson[userID, default: 0] >= limits.perPerson {
                return DomainError(.throttled, code: "too_many_streams", message: "You have \(limits.perPerson) live streams open already; close one (a tab, a program) first.")
            }
            counts.total += 1
            counts.byPerson[userID, default: 0] += 1
            return nil
        }
        if let refusal { throw refusal }
    }

    private func release(_ userID: String) {
        open.counts.withLock { counts in
            counts.total -= 1
            counts.byPerson[userID, default: 1] -= 1
            if counts.byPerson[userID] == 0 { counts.byPerson[userID] = nil }
        }
    }

    static func latestSeq(_ productID: String, on db: any SQLDatabase) async throws -> Int64 {
        try await db.select().column("revision").from("product_changes").where("product_id", .equal, productID).first()
            .map { try $0.decode(column: "revision", as: Int64.self) } ?? 0
    }
}

extension ProductEvents {
    /// The stream as `text/event-stream`: `id:` the change's number, `event:` its type, `data:` the change as
    /// `GET …/changes` gives it; `reset` when it cannot resume where asked; `notifications` with the unread count.
    func response(_ request: Request, productID: String, identity: Identity, notifications: Bool) async throws -> Response {
        let resume = try ServerSentEvents.resumeFrom(request)
        let after: Int64
        if let resume { after = resume } else { after = try await database.read { db in try await Self.latestSeq(productID, on: db) } }
        let events = try await stream(productID: productID, after: after, userID: identity.user.id, tokenID: identity.tokenID, notifications: notifications)
        return ServerSentEvents.response(events.map(Self.serverSent))
    }

    @Sendable static func serverSent(_ event: ProductEvent) -> ServerSentEvent {
        switch event {
        case .change(let change):
            let data = (try? JSONBody.encoder.encode(change)).map { String(decoding: $0, as: UTF8.self) }  // try?: a decoded change always encodes
            return ServerSentEvent(id: String(change.seq), event: change.type, data: data ?? "{}")
        case .reset(let latest):
            return ServerSentEvent(event: "reset", data: #"{"latestSeq":\#(latest)}"#)
        case .notifications(let unread):
            return ServerSentEvent(event: "notifications", data: #"{"unread":\#(unread)}"#)
        case .keepAlive:
            return ServerSentEvent(comment: "keep-alive")
        }
    }
}
