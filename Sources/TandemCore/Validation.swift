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

/// Input rules for accounts and products, kept here so the API, the pages and the CLI agree.
public enum Validate {
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
    public static func name(_ raw: String, field: String, maxLength: Int = 100) throws(FieldViolation) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw FieldViolation(field: field, reason: "must not be empty") }
        guard name.count <= maxLength else {
            throw FieldViolation(field: field, reason: "must be at most \(maxLength) characters long")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw FieldViolation(field: field, reason: "must not contain control characters")
        }
        return name
    }

    /// Returns the email as typed (trimmed); uniqueness compares `normalizedEmail`.
    public static func email(_ raw: String, field: String = "email") throws(FieldViolation) -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard email.count <= 254 else { throw FieldViolation(field: field, reason: "must be at most 254 characters long") }
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
        guard raw.count >= 10 else { throw FieldViolation(field: field, reason: "must be at least 10 characters long") }
        guard raw.utf8.count <= 72 else { throw FieldViolation(field: field, reason: "must be at most 72 bytes long") }
    }
}
