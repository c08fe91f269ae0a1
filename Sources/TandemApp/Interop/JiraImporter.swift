import Foundation
import SQLKit
import TandemCore

/// `tandem import jira`: a Jira "CSV (all fields)" export into a product, with its sprint history, through the
/// backlog's and the sprints' import paths. The file is read, planned and checked before any transaction opens;
/// then one transaction writes it all, or a problem (with its line) writes nothing.
public struct JiraImporter: Sendable {
    let database: TandemDatabase
    let stamps: Stamps

    public init(database: TandemDatabase, stamps: Stamps = .system) {
        self.database = database
        self.stamps = stamps
    }

    public struct Request: Sendable {
        public var data: Data
        public var productKey: String
        /// Create the product: its name and its Product Owner's email.
        public var create: (name: String, ownerEmail: String)?
        public var team: String?
        public var dryRun = false
        public var options = JiraImport.Options()

        public init(data: Data, productKey: String, create: (name: String, ownerEmail: String)? = nil, team: String? = nil, dryRun: Bool = false, options: JiraImport.Options = .init()) {
            (self.data, self.productKey, self.create, self.team, self.dryRun, self.options) = (data, productKey, create, team, dryRun, options)
        }
    }

    /// What was (or, with --dry-run, would be) done, and every problem with its line.
    public struct Report: Sendable {
        public var problems: [String] = []
        public var encoding = ""
        public var issues = 0
        public var itemsCreated = 0
        public var itemsUpdated = 0
        public var dependencies = 0
        public var cyclesSkipped = 0
        public var linksOutsideTheFile = 0
        public var subtasksKept = 0
        public var subtasksSkipped = 0
        public var pointsRule = ""
        public var sprints: [(name: String, start: String, end: String, donePoints: Double, datesFrom: String)] = []
        public var sprintsCreated = 0
        public var sprintsKept = 0
        public var overlapping: [(String, String)] = []
        public var team = ""
        public var productID = ""
        public var writerSeconds = 0.0
    }

    public func run(_ request: Request, progress: @Sendable (String) -> Void = { _ in }) async throws -> Report {
        var report = Report()
        let table: CSVTable
        do { table = try CSVTable(data: request.data) } catch let problem as CSVTable.Problem {
            report.problems = ["line \(problem.line): \(problem.reason)"]
            return report
        }
        report.encoding = table.encoding
        progress("read \(table.rows.count) rows (\(table.encoding))")
        let plan = JiraImport.plan(table, options: request.options)
        report.problems = plan.problems.map(\.description)
        report.issues = plan.issues.count
        report.pointsRule = plan.pointsColumn.map { "story points from “\($0)”: \(plan.pointsRule)" } ?? plan.pointsRule
        report.subtasksKept = plan.subtasksKept
        report.subtasksSkipped = plan.subtasksSkipped
        report.linksOutsideTheFile = plan.linksOutsideTheFile
        report.overlapping = plan.overlappingSprints
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = request.options.timeZone
        day.dateFormat = "yyyy-MM-dd"
        report.sprints = plan.sprints.map { ($0.name, day.string(from: $0.start), day.string(from: $0.end), $0.donePoints, $0.datesFrom) }
        let items = plan.issues.map { issue in
            ImportedItem(line: issue.line, externalRef: issue.key, title: issue.title, description: Self.description(issue), kind: issue.kind,
                         sourceType: issue.jiraType, done: issue.done, points: issue.points, createdAt: issue.created.map { Int64($0.timeIntervalSince1970 * 1000) },
                         epicRef: issue.epicKey, blockedBy: issue.blockedBy)
        }
        report.problems += BacklogImport.check(items).map { "line \($0.line), \($0.field): \($0.reason)" }
        // Who and where, read before writing.
        let key = request.productKey.uppercased()
        let (existing, owner, teams) = try await database.read { db in
            let product = try await ProductService.product(key: key, on: db)
            var owner: String?
            if let create = request.create { owner = try await AccountService.user(byEmail: create.ownerEmail, on: db)?.id }
            var teams: [String] = []
            if let product { teams = try await ProductService.teamNames(productID: product.id, on: db) }
            return (product, owner, teams)
        }
        if let create = request.create {
            if existing != nil { report.problems.append("--create: a product with the key \(key) exists already; leave out --create to import into it.") }
            if owner == nil { report.problems.append("--owner: no account has the email \(create.ownerEmail); create it first (tandem user create).") }
        } else if existing == nil {
            report.problems.append("--product: no product has the key \(key); add --create \"Name\" --owner EMAIL to create it.")
        }
        let teamName = request.team ?? (teams.count == 1 ? teams[0] : teams.isEmpty ? "Team" : nil)
        if teamName == nil { report.problems.append("--team: the product has \(teams.count) teams (\(teams.joined(separator: ", "))); name the one whose history this is.") }
        report.team = teamName ?? ""
        guard report.problems.isEmpty, let teamName else { return report }
        let sprints = try plan.sprints.map { sprint -> ImportedSprint in
            guard let start = CalendarDay(day.string(from: sprint.start)), let end = CalendarDay(day.string(from: sprint.end)) else {
                throw DomainError.invalid(field: "sprint", "The sprint “\(sprint.name)” has dates Tandem cannot store.")
            }
            return ImportedSprint(name: sprint.name, start: start, end: end, donePoints: sprint.donePoints, doneItems: sprint.doneIssues.count)
        }
        progress("planned \(items.count) items and \(sprints.count) sprints; writing")
        let started = ContinuousClock.now
        let create = request.create, dryRun = request.dryRun
        let planned = report
        let outcome = try await database.write { [stamps] db -> (Report, Bool) in
            var report = planned
            let productID: String, ownerID: String
            if let create, let owner {
                productID = try await ProductService.insertProduct(name: create.name, key: key, ownerID: owner, stamps: stamps, on: db)
                ownerID = owner
            } else if let existing {
                (productID, ownerID) = existing
            } else {
                throw DomainError.notFound("The product")
            }
            let team = try await ProductService.team(named: teamName, productID: productID, actorID: ownerID, stamps: stamps, on: db)
            let written = try await BacklogImport.write(items, productID: productID, productKey: key, actorID: ownerID, stamps: stamps, on: db)
            let history = try await SprintImport.write(sprints, teamID: team.id, productID: productID, actorID: ownerID, stamps: stamps, on: db)
            report.productID = productID
            report.itemsCreated = written.created
            report.itemsUpdated = written.updated
            report.dependencies = written.dependencies
            report.cyclesSkipped = written.cyclesSkipped
            report.sprintsCreated = history.created
            report.sprintsKept = history.kept
            // A dry run writes everything the same way, then takes it all back.
            if dryRun { throw DryRun(report: report) }
            return (report, true)
        }
        report = outcome.0
        let held = ContinuousClock.now - started
        report.writerSeconds = Double(held.components.seconds) + Double(held.components.attoseconds) / 1e18
        return report
    }

    /// Thrown to roll a dry run back, carrying what it would have done.
    public struct DryRun: Error, @unchecked Sendable {
        public let report: Report
    }

    /// The issue's description with what Tandem has no field for kept as text beneath it.
    static func description(_ issue: JiraImport.Issue) -> String {
        var extra: [String] = []
        if !issue.labels.isEmpty { extra.append("Labels: \(issue.labels.joined(separator: ", "))") }
        if let priority = issue.priority { extra.append("Priority: \(priority)") }
        for (role, name) in issue.people.sorted(by: { $0.key < $1.key }) { extra.append("\(role): \(name)") }
        if !issue.status.isEmpty { extra.append("Jira status: \(issue.status)") }
        guard !extra.isEmpty else { return issue.description }
        return (issue.description.isEmpty ? "" : issue.description + "\n\n") + "From Jira \(issue.key) (\(issue.jiraType)) — " + extra.joined(separator: " · ")
    }
}
