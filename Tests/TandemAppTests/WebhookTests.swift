import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import TandemCore
@testable import TandemApp

/// Webhooks through the API: who may set them, which addresses are refused (by name and address, resolving only
/// through the hosts file, connecting nowhere), secrets shown once, and a hook failing for 24 hours turned off with
/// its partners told. Deliveries to a real receiver are in e2e/test_webhooks.py.
@Suite("Webhooks")
struct WebhookTests {
    @Test(arguments: TestEngine.all)
    func loopbackAddressesAreRefusedWithoutTheAllowSetting(engine: TestEngine) async throws {
        try await withTandem(engine) { api, _ in
            let f = try await BacklogFixture.make(api, key: "WHR")
            for url in ["https://127.0.0.1/in", "https://127.8.9.10/in", "https://localhost/in", "https://[::1]/in", "https://[::ffff:127.0.0.1]/in",
                        "https://169.254.169.254/latest", "https://10.1.2.3/", "https://[fe80::1]/", "https://224.0.0.1/", "https://0.0.0.0/"] {
                let refused = try await api.call(.post, "/api/v1/products/\(f.productID)/webhooks", token: f.po.token, body: ["url": .string(url), "events": ["*"]])
                #expect(refused.status == .unprocessableContent && refused.errorCode == "webhook_address_refused" && refused.errorField == "url", "\(url): \(refused.text)")
            }
            let plain = try await api.call(.post, "/api/v1/products/\(f.productID)/webhooks", token: f.po.token, body: ["url": "http://203.0.113.9/in", "events": ["*"]])
            #expect(plain.status == .unprocessableContent && plain.errorField == "url", "plain http only where private addresses are allowed")
            let list = try await api.call(.get, "/api/v1/products/\(f.productID)/webhooks", token: f.po.token)
            #expect(list.json["items"]?.array.isEmpty == true, "nothing half-written")
        }
    }

    @Test(arguments: TestEngine.all)
    func thePartnersManageHooksAndTheSecretIsShownOnce(engine: TestEngine) async throws {
        try await withTandem(engine, configure: { $0.webhooksAllowPrivate = true }) { api, _ in
            let f = try await BacklogFixture.make(api, key: "WHM")
            let path = "/api/v1/products/\(f.productID)/webhooks"
            for (who, token) in [("developer", f.dev.token), ("stakeholder", f.stakeholder.token)] {
                let denied = try await api.call(.post, path, token: token, body: ["url": "http://127.0.0.1:9/in", "events": ["*"]])
                #expect(denied.status == .forbidden, "\(who): \(denied.text)")
                #expect(try await api.call(.get, path, token: token).status == .forbidden, "\(who) cannot read the hooks")
            }
            let outsider = try await api.person("Otto")
            #expect(try await api.call(.get, path, token: outsider.token).status == .notFound)

            let unknown = try await api.call(.post, path, token: f.sm.token, body: ["url": "http://127.0.0.1:9/in", "events": ["item.moved", "item.teleported"]])
            #expect(unknown.status == .unprocessableContent && unknown.errorField == "events[1]", "\(unknown.text)")
            let short = try await api.call(.post, path, token: f.sm.token, body: ["url": "http://127.0.0.1:9/in", "events": ["*"], "secret": "short"])
            #expect(short.status == .unprocessableContent && short.errorField == "secret", "\(short.text)")

            let created = try await api.call(.post, path, token: f.sm.token, body: ["url": "http://127.0.0.1:9/in", "events": ["item.moved", "item.created"]])
            #expect(created.status == .created, "\(created.text)")
            let secret = try #require(created.json["secret"]?.string)
            #expect(secret.hasPrefix("whsec_") && secret.count == 70)
            let id = try #require(created.json["id"]?.string)
            #expect(created.json["events"] == ["item.created", "item.moved"] && created.json["active"] == true)
            let listed = try await api.call(.get, path, token: f.po.token)
            #expect(listed.json["items"]?[0]?["id"]?.string == id && listed.json["items"]?[0]?["secret"] == nil && !listed.text.contains(secret), "the secret is never listed")
            #expect(try await api.call(.get, "\(path)/\(id)", token: f.po.token).json["secret"] == nil)

            let given = try await api.call(.post, path, token: f.po.token, body: ["url": "http://127.0.0.1:9/other", "events": ["*"], "secret": "a-secret-of-my-own-choosing"])
            #expect(given.json["secret"]?.string == "a-secret-of-my-own-choosing")

            let rotated = try await api.call(.post, "\(path)/\(id)/rotate-secret", token: f.po.token)
            let next = try #require(rotated.json["secret"]?.string)
            #expect(next != secret && rotated.json["previousSecretValidUntil"]?.string != nil, "\(rotated.text)")

            let off = try await api.call(.patch, "\(path)/\(id)", token: f.po.token, body: ["active": false])
            #expect(off.json["active"] == false, "\(off.text)")
            let moved = try await api.call(.patch, "\(path)/\(id)", token: f.po.token, body: ["url": "https://localhost/in"])
            #expect(moved.status == .ok, "loopback is allowed here: \(moved.text)")
            #expect(try await api.call(.delete, "\(path)/\(id)", token: f.dev.token).status == .forbidden)
            #expect(try await api.call(.delete, "\(path)/\(id)", token: f.po.token).status == .noContent)
            #expect(try await api.call(.get, "\(path)/\(id)", token: f.po.token).status == .notFound)
        }
    }

    @Test(arguments: TestEngine.all)
    func aHookFailingFor24HoursIsTurnedOffAndThePartnersAreTold(engine: TestEngine) async throws {
        let clock = Mutex<Int64>(1_800_000_000_000)
        let stamps = Stamps(clock: TimeSource { clock.withLock { $0 } }, ids: .random)
        try await withTandem(engine, stamps: stamps, configure: { $0.webhooksAllowPrivate = true }) { api, services in
            let f = try await BacklogFixture.make(api, key: "WHF")
            // Port 1 on loopback: nothing listens, so every delivery is refused at once.
            let created = try await api.call(.post, "/api/v1/products/\(f.productID)/webhooks", token: f.po.token, body: ["url": "http://127.0.0.1:1/in", "events": ["*"]])
            let id = try #require(created.json["id"]?.string)
            _ = try await f.item("Export the burnup")
            let dispatcher = services.webhookDispatcher(logger: Logger(label: "test"))
            await dispatcher.deliverDue()
            var hook = try await api.call(.get, "/api/v1/products/\(f.productID)/webhooks/\(id)", token: f.po.token).json
            #expect(hook["active"] == true && hook["failingSince"]?.string != nil && hook["nextAttemptAt"]?.string != nil, "\(hook)")
            await dispatcher.deliverDue()  // not due yet: no second attempt
            var log = try await api.call(.get, "/api/v1/products/\(f.productID)/webhooks/\(id)/deliveries", token: f.po.token).json
            #expect(log["items"]?.array.count == 1 && log["items"]?[0]?["attempt"] == 1 && log["items"]?[0]?["error"]?.string != nil, "\(log)")

            clock.withLock { $0 += 25 * 3_600_000 }
            await dispatcher.deliverDue()
            hook = try await api.call(.get, "/api/v1/products/\(f.productID)/webhooks/\(id)", token: f.po.token).json
            #expect(hook["active"] == false && hook["deactivatedReason"]?.string?.contains("24 hours") == true, "\(hook)")
            log = try await api.call(.get, "/api/v1/products/\(f.productID)/webhooks/\(id)/deliveries", token: f.po.token).json
            #expect(log["items"]?.array.count == 2 && log["items"]?[0]?["attempt"] == 2 && log["items"]?[0]?["deliveryId"] == log["items"]?[1]?["deliveryId"],
                    "the same delivery id on every attempt: \(log)")
            for token in [f.po.token, f.sm.token] {
                let notes = try await api.call(.get, "/api/v1/notifications", token: token).json
                #expect(notes["items"]?.array.contains { $0["kind"] == "webhook.deactivated" } == true, "\(notes)")
            }
            let developer = try await api.call(.get, "/api/v1/notifications", token: f.dev.token).json
            #expect(developer["items"]?.array.contains { $0["kind"] == "webhook.deactivated" } != true)

            // Turned on again, it starts afresh from the change it stopped at.
            let on = try await api.call(.patch, "/api/v1/products/\(f.productID)/webhooks/\(id)", token: f.po.token, body: ["active": true])
            #expect(on.json["active"] == true && on.json["failingSince"] == .null && on.json["deliveredThroughSeq"] == hook["deliveredThroughSeq"], "\(on.text)")
        }
    }

    @Test func signaturesAndDeliveryIDs() {
        // HMAC-SHA256 of "1700000000.{}" with "whsec_test", as any HMAC library computes it.
        #expect(WebhookSignature.sign(secret: "whsec_test", timestamp: 1_700_000_000, body: Array("{}".utf8))
                == "sha256=" + WebhookSignatureVector.expected)
        let both = WebhookSignature.header(secret: "new-secret-value", previous: "old-secret-value", timestamp: 1, body: [])
        #expect(both.split(separator: ",").count == 2 && both.hasPrefix("sha256="))
        let id = WebhookService.deliveryID(webhookID: "hook", seq: 7)
        #expect(id == WebhookService.deliveryID(webhookID: "hook", seq: 7) && id != WebhookService.deliveryID(webhookID: "hook", seq: 8))
        #expect(UUID(uuidString: id) != nil)
    }
}

/// The expected signature, computed once with Python's hmac module:
/// `hmac.new(b"whsec_test", b"1700000000.{}", hashlib.sha256).hexdigest()`.
enum WebhookSignatureVector {
    static let expected = "35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
}
