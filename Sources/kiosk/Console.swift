import Foundation
import Logging

/// Writing to the person at a shell (the kiosk's own screen is ncurses').
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// For the store in commands that speak to a person at a shell: they
    /// say what happened themselves, and the kiosk's log is the kiosk's.
    static let quietLogger = Logger(label: "kiosk.command", factory: { _ in SwiftLogNoOpLogHandler() })
}
