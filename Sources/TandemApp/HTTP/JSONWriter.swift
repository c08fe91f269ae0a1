import Foundation
import TandemCore

/// A value that writes its own JSON, for the answers sent most often: the same bytes `JSONBody.encoder` would
/// produce (sorted keys, unescaped slashes, `ISO8601UTC` dates), without Codable's containers, which were a third
/// of a backlog request's CPU (`perf`). A test keeps the two byte-for-byte equal.
protocol JSONWritable {
    func write(to json: inout JSONWriter)
}

/// Appends JSON to a byte buffer; objects are written with their keys already in sorted order by the caller.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escaping: copy them whole (the byte loop below was 5% of a backlog request, `perf`).
        let copied = value.utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: buffer)
            return true
        }
        if copied == true {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                raw("\\u00")
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { raw("null") }
    }

    mutating func integer(_ value: Int64) { bytes.append(contentsOf: String(value).utf8) }

    mutating func integer(_ value: Int?) {
        if let value { integer(Int64(value)) } else { raw("null") }
    }

    /// As Foundation writes a `Double`: its shortest description, without a trailing ".0".
    mutating func number(_ value: Double?) {
        guard let value else { return raw("null") }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    mutating func date(_ value: Date) {
        bytes.append(UInt8(ascii: "\""))
        ISO8601UTC.write(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":` after a comma unless it is the object's first member.
    mutating func key(_ name: StaticString, first: Bool = false) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    mutating func array<Element>(_ elements: [Element], _ write: (inout JSONWriter, Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    mutating func value(_ value: some JSONWritable) { value.write(to: &self) }
}

extension PersonRef: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.raw("{"); json.key("displayName", first: true); json.string(displayName); json.key("id"); json.string(id); json.raw("}")
    }
}

extension Page: JSONWritable where Item: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.raw("{")
        json.key("items", first: true); json.array(items) { $0.value($1) }
        json.key("nextCursor"); json.string(nextCursor)
        json.raw("}")
    }
}
