import Foundation
import HTTPTypes
import Synchronization
import Testing
import TandemApp
import TandemCore

/// The live event stream: it resumes without gaps, follows live changes, and ends for whoever may no longer listen.
@Suite("Event streams")
struct EventStreamTests {
    /// Everything a stream sent, gathered by a task of its own so a silent stream cannot hang a test.
    final class Listener: Sendable {
        final class Box: Sendable { let state = Mutex<(events: [ProductEvent], ended: Bool)>(([], false)) }
        private let box = Box()
        private let task: Task<Void, Never>

        init(_ stream: AsyncStream<ProductEvent>) {
            let box = self.box
            task = Task {
                for await event in stream { box.state.withLock { $0.events.append(event) } }
                box.state.withLock { $0.ended = true }
            }
        }

        deinit { task.cancel() }

        var changes: [ChangeDTO] { box.state.withLock { $0.events.compactMap { if case .change(let change) = $0 { change } else { nil } } } }
        var events: [ProductEvent] { box.state.withLock { $0.events } }
        var ended: Bool { box.state.withLock { $0.ended } }

        /// Waits until `count` changes arrived in all, or the stream ended, or `seconds` passed.
        @discardableResult
        func waitFor(changes count: Int, seconds: Double = 10) async -> [ChangeDTO] {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while changes.count < count, !ended, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
            return changes
        }

        /// Waits until the stream ended (or `seconds` passed) and says whether it did.
        func waitForEnd(seconds: Double = 10) async -> Bool {
            let deadline = ContinuousClock.now + .seconds(seconds)
            while !ended, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
            return ended
        }
    }

    static func identity(_ services: TandemServices, _ token: String) async throws -> Identity {
        try #require(try await services.accounts.authenticate(token: token, source: .bearer, page: nil))
    }

    @Test(arguments: TestEngine.all)
    func aStreamReplaysWhatItMissedThenFollowsLiveChanges(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            let me = try await Self.identity(services, f.dev.token)
            let latest = try #require(try await api.call(.get, "/api/v1/products/\(f.productID)/changes?limit=1", token: f.dev.token).json["latestSeq"]?.number)
            // 100 changes while the listener is away.
            for n in 1...100 { try await f.item("Away \(n)") }
            let listener = Listener(try await services.events.stream(productID: f.productID, after: Int64(latest), userID: me.user.id, tokenID: me.tokenID, notifications: false))
            let replayed = await listener.waitFor(changes: 100)
            #expect(replayed.map(\.seq) == Array(Int64(latest) + 1...Int64(latest) + 100), "exactly the 100 missed, in order")
            #expect(Set(replayed.map(\.type)) == ["item.created"])
            // Then live ones, each once.
            try await f.item("Live")
            let moved = try await api.call(.post, "/api/v1/items/ATL-1/move", token: f.po.token, body: ["to": "bottom", "version": 1])
            #expect(moved.status == .ok, "\(moved.text)")
            let live = await listener.waitFor(changes: 102).dropFirst(100)
            #expect(live.map(\.seq) == [Int64(latest) + 101, Int64(latest) + 102] && live.map(\.type) == ["item.created", "item.moved"])
            try await Task.sleep(for: .milliseconds(200))
            #expect(listener.changes.count == 102, "nothing twice")
        }
    }

    @Test(arguments: TestEngine.all)
    func aStreamThatCannotResumeSaysReset(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            let me = try await Self.identity(services, f.dev.token)
            let listener = Listener(try await services.events.stream(productID: f.productID, after: 1_000_000, userID: me.user.id, tokenID: me.tokenID, notifications: false))
            #expect(await listener.waitForEnd(), "the stream ends")
            guard case .reset(let latest) = listener.events.first, listener.events.count == 1 else {
                Issue.record("the one event is reset: \(listener.events)")
                return
            }
            #expect(latest > 0 && latest < 1_000_000)
        }
    }

    @Test(arguments: TestEngine.all)
    func aRemovedMemberOrAnEndedSessionHearsNothingMore(engine: TestEngine) async throws {
        try await withTandem(engine) { api, services in
            let f = try await BacklogFixture.make(api)
            let stakeholder = try await Self.identity(services, f.stakeholder.token)
            let dev = try await Self.identity(services, f.dev.token)
            let now = try #require(try await api.call(.get, "/api/v1/products/\(f.productID)/changes?limit=1", token: f.po.token).json["latestSeq"]?.number)
            let theirs = Listener(try await services.events.stream(productID: f.productID, after: Int64(now), userID: stakeholder.user.id, tokenID: stakeholder.tokenID, notifications: false))
            let devs = Listener(try await services.events.stream(productID: f.productID, after: Int64(now), userID: dev.user.id, tokenID: dev.tokenID, notifications: false))
            try await f.item("Seen by both")
            #expect(await theirs.waitFor(changes: 1).map(\.seq) == [Int64(now) + 1])
            #expect(await devs.waitFor(changes: 1).map(\.seq) == [Int64(now) + 1])

            let removed = try await api.call(.delete, "/api/v1/products/\(f.productID)/members/\(f.stakeholder.id)", token: f.po.token)
            #expect(removed.status == .noContent || removed.status == .ok, "\(removed.text)")
            try await f.item("After the removal")
            #expect(await theirs.waitForEnd(), "the stream ends")
            #expect(theirs.changes.count == 1, "nothing after the removal: \(theirs.changes.map(\.type))")
            #expect(await devs.waitFor(changes: 3).dropFirst().map(\.type) == ["product.member_removed", "item.created"], "the others hear on")

            // Logging out ends the Developer's stream too.
            #expect(try await api.call(.delete, "/api/v1/sessions/current", token: f.dev.token).status == .noContent)
            try await f.item("After the logout")
            #expect(await devs.waitForEnd())
            #expect(devs.changes.count == 3, "nothing after the logout")
            // And someone who was never a member cannot start one.
            let outsider = try await api.person("Otto")
            let otto = try await Self.identity(services, outsider.token)
            await #expect(throws: DomainError.self) {
                _ = try await services.events.stream(productID: f.productID, after: 0, userID: otto.user.id, tokenID: otto.tokenID, notifications: false)
            }
        }
    }

    @Test(arguments: TestEngine.all)
    func streamsAreBoundedPerPersonAndPerProcess(engine: TestEngine) async throws {
        try await withTandem(engine, configure: { $0.eventStreams.perPerson = 2; $0.eventStreams.perProcess = 3 }) { api, services in
            let f = try await BacklogFixture.make(api)
            let dev = try await Self.identity(services, f.dev.token)
            let po = try await Self.identity(services, f.po.token)
            var held: [AsyncStream<ProductEvent>] = []
            for _ in 0..<2 { held.append(try await services.events.stream(productID: f.productID, after: 0, userID: dev.user.id, tokenID: dev.tokenID, notifications: false)) }
            let third = try await api.call(.get, "/api/v1/products/\(f.productID)/events", token: f.dev.token)
            #expect(third.status == .tooManyRequests && third.errorCode == "too_many_streams", "\(third.text)")
            held.append(try await services.events.stream(productID: f.productID, after: 0, userID: po.user.id, tokenID: po.tokenID, notifications: false))
            let full = try await api.call(.get, "/api/v1/products/\(f.productID)/events", token: f.sm.token)
            #expect(full.status == .serviceUnavailable && full.errorCode == "too_many_streams" && full.headers[.retryAfter] == "5", "\(full.text)")
            #expect(services.events.openStreams == 3)
            for raw in ["-3", "1e300", "abc", "9007199254740992", "1.5", "%00"] {
                let bad = try await api.call(.get, "/api/v1/products/\(f.productID)/events?after=\(raw)", token: f.sm.token)
                #expect(bad.status == .unprocessableContent && bad.errorField == "after", "after=\(raw): \(bad.text)")
                let header = try await api.call(.get, "/api/v1/products/\(f.productID)/events", token: f.sm.token, headers: [HTTPField.Name("Last-Event-ID")!: raw])
                #expect(header.status == .unprocessableContent && header.errorField == "after", "Last-Event-ID \(raw): \(header.text)")
            }
            held.removeAll()
        }
    }
}
