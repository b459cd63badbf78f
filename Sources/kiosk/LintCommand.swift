import ArgumentParser
import KioskContent
import KioskStore

/// `kiosk lint`: checks kiosk.conf and the content together, and the
/// content against the document versions this terminal has already shown.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check kiosk.conf and the policy documents; list every problem as file:line:column.",
        discussion: """
            The documents are also compared with the versions this terminal's record book holds
            (records/<terminal>/content): a document whose text changed without a higher `version`,
            or whose version is lower than one already shown, is an error.
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let result = Lint.check(configPath: options.config)
        var diagnostics = result.diagnostics
        // Every document whose id and version could be read, those with
        // other errors too: a reworded text needs a higher version whatever
        // else is wrong with it.
        if let config = result.config {
            let folder = RecordLayout(records: config.recordsDirectory, terminal: config.terminal).contentFolder
            let stored = DocumentVersions.stored(in: folder, displayPrefix: Lint.displayPath(folder))
            let current = ContentLibrary(documents: result.outlines.compactMap(\.versioned))
            diagnostics += DocumentVersions.problems(current: current, stored: stored)
        }
        for diagnostic in diagnostics {
            Console.error(diagnostic.description)
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        guard result.isUsable, errors == 0, let config = result.config, let library = result.library else {
            Console.error("lint: \(errors) problem\(errors == 1 ? "" : "s") found")
            throw ExitCode(1)
        }
        let clauses = library.documents.reduce(0) { $0 + $1.clauses.count }
        let languages = library.languages(for: config.roles).map(\.languageName)
        let offered = languages.isEmpty ? "" : ", translations offered in \(languages.joined(separator: ", "))"
        print("lint: ok: \(library.documents.count) documents, \(clauses) clauses, \(config.roles.count) roles (\(config.roles.map(\.label).joined(separator: ", ")))\(offered)")
    }
}
