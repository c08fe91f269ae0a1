import ArgumentParser
import Foundation
import TandemApp
import TandemCore

/// `tandem import …`: bring products in from files.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring a product in from a file.",
        subcommands: [FromJira.self, FromTandem.self]
    )

    /// `tandem import tandem FILE.json [--as KEY]`: a Tandem export as a new product.
    struct FromTandem: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tandem",
            abstract: "Restore a `tandem export` document as a new product (people matched by email; new accounts must reset their password)."
        )

        @Argument(help: "A file written by `tandem export` or GET /api/v1/products/{id}/export.") var file: String
        @Option(name: .customLong("as"), help: "The new product's key (default: the exported key, when it is free).") var key: String?

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("tandem: cannot read \(file).\n".utf8))
                throw ExitCode(66)
            }
            let configuration = try loadConfiguration()
            let logger = makeLogger(configuration)
            let database = try await openDatabase(configuration, logger: logger)
            let started = ContinuousClock.now
            do {
                _ = try await Migrator.migrate(database, logger: logger)
                let services = TandemServices(configuration: configuration, database: database)
                let summary = try await ProductImport(database: database, accounts: services.accounts).restore(data, as: key)
                await database.close()
                let elapsed = ContinuousClock.now - started
                print("Imported \(summary.key) (\(summary.productID)): \(summary.rows.values.reduce(0, +)) rows in \(summary.rows.count) tables, "
                      + "\(summary.rows["items"] ?? 0) items, \(summary.rows["sprints"] ?? 0) sprints, \(summary.rows["changes"] ?? 0) changes; "
                      + "\(summary.peopleMatched) people matched by email, \(summary.peopleCreated) new accounts (they set a password with `tandem user reset-password`); "
                      + "\(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated))), the writer held \(String(format: "%.2f", summary.writerSeconds)) s.")
            } catch let error as DomainError {
                await database.close()
                FileHandle.standardError.write(Data("tandem: \(error.field.map { "\($0): " } ?? "")\(error.message) Nothing was imported.\n".utf8))
                throw ExitCode(65)
            } catch {
                await database.close()
                throw error
            }
        }
    }

    /// `tandem import jira FILE.csv --product KEY …`: a Jira "CSV (all fields)" export with its sprint history.
    struct FromJira: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "jira",
            abstract: "Import a Jira \"CSV (all fields)\" export into a product: its issues in the file's order and its sprints as the team's history."
        )

        @Argument(help: "The CSV file Jira exported.") var file: String
        @Option(help: "The product's key (created with --create).") var product: String
        @Option(help: "Create the product with this name.") var create: String?
        @Option(help: "With --create: the Product Owner's email (an existing account).") var owner: String?
        @Option(help: "The team whose history the sprints are (created when missing; default: the product's only team).") var team: String?
        @Option(help: "The column holding story points (default: a rule the summary states).") var pointsField: String?
        @Option(help: "Kinds for a company's own issue types: \"Change Request=story,Defect=bug\".") var typeMap: String?
        @Option(help: "An extra date pattern, e.g. \"dd/MMM/yy HH:mm\".") var dateFormat: [String] = []
        @Option(help: "The locale of month names in --date-format, e.g. de_DE.") var dateLocale: String = "en_US_POSIX"
        @Flag(help: "Check and report everything without writing.") var dryRun = false

        func validate() throws {
            if create != nil && owner == nil { throw ValidationError("--create needs --owner EMAIL: the new product's Product Owner.") }
            if owner != nil && create == nil { throw ValidationError("--owner goes with --create.") }
        }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("tandem: cannot read \(file).\n".utf8))
                throw ExitCode(66)
            }
            var map: [String: ItemKind] = [:]
            for pair in (typeMap ?? "").split(separator: ",") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, let kind = ItemKind(rawValue: parts[1].lowercased()) else {
                    throw ValidationError("--type-map: “\(pair)” is not TYPE=KIND with KIND one of \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                map[parts[0]] = kind
            }
            let options = JiraImport.Options(pointsField: pointsField, typeMap: map, dateFormats: dateFormat, dateLocale: dateLocale)
            let configuration = try loadConfiguration()
            let logger = makeLogger(configuration)
            let database = try await openDatabase(configuration, logger: logger)
            let started = ContinuousClock.now
            var report: JiraImporter.Report
            do {
                _ = try await Migrator.migrate(database, logger: logger)
                let request = JiraImporter.Request(data: data, productKey: product, create: create.map { ($0, owner ?? "") }, team: team, dryRun: dryRun, options: options)
                do {
                    report = try await JiraImporter(database: database).run(request) { line in FileHandle.standardError.write(Data("… \(line)\n".utf8)) }
                } catch let dry as JiraImporter.DryRun {
                    report = dry.report
                }
                await database.close()
            } catch let error as DomainError {
                await database.close()
                FileHandle.standardError.write(Data("tandem: \(error.message) Nothing was imported.\n".utf8))
                throw ExitCode(65)
            } catch {
                await database.close()
                throw error
            }
            guard report.problems.isEmpty else {
                FileHandle.standardError.write(Data(("tandem: \(file) was not imported; nothing was written:\n" + report.problems.map { "  " + $0 }.joined(separator: "\n") + "\n").utf8))
                throw ExitCode(65)
            }
            let elapsed = ContinuousClock.now - started
            var lines = [
                "\(dryRun ? "Would import" : "Imported") \(report.issues) issues from \(file) (\(report.encoding)) into \(product.uppercased()): \(report.itemsCreated) new items, \(report.itemsUpdated) updated (matched by Jira key).",
                "Points: \(report.pointsRule).",
                "Sub-tasks: \(report.subtasksKept) kept as text on their parents, \(report.subtasksSkipped) skipped (no parent in the file).",
                "Blocks links: \(report.dependencies) made, \(report.linksOutsideTheFile) to issues outside the file left out\(report.cyclesSkipped > 0 ? ", \(report.cyclesSkipped) that would close a cycle left out" : "").",
                "Sprints of team \(report.team): \(report.sprintsCreated) imported as closed (no frozen commitment: say/do passes them over), \(report.sprintsKept) already here.",
            ]
            for sprint in report.sprints {
                lines.append("  \(sprint.name): \(sprint.start) to \(sprint.end) (dates from its \(sprint.datesFrom)), \(sprint.donePoints.formatted()) points done")
            }
            if !report.overlapping.isEmpty {
                lines.append("Overlapping sprints (parallel boards?): " + report.overlapping.map { "\($0.0) and \($0.1)" }.joined(separator: "; ") + ".")
            }
            lines.append(dryRun ? "Dry run: nothing was written." : "Took \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated))); the writer was held \(String(format: "%.2f", report.writerSeconds)) s.")
            print(lines.joined(separator: "\n"))
        }
    }
}
