import Foundation
import Testing
import TandemCore

/// The Jira export read into a plan, from the hand-written fixtures in Tests/Fixtures/jira.
@Suite("Jira import plan")
struct JiraImportTests {
    static func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/jira/\(name)")
        return try Data(contentsOf: url)
    }

    static func day(_ text: String) -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.date(from: text)!
    }

    @Test func theCloudExportBecomesItemsAndSprintHistory() throws {
        let table = try CSVTable(data: Self.fixture("jira-cloud.csv"))
        #expect(table.encoding == "UTF-8 with BOM" && table.headers.first == "Summary")
        let plan = JiraImport.plan(table)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        #expect(plan.pointsColumn == "Custom field (Story point estimate)")
        #expect(plan.issues.map(\.key) == ["ORB-1", "ORB-2", "ORB-3", "ORB-4", "ORB-6", "ORB-7", "ORB-8", "ORB-9", "ORB-10"], "file order, the sub-task folded into its parent")
        let card = try #require(plan.issues.first { $0.key == "ORB-2" })
        #expect(card.description == "Given a saved card,\nwhen I pay, then \"one click\" is enough.\nÜmlaut, café, 日本語.")
        #expect(card.kind == .story && card.done && card.points == 5 && card.epicKey == "ORB-1" && card.blocks == ["ORB-3"] && card.labels == ["payments", "checkout"])
        #expect(card.created == Self.day("2024-10-02").addingTimeInterval(10 * 3600 + 15 * 60))
        #expect(plan.issues.first { $0.key == "ORB-3" }?.description == "Rolled over once.\n\nSub-task: ORB-5 Write the migration script" && plan.subtasksKept == 1)
        let request = try #require(plan.issues.first { $0.key == "ORB-6" })
        #expect(request.kind == .story && request.jiraType == "Change Request" && !request.done)
        #expect(plan.issues.first { $0.key == "ORB-1" }?.kind == .epic && plan.issues.first { $0.key == "ORB-4" }?.kind == .bug)
        #expect(plan.linksOutsideTheFile == 1, "ORB-9 blocks ORB-77, which is not in the file")

        #expect(plan.sprints.map(\.name) == ["ORB Sprint 1 (7 Oct - 18 Oct 2024)", "ORB Sprint 2 (21 Oct - 1 Nov 2024)", "ORB Sprint 3 (4 Nov - 15 Nov 2024)", "ORB Sprint 4"])
        #expect(plan.sprints.map(\.donePoints) == [5, 11, 13, 6], "done in the last sprint each issue was in")
        #expect(plan.sprints[0].start == Self.day("2024-10-07") && plan.sprints[0].end == Self.day("2024-10-18") && plan.sprints[0].datesFrom == "name")
        #expect(plan.sprints[1].doneIssues == ["ORB-3", "ORB-4"], "ORB-3 rolled over and counts in its last sprint")
        #expect(plan.sprints[3].datesFrom == "issues" && plan.sprints[3].end == Self.day("2024-11-28").addingTimeInterval(11 * 3600))
        #expect(plan.sprints[3].start == plan.sprints[3].end.addingTimeInterval(-13 * 86_400), "two weeks back from its last resolved issue")
        #expect(plan.overlappingSprints.isEmpty, "\(plan.overlappingSprints)")
    }

    @Test func aWindows1252ExportWithItsOwnPointsColumn() throws {
        let table = try CSVTable(data: Self.fixture("jira-server-latin1.csv"))
        #expect(table.encoding.hasPrefix("Windows-1252"))
        let plan = JiraImport.plan(table)
        #expect(plan.problems.isEmpty && plan.pointsColumn == "Custom field (Estimated Story Points)" && plan.pointsRule.contains("mentions story points"))
        #expect(plan.issues.first { $0.key == "ORB-2" }?.description.contains("Ümlaut, café") == true)
        #expect(JiraImport.plan(table, options: .init(pointsField: "Nope")).problems.first?.column == "Nope")
    }

    @Test func brokenFilesNameTheirRows() throws {
        let plan = JiraImport.plan(try CSVTable(data: Self.fixture("jira-broken.csv")))
        #expect(plan.problems.contains { $0.line == 2 && $0.column == "Created" && $0.reason.contains("32/Oct/24") }, "\(plan.problems)")
        // ORB-2 spans lines 2–4 (its description has two line breaks), so ORB-3 starts on line 5.
        #expect(plan.problems.contains { $0.line == 5 && $0.column == "Custom field (Epic Link)" && $0.reason.contains("ORB-99") })
        #expect(throws: CSVTable.Problem.self) { try CSVTable(data: Self.fixture("jira-cut-off.csv")) }
        do { _ = try CSVTable(data: Self.fixture("jira-cut-off.csv")) } catch let problem as CSVTable.Problem { #expect(problem.line == 3 && problem.reason.contains("never closed"), "\(problem)") }
        #expect(throws: CSVTable.Problem.self) { try CSVTable(data: Data("a,b\n1\n".utf8)) }
        #expect(JiraImport.plan(try CSVTable(data: Data("Key,Title\nA-1,x\n".utf8))).problems.map(\.column) == ["Issue key", "Summary"])
    }

    @Test("CSV cells", arguments: [
        ("a,b\r\n1,2\r\n", [["1", "2"]]), ("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n", [["x, y", "say \"hi\""]]),
        ("a\n\"two\nlines\"\n\n", [["two\nlines"]]), ("a,b\n1,2", [["1", "2"]]),
    ])
    func cells(_ text: String, _ rows: [[String]]) throws {
        #expect(try CSVTable(data: Data(text.utf8)).rows == rows)
    }

    @Test func namedRanges() {
        let reader = JiraImport.plan(try! CSVTable(data: Data("Issue key,Summary,Sprint,Status Category,Custom field (Story Points),Resolved\nA-1,x,S (28 Dec - 10 Jan 2025),Done,3,09/Jan/25 9:00 AM\nA-2,y,T (2025-01-13 - 2025-01-24),Done,2,20/Jan/25 9:00 AM\n".utf8)))
        #expect(reader.sprints.map(\.start) == [Self.day("2024-12-28"), Self.day("2025-01-13")])
        #expect(reader.sprints.map(\.donePoints) == [3, 2] && reader.pointsColumn == "Custom field (Story Points)" && reader.overlappingSprints.isEmpty)
        let parallel = JiraImport.plan(try! CSVTable(data: Data("Issue key,Summary,Sprint\nA-1,x,Web (4 Nov - 15 Nov 2024)\nA-2,y,App (11 Nov - 22 Nov 2024)\n".utf8)))
        #expect(parallel.overlappingSprints.map(\.0) == ["Web (4 Nov - 15 Nov 2024)"], "parallel boards' sprints overlap, and the summary says so")
    }
}
