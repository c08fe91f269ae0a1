/// Order keys for the Product Backlog: strings compared byte-wise, so moving an item rewrites only its own key.
///
/// The scheme is fractional indexing (as in Figma's and Rocicorp's implementations): a key is an
/// "integer part" whose first character encodes its length, followed by an optional base-62 fraction.
/// Appending at either end increments or decrements the integer part, so 100,000 appends keep keys
/// five characters long; inserting between two neighbours extends the fraction by about one character
/// per six insertions at the same spot, which is why keys are rebalanced once they grow past `maxLength`.
public enum RankKey {
    static let digits: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
    static let base = digits.count
    static let zero = digits[0]
    /// Keys longer than this trigger a rebalance of the product's order (one transaction, rare).
    public static let maxLength = 48

    /// The error of a caller passing keys out of order or not made by this type.
    public struct InvalidKey: Error, Equatable, Sendable {
        public let reason: String
    }

    /// The first key of an empty backlog.
    public static let initial = "a0"

    /// A key strictly between `lower` and `upper`; nil stands for the start or the end of the backlog.
    public static func between(_ lower: String?, _ upper: String?) throws(InvalidKey) -> String {
        if let lower { try validate(lower) }
        if let upper { try validate(upper) }
        if let lower, let upper, lower >= upper { throw InvalidKey(reason: "\(lower) is not below \(upper)") }
        switch (lower.map { Array($0.utf8) }, upper.map { Array($0.utf8) }) {
        case (nil, nil):
            return initial
        case (nil, let b?):
            let ib = try integerPart(b)
            let fb = Array(b[ib.count...])
            if ib == smallestInteger { return string(ib + midpoint([], fb)) }
            if ib.count < b.count { return string(ib) }
            guard let decremented = decrement(ib) else { throw InvalidKey(reason: "cannot go below \(string(b))") }
            return string(decremented)
        case (let a?, nil):
            let ia = try integerPart(a)
            let fa = Array(a[ia.count...])
            if let incremented = increment(ia) { return string(incremented) }
            return string(ia + midpoint(fa, nil))
        case (let a?, let b?):
            let ia = try integerPart(a)
            let fa = Array(a[ia.count...])
            let ib = try integerPart(b)
            let fb = Array(b[ib.count...])
            if ia == ib { return string(ia + midpoint(fa, fb)) }
            guard let incremented = increment(ia) else { throw InvalidKey(reason: "cannot go above \(string(a))") }
            if incremented.lexicographicallyPrecedes(b) { return string(incremented) }
            return string(ia + midpoint(fa, nil))
        }
    }

    /// `count` evenly growing keys in order, used to (re)build a product's order in one pass.
    public static func sequence(count: Int) -> [String] {
        var keys: [String] = []
        keys.reserveCapacity(count)
        var current = Array(initial.utf8)
        for _ in 0..<count {
            keys.append(string(current))
            current = increment(current) ?? current + midpoint([], nil)
        }
        return keys
    }

    public static func isValid(_ key: String) -> Bool {
        (try? validate(key)) != nil
    }

    // MARK: Internals

    private static let smallestInteger: [UInt8] = [UInt8(ascii: "A")] + Array(repeating: zero, count: 26)

    private static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private static func index(_ digit: UInt8) -> Int? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(digit - UInt8(ascii: "0"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(digit - UInt8(ascii: "A")) + 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(digit - UInt8(ascii: "a")) + 36
        default: nil
        }
    }

    private static func integerLength(_ head: UInt8) -> Int? {
        switch head {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(head - UInt8(ascii: "a")) + 2
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(UInt8(ascii: "Z") - head) + 2
        default: nil
        }
    }

    private static func integerPart(_ key: [UInt8]) throws(InvalidKey) -> [UInt8] {
        guard let head = key.first, let length = integerLength(head), length <= key.count else {
            throw InvalidKey(reason: "invalid integer part in \(string(key))")
        }
        return Array(key[0..<length])
    }

    private static func validate(_ key: String) throws(InvalidKey) {
        let bytes = Array(key.utf8)
        guard bytes.allSatisfy({ index($0) != nil }) else { throw InvalidKey(reason: "\(key) has characters outside base 62") }
        let integer = try integerPart(bytes)
        if integer == smallestInteger { throw InvalidKey(reason: "\(key) uses the reserved smallest integer") }
        if bytes.count > integer.count, bytes.last == zero { throw InvalidKey(reason: "\(key) ends its fraction in zero") }
    }

    /// A fraction strictly between `a` and `b` (nil: 1), neither ending in the zero digit.
    private static func midpoint(_ a: [UInt8], _ b: [UInt8]?) -> [UInt8] {
        if let b {
            var prefixLength = 0
            while prefixLength < b.count, (prefixLength < a.count ? a[prefixLength] : zero) == b[prefixLength] {
                prefixLength += 1
            }
            if prefixLength > 0 {
                return Array(b[0..<prefixLength]) + midpoint(Array(a.dropFirst(prefixLength)), Array(b.dropFirst(prefixLength)))
            }
        }
        let digitA = a.first.flatMap(index) ?? 0
        let digitB = b?.first.flatMap(index) ?? base
        if digitB - digitA > 1 {
            return [digits[(digitA + digitB) / 2]]
        }
        if let b, b.count > 1 {
            return [b[0]]
        }
        return [digits[digitA]] + midpoint(Array(a.dropFirst()), nil)
    }

    private static func increment(_ integer: [UInt8]) -> [UInt8]? {
        guard let head = integer.first else { return nil }
        var digitsPart = Array(integer.dropFirst())
        var carry = true
        var position = digitsPart.count - 1
        while carry, position >= 0 {
            let value = (index(digitsPart[position]) ?? 0) + 1
            if value == base {
                digitsPart[position] = zero
            } else {
                digitsPart[position] = digits[value]
                carry = false
            }
            position -= 1
        }
        guard carry else { return [head] + digitsPart }
        if head == UInt8(ascii: "Z") { return [UInt8(ascii: "a"), zero] }
        if head == UInt8(ascii: "z") { return nil }
        let newHead = head + 1
        if newHead > UInt8(ascii: "a") { digitsPart.append(zero) } else { digitsPart.removeLast() }
        return [newHead] + digitsPart
    }

    private static func decrement(_ integer: [UInt8]) -> [UInt8]? {
        guard let head = integer.first else { return nil }
        var digitsPart = Array(integer.dropFirst())
        var borrow = true
        var position = digitsPart.count - 1
        while borrow, position >= 0 {
            let value = (index(digitsPart[position]) ?? 0) - 1
            if value == -1 {
                digitsPart[position] = digits[base - 1]
            } else {
                digitsPart[position] = digits[value]
                borrow = false
            }
            position -= 1
        }
        guard borrow else { return [head] + digitsPart }
        if head == UInt8(ascii: "a") { return [UInt8(ascii: "Z"), digits[base - 1]] }
        if head == UInt8(ascii: "A") { return nil }
        let newHead = head - 1
        if newHead < UInt8(ascii: "Z") { digitsPart.append(digits[base - 1]) } else { digitsPart.removeLast() }
        return [newHead] + digitsPart
    }
}
