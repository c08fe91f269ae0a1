import Foundation

/// Reading CSV as spreadsheets and Jira write it: RFC 4180 quoting (commas, quotes and line breaks inside quoted
/// cells), CRLF or LF, a UTF-8 byte-order mark, and files that are not UTF-8 at all (Latin-1 or Windows-1252, as
/// older exports are) read as such rather than refused. Headers may repeat (Jira writes `Sprint` once per sprint an
/// issue was in), so a row is read by header name into every value under that name.
public struct CSVTable: Sendable {
    public let headers: [String]
    /// The rows after the header, each as many cells as it had; `lineNumbers[i]` is the file line row `i` starts on.
    public let rows: [[String]]
    public let lineNumbers: [Int]
    /// How the bytes were read.
    public let encoding: String

    /// Why a file could not be read, with the line it happened on.
    public struct Problem: Error, Equatable, Sendable {
        public let line: Int
        public let reason: String
    }

    public init(data: Data) throws {
        var bytes = [UInt8](data)
        var encoding = "UTF-8"
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3); encoding = "UTF-8 with BOM" }
        let text: String
        if let utf8 = String(validating: bytes, as: UTF8.self) {
            text = utf8
        } else {
            // Not UTF-8: each byte is one character of Windows-1252 (Latin-1 with the printable 0x80–0x9F range).
            text = String(String.UnicodeScalarView(bytes.map { Self.windows1252($0) }))
            encoding = "Windows-1252 (not UTF-8)"
        }
        let (rows, lines) = try Self.parse(text)
        guard let header = rows.first else { throw Problem(line: 1, reason: "The file is empty.") }
        self.headers = header.map { $0.trimmingCharacters(in: .whitespaces) }
        for (row, line) in zip(rows.dropFirst(), lines.dropFirst()) where row.count != header.count {
            throw Problem(line: line, reason: "This row has \(row.count) cells where the header has \(header.count): the file is cut off, or a cell's quotes are broken.")
        }
        self.rows = Array(rows.dropFirst())
        self.lineNumbers = Array(lines.dropFirst())
        self.encoding = encoding
    }

    /// Every value under this header in a row (repeated columns), empty cells left out.
    public func values(_ header: String, in row: [String]) -> [String] {
        headers.indices.filter { headers[$0].caseInsensitiveCompare(header) == .orderedSame && $0 < row.count }
            .map { row[$0].trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The first value under this header, or nil when it has none.
    public func value(_ header: String, in row: [String]) -> String? { values(header, in: row).first }

    public func has(_ header: String) -> Bool { headers.contains { $0.caseInsensitiveCompare(header) == .orderedSame } }

    static func parse(_ text: String) throws -> (rows: [[String]], lines: [Int]) {
        var rows: [[String]] = [], lines: [Int] = []
        var row: [String] = [], cell = "", quoted = false, atCellStart = true
        var line = 1, rowLine = 1, quoteLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return scalars.next()
        }
        func endRow() {
            row.append(cell)
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row); lines.append(rowLine) }  // blank lines are skipped
            row = []; cell = ""; atCellStart = true
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { cell.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    cell.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where atCellStart:
                quoted = true
                quoteLine = line
                atCellStart = false
            case ",":
                row.append(cell); cell = ""; atCellStart = true
            case "\r":
                if let following = next(), following != "\n" { pending = following }
                endRow(); line += 1; rowLine = line
            case "\n":
                endRow(); line += 1; rowLine = line
            default:
                cell.unicodeScalars.append(c)
                atCellStart = false
            }
        }
        if quoted { throw Problem(line: quoteLine, reason: "A quoted cell opened on this line is never closed: the file is cut off or a quote is missing.") }
        if !cell.isEmpty || !row.isEmpty { endRow() }
        return (rows, lines)
    }

    /// Windows-1252's printable characters in 0x80–0x9F; the rest of the byte range is Latin-1.
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar {
        let high: [UInt32] = [0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
                              0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178]
        if (0x80...0x9F).contains(byte) { return Unicode.Scalar(high[Int(byte) - 0x80]) ?? "?" }
        return Unicode.Scalar(byte)
    }
}
