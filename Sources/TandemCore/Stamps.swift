import Foundation

/// The present moment, in milliseconds since 1970: injected so tests can pin time and compare answers byte for byte.
public struct TimeSource: Sendable {
    public let millis: @Sendable () -> Int64

    public init(millis: @escaping @Sendable () -> Int64) { self.millis = millis }

    /// The system clock; only the process's edge (serve, the CLI) chooses it.
    public static let system = TimeSource { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Starts at `start` and advances `step` milliseconds each time it is read, so every event has its own moment.
    public static func pinned(at start: Int64, step: Int64 = 1000) -> TimeSource {
        let counter = Counter()
        return TimeSource { start + step * counter.next() }
    }
}

/// New row identifiers: random UUIDs in production, a predictable sequence in tests.
public struct IDSource: Sendable {
    public let next: @Sendable () -> String

    public init(next: @escaping @Sendable () -> String) { self.next = next }

    public static let random = IDSource { UUID().uuidString.lowercased() }

    /// `00000000-0000-4000-8000-000000000001`, `…002`, …: shaped like the UUIDs clients are used to.
    public static func sequential() -> IDSource {
        let counter = Counter()
        return IDSource {
            let digits = String(counter.next() + 1)
            return "00000000-0000-4000-8000-" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits
        }
    }
}

/// The time and the id a service stamps on what it writes; one value so a service takes both or neither.
public struct Stamps: Sendable {
    public let clock: TimeSource
    public let ids: IDSource

    public init(clock: TimeSource = .system, ids: IDSource = .random) {
        self.clock = clock
        self.ids = ids
    }

    public static let system = Stamps()

    /// A pinned clock and sequential ids, for snapshot tests.
    public static func pinned(at start: Int64) -> Stamps { Stamps(clock: .pinned(at: start), ids: .sequential()) }

    public func now() -> Int64 { clock.millis() }
    public func newID() -> String { ids.next() }
}

/// A thread-safe counting sequence 0, 1, 2, …
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 0

    func next() -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        defer { value += 1 }
        return value
    }
}
