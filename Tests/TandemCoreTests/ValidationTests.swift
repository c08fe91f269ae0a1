import Foundation
import Testing
import TandemCore

@Suite("Input rules")
struct ValidationTests {
    @Test("product keys", arguments: [
        ("TND", true), ("AB", true), ("ABCDEFGHIJ", true), ("A1", true), ("42", true),
        ("A", false), ("ABCDEFGHIJK", false), ("tnd", false), ("TN-D", false), ("TÄN", false), ("", false), ("T D", false), (" TND", false),
    ])
    func productKey(raw: String, valid: Bool) {
        let result = Result { () throws(FieldViolation) -> String in try InputRules.productKey.check(raw, field: "key") }
        switch result {
        case .success(let key):
            #expect(valid, "\(raw) should be refused")
            #expect(key == raw)
        case .failure(let violation):
            #expect(!valid, "\(raw) should be accepted: \(violation.reason)")
            #expect(violation.field == "key")
        }
    }

    @Test("emails", arguments: [
        ("ana@example.com", true), ("a.b+c@sub.example.org", true), ("a@b.c", true),
        (" ana@example.com ", false), ("ana", false), ("ana@", false), ("@example.com", false), ("ana@example", false), ("an a@example.com", false),
        ("ana@@example.com", false), ("ana@.com", false), ("ana@example.", false),
    ])
    func email(raw: String, valid: Bool) {
        #expect(((try? Validate.email(raw)) != nil) == valid)
    }

    @Test func emailsCompareWithoutCase() {
        #expect(Validate.normalizedEmail(" Ana@Example.COM") == "ana@example.com")
    }

    @Test("passwords count characters, not bytes", arguments: [
        ("123456789", false), ("1234567890", true), (String(repeating: "x", count: 128), true), (String(repeating: "x", count: 129), false),
        (String(repeating: "é", count: 37), true),
    ])
    func password(raw: String, valid: Bool) {
        do {
            try Validate.password(raw)
            #expect(valid)
        } catch {
            #expect(!valid)
            #expect(error.field == "password")
        }
    }

    @Test("names", arguments: [("Team A", true), ("  ", false), ("", false), (String(repeating: "n", count: 101), false), ("bell\u{7}", false)])
    func name(raw: String, valid: Bool) {
        #expect(((try? InputRules.name.check(raw, field: "name")) != nil) == valid)
    }

    @Test func namesAreTrimmedButProseIsKept() throws {
        #expect(try InputRules.name.check("\u{3000} Team A\u{A0}", field: "name") == "Team A")
        #expect(try InputRules.longText.check("  line one\n\tline two  ", field: "description") == "  line one\n\tline two  ")
        #expect(try InputRules.rationale.check(" because\r\n", field: "rationale") == "because")
    }

    @Test("a required text needs a letter, number, punctuation or symbol", arguments: [
        ("\u{200B}\u{200B}\u{200B}", false), ("\u{301}\u{302}", false), ("\u{FEFF}", false), ("\u{20DD}", false), ("\u{E0001}", false),
        ("e\u{301}", true), ("-", true), ("€", true), ("😀", true), ("7", true), ("\u{200B}x", true),
    ])
    func visible(raw: String, valid: Bool) {
        #expect(((try? InputRules.title.check(raw, field: "title")) != nil) == valid, "\(raw.unicodeScalars.map { String($0.value, radix: 16) })")
        #expect(((try? InputRules.rationale.check(raw, field: "rationale")) != nil) == valid)
    }

    @Test("one-line texts refuse line separators and direction overrides; prose keeps them", arguments: [
        "a\u{2028}b", "a\u{2029}", "\u{202A}a", "\u{202B}a", "\u{202C}a", "\u{202D}a", "\u{202E}abc", "a\u{2066}b", "a\u{2067}", "a\u{2068}", "a\u{2069}",
    ])
    func oneLine(raw: String) {
        #expect(throws: FieldViolation.self) { try InputRules.name.check(raw, field: "name") }
        #expect(throws: FieldViolation.self) { try InputRules.title.check(raw, field: "title") }
        #expect((try? InputRules.longText.check(raw, field: "description")) == raw)
    }

    @Test func blankRequiredProseSaysWhy() {
        #expect(throws: FieldViolation(field: "rationale", reason: "is required: tell the Product Owner why")) {
            try InputRules.rationale.check(" \n", field: "rationale")
        }
    }

    /// The strings on which a rule and the pattern the document states could disagree: every kind of white space and
    /// control character, combining marks, astral characters and the length boundaries.
    static let corpus: [String] = {
        var strings = ["", " ", "a", " a ", "\u{7}", "a\u{7}", "a\tb", "a\nb", "a\r\nb", "\t", "\n", "\u{B}a", "\u{C}a", "\u{85}a", "a\u{85}",
                       "\u{A0}", "\u{A0}x", "\u{2028}", "x\u{2029}", "\u{1680}", "\u{2007}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}", "\u{200B}",
                       "\u{180E}", "\u{1C}a", "\u{1F}", "\u{7F}", "x\u{9F}", "\u{0}", "a\u{0}b", "\u{1F600}", "e\u{301}", "\u{301}", "👩‍👩‍👧",
                       "\u{200B}\u{200B}\u{200B}", "\u{301}\u{302}", "a\u{301}", "\u{20DD}", "\u{E0001}", "\u{1D167}", "x\u{E0100}", "\u{200D}",
                       "a\u{2028}b", "a\u{2029}", "\u{202E}abc", "abc\u{202A}", "a\u{2066}b\u{2069}", "\u{061C}", "\u{10FFFD}", "\u{E000}", "\u{0378}",
                       "a@b.c", "@b.c", "a@.bc", "a@bc.", "a@b@c.d", "a@b", "a b@c.d", "a@b.c\u{A0}", "a@b\u{301}.c", "AB", "A1", "ab", "ABCDEFGHIJK"]
        for count in [1, 2, 10, 11, 99, 100, 101, 199, 200, 201, 253, 254, 255, 300, 301] {
            strings.append(String(repeating: "x", count: count))
            strings.append(String(repeating: "é", count: count))
            strings.append(String(repeating: "😀", count: count))
            strings.append(" " + String(repeating: "x", count: max(0, count - 1)))
            strings.append(String(repeating: "a", count: max(0, count - 6)) + "@b.com")
        }
        return strings
    }()

    static func schemaAccepts(_ schema: JSONValue, _ text: String) throws -> Bool {
        let count = text.unicodeScalars.count
        if let max = schema["maxLength"]?.number, Double(count) > max { return false }
        if let min = schema["minLength"]?.number, Double(count) < min { return false }
        guard var pattern = schema["pattern"]?.string else { return true }
        // JSON Schema reads patterns as ECMA 262, where `$` is the end of the text; in ICU it also matches before a
        // final line break, which `\z` does not.
        if pattern.hasSuffix("$") { pattern = pattern.dropLast() + "\\z" }
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test("the document's schema and the rule agree on every string", arguments: [
        ("name", InputRules.name), ("title", InputRules.title), ("longText", InputRules.longText), ("reason", InputRules.reason),
        ("rationale", InputRules.rationale), ("note", InputRules.note), ("declineNote", InputRules.declineNote),
        ("definitionOfReadyItem", InputRules.definitionOfReadyItem),
    ])
    func textRuleMatchesItsSchema(label: String, rule: TextRule) throws {
        var strings = Self.corpus
        strings.append(String(repeating: "y", count: rule.length.upperBound))
        strings.append(String(repeating: "y", count: rule.length.upperBound + 1))
        strings.append(" " + String(repeating: "y", count: rule.length.upperBound - 1))
        for text in strings {
            let accepted = (try? rule.check(text, field: label)) != nil
            #expect(accepted == (try Self.schemaAccepts(rule.schema, text)), "\(label): \(text.unicodeScalars.map { String($0.value, radix: 16) }.prefix(8))")
        }
    }

    @Test("pattern rules agree with their schema", arguments: [("email", InputRules.email), ("key", InputRules.productKey)])
    func patternRuleMatchesItsSchema(label: String, rule: PatternRule) throws {
        for text in Self.corpus {
            let accepted = (try? rule.check(text, field: label)) != nil
            let schemaAccepts = try Self.schemaAccepts(rule.schema, text)
            #expect(accepted == schemaAccepts, "\(label): \(text.unicodeScalars.map { String($0.value, radix: 16) }.prefix(8))")
        }
    }

    @Test func wholeNumbersRefuseWhatCannotConvert() throws {
        for value in [Double.nan, .infinity, -.infinity, 0.5, 1e300, -1, 0, 11] {
            #expect(throws: FieldViolation.self) { try InputRules.wsjfInput.check(value, field: "businessValue") }
        }
        #expect(try InputRules.wsjfInput.check(10, field: "businessValue") == 10)
        #expect(try InputRules.version.check("9007199254740991", field: "version") == 9_007_199_254_740_991)
    }
}

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test(arguments: [
        ("2026-12-31", true), ("2024-02-29", true), ("2000-02-29", true), ("0001-01-01", true), ("9999-12-31", true),
        ("2026-02-29", false), ("1900-02-29", false), ("2026-13-01", false), ("2026-04-31", false), ("0000-01-01", false),
        ("2026-1-01", false), ("26-01-01", false), ("2026/01/01", false), ("2026-01-01T00:00:00Z", false), ("", false), ("+026-01-01", false),
    ])
    func dates(raw: String, valid: Bool) {
        #expect(((try? InputRules.calendarDate.check(raw, field: "targetDate")) != nil) == valid, "\(raw)")
    }
}
