import Foundation

/// Writing to the person at a shell (the kiosk's own screen is ncurses').
enum Console {
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
