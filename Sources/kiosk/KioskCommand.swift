import ArgumentParser

/// The conduct kiosk: the program a person meets at the terminal, and the
/// office's tools over the records it writes.
@main
struct KioskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "A code-of-conduct kiosk: read, acknowledge each clause, sign; signed, tamper-evident records.",
        discussion: """
            Every command reads ./kiosk.conf unless given --config PATH.
            `kiosk` alone runs the kiosk on this terminal.
            """,
        subcommands: [RunCommand.self, LintCommand.self, KeygenCommand.self, VerifyCommand.self, RecordsCommand.self, ReportCommand.self, ExportCommand.self, SetPinCommand.self, ResumeBookCommand.self, OnsiteCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// `--config PATH`, shared by every command.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The kiosk's settings file.", valueName: "path"))
    var config: String = "kiosk.conf"
}
