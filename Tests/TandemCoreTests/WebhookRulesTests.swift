import Foundation
import Testing
import TandemCore

/// The address check is pure: these rows are parsed and classified, never connected to.
@Suite("Webhook rules")
struct WebhookRulesTests {
    typealias Refusal = WebhookAddress.Refusal

    @Test("addresses a hook may not reach, and those it may", arguments: [
        ("127.0.0.1", Refusal.loopback), ("127.8.9.10", .loopback), ("::1", .loopback), ("[::1]", .loopback),
        ("::ffff:127.0.0.1", .loopback), ("[::ffff:127.0.0.1]", .loopback), ("::ffff:7f00:1", .loopback), ("::127.0.0.1", .loopback),
        ("64:ff9b::127.0.0.1", .loopback), ("2002:7f00:1::", .loopback),
        ("10.0.0.1", .private), ("10.255.255.255", .private), ("172.16.0.1", .private), ("172.31.255.254", .private),
        ("192.168.1.20", .private), ("100.64.0.1", .private), ("100.127.255.255", .private), ("fd12:3456::1", .private),
        ("fc00::1", .private), ("::ffff:10.1.2.3", .private), ("::ffff:192.168.0.1", .private), ("fec0::1", .private),
        ("169.254.10.20", .linkLocal), ("fe80::1", .linkLocal), ("febf::1", .linkLocal), ("::ffff:169.254.1.1", .linkLocal),
        ("224.0.0.1", .multicast), ("239.255.255.250", .multicast), ("ff02::1", .multicast), ("ff05::1:3", .multicast),
        ("::ffff:224.0.0.251", .multicast),
        ("169.254.169.254", .metadata), ("::ffff:169.254.169.254", .metadata), ("::ffff:a9fe:a9fe", .metadata),
        ("fd00:ec2::254", .metadata), ("100.100.100.200", .metadata), ("192.0.0.192", .metadata), ("64:ff9b::169.254.169.254", .metadata),
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("::", .unspecified), ("::ffff:0.0.0.0", .unspecified),
        ("240.0.0.1", .reserved), ("198.18.0.1", .reserved), ("2001:db8::1", .reserved), ("2001:0:4136:e378::1", .reserved),
        ("255.255.255.255", .broadcast),
    ] as [(String, Refusal)])
    func refused(_ text: String, _ expected: Refusal) throws {
        let bytes = try #require(WebhookAddress.parse(text), "\(text) parses")
        #expect(WebhookAddress.refusal(bytes) == expected, "\(text)")
    }

    @Test("public addresses are reached", arguments: [
        "93.184.216.34", "1.1.1.1", "8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "169.253.1.1",
        "192.169.0.1", "223.255.255.255", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:93.184.216.34", "64:ff9b::8.8.8.8",
        "2002:5db8:d822::1",
    ])
    func allowed(_ text: String) throws {
        let bytes = try #require(WebhookAddress.parse(text), "\(text) parses")
        #expect(WebhookAddress.refusal(bytes) == nil, "\(text)")
    }

    @Test("allowing private networks lets loopback and private through, never metadata, link-local or multicast")
    func allowPrivate() throws {
        for (text, expected) in [("127.0.0.1", nil), ("::1", nil), ("::ffff:127.0.0.1", nil), ("10.0.0.1", nil), ("fd12::1", nil),
                                 ("169.254.169.254", Refusal.metadata), ("fe80::1", .linkLocal), ("224.0.0.1", .multicast), ("0.0.0.0", .unspecified)] as [(String, Refusal?)] {
            #expect(WebhookAddress.refusal(try #require(WebhookAddress.parse(text)), allowPrivate: true) == expected, "\(text)")
        }
    }

    @Test("names that are not addresses are not parsed as one", arguments: ["localhost", "example.com", "127.1", "0x7f000001", "2130706433", "fe80::1%eth0", "", "[]", "1.2.3.4.5"])
    func notAnAddress(_ text: String) {
        #expect(WebhookAddress.parse(text) == nil, "\(text)")
    }

    @Test("a hook's address: https, a host, no credentials")
    func urls() throws {
        let url = try WebhookURL("https://hooks.example.com/tandem?x=1", allowPlainHTTP: false)
        #expect(url.host == "hooks.example.com" && url.port == 443 && url.scheme == "https")
        #expect(try WebhookURL("http://127.0.0.1:8080/in", allowPlainHTTP: true).port == 8080)
        #expect(try WebhookURL("https://[::1]:9/x", allowPlainHTTP: false).host == "::1")
        for (raw, plain) in [("http://example.com/", false), ("ftp://example.com/", true), ("https://user:pw@example.com/", false), ("example.com", false),
                             ("", false), ("https://", false), ("https://example.com/#x", false), (String(repeating: "a", count: 2_001), false)] {
            #expect(throws: DomainError.self, "\(raw.prefix(40))") { try WebhookURL(raw, allowPlainHTTP: plain) }
            do { _ = try WebhookURL(raw, allowPlainHTTP: plain) } catch let error as DomainError { #expect(error.field == "url") } catch {}
        }
    }

    @Test("events name known changes, or all of them")
    func events() throws {
        #expect(try WebhookEvents(["*"]).matches("item.moved"))
        let some = try WebhookEvents(["item.moved", "item.created", "item.moved"])
        #expect(some.types == ["item.created", "item.moved"] && some.matches("item.moved") && !some.matches("sprint.started"))
        do {
            _ = try WebhookEvents(["item.moved", "item.teleported"])
            Issue.record("an unknown change is refused")
        } catch let error as DomainError {
            #expect(error.field == "events[1]")
        }
        #expect(throws: DomainError.self) { try WebhookEvents([]) }
    }

    @Test("retries double from ten seconds to an hour, spread by a fifth")
    func retries() {
        #expect(WebhookRetry.delaySeconds(afterAttempt: 1, random: 0.5) == 10)
        #expect(WebhookRetry.delaySeconds(afterAttempt: 2, random: 0.5) == 20)
        #expect(abs(WebhookRetry.delaySeconds(afterAttempt: 1, random: 0) - 8) < 1e-9)
        #expect(abs(WebhookRetry.delaySeconds(afterAttempt: 1, random: 1) - 12) < 1e-9)
        #expect(WebhookRetry.delaySeconds(afterAttempt: 30, random: 0.5) == 3600)
        // About 26 attempts fit in the 24 hours before a hook is turned off.
        var elapsed = 0.0, attempts = 0
        while elapsed < Double(WebhookRetry.giveUpAfterSeconds) { attempts += 1; elapsed += WebhookRetry.delaySeconds(afterAttempt: attempts, random: 0.5) }
        #expect((20...40).contains(attempts))
    }
}
