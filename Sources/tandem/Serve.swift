import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import TandemApp

/// `tandem serve`: migrates the database and serves the pages and the API until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Tandem server (the default command).")

    @Option(help: "Address to listen on (default: TANDEM_HOST or 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: TANDEM_PORT or 8080).")
    var port: Int?

    @Flag(help: "Seed the 'Tandem Demo' product and its people (idempotent).")
    var demo = false

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535.") }
        if let host, host.isEmpty { throw ValidationError("--host must not be empty.") }
    }

    func run() async throws {
        var configuration = try loadConfiguration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        let logger = makeLogger(configuration)
        logger.info("starting", metadata: ["database": "\(configuration.database.redactedDescription)"])
        let demo = self.demo
        let settings = configuration
        let shownHost = configuration.host == "0.0.0.0" ? "127.0.0.1" : configuration.host
        let (app, services) = try await buildServer(configuration, logger: logger) { channel in
            let port = channel.localAddress?.port ?? settings.port
            var lines = ["Tandem is running at http://\(shownHost):\(port)/  (database: \(settings.database.engine))"]
            if demo {
                lines.append("Demo product 'Tandem Demo' (DEMO). Log in with any of these, password '\(DemoSeed.password)':")
                lines += DemoSeed.people.map { "  \($0.email)  (\($0.accountability.title))" }
            }
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        do {
            try await app.runService()
        } catch {
            await services.database.close()
            throw error
        }
        await services.database.close()
        logger.info("stopped")
    }

    private func buildServer(
        _ configuration: TandemConfiguration, logger: Logger, onServerRunning: @escaping @Sendable (any Channel) async -> Void
    ) async throws -> (Application<RouterResponder<TandemRequestContext>>, TandemServices) {
        do {
            return try await buildApplication(configuration: configuration, demo: demo, logger: logger, onServerRunning: onServerRunning)
        } catch {
            FileHandle.standardError.write(Data("tandem: cannot start with \(configuration.database.redactedDescription): \(error)\n".utf8))
            throw ExitCodeError.unavailable
        }
    }
}
