import Foundation
import Hummingbird
import TandemCore

/// The one error shape of the API (`{"error": {"code", "message", "field"?, …}}`), thrown from anywhere.
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?
    /// Extra members of the error object, such as the current item on a version conflict.
    public let extra: [String: JSONValue]
    /// Headers the answer carries, such as `Retry-After` on a 429.
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, extra: [String: JSONValue] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.extra = extra
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var object: [String: JSONValue] = extra
        object["code"] = .string(code)
        object["message"] = .string(message)
        if let field { object["field"] = .string(field) }
        var response = try JSONBody.response(["error": JSONValue.object(object)], status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    /// The API's face of a domain error: its kind becomes the status, its details members of the error object.
    init(_ error: DomainError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .invalid, .ruleBroken: .unprocessableContent
        case .notFound: .notFound
        case .notAllowed: .forbidden
        case .conflict: .conflict
        case .unauthenticated: .unauthorized
        case .throttled: .tooManyRequests
        case .tooLarge: .contentTooLarge
        case .inconsistent: .internalServerError
        case .unavailable: .serviceUnavailable
        }
        var extra = error.details
        if let seconds = error.retryAfterSeconds { extra["retryAfter"] = .number(Double(seconds)) }
        self.init(status, code: error.code, message: error.message, field: error.field, extra: extra)
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
    }

    static func validation(_ violation: FieldViolation) -> APIError {
        APIError(.unprocessableContent, code: "validation_failed", message: "\(violation.field) \(violation.reason)", field: violation.field)
    }

    static func validation(field: String, _ reason: String) -> APIError {
        validation(FieldViolation(field: field, reason: reason))
    }

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", message: "\(what) was not found.")
    }

    static let unauthorized = APIError(
        .unauthorized, code: "unauthorized", message: "Log in first: send 'Authorization: Bearer <token>' from POST /api/v1/sessions."
    )

    static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "forbidden", message: message)
    }

    static func malformed(_ message: String) -> APIError {
        APIError(.badRequest, code: "malformed_request", message: message)
    }
}

extension JSONValue {
    /// Converts any encodable DTO, e.g. to attach the current item to a 409.
    static func from(_ value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONBody.encoder.encode(value))
    }
}
