import ArgumentParser
import Foundation
import TandemApp
import TandemCore

#if canImport(Glibc)
import Glibc
#endif

/// `tandem user …`: account administration for closed sign-up and forgotten passwords.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Create accounts and reset passwords.",
        subcommands: [Create.self, ResetPassword.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account (works when sign-up is closed).")

        @Option(help: "The person's email address.") var email: String
        @Option(help: "The name other members see.") var name: String
        @Flag(help: "Read the password from standard input instead of prompting.") var passwordStdin = false

        func run() async throws {
            let password = try readPassword(fromStdin: passwordStdin, confirm: true)
            try await withServices { services in
                let user = try await services.accounts.createUser(email: email, password: password, displayName: name)
                print("Created \(user.email) (\(user.id)).")
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset-password", abstract: "Set a new password and end all of the person's sessions.")

        @Option(help: "The account's email address.") var email: String
        @Flag(help: "Read the new password from standard input instead of prompting.") var passwordStdin = false

        func run() async throws {
            let password = try readPassword(fromStdin: passwordStdin, confirm: true)
            try await withServices { services in
                let user = try await services.accounts.resetPassword(email: email, newPassword: password)
                print("Password reset for \(user.email); their sessions and tokens were ended.")
            }
        }
    }
}

/// Opens the configured database, runs `body`, and turns API errors into readable messages.
private func withServices(_ body: (TandemServices) async throws -> Void) async throws {
    let configuration = try loadConfiguration()
    let logger = makeLogger(configuration)
    let database = try await openDatabase(configuration, logger: logger)
    do {
        try await Migrator.migrate(database, logger: logger)
        try await body(TandemServices(configuration: configuration, database: database))
    } catch let error as DomainError {
        await database.close()
        FileHandle.standardError.write(Data("tandem: \(error.message)\n".utf8))
        throw ExitCode(65)
    } catch {
        await database.close()
        throw error
    }
    await database.close()
}

private func readPassword(fromStdin: Bool, confirm: Bool) throws -> String {
    if fromStdin {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("No password on standard input.")
        }
        return line
    }
    guard let first = getpass("Password: ") else { throw ValidationError("Could not read a password.") }
    let password = String(cString: first)
    if confirm {
        guard let second = getpass("Repeat password: "), String(cString: second) == password else {
            throw ValidationError("The passwords do not match.")
        }
    }
    return password
}
