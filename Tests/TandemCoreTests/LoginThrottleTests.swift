import Testing
import TandemCore

@Suite("Login throttle and client address")
struct LoginThrottleTests {
    let throttle = LoginThrottle(perAccountAndAddress: 3, perAddress: 10, windowMillis: 1000)

    @Test(arguments: [
        ([], 3, 5000, nil),
        ([4100, 4200], 3, 5000, nil),
        ([4100, 4200, 4300], 3, 5000, 100),  // the oldest of the last three ages out at 5100
        ([3000, 4100, 4200, 4300], 3, 5000, 100),  // 3000 is outside the window already
        ([4900, 4100, 4300, 4200], 3, 5000, 200),  // four recent: two must age out, the second at 5200
        ([4100, 4200, 4300], 0, 5000, nil),  // a limit of zero means no limit
    ] as [([Int64], Int, Int64, Int64?)])
    func waitsUntilEnoughFailuresAgeOut(failures: [Int64], limit: Int, now: Int64, expected: Int64?) {
        #expect(throttle.wait(failures: failures, limit: limit, now: now) == expected)
    }

    @Test(arguments: [
        ("10.0.0.9", "1.2.3.4", [], "10.0.0.9"),  // an untrusted peer's header is ignored
        ("10.0.0.1", "1.2.3.4", ["10.0.0.1"], "1.2.3.4"),
        ("10.0.0.1", "6.6.6.6, 1.2.3.4", ["10.0.0.1"], "1.2.3.4"),  // what the client prepended does not count
        ("10.0.0.1", "1.2.3.4, 10.0.0.2", ["10.0.0.1", "10.0.0.2"], "1.2.3.4"),  // two proxies in a row
        ("10.0.0.1", nil, ["10.0.0.1"], "10.0.0.1"),
        (nil, "1.2.3.4", [], "unknown"),
    ] as [(String?, String?, Set<String>, String)])
    func readsForwardedForOnlyFromTrustedProxies(peer: String?, forwarded: String?, trusted: Set<String>, expected: String) {
        #expect(ClientAddress.resolve(peer: peer, forwardedFor: forwarded, trustedProxies: trusted) == expected)
    }
}
