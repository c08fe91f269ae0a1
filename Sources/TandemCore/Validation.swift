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

/// The characters the text rules treat specially, listed once so the Swift checks and the document's patterns agree.
/// Explicit lists, not `\s` or `CharacterSet`: regex engines (ECMA, Python, ICU) and Foundation each define white space differently.
enum Characters {
    /// Unicode's space separators (category Zs) and the line and paragraph separators.
    static let spaces: [ClosedRange<UInt32>] = [
        0x20...0x20, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A, 0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000,
    ]
    /// Control characters (category Cc): never part of a one-line text.
    static let controls: [ClosedRange<UInt32>] = [0x00...0x1F, 0x7F...0x9F]
    /// The controls a multi-line text may hold: tab, line feed and carriage return.
    static let lineControls: Set<UInt32> = [0x09, 0x0A, 0x0D]

    /// Line and paragraph separators break a line as a line feed does, so one-line texts refuse them.
    static let lineSeparators: [ClosedRange<UInt32>] = [0x2028...0x2029]
    /// Bidirectional embeddings, overrides and isolates reorder what follows them, so a name or title could read
    /// differently from what it is ("trojan source"); prose keeps them, as some languages need them there.
    static let bidiControls: [ClosedRange<UInt32>] = [0x202A...0x202E, 0x2066...0x2069]

    /// What shows nothing by itself: space and line separators (Z*), controls (Cc), format characters (Cf, like
    /// U+200B) and combining marks (M*), merged across unassigned, private-use and surrogate code points so the
    /// list stays short. A required text needs one scalar outside it: a letter, number, punctuation or symbol.
    /// Read from the standard library's Unicode tables once, so the check and the document's pattern use one list.
    static let invisible: [ClosedRange<UInt32>] = {
        func category(_ value: UInt32) -> Unicode.GeneralCategory? { Unicode.Scalar(value)?.properties.generalCategory }
        func isInvisible(_ value: UInt32) -> Bool {
            switch category(value) {
            case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format, .nonspacingMark, .spacingMark, .enclosingMark: true
            default: false
            }
        }
        func isIndifferent(_ value: UInt32) -> Bool {
            switch category(value) {
            case nil, .unassigned, .privateUse, .surrogate: true
            default: false
            }
        }
        var ranges: [ClosedRange<UInt32>] = []
        var value: UInt32 = 0
        while value <= 0x10FFFF {
            guard isInvisible(value) else { value += 1; continue }
            var end = value
            while end < 0x10FFFF && isInvisible(end + 1) { end += 1 }
            if let last = ranges.last, (last.upperBound + 1..<value).allSatisfy(isIndifferent) {
                ranges[ranges.count - 1] = last.lowerBound...end
            } else {
                ranges.append(value...end)
            }
            value = end + 1
        }
        return ranges
    }()

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { spaces.contains { $0.contains(scalar.value) } }
    static func isControl(_ scalar: Unicode.Scalar) -> Bool { controls.contains { $0.contains(scalar.value) } }
    static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        // Binary search: the ranges are sorted and disjoint.
        var low = 0, high = invisible.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if scalar.value < invisible[middle].lowerBound { high = middle - 1 } else if scalar.value > invisible[middle].upperBound { low = middle + 1 } else { return false }
        }
        return true
    }

    /// A regex character-class body for `ranges`: `\uXXXX` escapes in the Basic Multilingual Plane (ECMA 262, Python
    /// and ICU read them alike), the characters themselves above it, where the three have no common escape (every
    /// engine with Unicode semantics, as JSON Schema's, reads a literal astral character as one).
    static func classBody(_ ranges: [ClosedRange<UInt32>]) -> String {
        func escape(_ value: UInt32) -> String {
            if value > 0xFFFF, let scalar = Unicode.Scalar(value) { return String(Character(scalar)) }
            let hex = String(value, radix: 16, uppercase: true)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        return ranges.map { $0.lowerBound == $0.upperBound ? escape($0.lowerBound) : escape($0.lowerBound) + "-" + escape($0.upperBound) }.joined()
    }

    /// The characters `lines` forbids.
    static func forbidden(_ lines: TextRule.Lines) -> [ClosedRange<UInt32>] {
        switch lines {
        case .single: controls + lineSeparators + bidiControls
        case .multiple: [0x00...0x08, 0x0B...0x0C, 0x0E...0x1F, 0x7F...0x9F]
        }
    }
}

/// One text field's shape, declared once: `check` validates it and `schema` describes it in the OpenAPI document,
/// so the document never accepts what the server refuses, or the reverse. Lengths count Unicode code points, as
/// JSON Schema's `maxLength` does; surrounding white space is trimmed from what is stored but counts towards the
/// maximum, as a schema validator counts it.
public struct TextRule: Sendable {
    /// Whether the text is a one-line name or title (no control characters) or prose (tab and line breaks allowed).
    public enum Lines: Sendable { case single, multiple }

    public let length: ClosedRange<Int>
    public let lines: Lines
    /// Prose keeps its white space as typed; names and titles are trimmed.
    public let trims: Bool
    /// What a person is told when a required text is left blank, when "must not be empty" says too little.
    public let whenEmpty: String

    public init(_ length: ClosedRange<Int>, _ lines: Lines, trims: Bool = true, whenEmpty: String = "must not be empty") {
        self.whenEmpty = whenEmpty
        precondition(length.lowerBound <= 1, "a required text needs only one visible character")
        self.length = length
        self.lines = lines
        self.trims = trims
    }

    public var isRequired: Bool { length.lowerBound > 0 }

    /// Returns the text to store, or says in words what is wrong with it.
    public func check(_ raw: String, field: String) throws(FieldViolation) -> String {
        let count = raw.unicodeScalars.count
        guard count <= length.upperBound else {
            throw FieldViolation(field: field, reason: "must be at most \(length.upperBound) characters long")
        }
        let forbidden = Characters.forbidden(lines)
        if raw.unicodeScalars.contains(where: { scalar in forbidden.contains { $0.contains(scalar.value) } }) {
            throw FieldViolation(field: field, reason: lines == .single
                ? "must be one line without control characters, line separators or text-direction overrides"
                : "must not contain control characters other than tabs and line breaks")
        }
        let visible = raw.unicodeScalars.contains(where: Characters.isVisible)
        if isRequired, !visible {
            let blank = raw.unicodeScalars.allSatisfy { Characters.isSpace($0) || Characters.isControl($0) }
            throw FieldViolation(field: field, reason: blank ? whenEmpty : "must contain a letter, number, punctuation mark or symbol, not only invisible characters or combining marks")
        }
        guard trims else { return raw }
        let scalars = Array(raw.unicodeScalars)
        let isBlank = { (scalar: Unicode.Scalar) in Characters.isSpace(scalar) || Characters.isControl(scalar) }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }), let last = scalars.lastIndex(where: { !isBlank($0) }) else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[first...last])
        return String(view)
    }

    /// The regular expression the document states: allowed characters only and, when required, one visible character.
    public var pattern: String {
        let allowed = "[^" + Characters.classBody(Characters.forbidden(lines)) + "]"
        guard isRequired else { return "^" + allowed + "*$" }
        let visible = "[^" + Characters.classBody(Characters.invisible) + "]"
        return "^" + allowed + "*" + visible + allowed + "*$"
    }

    public var schema: JSONValue {
        var schema: [String: JSONValue] = ["type": "string", "maxLength": .number(Double(length.upperBound)), "pattern": .string(pattern)]
        if isRequired { schema["minLength"] = .number(Double(length.lowerBound)) }
        return .object(schema)
    }
}

/// A whole number field and its range; a JSON number arrives as `Double` and is converted without any trapping operation.
public struct WholeNumberRule: Sendable {
    /// Within ±2^53, so the bounds convert to `Double` exactly.
    public let range: ClosedRange<Int64>

    public init(_ range: ClosedRange<Int64>) { self.range = range }

    public func check(_ value: Double, field: String) throws(FieldViolation) -> Int64 {
        guard let whole = Int64(exactly: value), range.contains(whole) else { throw violation(field) }
        return whole
    }

    /// The same for a number typed as text (a form field, a header, a query parameter).
    public func check(_ text: String, field: String) throws(FieldViolation) -> Int64 {
        guard let whole = Int64(text.trimmingCharacters(in: .whitespaces)), range.contains(whole) else { throw violation(field) }
        return whole
    }

    private func violation(_ field: String) -> FieldViolation {
        FieldViolation(field: field, reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
    }

    public func schema(nullable: Bool = false) -> JSONValue {
        ["type": nullable ? ["integer", "null"] : "integer", "minimum": .number(Double(range.lowerBound)), "maximum": .number(Double(range.upperBound))]
    }
}

/// A text that must match a fixed pattern exactly, with no trimming (product keys).
public struct PatternRule: Sendable {
    public let pattern: String
    public let explanation: String
    /// In code points, when the pattern alone does not bound the length.
    public var maxLength: Int? = nil
    let matches: @Sendable (String) -> Bool

    public func check(_ raw: String, field: String) throws(FieldViolation) -> String {
        guard matches(raw) else { throw FieldViolation(field: field, reason: explanation) }
        return raw
    }

    public var schema: JSONValue {
        var schema: [String: JSONValue] = ["type": "string", "pattern": .string(pattern)]
        if let maxLength { schema["maxLength"] = .number(Double(maxLength)) }
        return .object(schema)
    }
}

/// Every input field's rule, declared once: the services validate with these values and the OpenAPI document is
/// built from the same values.
public enum InputRules {
    /// Product, team, token and display names.
    public static let name = TextRule(1...100, .single)
    public static let title = TextRule(1...200, .single)
    /// Descriptions and acceptance criteria: prose, kept exactly as typed.
    public static let longText = TextRule(0...20_000, .multiple, trims: false)
    /// Why the Product Owner says no to an item.
    public static let reason = TextRule(1...2000, .multiple, whenEmpty: "is required: say why, so the team and stakeholders can read it")
    public static let rationale = TextRule(1...4000, .multiple, whenEmpty: "is required: tell the Product Owner why")
    public static let note = TextRule(0...4000, .multiple)
    /// The Product Vision Board: the vision statement is required, the other answers may wait.
    public static let visionStatement = TextRule(1...2000, .multiple, whenEmpty: "is required: say in a sentence what the product is for")
    public static let visionPart = TextRule(0...2000, .multiple)
    /// A Product Goal is one commitment the team can hold in mind.
    public static let goalStatement = TextRule(1...500, .multiple, whenEmpty: "is required: name the outcome the product aims for next")
    public static let goalMeasure = TextRule(0...1000, .multiple)
    /// Marking a goal achieved or abandoned says what happened.
    public static let goalNote = TextRule(1...4000, .multiple, whenEmpty: "is required: say what happened, for the goal's history")
    public static let calendarDate = CalendarDateRule()
    /// Reopening a declined item says why the "no" is taken back.
    public static let reopenNote = TextRule(1...4000, .multiple, whenEmpty: "is required: say why the item comes back")
    /// Declining a proposal needs a note: the proposer and the team read it.
    public static let declineNote = TextRule(1...4000, .multiple, whenEmpty: "is required when declining: the proposer and the team read it")
    public static let definitionOfReadyItem = TextRule(1...300, .single)
    public static let definitionOfReadyEntries = 30
    public static let pageSize = WholeNumberRule(1...200)
    /// Versions stay within JSON's exactly representable integers (2^53 - 1), so every client reads them unchanged.
    public static let version = WholeNumberRule(1...9_007_199_254_740_991)
    /// Business value, time criticality and risk reduction, scored relative to the backlog.
    public static let wsjfInput = WholeNumberRule(1...10)
    /// Product keys appear in every item reference (`TND-42`), so they stay short and shout-case.
    public static let productKey = PatternRule(pattern: "^[A-Z0-9]{2,10}$", explanation: "must be 2 to 10 uppercase letters A-Z or digits 0-9") { key in
        (2...10).contains(key.unicodeScalars.count) && key.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
    /// One `@`, a dot inside the domain, no white space or control characters; at most 254 code points (RFC 5321).
    public static let email = PatternRule(
        pattern: "^[^@" + Characters.classBody(Characters.controls + Characters.spaces) + "]+@[^@." + Characters.classBody(Characters.controls + Characters.spaces)
            + "][^@" + Characters.classBody(Characters.controls + Characters.spaces) + "]*\\.[^@" + Characters.classBody(Characters.controls + Characters.spaces)
            + "]*[^@." + Characters.classBody(Characters.controls + Characters.spaces) + "]$",
        explanation: "must be an email address like name@example.com", maxLength: emailLength
    ) { email in
        let scalars = Array(email.unicodeScalars)
        guard scalars.count <= emailLength, !scalars.contains(where: { Characters.isSpace($0) || Characters.isControl($0) }) else { return false }
        let parts = scalars.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        let domain = Array(parts[1])
        return domain.count >= 3 && domain.first != "." && domain.last != "." && domain[1..<(domain.count - 1)].contains(".")
    }
    public static let emailLength = 254
    /// Stakeholders' feedback, as long as a good email.
    public static let feedback = TextRule(1...4000, .multiple, whenEmpty: "is required: say what you saw and what you would change")
    /// A retrospective note or improvement action.
    public static let retrospectiveText = TextRule(1...1000, .multiple, whenEmpty: "is required")
    /// A kind of recorded change: the part of an activity's action before the dot (`item`, `sprint`, `impediment`).
    public static let activityKind = PatternRule(pattern: "^[a-z_]{1,40}$", explanation: "must be a kind of change like item, sprint or impediment") { kind in
        (1...40).contains(kind.utf8.count) && kind.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || $0 == UInt8(ascii: "_") }
    }
    /// How an impediment was removed, a question's answer, a decision's parts.
    public static let resolution = TextRule(0...4000, .multiple)
    public static let question = TextRule(1...4000, .multiple, whenEmpty: "is required: ask the question")
    public static let answer = TextRule(1...8000, .multiple, whenEmpty: "is required: answer the question")
    public static let decisionText = TextRule(1...8000, .multiple, whenEmpty: "is required")
    public static let decisionRationale = TextRule(1...8000, .multiple, whenEmpty: "is required: a decision without its why cannot be understood later")
    public static let agreementItem = TextRule(1...500, .single)
    /// A Sprint Goal: why the sprint is valuable, in a sentence or two.
    public static let sprintGoal = TextRule(0...1000, .multiple)
    /// IANA time zone names (`Europe/Berlin`, `America/Argentina/Buenos_Aires`, `UTC`); the server also checks it knows the zone.
    public static let timeZone = PatternRule(pattern: "^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+)*$", explanation: "must be a time zone name like Europe/Berlin or UTC", maxLength: 64) { zone in
        let scalars = Array(zone.unicodeScalars)
        func allowed(_ s: Unicode.Scalar) -> Bool { ("A"..."Z").contains(s) || ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "_" || s == "+" || s == "-" }
        guard (1...64).contains(scalars.count), let first = scalars.first, ("A"..."Z").contains(first) || ("a"..."z").contains(first) else { return false }
        return zone.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(allowed) }
    }
    /// Holidays and other non-working dates a team keeps: a few years' worth.
    public static let nonWorkingDates = 1000
    /// bcrypt reads 72 bytes; longer passwords are pre-hashed (`PasswordHashing`), so the limit is in characters.
    public static let password = 10...128
}

/// Input rules that need more than a declaration, kept here so the API, the pages and the CLI agree.
public enum Validate {
    /// A text's length as the limits count it: Unicode code points.
    public static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// Returns the email as typed; uniqueness compares `normalizedEmail`.
    public static func email(_ raw: String, field: String = "email") throws(FieldViolation) -> String {
        try InputRules.email.check(raw, field: field)
    }

    /// Emails are unique regardless of case, as people type them inconsistently.
    public static func normalizedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    public static func password(_ raw: String, field: String = "password") throws(FieldViolation) {
        let count = length(raw)
        guard count >= InputRules.password.lowerBound else { throw FieldViolation(field: field, reason: "must be at least \(InputRules.password.lowerBound) characters long") }
        guard count <= InputRules.password.upperBound else { throw FieldViolation(field: field, reason: "must be at most \(InputRules.password.upperBound) characters long") }
    }
}

/// A calendar date as `YYYY-MM-DD` (JSON Schema's `format: date`), years 1 to 9999, checked against the calendar.
public struct CalendarDateRule: Sendable {
    public init() {}

    public func check(_ raw: String, field: String) throws(FieldViolation) -> String {
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard raw.utf8.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              raw.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...9999).contains(year), (1...12).contains(month), (1...Self.days(in: month, of: year)).contains(day)
        else { throw FieldViolation(field: field, reason: "must be a calendar date like 2026-12-31") }
        return raw
    }

    static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var schema: JSONValue { ["type": "string", "format": "date"] }
}

/// A declared input rule; services call `validated`, which speaks the domain's error.
public protocol InputRule: Sendable {
    associatedtype Input
    associatedtype Output
    func check(_ raw: Input, field: String) throws(FieldViolation) -> Output
}

extension InputRule {
    /// The checked value, or a `validation_failed` domain error naming the field in words.
    public func validated(_ raw: Input, field: String) throws(DomainError) -> Output {
        do { return try check(raw, field: field) } catch { throw DomainError.invalid(error) }
    }
}

extension TextRule: InputRule {}
extension CalendarDateRule: InputRule {}
extension PatternRule: InputRule {}
extension WholeNumberRule: InputRule {
    public typealias Input = Double
    public typealias Output = Int64

    public func validated(_ raw: String, field: String) throws(DomainError) -> Int64 {
        do { return try check(raw, field: field) } catch { throw DomainError.invalid(error) }
    }
}
