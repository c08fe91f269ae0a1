import ArgumentParser
import Foundation
import TandemApp
import TandemCore

/// `tandem export --product KEY [--out FILE]`: the whole product as one JSON document.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a product's whole record as one JSON document (to standard output, or a new file)."
    )

    @Option(help: "The product's key, such as DEMO.") var product: String
    @Option(help: "A new file to write; without it, standard output.") var out: String?

    func run() async throws {
        let configuration = try loadConfiguration()
        let logger = makeLogger(configuration)
        let database = try await openDatabase(configuration, logger: logger)
        let handle: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil) else {
                await database.close()
                FileHandle.standardError.write(Data("tandem: cannot write \(out).\n".utf8))
                throw ExitCode(73)
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        } else {
            handle = FileHandle.standardOutput
        }
        let started = ContinuousClock.now
        do {
            _ = try await Migrator.migrate(database, logger: logger)
            let id = try await ProductService(database: database, stamps: .system).productID(key: product)
            let written = Counter()
            try await ProductExport(database: database).write(productID: id) { bytes in
                handle.write(Data(bytes))
                written.add(bytes.count)
            }
            if out != nil { try handle.close() }
            await database.close()
            let elapsed = ContinuousClock.now - started
            FileHandle.standardError.write(Data("Exported \(product.uppercased()): \(written.value / 1024) KiB in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated))).\n".utf8))
        } catch let error as DomainError {
            await database.close()
            FileHandle.standardError.write(Data("tandem: \(error.message)\n".utf8))
            throw ExitCode(65)
        } catch {
            await database.close()
            throw error
        }
    }
}

/// Bytes written so far, from the export's sink.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ count: Int) { lock.withLock { total += count } }
    var value: Int { lock.withLock { total } }
}
