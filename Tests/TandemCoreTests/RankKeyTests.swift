import Testing
import TandemCore

@Suite("Rank keys")
struct RankKeyTests {
    @Test("between", arguments: [
        (nil, nil, "a0"),
        ("a0", nil, "a1"),
        ("az", nil, "b00"),
        (nil, "a0", "Zz"),
        (nil, "a1", "a0"),
        ("a0", "a1", "a0V"),
        ("a0V", "a1", "a0k"),
        ("a0", "a0V", "a0F"),
        ("Zz", "a0", "ZzV"),
        ("a1", "a3", "a2"),
    ] as [(String?, String?, String)])
    func between(lower: String?, upper: String?, expected: String) throws {
        let key = try RankKey.between(lower, upper)
        #expect(key == expected)
        if let lower { #expect(lower < key) }
        if let upper { #expect(key < upper) }
    }

    @Test func refusesOutOfOrderAndForeignKeys() {
        #expect(throws: RankKey.InvalidKey.self) { try RankKey.between("a2", "a1") }
        #expect(throws: RankKey.InvalidKey.self) { try RankKey.between("a1", "a1") }
        #expect(throws: RankKey.InvalidKey.self) { try RankKey.between("a10", nil) }
        #expect(throws: RankKey.InvalidKey.self) { try RankKey.between("hello world", nil) }
        #expect(!RankKey.isValid(""))
        #expect(RankKey.isValid("a0V"))
    }

    @Test func appendingAHundredThousandItemsKeepsKeysShort() throws {
        var last: String?
        var longest = 0
        for _ in 0..<100_000 {
            let key = try RankKey.between(last, nil)
            if let last { #expect(last < key) }
            longest = max(longest, key.count)
            last = key
        }
        #expect(longest <= 5)
    }

    @Test func sequenceIsStrictlyIncreasing() {
        let keys = RankKey.sequence(count: 5000)
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
        #expect(keys.allSatisfy(RankKey.isValid))
    }

    /// Random insertions anywhere keep a strictly increasing, valid sequence.
    @Test func randomInsertionsPreserveOrder() throws {
        var generator = SeededGenerator(seed: 42)
        var keys: [String] = []
        for _ in 0..<3000 {
            let index = keys.isEmpty ? 0 : Int.random(in: 0...keys.count, using: &generator)
            let lower = index > 0 ? keys[index - 1] : nil
            let upper = index < keys.count ? keys[index] : nil
            let key = try RankKey.between(lower, upper)
            #expect(RankKey.isValid(key))
            keys.insert(key, at: index)
        }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// Moving to the same spot again and again is the worst case: keys grow, which is what the rebalance bound is for.
    @Test func repeatedInsertionAtOneSpotGrowsSlowly() throws {
        var upper = "a1"
        let lower = "a0"
        for _ in 0..<60 { upper = try RankKey.between(lower, upper) }
        #expect(upper.count > 5)
        #expect(upper.count < RankKey.maxLength)
    }
}

@Suite("Seeded generator")
struct SeededGeneratorTests {
    @Test func sameSeedSameSequenceOtherSeedOtherSequence() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let first = (0..<5).map { _ in a.next() }
        #expect(first == (0..<5).map { _ in b.next() })
        #expect(first != (0..<5).map { _ in c.next() })
    }
}
