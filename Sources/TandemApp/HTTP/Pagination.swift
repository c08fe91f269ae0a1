import Foundation
import Hummingbird
import TandemCore

/// List cursors, one helper for every list. A cursor is its kind's letter and a position: `o120` (an offset) or
/// `ra0V` (the rank key of the last item shown, for the backlog in either order). The document states each kind's
/// pattern, and every cursor matching it is one the server reads: a forged one is a position like any other.
enum Cursor {
    enum Kind: Sendable {
        /// `o` and up to nine digits: below 10^9, so `offset + limit` never overflows.
        case offset
        /// `r` and a rank key (`RankKey`'s digits): the backlog continues after that rank, in rank or WSJF order.
        case backlog

        var pattern: String {
            switch self {
            case .offset: "^(o[0-9]{1,9})?$"
            case .backlog: "^(r[0-9A-Za-z]{1,64})?$"
            }
        }
    }

    /// The offset an `o` cursor names; none is 0.
    static func offset(_ cursor: String?) throws -> Int {
        guard let cursor, !cursor.isEmpty else { return 0 }
        let digits = cursor.utf8.dropFirst()
        guard cursor.utf8.first == UInt8(ascii: "o"), (1...9).contains(digits.count), digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let offset = Int(String(decoding: digits, as: UTF8.self))
        else { throw invalid(.offset) }
        return offset
    }

    static func offset(after offset: Int, limit: Int) -> String { "o\(offset + limit)" }

    /// The rank key an `r` cursor names; an empty cursor is the first page.
    static func rank(_ cursor: String?) throws -> String? {
        guard let cursor, !cursor.isEmpty else { return nil }
        let key = cursor.utf8.dropFirst()
        guard cursor.utf8.first == UInt8(ascii: "r"), (1...64).contains(key.count),
              key.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        else { throw invalid(.backlog) }
        return String(decoding: key, as: UTF8.self)
    }

    static func after(rank: String) -> String { "r" + rank }

    static func invalid(_ kind: Kind) -> DomainError {
        DomainError.invalid(field: "cursor", "must be a nextCursor value this list gave (\(kind == .offset ? "o and a number" : "r and a rank key"))")
    }
}

/// `limit` (default 50, at most 200) and an opaque `cursor`, read the same way by every list.
struct Pagination: Sendable {
    let limit: Int
    let offset: Int

    /// The `limit` parameter alone, for lists whose cursor is their own (keyset) kind.
    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters["limit"] else { return 50 }
        return Int(try InputRules.pageSize.validated(String(raw), field: "limit"))
    }

    init(request: Request) throws {
        self.limit = try Self.limit(request)
        self.offset = try Cursor.offset(request.uri.queryParameters["cursor"].map(String.init))
    }

    func slice<T>(_ all: [T]) -> (items: [T], nextCursor: String?) {
        let items = Array(all.dropFirst(offset).prefix(limit))
        let next = offset + limit < all.count ? Cursor.offset(after: offset, limit: limit) : nil
        return (items, next)
    }
}

/// One page of a list: `{items, nextCursor}`, with `nextCursor` null on the last page rather than absent.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    @NullEncodable var nextCursor: String?
}

/// Query filters over a Swift enum, read one way and described one way: an empty value means "not given"
/// (a page's filter form sends empty selects), a list is comma-separated values or repeated parameters.
enum QueryFilter {
    static func one<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type, _ parameters: Parameters) throws -> E? where E.RawValue == String {
        guard let raw = parameters[Substring(name)].map(String.init), !raw.isEmpty else { return nil }
        guard let value = E(rawValue: raw) else { throw invalid(name, type) }
        return value
    }

    static func list<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type, _ parameters: Parameters) throws -> [E]? where E.RawValue == String {
        var values: [E] = []
        for raw in parameters.getAll(name) where !raw.isEmpty {
            for part in raw.split(separator: ",", omittingEmptySubsequences: false) {
                guard let value = E(rawValue: String(part)) else { throw invalid(name, type) }
                values.append(value)
            }
        }
        return values.isEmpty ? nil : values
    }

    static func invalid<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type) -> DomainError where E.RawValue == String {
        DomainError.invalid(field: name, "must be one of \(E.allCases.map(\.rawValue).joined(separator: ", "))" + (name == "state" || name == "sort" ? "" : ", separated by commas"))
    }

    /// The schemas that say the same: `^(a|b)?$` for one value, `^((a|b)(,(a|b))*)?$` for a list.
    static func schema<E: RawRepresentable & CaseIterable>(one type: E.Type) -> JSONValue where E.RawValue == String {
        ["type": "string", "pattern": .string("^(\(alternatives(type)))?$")]
    }

    static func schema<E: RawRepresentable & CaseIterable>(list type: E.Type) -> JSONValue where E.RawValue == String {
        let one = "(\(alternatives(type)))"
        return ["type": "string", "pattern": .string("^(\(one)(,\(one))*)?$")]
    }

    private static func alternatives<E: RawRepresentable & CaseIterable>(_ type: E.Type) -> String where E.RawValue == String {
        E.allCases.map(\.rawValue).joined(separator: "|")
    }
}
