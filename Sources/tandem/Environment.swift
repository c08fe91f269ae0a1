import ArgumentParser
import Foundation
import Logging
import TandemApp

/// Reads the configuration once, printing every problem and stopping with EX_CONFIG when it cannot.
func loadConfiguration() throws -> TandemConfiguration {
    do {
        return try TandemConfiguration.fromEnvironment()
    } catch let problems as TandemConfiguration.Problems {
        FileHandle.standardError.write(Data("tandem: cannot start:\n\(problems.description)\n".utf8))
        throw ExitCodeError.config
    }
}

func makeLogger(_ configuration: TandemConfiguration) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = configuration.logLevel
        return handler
    }
    var logger = Logger(label: "tandem")
    logger.logLevel = configuration.logLevel
    return logger
}

/// Opens the database named by the configuration, reporting a failure as a sentence rather than a stack of types.
func openDatabase(_ configuration: TandemConfiguration, logger: Logger) async throws -> TandemDatabase {
    do {
        return try await TandemDatabase.open(configuration.database, logger: logger)
    } catch {
        FileHandle.standardError.write(Data("tandem: cannot open the database \(configuration.database.redactedDescription): \(error)\n".utf8))
        throw ExitCodeError.unavailable
    }
}

/// sysexits.h codes, so scripts can tell a bad setting from a database that is down.
enum ExitCodeError {
    static let config = ExitCode(78)
    static let unavailable = ExitCode(69)
}
