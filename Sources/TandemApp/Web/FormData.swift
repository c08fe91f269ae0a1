import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as browsers post forms.
struct FormData: Sendable {
    /// The first value of each name, as single controls send them.
    private(set) var values: [String: String] = [:]
    /// Every value of each name, in order: checkboxes sharing a name send one each.
    private var lists: [String: [String]] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[key] == nil { values[key] = value }
            lists[key, default: []].append(value)
        }
    }

    /// Every value sent under `key` (none: empty).
    func all(_ key: String) -> [String] { lists[key] ?? [] }

    /// Forms are small; a larger body is refused with 413 before any of it is parsed.
    static let maxBytes = 256 * 1024

    static func read(_ request: Request) async throws -> FormData {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "This form is larger than Tandem accepts (\(maxBytes / 1024) KiB). Shorten the text and send it again.")
        }
        return FormData(String(buffer: buffer))
    }

    subscript(_ key: String) -> String { values[key] ?? "" }

    private static func decode(_ raw: Substring) -> String {
        let spaced = raw.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
