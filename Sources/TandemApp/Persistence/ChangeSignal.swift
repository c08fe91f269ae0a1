import Foundation
import Logging
import PostgresNIO
import SQLKit
import ServiceLifecycle
import Synchronization

/// Wakes whoever follows a product's changes (an event stream, a webhook worker) once a change is committed. A wake
/// carries no change: the follower reads what is new from the change table after its own cursor, so the table stays
/// the one source of truth and a wake lost, doubled or merged with another loses or repeats nothing.
public final class ChangeSignal: Sendable {
    /// One follower: the products and the person it follows, and where its wakes go.
    private struct Follower {
        let productID: String?
        let userID: String?
        let everyProduct: Bool
        let continuation: AsyncStream<Void>.Continuation
    }

    private struct State {
        var followers: [UInt64: Follower] = [:]
        var next: UInt64 = 0
        var finished = false
    }

    private let state = Mutex(State())

    public init() {}

    /// A follower of `productID`'s changes (and, with `userID`, of what concerns that person, such as their
    /// notifications or the end of their session). Wakes are merged while the follower is busy; finishing the
    /// sequence means the process is stopping.
    public func follow(productID: String?, userID: String? = nil) -> (id: UInt64, wakes: AsyncStream<Void>) {
        follow(productID: productID, userID: userID, everyProduct: false)
    }

    /// A follower of every product's changes (a background worker, such as webhook delivery).
    public func followEveryProduct() -> (id: UInt64, wakes: AsyncStream<Void>) {
        follow(productID: nil, userID: nil, everyProduct: true)
    }

    private func follow(productID: String?, userID: String?, everyProduct: Bool) -> (id: UInt64, wakes: AsyncStream<Void>) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id: UInt64? = state.withLock { state in
            guard !state.finished else { return nil }
            state.next += 1
            state.followers[state.next] = Follower(productID: productID, userID: userID, everyProduct: everyProduct, continuation: continuation)
            return state.next
        }
        guard let id else {
            continuation.finish()
            return (0, stream)
        }
        continuation.onTermination = { [weak self] _ in self?.unfollow(id) }
        return (id, stream)
    }

    public func unfollow(_ id: UInt64) {
        let follower = state.withLock { $0.followers.removeValue(forKey: id) }
        follower?.continuation.finish()
    }

    /// Wakes the followers of these products and of these people.
    public func wake(products: some Sequence<String>, users: some Sequence<String> = [String]()) {
        let products = Set(products), users = Set(users)
        guard !products.isEmpty || !users.isEmpty else { return }
        let woken = state.withLock { state in
            state.followers.values.filter { follower in
                (follower.everyProduct && !products.isEmpty) || follower.productID.map(products.contains) == true || follower.userID.map(users.contains) == true
            }.map(\.continuation)
        }
        for continuation in woken { continuation.yield() }
    }

    /// Wakes one follower (its keep-alive timer).
    public func nudge(_ id: UInt64) {
        state.withLock { $0.followers[id]?.continuation }?.yield()
    }

    /// Wakes every follower: after a lost connection to the other processes, each catches up from its cursor.
    public func wakeAll() {
        for continuation in state.withLock({ $0.followers.values.map(\.continuation) }) { continuation.yield() }
    }

    /// The products someone follows now, for a watcher that polls.
    public var followedProducts: Set<String> {
        state.withLock { Set($0.followers.values.compactMap(\.productID)) }
    }

    public var followerCount: Int { state.withLock { $0.followers.count } }

    /// Ends every follower (the process is stopping) and refuses new ones.
    public func finishAll() {
        let all = state.withLock { state in
            state.finished = true
            defer { state.followers = [:] }
            return state.followers.values.map(\.continuation)
        }
        for continuation in all { continuation.finish() }
    }
}

/// What a write transaction changed, gathered while it runs and announced once it has committed, so no follower
/// is woken by a change that is then rolled back.
final class PendingWakes: Sendable {
    private let state = Mutex<(products: Set<String>, users: Set<String>)>(([], []))

    @TaskLocal static var current: PendingWakes?

    static func product(_ productID: String) { current?.state.withLock { _ = $0.products.insert(productID) } }
    static func users(_ userIDs: some Sequence<String>) { current?.state.withLock { $0.users.formUnion(userIDs) } }

    var products: Set<String> { state.withLock { $0.products } }
    var users: Set<String> { state.withLock { $0.users } }
}

/// Brings other processes' changes to this process's followers: on PostgreSQL by `LISTEN` on the channel every
/// committed change notifies (reconnecting with backoff, then waking everyone to catch up from the table); on
/// SQLite by reading the change counters of the followed products twice a second, which also sees what another
/// process on the same file committed (`tandem import`, `restore`).
public struct ChangeWatcher: Service {
    public static let channel = "tandem_changes"
    let database: TandemDatabase
    let logger: Logger
    /// How often SQLite's counters are read.
    var pollInterval: Duration = .milliseconds(500)

    public init(database: TandemDatabase, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await watch()
        } onGracefulShutdown: {
            // Streams end cleanly, so the server's own shutdown does not wait on them.
            database.changeSignal.finishAll()
        }
        database.changeSignal.finishAll()
    }

    private func watch() async {
        if case .postgres = database.location {
            await listen()
        } else {
            await poll()
        }
    }

    private func listen() async {
        var backoff = Duration.milliseconds(100)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let connected = Atomic<Bool>(false)
            do {
                try await database.listen(on: Self.channel) { payloads in
                    connected.store(true, ordering: .relaxed)
                    // Listening again after a gap: whatever was committed meanwhile is read from the table.
                    database.changeSignal.wakeAll()
                    for try await payload in payloads {
                        guard let product = payload.split(separator: ":").first else { continue }
                        database.changeSignal.wake(products: [String(product)])
                    }
                }
            } catch {
                if Task.isCancelled || Task.isShuttingDownGracefully { return }
                logger.warning("listening for changes failed; retrying", metadata: ["error": "\(String(reflecting: type(of: error)))", "retryIn": "\(backoff)"])
            }
            if connected.load(ordering: .relaxed) { backoff = .milliseconds(100) }
            let jitter = Double.random(in: 0.8...1.2)
            try? await Task.sleep(for: backoff * jitter)  // try?: cancelled while waiting means stopping, checked by the loop.
            backoff = min(backoff * 2, .seconds(10))
        }
    }

    private func poll() async {
        var seen: [String: Int64] = [:]
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let followed = database.changeSignal.followedProducts
            if !followed.isEmpty {
                do {
                    let revisions = try await database.read { db in
                        try await db.select().columns("product_id", "revision").from("product_changes").where("product_id", .in, Array(followed)).all()
                            .map { (try $0.decode(column: "product_id", as: String.self), try $0.decode(column: "revision", as: Int64.self)) }
                    }
                    var changed: [String] = []
                    for (product, revision) in revisions where seen[product] != revision {
                        if seen[product] != nil { changed.append(product) }
                        seen[product] = revision
                    }
                    database.changeSignal.wake(products: changed)
                } catch {
                    logger.warning("reading the change counters failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                }
            }
            try? await Task.sleep(for: pollInterval)  // try?: cancelled while waiting means stopping, checked by the loop.
        }
    }
}
