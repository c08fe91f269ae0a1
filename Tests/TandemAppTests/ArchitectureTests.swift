import Foundation
import TandemApp
import Testing

/// The folder map of the README, checked: shared plumbing knows no feature, and features depend one way
/// (Backlog → Products → Accounts). A type named in the wrong direction fails with the file and the type.
@Suite("Architecture")
struct ArchitectureTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/TandemApp")
    static let plumbing = ["Configuration", "Platform", "Persistence", "HTTP", "Web"]
    /// Each feature and the features it may use.
    static let features: [String: Set<String>] = ["Accounts": [], "Products": ["Accounts"], "Backlog": ["Products", "Accounts"], "Sprints": ["Backlog", "Products", "Accounts"],
        "Partnership": ["Sprints", "Backlog", "Products", "Accounts"], "Planning": ["Sprints", "Backlog", "Products", "Accounts"], "Webhooks": ["Products", "Accounts"], "Interop": ["Partnership", "Planning", "Sprints", "Backlog", "Products", "Accounts"],
    ]

    static func swiftFiles(in folder: String) throws -> [URL] {
        let root = sources.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    /// Type names a folder declares (struct, enum, class, protocol, typealias).
    static func declaredTypes(in folder: String) throws -> Set<String> {
        let pattern = try NSRegularExpression(pattern: #"^(?:public |private |fileprivate )?(?:final )?(?:struct|enum|class|protocol|typealias|actor)\s+(\w+)"#, options: .anchorsMatchLines)
        var names: Set<String> = []
        for file in try swiftFiles(in: folder) {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text) { names.insert(String(text[range])) }
            }
        }
        return names
    }

    /// `types` that `folder`'s code names (comments and plain string literals left out: demo text may say "Impediments").
    static func uses(_ folder: String, of types: Set<String>) throws -> [String] {
        var found: [String] = []
        // A string literal without interpolation (interpolations hold code, so those strings are kept).
        let literal = try NSRegularExpression(pattern: #""(?:[^"\\\n]|\\[^(])*""#)
        for file in try swiftFiles(in: folder) {
            let text = try String(contentsOf: file, encoding: .utf8)
            let withoutStrings = literal.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "\"\"")
            let code = withoutStrings.split(separator: "\n").map { line in
                line.range(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
            }.joined(separator: "\n")
            let words = Set(code.split { !$0.isLetter && !$0.isNumber && $0 != "_" }.map(String.init))
            found += words.intersection(types).sorted().map { "\(file.lastPathComponent) names \($0)" }
        }
        return found
    }

    @Test func plumbingKnowsNoFeature() throws {
        var featureTypes: Set<String> = []
        for feature in Self.features.keys { featureTypes.formUnion(try Self.declaredTypes(in: feature)) }
        #expect(featureTypes.contains("BacklogService") && featureTypes.contains("AccountService"), "the scan finds the features' types")
        for folder in Self.plumbing {
            #expect(try Self.uses(folder, of: featureTypes) == [], "\(folder) is plumbing")
        }
    }

    @Test func featuresDependOneWay() throws {
        for (feature, allowed) in Self.features {
            for other in Self.features.keys where other != feature && !allowed.contains(other) {
                #expect(try Self.uses(feature, of: try Self.declaredTypes(in: other)) == [], "\(feature) must not use \(other)")
            }
        }
    }

    @Test func webReachesNoStorage() throws {
        #expect(try Self.uses("Web", of: try Self.declaredTypes(in: "Persistence")) == [], "Web asks Platform (KeyStore), not Persistence")
    }

    // MARK: Tables

    /// A Swift file's text with comments left out; SQL lives in string literals, so those stay.
    static func code(_ file: URL) throws -> String {
        try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let trimmed = line.drop { $0 == " " }
            return trimmed.hasPrefix("//") ? "" : String(line)
        }.joined(separator: "\n")
    }

    static let writes = try! NSRegularExpression(pattern: #"(?:INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_]+)|(?:insert\(into:|insert\(|update\(|delete\(from:)\s*"([a-z_]+)""#)
    static let reads = try! NSRegularExpression(pattern: #"(?:FROM|JOIN)\s+([a-z_]+)|(?:from|join)\(\s*"([a-z_]+)""#)

    /// (file relative to Sources/TandemApp, table) for each table `pattern` finds in a file outside the schema steps.
    static func tables(_ pattern: NSRegularExpression, root: URL = sources) throws -> [(file: String, folder: String, table: String)] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var found: [(String, String, String)] = []
        for case let file as URL in walker where file.pathExtension == "swift" && !file.path.contains("/Migrations/") {
            let relative = String(file.path.dropFirst(root.path.count + 1))
            let folder = relative.contains("/") ? String(relative.split(separator: "/")[0]) : ""
            let text = try code(file)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                for group in 1...2 {
                    if let range = Range(match.range(at: group), in: text) { found.append((relative, folder, String(text[range]))) }
                }
            }
        }
        return found
    }

    /// Every table the schema creates is declared beside its step, owned by one feature or by Persistence.
    @Test func everyTableHasOneOwner() throws {
        let owners = Migrator.tableOwners
        let created = try NSRegularExpression(pattern: #"create\(table: "([a-z_]+)""#)
        var tables: Set<String> = []
        for file in try Self.swiftFiles(in: "Persistence/Migrations") {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in created.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                if let range = Range(match.range(at: 1), in: text), text[range] != "schema_migrations" { tables.insert(String(text[range])) }
            }
        }
        #expect(tables.count > 30, "the scan finds the schema's tables")
        #expect(tables.subtracting(owners.keys).sorted() == [], "declare the owner in the step that creates the table")
        #expect(Set(owners.values).subtracting(Set(Self.features.keys).union(["Persistence"])).sorted() == [])
    }

    /// Only a table's owner writes it: another feature goes through the owner's service (the Sprint Review adds
    /// invitees through ProductService, the Backlog's Definitions through ProductSettingsStore).
    @Test func onlyTheOwnerWritesATable() throws {
        let owners = Migrator.tableOwners
        let foreign = try Self.tables(Self.writes).filter { write in owners[write.table].map { $0 != write.folder } ?? false }
        #expect(foreign.map { "\($0.file) writes \($0.table)" } == [])
    }

    /// Tables of plumbing (the change stream, notifications) and people's names are read by every feature; other
    /// tables only by their owner. The reads below are those left to move behind their owner's service: a new one
    /// fails, and so does one that is gone (so the list only shrinks).
    static let readableByAll: Set<String> = ["users"]
    static let remainingForeignReads: [String: Set<String>] = [
        "Backlog/BacklogItems.swift": ["product_goals", "releases"],
        "Backlog/BacklogStore.swift": ["products"],
        "Backlog/EstimationRounds.swift": ["team_members", "teams"],
        "DemoSeed.swift": ["backlog_items", "products", "teams"],
        "Partnership/Decisions.swift": ["backlog_items", "ordering_proposals"],
        "Partnership/Impediments.swift": ["backlog_items"],
        "Partnership/Notifications.swift": ["products"],
        "Partnership/PartnershipSignals.swift": ["backlog_items", "feedback", "item_dependencies", "ordering_proposals", "products", "sprints", "team_members", "teams"],
        "Partnership/PartnershipStore.swift": ["team_members"],
        "Partnership/PartnershipWeb.swift": ["teams"],
        "Partnership/Questions.swift": ["backlog_items", "ordering_delegates"],
        "Partnership/WorkingAgreements.swift": ["team_members"],
        "Planning/DemoPlanning.swift": ["backlog_items"],
        "Planning/ForecastJournal.swift": ["releases", "sprints"],
        "Planning/PlanningService.swift": ["backlog_items", "releases", "sprint_events", "sprints", "teams"],
        "Planning/PlanningWeb.swift": ["releases", "teams"],
        "Planning/ReleasePage.swift": ["backlog_items", "releases", "teams"],
        "Products/ProductAccess.swift": ["ordering_delegates"],
        "Sprints/SprintEvents.swift": ["backlog_items"],
        "Sprints/SprintPageData.swift": ["backlog_items", "team_members"],
        "Sprints/SprintRecordKeeper.swift": ["team_members"],
        "Sprints/SprintService.swift": ["backlog_items", "product_goals", "team_members", "teams"],
        "Sprints/SprintStore.swift": ["backlog_items", "team_members", "teams"],
    ]

    @Test func foreignReadsOnlyShrink() throws {
        let owners = Migrator.tableOwners
        var found: [String: Set<String>] = [:]
        for read in try Self.tables(Self.reads) {
            guard let owner = owners[read.table], owner != read.folder, owner != "Persistence", !Self.readableByAll.contains(read.table) else { continue }
            found[read.file, default: []].insert(read.table)
        }
        for (file, tables) in found.sorted(by: { $0.key < $1.key }) {
            let new = tables.subtracting(Self.remainingForeignReads[file] ?? [])
            #expect(new.isEmpty, "\(file) reads \(new.sorted()), owned by another feature: ask the owner's service")
        }
        for (file, tables) in Self.remainingForeignReads {
            let gone = tables.subtracting(found[file] ?? [])
            #expect(gone.isEmpty, "\(file) no longer reads \(gone.sorted()): take it off the list")
        }
    }
}
