import Foundation
import Hummingbird
import TandemCore

/// Opaque list cursors: base64url of `<kind>:<value>`, so one list's cursor is never read as another's.
/// Every list decodes them here, so a forged cursor is a 422 naming `cursor`, never an overflow or a 500.
enum Cursor {
    /// Offsets are bounded so that `offset + limit` can never overflow, whatever a client sends.
    static let maxOffset = 1_000_000_000

    static func encode(_ kind: String, _ value: String) -> String {
        Data("\(kind):\(value)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// The value of a cursor of `kind`; older standard-base64 cursors are read too.
    static func decode(_ cursor: String, kind: String) throws -> String {
        var base64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if base64.utf8.count % 4 != 0 { base64 += String(repeating: "=", count: 4 - base64.utf8.count % 4) }
        guard cursor.utf8.count <= 1024, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              text.hasPrefix(kind + ":")
        else { throw invalid }
        return String(text.dropFirst(kind.count + 1))
    }

    /// An offset cursor's position, from 0 to `maxOffset`.
    static func offset(_ cursor: String?, kind: String) throws -> Int {
        guard let cursor, !cursor.isEmpty else { return 0 }
        guard let offset = Int(try decode(cursor, kind: kind)), (0...maxOffset).contains(offset) else { throw invalid }
        return offset
    }

    static func nextOffset(after offset: Int, limit: Int, kind: String) -> String {
        encode(kind, String(offset + limit))
    }

    static let invalid = DomainError.invalid(field: "cursor", "is not a cursor this server issued for this list")
}

/// `limit` (default 50, at most 200) and an opaque `cursor`, read the same way by every list.
struct Pagination: Sendable {
    let limit: Int
    let offset: Int

    /// The `limit` parameter alone, for lists whose cursor is their own (keyset) kind.
    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters["limit"] else { return 50 }
        let range = Int64(InputLimits.pageSize.lowerBound)...Int64(InputLimits.pageSize.upperBound)
        do { return Int(try Validate.wholeNumber(String(raw), field: "limit", in: range)) } catch { throw DomainError.invalid(error) }
    }

    init(request: Request) throws {
        self.limit = try Self.limit(request)
        self.offset = try Cursor.offset(request.uri.queryParameters["cursor"].map(String.init), kind: "o")
    }

    func slice<T>(_ all: [T]) -> (items: [T], nextCursor: String?) {
        let items = Array(all.dropFirst(offset).prefix(limit))
        let next = offset + limit < all.count ? Cursor.nextOffset(after: offset, limit: limit, kind: "o") : nil
        return (items, next)
    }
}

/// One page of a list: `{items, nextCursor}`, with `nextCursor` null on the last page rather than absent.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    @NullEncodable var nextCursor: String?
}
