import ArgumentParser
import Foundation
import KioskContent
import KioskStore

/// `kiosk set-pin`: asks for a new admin PIN twice and writes its salted
/// hash into kiosk.conf, leaving the rest of the file as it was.
struct SetPinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-pin",
        abstract: "Set the admin PIN that lets staff leave the kiosk (stored as a salted hash in kiosk.conf).",
        discussion: """
            A PIN is 4 to 12 of the digits 0 to 9, as the kiosk's PIN screen takes them. The shipped PIN
            (1234), one digit repeated (0000) and digits counting up or down by one (1234, 4321, 7890) are refused.
            """)

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let path = options.config
        let text: String
        do {
            text = try TextFile.read(path, kind: .config)
        } catch {
            Console.error(error.description)
            throw ExitCode(1)
        }
        let pin = readSecret("New admin PIN (4 to 12 digits; not 0000, 1234 or the like): ")
        guard let pin else {
            Console.error("set-pin: no PIN was given; nothing was changed")
            throw ExitCode(1)
        }
        // Refused at once, before it is typed again.
        if let weakness = AdminPIN.weakness(pin) {
            Console.error("set-pin: that PIN is refused: \(ControlCharacters.replacing(weakness)); nothing was changed")
            throw ExitCode(1)
        }
        let again = readSecret("The same PIN again: ")
        guard again == pin else {
            Console.error("set-pin: the two PINs differ; nothing was changed")
            throw ExitCode(1)
        }
        let updated = ConfigEditor.setting("admin_pin_hash", to: "\"\(AdminPIN.hash(pin))\"", inTable: "kiosk", of: text)
        do {
            try AtomicFile.write(Array(updated.utf8), to: path, mode: 0o600)
        } catch {
            Console.error("set-pin: cannot write \(path): \(error); nothing was changed")
            throw ExitCode(1)
        }
        print("set-pin: the admin PIN is set in \(path)")
        print("set-pin: a running kiosk picks up the new PIN within 2 seconds (at once with kill -HUP, or systemctl reload conduct-kiosk@tty1)")
    }

    /// Reads a line without echo when standard input is a terminal.
    private func readSecret(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let isTTY = isatty(STDIN_FILENO) == 1 && tcgetattr(STDIN_FILENO, &saved) == 0
        if isTTY {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        }
        defer {
            if isTTY {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        return readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces)
    }
}
