/// Writing CSV that opens cleanly in a spreadsheet: RFC 4180 quoting, and cells that a spreadsheet would run as a
/// formula (starting with =, +, -, @, a tab or a carriage return) neutralised with a leading apostrophe, so a title
/// like `=HYPERLINK(…)` typed by anyone in the product stays text on the reader's machine.
public enum CSVWriter {
    /// The byte-order mark that tells spreadsheets the file is UTF-8.
    public static let byteOrderMark = "\u{FEFF}"

    public static func cell(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number as a cell: plain, so spreadsheets read it as a number (negative numbers are not neutralised).
    public static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    public static func row(_ cells: [String]) -> String { cells.joined(separator: ",") + "\r\n" }
}
