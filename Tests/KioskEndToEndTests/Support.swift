import Foundation
import KioskTestSupport

/// The built `kiosk` next to the test bundle.
let kioskBinary = builtProduct("kiosk")

/// A kiosk running in its own tmux server, driven and read as a person would.
final class TmuxKiosk {
    let socket = "kiosk-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let tmux: String

    init(directory: String, width: Int = 80, height: Int = 24, arguments: String = "") throws {
        guard let tmux = which("tmux") else { throw E2EError("tmux is not installed") }
        self.tmux = tmux
        // `swift test` sets NO_COLOR=1, which would make the kiosk draw plain.
        let command = "cd '\(directory)' && env -u NO_COLOR LANG=C.UTF-8 TERM=tmux-256color '\(kioskBinary)' \(arguments); echo KIOSK-EXITED-$?; sleep 60"
        let started = run(tmux, ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "kiosk", "-x", "\(width)", "-y", "\(height)", command])
        guard started.status == 0 else { throw E2EError("tmux did not start: \(started.output)") }
    }

    deinit {
        run(tmux, ["-L", socket, "kill-server"])
    }

    func keys(_ keys: String...) {
        run(tmux, ["-L", socket, "send-keys", "-t", "kiosk"] + keys)
    }

    /// Types text literally (no key names).
    func type(_ text: String) {
        run(tmux, ["-L", socket, "send-keys", "-t", "kiosk", "-l", text])
    }

    /// The kiosk's own process (the child of the pane's shell), if running.
    var kioskPID: Int32? {
        let pane = run(tmux, ["-L", socket, "display", "-p", "-t", "kiosk", "#{pane_pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let child = run("/usr/bin/pgrep", ["-P", pane, "-x", "kiosk"]).output.split(separator: "\n").first
        return child.flatMap { Int32($0) }
    }

    func screen() -> String {
        run(tmux, ["-L", socket, "capture-pane", "-t", "kiosk", "-p"]).output
    }

    func resize(_ width: Int, _ height: Int) {
        run(tmux, ["-L", socket, "resize-window", "-t", "kiosk", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen shows `text` and has stopped changing (a
    /// capture can land while a frame is half drawn); returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 15) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            let now = screen()
            if now.contains(text) && now == last { return now }
            last = now
            usleep(50_000)
        }
        throw E2EError("timed out waiting for \"\(text)\"; the screen shows:\n\(last)")
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
