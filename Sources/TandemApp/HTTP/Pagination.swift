import Foundation
import Hummingbird

/// `limit` (default 50, at most 200) and an opaque `cursor`, read the same way by every list.
struct Pagination: Sendable {
    let limit: Int
    let offset: Int

    /// The `limit` parameter alone, for lists whose cursor is their own (keyset) kind.
    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters["limit"] else { return 50 }
        guard let limit = Int(String(raw)), (1...200).contains(limit) else {
            throw APIError.validation(field: "limit", "must be a whole number from 1 to 200")
        }
        return limit
    }

    init(request: Request) throws {
        let query = request.uri.queryParameters
        self.limit = try Self.limit(request)
        if let raw = query["cursor"], !raw.isEmpty {
            guard let offset = Self.decode(String(raw)) else { throw APIError.validation(field: "cursor", "is not a cursor this server issued") }
            self.offset = offset
        } else {
            self.offset = 0
        }
    }

    func slice<T>(_ all: [T]) -> (items: [T], nextCursor: String?) {
        let items = Array(all.dropFirst(offset).prefix(limit))
        let next = offset + limit < all.count ? Self.encode(offset + limit) : nil
        return (items, next)
    }

    static func encode(_ offset: Int) -> String {
        Data("o:\(offset)".utf8).base64EncodedString()
    }

    static func decode(_ cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("o:"),
              let offset = Int(text.dropFirst(2)), offset >= 0
        else { return nil }
        return offset
    }
}

/// One page of a list: `{items, nextCursor}`, with `nextCursor` null on the last page rather than absent.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    let items: [Item]
    @NullEncodable var nextCursor: String?
}
