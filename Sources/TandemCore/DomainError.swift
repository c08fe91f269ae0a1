import Foundation

/// What a service throws when a request cannot be done: a contract `code`, a `message` a person understands
/// (no statuses, paths or JSON keys), the `field` it concerns and any `details`. The API maps `kind` to a
/// status and the JSON error shape; the pages show the message beside the field. Services know nothing of HTTP.
public struct DomainError: Error, Sendable, Equatable {
    /// The kind of refusal, which the API turns into a status.
    public enum Kind: String, Sendable {
        /// An input outside its declared shape or range (422 `validation_failed`).
        case invalid
        /// Missing, or not visible to the caller: the two are answered alike (404).
        case notFound
        /// The caller's accountability does not allow it (403).
        case notAllowed
        /// The state moved on or is taken: a stale version, a decided proposal, a used key (409).
        case conflict
        /// A valid request that a Scrum rule refuses: not ready, a dependency cycle (422).
        case ruleBroken
        /// Nobody is logged in (401).
        case unauthenticated
        /// Too many attempts; `retryAfterSeconds` says how long to wait (429).
        case throttled
        /// More than Tandem accepts at once (413).
        case tooLarge
        /// Stored data broke an invariant; nothing the caller can fix (500).
        case inconsistent
        /// The server is at a limit of its own for now; `retryAfterSeconds` says when to try again (503).
        case unavailable
    }

    public let kind: Kind
    public let code: String
    public let message: String
    public let field: String?
    public var details: [String: JSONValue]
    public var retryAfterSeconds: Int?

    public init(_ kind: Kind, code: String, message: String, field: String? = nil, details: [String: JSONValue] = [:]) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
        self.details = details
    }

    /// A field broke its rule; the message names the field in words (`FieldLabel`), or is `reason` itself when
    /// that is already a sentence (it starts with a capital letter).
    public static func invalid(field: String, _ reason: String) -> DomainError {
        let sentence = reason.first?.isUppercase == true ? reason : "\(FieldLabel.of(field)) \(reason)."
        return DomainError(.invalid, code: "validation_failed", message: sentence, field: field)
    }

    public static func invalid(_ violation: FieldViolation) -> DomainError {
        invalid(field: violation.field, violation.reason)
    }

    /// Rethrows a validation failure from `Validate` as the domain's error.
    public static func invalid(_ error: any Error) -> DomainError {
        if let violation = error as? FieldViolation { return invalid(violation) }
        if let domain = error as? DomainError { return domain }
        return DomainError(.invalid, code: "validation_failed", message: "The request could not be read: \(error).")
    }

    /// `what` is a phrase like "The item"; missing and invisible read the same.
    public static func notFound(_ what: String) -> DomainError {
        DomainError(.notFound, code: "not_found", message: "\(what) was not found.")
    }

    public static func notAllowed(_ message: String) -> DomainError {
        DomainError(.notAllowed, code: "forbidden", message: message)
    }
}

/// The words a person reads for an input: the API's field names are for programs, not for people.
public enum FieldLabel {
    static let labels: [String: String] = [
        "title": "The title", "key": "The key", "name": "The name", "email": "The email", "password": "The password",
        "displayName": "Your name", "description": "The description", "acceptanceCriteria": "The acceptance criteria",
        "estimate": "The estimate", "parentId": "The parent epic", "blockedBy": "The blocking item",
        "before": "The item to place it before", "after": "The item to place it after", "anchor": "The item to place it next to",
        "to": "The place", "where": "The place", "position": "The place", "version": "The version",
        "refinement": "The refinement level", "readiness": "The readiness checklist", "businessValue": "The business value",
        "timeCriticality": "The time criticality", "riskReduction": "The risk reduction", "status": "The status",
        "reason": "The reason", "rationale": "The rationale", "note": "The note", "items": "The Definition of Ready",
        "itemIds": "The list of items", "userIds": "The list of people", "userId": "The person",
        "accountability": "The accountability", "points": "The points", "cursor": "The page position", "limit": "The page size",
        "kind": "The kind", "basis": "The ordering basis", "If-Match": "The version in If-Match", "state": "The state",
        "sort": "The sort order", "q": "The search text",
    ]

    /// "The title"; an indexed field reads "Entry 3 of the Definition of Ready".
    public static func of(_ field: String) -> String {
        if let label = labels[field] { return label }
        if let open = field.firstIndex(of: "["), field.hasSuffix("]"), let index = Int(field[field.index(after: open)..<field.index(before: field.endIndex)]) {
            let base = String(field[..<open])
            let whole = labels[base].map { $0.prefix(1).lowercased() + $0.dropFirst() } ?? base
            return "Entry \(index + 1) of \(whole)"
        }
        return field
    }
}

extension DomainError {
    /// Runs a lookup whose "not found" is an expected answer (nil). Any other failure, such as a lost connection or
    /// an unreadable row, is thrown: a failed read is never taken for "not there" or "not a member".
    public static func nilIfNotFound<T>(_ lookup: () async throws -> T) async throws -> T? {
        do { return try await lookup() } catch let error as DomainError where error.kind == .notFound { return nil }
    }
}
