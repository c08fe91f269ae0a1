import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which addresses a webhook may reach: a hook set by a product's members must not become a way to call the
/// server's own network (its database, a cloud's metadata service), so each resolved address is checked here,
/// when the hook is saved and again before every delivery. Pure: it parses and classifies, it connects nowhere.
public enum WebhookAddress {
    /// Why an address is refused.
    public enum Refusal: String, Sendable, Equatable, CaseIterable {
        case loopback, `private`, linkLocal, multicast, metadata, unspecified, reserved, broadcast

        /// The words a refusal is explained with.
        public var words: String {
            switch self {
            case .loopback: "a loopback address"
            case .private: "a private-network address"
            case .linkLocal: "a link-local address"
            case .multicast: "a multicast address"
            case .metadata: "a cloud metadata address"
            case .unspecified: "an unspecified address"
            case .reserved: "a reserved address"
            case .broadcast: "the broadcast address"
            }
        }
    }

    /// The 4 or 16 bytes of an IP address written as text (`10.0.0.1`, `::1`, `[::ffff:127.0.0.1]`), or nil.
    public static func parse(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if text.contains("%") { return nil }  // a zone index names an interface: never a webhook's destination
        var v4 = in_addr()
        if inet_pton(AF_INET, String(text), &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(text), &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// The IPv4 address an IPv6 address carries (mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64
    /// `64:ff9b::a.b.c.d`, 6to4 `2002:AABB:CCDD::`), which is the one a connection really reaches.
    public static func embeddedIPv4(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count == 16 else { return nil }
        let head = Array(bytes[0..<12])
        if head == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] { return Array(bytes[12...]) }
        if head == [UInt8](repeating: 0, count: 12), bytes[12...].contains(where: { $0 != 0 }), !(bytes[12...15] == [0, 0, 0, 1]) {
            return Array(bytes[12...])  // ::a.b.c.d (deprecated, still routed by some stacks); not :: or ::1
        }
        if head == [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0] { return Array(bytes[12...]) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return Array(bytes[2..<6]) }
        return nil
    }

    /// Why the address may not be reached, or nil when it may. `allowPrivate` lets loopback and private networks
    /// through (a receiver on the same machine or network, as in tests); metadata, link-local and multicast stay refused.
    public static func refusal(_ bytes: [UInt8], allowPrivate: Bool = false) -> Refusal? {
        let found: Refusal?
        switch bytes.count {
        case 4: found = refusalV4(bytes)
        case 16: found = embeddedIPv4(bytes).map { refusalV4($0) } ?? refusalV6(bytes)
        default: return .reserved
        }
        if allowPrivate, found == .loopback || found == .private { return nil }
        return found
    }

    private static func refusalV4(_ b: [UInt8]) -> Refusal? {
        switch (b[0], b[1]) {
        case (169, 254) where b[2] == 169 && b[3] == 254: return .metadata  // AWS, GCP, Azure, OpenStack
        case (100, 100) where b[2] == 100 && b[3] == 200: return .metadata  // Alibaba Cloud
        case (192, 0) where b[2] == 0 && (b[3] == 192 || b[3] == 170 || b[3] == 171): return .metadata  // Oracle Cloud, NAT64 discovery
        case (0, _): return .unspecified
        case (127, _): return .loopback
        case (10, _), (172, 16...31), (192, 168): return .private
        case (100, 64...127): return .private  // carrier-grade NAT, shared address space
        case (169, 254): return .linkLocal
        case (192, 0) where b[2] == 0: return .reserved  // IETF protocol assignments
        case (198, 18...19): return .reserved  // benchmarking
        case (224...239, _): return .multicast
        case (255, 255) where b[2] == 255 && b[3] == 255: return .broadcast
        case (240...255, _): return .reserved
        default: return nil
        }
    }

    private static func refusalV6(_ b: [UInt8]) -> Refusal? {
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        if b[0] == 0xfd, b[1] == 0x00, b[2] == 0x0e, b[3] == 0xc2, b[4...13].allSatisfy({ $0 == 0 }), b[14] == 0x02, b[15] == 0x54 { return .metadata }  // fd00:ec2::254
        if b[0] == 0xff { return .multicast }
        if b[0] == 0xfe, b[1] & 0xc0 == 0x80 { return .linkLocal }  // fe80::/10
        if b[0] == 0xfe, b[1] & 0xc0 == 0xc0 { return .private }  // fec0::/10, site-local (deprecated)
        if b[0] & 0xfe == 0xfc { return .private }  // fc00::/7, unique local
        if b[0] == 0x01, b[1...7].allSatisfy({ $0 == 0 }) { return .reserved }  // 100::/64, discard-only
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x0d, b[3] == 0xb8 { return .reserved }  // documentation
        if b[0] == 0x20, b[1] == 0x01, b[2] == 0x00, b[3] == 0x00 { return .reserved }  // Teredo, which tunnels to any IPv4
        return nil
    }
}

/// What a webhook is sent to: an https address (http only where private addresses are allowed, for a receiver
/// on the same machine), with a host and no credentials in it.
public struct WebhookURL: Sendable, Equatable {
    public let url: String
    public let scheme: String
    public let host: String
    public let port: Int

    public static let maxLength = 2_000

    public init(_ raw: String, allowPlainHTTP: Bool) throws {
        let text = raw.trimmingCharacters(in: .whitespaces)
        func refuse(_ reason: String) -> DomainError { DomainError.invalid(field: "url", reason) }
        guard !text.isEmpty else { throw refuse("Give the address the changes are sent to, such as https://example.com/tandem.") }
        guard text.count <= Self.maxLength else { throw refuse("The address is longer than \(Self.maxLength) characters.") }
        guard let parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(), let host = parts.host, !host.isEmpty else {
            throw refuse("This is not a web address; write it as https://host/path.")
        }
        guard scheme == "https" || (scheme == "http" && allowPlainHTTP) else {
            throw refuse(scheme == "http" ? "Use https: changes carry your product's content and must not cross the network in the clear." : "Only https addresses can receive webhooks.")
        }
        guard parts.user == nil, parts.password == nil else { throw refuse("Leave credentials out of the address; the signature proves who sent it.") }
        guard parts.fragment == nil else { throw refuse("An address with a #fragment cannot receive a POST; remove it.") }
        let port = parts.port ?? (scheme == "https" ? 443 : 80)
        guard (1...65_535).contains(port) else { throw refuse("The port must be between 1 and 65535.") }
        self.url = text
        self.scheme = scheme
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()).lowercased() : host.lowercased()
        self.port = port
    }
}

/// Which changes a hook receives: the wire names it lists, or every change (`*`).
public struct WebhookEvents: Sendable, Equatable {
    public let types: [String]

    /// Checks each listed name against the change stream's kinds, naming the one that is not.
    public init(_ types: [String]) throws {
        guard !types.isEmpty else { throw DomainError.invalid(field: "events", "List the changes to send, or [\"*\"] for every change.") }
        let known = Set(ChangeType.allCases.map(\.rawValue))
        for (index, type) in types.enumerated() where type != "*" && !known.contains(type) {
            throw DomainError.invalid(field: "events[\(index)]", "“\(type.prefix(60))” is not a change Tandem records; the README lists them.")
        }
        self.types = types.contains("*") ? ["*"] : Array(Set(types)).sorted()
    }

    public func matches(_ type: String) -> Bool { types == ["*"] || types.contains(type) }
}

/// When a failed delivery is tried again: doubling from 10 seconds to at most an hour, each spread by ±20% so
/// hooks that failed together do not return together; after 24 hours of failure the hook is turned off.
public enum WebhookRetry {
    public static let giveUpAfterSeconds: Int64 = 24 * 3600

    public static func delaySeconds(afterAttempt attempt: Int, random: Double) -> Double {
        let base = min(10 * pow(2, Double(max(attempt, 1) - 1)), 3600)
        return base * (0.8 + 0.4 * min(max(random, 0), 1))
    }
}
