import Foundation

/// A Jira "CSV (all fields)" export read into what Tandem creates from it: its issues as backlog items in the file's
/// order, and every sprint the file names as a closed sprint with the points done in it (an issue counts in the last
/// sprint it was in, when its status category is done), so velocity and forecasts work on the first day. Pure: the
/// import writes this plan in one transaction, or nothing when it lists a problem.
public enum JiraImport {
    /// What the person chose on the command line.
    public struct Options: Sendable {
        /// The column holding story points; without it, the rule in `pointsColumn` picks one.
        public var pointsField: String?
        /// A company's own issue types and the kind each becomes (`Change Request=story`); others become stories.
        public var typeMap: [String: ItemKind] = [:]
        /// Extra date formats (DateFormatter patterns) tried before Jira's usual ones, with their locale.
        public var dateFormats: [String] = []
        public var dateLocale: String = "en_US_POSIX"
        public var timeZone: TimeZone = TimeZone(identifier: "UTC")!

        public init(pointsField: String? = nil, typeMap: [String: ItemKind] = [:], dateFormats: [String] = [], dateLocale: String = "en_US_POSIX") {
            self.pointsField = pointsField
            self.typeMap = typeMap
            self.dateFormats = dateFormats
            self.dateLocale = dateLocale
        }
    }

    /// One issue as Tandem will keep it.
    public struct Issue: Sendable, Equatable {
        public let line: Int
        public let key: String
        public let title: String
        public var description: String
        public let kind: ItemKind
        /// The type Jira had, kept on the item (a company's own types become stories).
        public let jiraType: String
        public let status: String
        public let done: Bool
        public let points: Double?
        public let created: Date?
        public let resolved: Date?
        public var epicKey: String?
        public var parentKey: String?
        public let blocks: [String]
        public let blockedBy: [String]
        public let sprints: [String]
        public let labels: [String]
        public let priority: String?
        public let people: [String: String]
    }

    /// A sprint named in the file, closed, with its dates and what was done in it.
    public struct Sprint: Sendable, Equatable {
        public let name: String
        public let start: Date
        public let end: Date
        /// "name" when the dates came from the sprint's name, "issues" when from its issues' dates.
        public let datesFrom: String
        public let donePoints: Double
        public let doneIssues: [String]
        public let issues: [String]
    }

    /// A reason the file cannot be imported, with its line.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let column: String?
        public let reason: String
        public var description: String { "line \(line)\(column.map { ", \($0)" } ?? ""): \(reason)" }
    }

    /// Everything the import will create, and what it decided on the way.
    public struct Plan: Sendable {
        public var issues: [Issue] = []
        public var sprints: [Sprint] = []
        public var pointsColumn: String?
        public var pointsRule = ""
        public var subtasksKept = 0
        public var subtasksSkipped = 0
        public var linksOutsideTheFile = 0
        public var overlappingSprints: [(String, String)] = []
        public var problems: [Problem] = []
        public var encoding = ""
    }

    /// The story-point columns Jira instances use, in the order they are preferred when several are filled.
    public static let knownPointColumns = ["Custom field (Story Points)", "Custom field (Story point estimate)", "Story Points", "Story point estimate"]

    public static func plan(_ table: CSVTable, options: Options = Options()) -> Plan {
        var plan = Plan()
        plan.encoding = table.encoding
        for required in ["Issue key", "Summary"] where !table.has(required) {
            plan.problems.append(Problem(line: 1, column: required, reason: "The file has no “\(required)” column: export with “CSV (all fields)”."))
        }
        guard plan.problems.isEmpty else { return plan }
        (plan.pointsColumn, plan.pointsRule) = pointsColumn(table, chosen: options.pointsField)
        if let chosen = options.pointsField, plan.pointsColumn == nil {
            plan.problems.append(Problem(line: 1, column: chosen, reason: "--points-field names a column the file does not have."))
            return plan
        }
        let dates = DateReader(options: options)
        var byID: [String: String] = [:]
        for row in table.rows { if let id = table.value("Issue id", in: row), let key = table.value("Issue key", in: row) { byID[id] = key } }
        var subtasks: [(parent: String, text: String, line: Int)] = []
        var seen = Set<String>()
        for (index, row) in table.rows.enumerated() {
            let line = table.lineNumbers[index]
            guard let key = table.value("Issue key", in: row) else {
                plan.problems.append(Problem(line: line, column: "Issue key", reason: "The row has no issue key."))
                continue
            }
            guard seen.insert(key).inserted else {
                plan.problems.append(Problem(line: line, column: "Issue key", reason: "\(key) appears twice."))
                continue
            }
            let summary = table.value("Summary", in: row) ?? ""
            let type = table.value("Issue Type", in: row) ?? "Story"
            let parent = table.value("Parent", in: row).map { byID[$0] ?? $0 } ?? table.value("Parent id", in: row).flatMap { byID[$0] }
            if ["sub-task", "subtask"].contains(type.lowercased()) {
                if let parent { subtasks.append((parent, "\(key) \(summary)", line)) } else { plan.subtasksSkipped += 1 }
                continue
            }
            var problem: (String, String)?
            func date(_ column: String) -> Date? {
                guard let raw = table.value(column, in: row) else { return nil }
                guard let parsed = dates.read(raw) else {
                    problem = (column, "“\(raw)” is not a date Tandem reads; add its pattern with --date-format (and --date-locale for month names).")
                    return nil
                }
                return parsed
            }
            var points: Double?
            if let column = plan.pointsColumn, let raw = table.value(column, in: row) {
                if let value = Double(raw.replacingOccurrences(of: ",", with: ".")), value.isFinite, value >= 0, value <= 1_000 { points = value }
                else { problem = (column, "“\(raw)” is not a number of story points.") }
            }
            let category = table.value("Status Category", in: row)
            let status = table.value("Status", in: row) ?? ""
            let done = category.map { $0.caseInsensitiveCompare("Done") == .orderedSame } ?? ["done", "closed", "resolved"].contains(status.lowercased())
            let issue = Issue(
                line: line, key: key, title: summary, description: table.value("Description", in: row) ?? "",
                kind: kind(type, map: options.typeMap), jiraType: type, status: status, done: done, points: points,
                created: date("Created"), resolved: date("Resolved"),
                epicKey: table.value("Custom field (Epic Link)", in: row), parentKey: parent,
                blocks: table.values("Outward issue link (Blocks)", in: row), blockedBy: table.values("Inward issue link (Blocks)", in: row),
                sprints: table.values("Sprint", in: row), labels: table.values("Labels", in: row), priority: table.value("Priority", in: row),
                people: Dictionary(uniqueKeysWithValues: ["Assignee", "Reporter"].compactMap { column in table.value(column, in: row).map { (column, $0) } })
            )
            if let (column, reason) = problem { plan.problems.append(Problem(line: line, column: column, reason: reason)) }
            if summary.isEmpty { plan.problems.append(Problem(line: line, column: "Summary", reason: "\(key) has no summary.")) }
            plan.issues.append(issue)
        }
        // Epics and parents must be in the file; links may point outside it (they are counted and left out).
        let keys = Set(plan.issues.map(\.key))
        let epics = Set(plan.issues.filter { $0.kind == .epic }.map(\.key))
        for index in plan.issues.indices {
            let issue = plan.issues[index]
            if let epic = issue.epicKey, !epics.contains(epic) {
                plan.problems.append(Problem(line: issue.line, column: "Custom field (Epic Link)", reason: "\(issue.key) links to the epic \(epic), which is not in the file."))
            }
            if let parent = issue.parentKey, issue.epicKey == nil {
                if epics.contains(parent) { plan.issues[index].epicKey = parent }
                plan.issues[index].parentKey = nil
            }
            plan.linksOutsideTheFile += (issue.blocks + issue.blockedBy).filter { !keys.contains($0) }.count
        }
        for subtask in subtasks {
            guard let index = plan.issues.firstIndex(where: { $0.key == subtask.parent }) else { plan.subtasksSkipped += 1; continue }
            plan.issues[index].description += (plan.issues[index].description.isEmpty ? "" : "\n\n") + "Sub-task: \(subtask.text)"
            plan.subtasksKept += 1
        }
        plan.sprints = sprints(plan.issues, dates: dates)
        for (i, a) in plan.sprints.enumerated() {
            for b in plan.sprints[(i + 1)...] where a.start < b.end && b.start < a.end { plan.overlappingSprints.append((a.name, b.name)) }
        }
        return plan
    }

    /// The points column: the one chosen, or else the first of the known names with a value, or else any column
    /// whose name speaks of story points with the most numbers in it.
    static func pointsColumn(_ table: CSVTable, chosen: String?) -> (String?, String) {
        func filled(_ header: String) -> Int { table.rows.filter { row in table.value(header, in: row).flatMap { Double($0) } != nil }.count }
        if let chosen { return (table.has(chosen) ? chosen : nil, "the column named by --points-field") }
        if let known = knownPointColumns.first(where: { table.has($0) && filled($0) > 0 }) {
            return (known, "the first of \(knownPointColumns.joined(separator: ", ")) with values")
        }
        let candidates = Set(table.headers.filter { $0.lowercased().contains("story point") })
        if let best = candidates.max(by: { (filled($0), $1) < (filled($1), $0) }), filled(best) > 0 {
            return (best, "the column whose name mentions story points with the most numbers")
        }
        return (nil, "no story-point column with values: items are imported without estimates")
    }

    static func kind(_ type: String, map: [String: ItemKind]) -> ItemKind {
        if let mapped = map.first(where: { $0.key.caseInsensitiveCompare(type) == .orderedSame })?.value { return mapped }
        switch type.lowercased() {
        case "epic": return .epic
        case "bug", "defect": return .bug
        case "spike": return .spike
        case "task", "chore": return .chore
        default: return .story
        }
    }

    /// Each sprint named, ordered by its end: dates from its name when it carries them, else from its issues.
    static func sprints(_ issues: [Issue], dates: DateReader) -> [Sprint] {
        var order: [String] = [], members: [String: [Issue]] = [:], doneIn: [String: [Issue]] = [:]
        for issue in issues {
            for name in issue.sprints where members[name] == nil { order.append(name) }
            for name in issue.sprints { members[name, default: []].append(issue) }
            if issue.done, let last = issue.sprints.last { doneIn[last, default: []].append(issue) }
        }
        let day: TimeInterval = 86_400
        return order.compactMap { name -> Sprint? in
            let issues = members[name] ?? [], done = doneIn[name] ?? []
            var start: Date, end: Date, from: String
            if let named = dates.range(inName: name) {
                (start, end, from) = (named.0, named.1, "name")
            } else {
                let moments = done.compactMap { $0.resolved } + issues.compactMap { $0.resolved ?? $0.created }
                guard let last = moments.max() else { return nil }
                end = last
                start = min(moments.min() ?? last, last.addingTimeInterval(-13 * day))
                if end.timeIntervalSince(start) > 28 * day { start = end.addingTimeInterval(-13 * day) }
                from = "issues"
            }
            return Sprint(name: name, start: start, end: end, datesFrom: from, donePoints: done.reduce(0) { $0 + ($1.points ?? 0) },
                          doneIssues: done.map(\.key), issues: issues.map(\.key))
        }.sorted { ($0.end, $0.name) < ($1.end, $1.name) }
    }

    /// Jira's date formats (and the person's own), read in one time zone.
    struct DateReader {
        let formatters: [DateFormatter]
        let english: DateFormatter

        init(options: Options) {
            func formatter(_ pattern: String, locale: String) -> DateFormatter {
                let f = DateFormatter()
                f.locale = Locale(identifier: locale)
                f.timeZone = options.timeZone
                f.dateFormat = pattern
                f.isLenient = false
                return f
            }
            let jira = ["dd/MMM/yy h:mm a", "dd/MMM/yyyy h:mm a", "d/MMM/yy h:mm a", "dd/MMM/yy HH:mm", "dd/MMM/yy", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss.SSSZ",
                        "yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd", "dd.MM.yyyy HH:mm", "dd.MM.yyyy", "MM/dd/yyyy h:mm a", "MM/dd/yy h:mm a"]
            formatters = options.dateFormats.map { formatter($0, locale: options.dateLocale) } + jira.map { formatter($0, locale: "en_US_POSIX") }
            english = formatter("d MMM yyyy", locale: "en_US_POSIX")
        }

        func read(_ raw: String) -> Date? {
            let text = raw.trimmingCharacters(in: .whitespaces)
            for formatter in formatters { if let date = formatter.date(from: text) { return date } }
            return nil
        }

        /// "IT S23 (4 Nov - 18 Nov 2024)" or "Sprint 5 (2024-11-04 - 2024-11-18)": the range a sprint's name carries.
        func range(inName name: String) -> (Date, Date)? {
            let patterns = [#"\((\d{1,2} [A-Za-z]{3,9})(?: (\d{4}))? *[-–] *(\d{1,2} [A-Za-z]{3,9}) (\d{4})\)"#, #"(\d{4}-\d{2}-\d{2}) *[-–] *(\d{4}-\d{2}-\d{2})"#]
            let whole = NSRange(name.startIndex..., in: name)
            if let match = try? NSRegularExpression(pattern: patterns[0]).firstMatch(in: name, range: whole) {  // try?: constant patterns
                func group(_ i: Int) -> String? { Range(match.range(at: i), in: name).map { String(name[$0]) } }
                guard let startDay = group(1), let endDay = group(3), let endYear = group(4) else { return nil }
                guard let end = english.date(from: "\(endDay) \(endYear)") else { return nil }
                var start = english.date(from: "\(startDay) \(group(2) ?? endYear)")
                if let s = start, s > end { start = english.date(from: "\(startDay) \((Int(endYear) ?? 0) - 1)") }  // "28 Dec - 10 Jan 2025"
                return start.map { ($0, end) }
            }
            if let match = try? NSRegularExpression(pattern: patterns[1]).firstMatch(in: name, range: whole),
               let a = Range(match.range(at: 1), in: name), let b = Range(match.range(at: 2), in: name),
               let start = read(String(name[a])), let end = read(String(name[b])), start <= end {
                return (start, end)
            }
            return nil
        }
    }
}
