import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as browsers post forms.
struct FormData: Sendable {
    private(set) var values: [String: String] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[key] == nil { values[key] = value }
        }
    }

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
