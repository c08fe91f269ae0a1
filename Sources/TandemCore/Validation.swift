import Foundation

/// A rule broken by one input field: the API turns it into a 422 naming the field.
public struct FieldViolation: Error, Equatable, Sendable {
    public let field: String
    public let reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

/// The bounds of every input, declared once: the validation below and the OpenAPI document both read them,
/// so the document never promises what the server refuses. Lengths count Unicode code points, as JSON Schema's
/// `maxLength` does, so a value is at most four UTF-8 bytes per allowed character.
public enum InputLimits {
    public static let name = 1...100
    public static let email = 254
    public static let title = 1...200
    public static let longText = 20_000
    public static let reason = 2000
    public static let rationale = 4000
    public static let note = 4000
    public static let definitionOfReadyItem = 1...300
    public static let definitionOfReadyEntries = 30
    public static let pageSize = 1...200
    /// Versions stay within JSON's exactly representable integers (2^53 - 1), so every client reads them unchanged.
    public static let version: ClosedRange<Int64> = 1...9_007_199_254_740_991
}

/// Input rules for accounts and products, kept here so the API, the pages and the CLI agree.
public enum Validate {
    /// A text's length as the limits count it: Unicode code points, not grapheme clusters (one "character" of
    /// combining marks can be thousands of bytes) and not bytes.
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// Checks a text's length in code points; `trimming` removes surrounding white space first.
    public static func text(_ raw: String, field: String, in range: ClosedRange<Int>, trimming: Bool = true) throws(FieldViolation) -> String {
        let text = trimming ? raw.trimmingCharacters(in: .whitespacesAndNewlines) : raw
        let count = length(text)
        if range.lowerBound > 0, count == 0 { throw FieldViolation(field: field, reason: "must not be empty") }
        guard range.contains(count) else {
            let reason = range.lowerBound <= 1
                ? "must be at most \(range.upperBound) characters long" : "must be \(range.lowerBound) to \(range.upperBound) characters long"
            throw FieldViolation(field: field, reason: reason)
        }
        return text
    }

    /// A whole number that arrived as a JSON number (a `Double`), converted without any trapping operation:
    /// NaN, infinities, fractions and values outside `range` are refused with the range in the reason.
    /// `range` must lie within ±2^53 so its bounds convert to `Double` exactly.
    public static func wholeNumber(_ value: Double, field: String, in range: ClosedRange<Int64>) throws(FieldViolation) -> Int64 {
        guard let whole = Int64(exactly: value), range.contains(whole) else {
            throw FieldViolation(field: field, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return whole
    }

    /// The same for a number typed as text (a form field, a header, a query parameter).
    public static func wholeNumber(_ text: String, field: String, in range: ClosedRange<Int64>) throws(FieldViolation) -> Int64 {
        guard let whole = Int64(text.trimmingCharacters(in: .whitespaces)), range.contains(whole) else {
            throw FieldViolation(field: field, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return whole
    }

    /// Product keys appear in every item reference (`TND-42`), so they stay short and shout-case.
    public static func productKey(_ raw: String, field: String = "key") throws(FieldViolation) -> String {
        let key = raw.trimmingCharacters(in: .whitespaces)
        guard (2...10).contains(key.count) else {
            throw FieldViolation(field: field, reason: "must be 2 to 10 characters long")
        }
        guard key.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) }) else {
            throw FieldViolation(field: field, reason: "may contain only uppercase letters A-Z and digits 0-9")
        }
        return key
    }

    /// Returns the trimmed name, refusing empty and overly long ones.
    public static func name(_ raw: String, field: String, maxLength: Int = InputLimits.name.upperBound) throws(FieldViolation) -> String {
        let name = try text(raw, field: field, in: 1...maxLength)
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw FieldViolation(field: field, reason: "must not contain control characters")
        }
        return name
    }

    /// Returns the email as typed (trimmed); uniqueness compares `normalizedEmail`.
    public static func email(_ raw: String, field: String = "email") throws(FieldViolation) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard length(email) <= InputLimits.email else {
            throw FieldViolation(field: field, reason: "must be at most \(InputLimits.email) characters long")
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              !email.contains(where: { $0.isWhitespace })
        else {
            throw FieldViolation(field: field, reason: "must be an email address like name@example.com")
        }
        return email
    }

    /// Emails are unique regardless of case, as people type them inconsistently.
    public static func normalizedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// bcrypt reads at most 72 bytes, so longer passwords would be silently truncated: refuse them.
    public static func password(_ raw: String, field: String = "password") throws(FieldViolation) {
        guard length(raw) >= 10 else { throw FieldViolation(field: field, reason: "must be at least 10 characters long") }
        guard raw.utf8.count <= 72 else { throw FieldViolation(field: field, reason: "must be at most 72 bytes long") }
    }
}
