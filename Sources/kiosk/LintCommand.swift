import ArgumentParser
import KioskContent

/// `kiosk lint`: checks kiosk.conf and the content together.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check kiosk.conf and the policy documents; list every problem as file:line:column.")

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let result = Lint.check(configPath: options.config)
        for diagnostic in result.diagnostics {
            Console.error(diagnostic.description)
        }
        guard result.isUsable, let config = result.config, let library = result.library else {
            Console.error("lint: \(result.errors.count) problem\(result.errors.count == 1 ? "" : "s") found")
            throw ExitCode(1)
        }
        let clauses = library.documents.reduce(0) { $0 + $1.clauses.count }
        print("lint: ok: \(library.documents.count) documents, \(clauses) clauses, \(config.roles.count) roles (\(config.roles.map(\.label).joined(separator: ", ")))")
    }
}
