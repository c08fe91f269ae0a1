import Foundation
import Hummingbird
import NIOCore

/// Reading and writing JSON bodies, so a malformed body is a 400 and a missing or mistyped field a 422 naming it.
enum JSONBody {
    /// Keys are sorted so the same answer always has the same bytes (swift-foundation keeps no insertion order);
    /// dates use `ISO8601UTC`, as the `.iso8601` strategy was a large share of a backlog request's CPU (`perf`).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601UTC.string(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static let maxBytes = 1 << 20

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        if let writable = value as? any JSONWritable {
            var json = JSONWriter()
            writable.write(to: &json)
            return Response(
                status: status, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: json.bytes))
            )
        }
        let data = try encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBytes)
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", message: "The request body is larger than \(maxBytes) bytes.")
        }
        let data = Data(buffer.readableBytesView)
        guard !data.isEmpty else { throw APIError.malformed("The request body is empty; send a JSON object.") }
        // try?: a body that is not JSON is answered 400 with the reason below.
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw APIError.malformed("The request body is not valid JSON.")
        }
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            if case .dataCorrupted(let context) = error, context.codingPath.isEmpty, let field = unrepresentableNumber(T.self, in: parsed) {
                throw APIError.validation(field: field, "must be a whole number in range")
            }
            throw describe(error)
        }
    }

    /// The body is valid JSON, yet the decoder says "corrupted" without a path: on Linux that is a number its field's
    /// type cannot hold (`"trials": 1e300` for an `Int`). Each number that is not a whole number in Int64's range is
    /// set to 0 in turn; the one whose change lets the body decode is the field to name.
    private static func unrepresentableNumber<T: Decodable>(_ type: T.Type, in parsed: Any) -> String? {
        var candidates: [[Any]] = []
        func walk(_ value: Any, _ path: [Any]) {
            if let object = value as? [String: Any] {
                for (key, child) in object { walk(child, path + [key]) }
            } else if let array = value as? [Any] {
                for (index, child) in array.enumerated() { walk(child, path + [index]) }
            } else if value is Bool {
                return
            } else if let number = value as? NSNumber, Int64(exactly: number.doubleValue) == nil {
                candidates.append(path)
            }
        }
        func replacing(_ value: Any, at path: ArraySlice<Any>) -> Any {
            guard let head = path.first else { return 0 }
            if let key = head as? String, var object = value as? [String: Any], let child = object[key] {
                object[key] = replacing(child, at: path.dropFirst())
                return object
            }
            if let index = head as? Int, var array = value as? [Any], array.indices.contains(index) {
                array[index] = replacing(array[index], at: path.dropFirst())
                return array
            }
            return value
        }
        walk(parsed, [])
        for path in candidates {
            // try?: a candidate path that cannot be rewritten is simply not the culprit; the next is tried.
            guard let data = try? JSONSerialization.data(withJSONObject: replacing(parsed, at: path[...]), options: [.fragmentsAllowed]) else { continue }
            do {
                _ = try decoder.decode(T.self, from: data)
                return Self.name(path)
            } catch let error as DecodingError {
                if case .dataCorrupted(let context) = error, context.codingPath.isEmpty { continue }
                return Self.name(path)
            } catch { continue }
        }
        return nil
    }

    private static func name(_ path: [Any]) -> String {
        path.map { ($0 as? Int).map { "[\($0)]" } ?? ".\($0)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: ".")).replacingOccurrences(of: ".[", with: "[")
    }

    private static func path(_ codingPath: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
        let keys = codingPath + (key.map { [$0] } ?? [])
        let path = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return path.replacingOccurrences(of: ".[", with: "[")
    }

    private static func describe(_ error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            return .validation(field: path(context.codingPath, appending: key), "is required")
        case .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return field.isEmpty ? .malformed("The request body must be a JSON object.") : .validation(field: field, "must not be null")
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            if field.isEmpty { return .malformed("The request body must be a JSON object.") }
            return .validation(field: field, "must be \(describe(type))")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if field.isEmpty { return .malformed("The request body is not valid JSON.") }
            return .validation(field: field, "has an invalid value")
        @unknown default:
            return .malformed("The request body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

/// `2026-11-22T20:09:08Z` (or with `.123` milliseconds when present), without a formatter object per call.
enum ISO8601UTC {
    /// The same text as `string`, appended to `bytes` without building strings (two dates per backlog item).
    static func write(_ date: Date, into bytes: inout [UInt8]) {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(millis / 1000)
        let fraction = Int(millis % 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(Int(parts.tm_year) + 1900, 4); bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2); bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2); bytes.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2); bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2); bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2)
        if fraction > 0 {
            bytes.append(UInt8(ascii: "."))
            digits(fraction, 3)
        }
        bytes.append(UInt8(ascii: "Z"))
    }

    static func string(_ date: Date) -> String {
        let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(millis / 1000)
        let fraction = Int(millis % 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var result = "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))"
        result += "T\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))"
        if fraction > 0 { result += "." + pad(Int32(fraction), 3) }
        return result + "Z"
    }
}

/// Encodes nil as `null` instead of leaving the key out: clients written against the API read a missing
/// field and a null one differently, and one wrapper keeps every DTO consistent.
@propertyWrapper
public struct NullEncodable<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension NullEncodable: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension KeyedDecodingContainer {
    /// A missing key reads as nil for a `NullEncodable` member, as for a plain optional.
    public func decode<Value: Decodable & Sendable>(_ type: NullEncodable<Value>.Type, forKey key: Key) throws -> NullEncodable<Value> {
        try decodeIfPresent(type, forKey: key) ?? NullEncodable(wrappedValue: nil)
    }
}
