import Foundation
import NIOPosix
import Synchronization
import TandemCore
#if canImport(Glibc)
import Glibc
#endif

/// Where a hook's address leads, checked when it is saved and again before each delivery: every address its
/// host resolves to must pass `WebhookAddress`, and the delivery connects to the address checked here, so a
/// name that resolves elsewhere a second later (DNS rebinding) reaches nothing new.
struct WebhookAddressCheck: Sendable {
    /// `TANDEM_WEBHOOKS_ALLOW_PRIVATE=1`: loopback and private networks allowed (and plain http), for receivers
    /// on the same machine or network.
    let allowPrivate: Bool
    var resolve: @Sendable (String) async throws -> [[UInt8]] = { try await HostResolver.addresses(of: $0) }

    /// The address parsed and its host's addresses checked; refused with the field named.
    func checked(_ raw: String) async throws -> WebhookURL {
        let url = try WebhookURL(raw, allowPlainHTTP: allowPrivate)
        _ = try await destination(url)
        return url
    }

    /// The checked address to connect to, as text.
    func destination(_ url: WebhookURL) async throws -> String {
        let addresses: [[UInt8]]
        do {
            addresses = try await resolve(url.host)
        } catch {
            throw DomainError(.invalid, code: "webhook_address_unresolved", message: "The host \(url.host.prefix(100)) could not be resolved to an address.", field: "url")
        }
        guard let first = addresses.first else {
            throw DomainError(.invalid, code: "webhook_address_unresolved", message: "The host \(url.host.prefix(100)) has no address.", field: "url")
        }
        for address in addresses {
            if let refusal = WebhookAddress.refusal(address, allowPrivate: allowPrivate) {
                let words = url.host == Self.text(address) ? "is \(refusal.words)" : "resolves to \(refusal.words)"
                throw DomainError(.invalid, code: "webhook_address_refused",
                                  message: "Webhooks may not be sent to \(url.host.prefix(100)): it \(words), inside the server's own network.", field: "url")
            }
        }
        return Self.text(first)
    }

    static func text(_ bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        return bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil ? String(cString: buffer) : ""
        }
    }
}

/// The system resolver (hosts file, then DNS), on a worker thread and given at most five seconds.
enum HostResolver {
    struct Failed: Error {}

    static func addresses(of host: String) async throws -> [[UInt8]] {
        if let literal = WebhookAddress.parse(host) { return [literal] }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[[UInt8]], any Error>) in
            let once = Once(continuation)
            NIOThreadPool.singleton.submit { state in
                guard case .active = state else { return once.finish(.failure(Failed())) }
                once.finish(Result { try lookup(host) })
            }
            Task {
                try? await Task.sleep(for: .seconds(5))  // try?: cancellation cannot happen here; the sleep just ends
                once.finish(.failure(Failed()))
            }
        }
    }

    /// Resumes the continuation with whichever answer comes first: the lookup, or the time running out.
    private final class Once: Sendable {
        let continuation: Mutex<CheckedContinuation<[[UInt8]], any Error>?>
        init(_ continuation: CheckedContinuation<[[UInt8]], any Error>) { self.continuation = Mutex(continuation) }
        func finish(_ result: Result<[[UInt8]], any Error>) {
            continuation.withLock { pending in
                pending?.resume(with: result)
                pending = nil
            }
        }
    }

    private static func lookup(_ host: String) throws -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { throw Failed() }
        defer { freeaddrinfo(list) }
        var found: [[UInt8]] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let address = entry.pointee.ai_addr else { continue }
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    var raw = v4.pointee.sin_addr
                    found.append(withUnsafeBytes(of: &raw) { Array($0) })
                }
            case AF_INET6:
                address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    var raw = v6.pointee.sin6_addr
                    found.append(withUnsafeBytes(of: &raw) { Array($0) })
                }
            default: continue
            }
        }
        var unique: [[UInt8]] = []
        for address in found where !unique.contains(address) { unique.append(address) }
        return unique
    }
}
