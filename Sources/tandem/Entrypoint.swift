import ArgumentParser

/// The `tandem` command: serves the workspace and administers it.
@main
struct Tandem: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tandem",
        abstract: "Tandem: a self-hosted Scrum workspace built around the Product Owner and Scrum Master partnership.",
        subcommands: [Serve.self, Migrate.self, UserCommand.self, Forecast.self, Backtest.self, BackupCommand.self, RestoreCommand.self, CopyCommand.self, ExportCommand.self, ImportCommand.self],
        defaultSubcommand: Serve.self
    )
}
