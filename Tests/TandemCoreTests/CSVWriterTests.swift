import Testing
import TandemCore

@Suite("CSV writing")
struct CSVWriterTests {
    @Test("cells a spreadsheet would run as formulas stay text", arguments: [
        ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"), ("plain", "plain"), ("a, b", "\"a, b\""), ("two\nlines", "\"two\nlines\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("", ""), ("Ünïcode ✓", "Ünïcode ✓"), (" padded", "\" padded\""),
    ])
    func cell(_ raw: String, _ written: String) {
        #expect(CSVWriter.cell(raw) == written)
    }

    @Test func numbersAndRows() {
        #expect(CSVWriter.number(5) == "5" && CSVWriter.number(0.5) == "0.5" && CSVWriter.number(nil) == "" && CSVWriter.number(.nan) == "")
        #expect(CSVWriter.row(["a", "b"]) == "a,b\r\n")
        #expect(CSVWriter.byteOrderMark.utf8.elementsEqual([0xEF, 0xBB, 0xBF]))
    }
}
