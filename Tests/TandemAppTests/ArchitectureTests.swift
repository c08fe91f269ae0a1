import Foundation
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
        "Partnership": ["Sprints", "Backlog", "Products", "Accounts"], "Planning": ["Sprints", "Backlog", "Products", "Accounts"],
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
}
