import ArgumentParser

/// `kiosk run`: the kiosk itself (the default command).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the kiosk on this terminal (the default).")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let _ = try Setup.configAndContent(options)
        Console.error("run: the kiosk screens are not built yet")
        throw ExitCode(1)
    }
}
