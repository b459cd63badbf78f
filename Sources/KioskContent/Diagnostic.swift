/// A problem found in a content file or in kiosk.conf, with the place it
/// was found, printed the way compilers do so editors can jump to it:
/// `content/policy.md:12:3: error: empty section "Scope"`.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error
        case warning
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// As printed at a shell: a control character in a file name or a
    /// quoted value is shown as U+FFFD, never sent to the terminal.
    public var description: String {
        ControlCharacters.replacing("\(file):\(line):\(column): \(severity.rawValue): \(message)")
    }
}

/// Several diagnostics thrown together, so a caller that stops at the first
/// failure still shows the person every problem at once.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
