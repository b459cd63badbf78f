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

    /// `kiosk` alone, as the terminal's service starts it, runs the kiosk
    /// without swift-argument-parser: parsing no arguments took it 1.5 ms
    /// of the kiosk's 9 ms to its first frame (building the tree of every
    /// command's options, reflecting on their types). Any argument at all
    /// goes through the parser as before.
    static func main() {
        // argc, not CommandLine.arguments: building that array of strings
        // took 1% of a start.
        guard CommandLine.argc == 1 else {
            main(nil)
            return
        }
        do {
            try RunCommand.start(configPath: ConfigOptions.defaultPath, clockIsRight: false)
        } catch {
            exit(withError: error)
        }
    }
}

/// `--config PATH`, shared by every command.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The kiosk's settings file.", valueName: "path"))
    var config: String = ConfigOptions.defaultPath

    static let defaultPath = "kiosk.conf"
}
