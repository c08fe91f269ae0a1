import Testing
import TandemCore

@Suite("Input rules")
struct ValidationTests {
    @Test("product keys", arguments: [
        ("TND", true), ("AB", true), ("ABCDEFGHIJ", true), ("A1", true), ("42", true),
        ("A", false), ("ABCDEFGHIJK", false), ("tnd", false), ("TN-D", false), ("TÄN", false), ("", false), ("T D", false),
    ])
    func productKey(raw: String, valid: Bool) {
        let result = Result { () throws(FieldViolation) -> String in try Validate.productKey(raw) }
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
        ("ana@example.com", true), (" ana@example.com ", true), ("a.b+c@sub.example.org", true),
        ("ana", false), ("ana@", false), ("@example.com", false), ("ana@example", false), ("an a@example.com", false),
        ("ana@@example.com", false), ("ana@.com", false),
    ])
    func email(raw: String, valid: Bool) {
        #expect(((try? Validate.email(raw)) != nil) == valid)
    }

    @Test func emailsCompareWithoutCase() {
        #expect(Validate.normalizedEmail(" Ana@Example.COM") == "ana@example.com")
    }

    @Test("passwords", arguments: [
        ("123456789", false), ("1234567890", true), (String(repeating: "x", count: 72), true), (String(repeating: "x", count: 73), false),
        (String(repeating: "é", count: 37), false),
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
        #expect(((try? Validate.name(raw, field: "name")) != nil) == valid)
    }
}
