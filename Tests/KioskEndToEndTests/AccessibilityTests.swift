import Foundation
import KioskTestSupport
import Testing

/// The kiosk as a braille display or a screen reader meets it, in a real
/// terminal: where tmux says the cursor is on each screen, and the bytes the
/// kiosk writes (tmux pipe-pane) in the plain display.
@Suite("Accessibility end to end in tmux", .serialized)
struct AccessibilityTests {
    /// A kiosk in its own tmux server, started only once `start()` is
    /// called, so that pipe-pane can catch its first byte.
    ///
    /// `swift test` sets NO_COLOR=1 for the tests: the kiosk gets it only
    /// where `environment` says so.
    final class Session {
        let socket = "kiosk-a11y-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let tmux: String
        let folder: String

        init(folder: String, width: Int = 80, height: Int = 24, environment: String = "TERM=tmux-256color", config: String = "kiosk.conf") throws {
            guard let tmux = which("tmux") else { throw E2EError("tmux is not installed") }
            self.tmux = tmux
            self.folder = folder
            let command = "cd '\(folder)' && while [ ! -e go ]; do sleep 0.02; done; env -u NO_COLOR LANG=C.UTF-8 \(environment) '\(kioskBinary)' --config \(config); echo KIOSK-EXITED-$?; sleep 60"
            let started = run(tmux, ["-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "kiosk", "-x", "\(width)", "-y", "\(height)", command])
            guard started.status == 0 else { throw E2EError("tmux did not start: \(started.output)") }
        }

        deinit { run(tmux, ["-L", socket, "kill-server"]) }

        /// Every byte the kiosk writes goes to `file` from now on.
        func record(to file: String) {
            run(tmux, ["-L", socket, "pipe-pane", "-o", "-t", "kiosk", "cat >> '\(file)'"])
        }

        func start() { _ = FileManager.default.createFile(atPath: folder + "/go", contents: nil) }

        func keys(_ keys: String...) { run(tmux, ["-L", socket, "send-keys", "-t", "kiosk"] + keys) }

        func type(_ text: String) { run(tmux, ["-L", socket, "send-keys", "-t", "kiosk", "-l", text]) }

        func lines() -> [String] {
            run(tmux, ["-L", socket, "capture-pane", "-t", "kiosk", "-p"]).output
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }

        /// Where tmux says the terminal's cursor is.
        func cursor() -> (x: Int, y: Int) {
            let out = run(tmux, ["-L", socket, "display", "-p", "-t", "kiosk", "#{cursor_x},#{cursor_y}"]).output
            let parts = out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
            return parts.count == 2 ? (parts[0], parts[1]) : (-1, -1)
        }

        /// What the screen shows from the cursor to the end of its row.
        func atCursor() -> String {
            let (x, y) = cursor()
            let all = lines()
            guard y >= 0, y < all.count else { return "(cursor at \(x),\(y))" }
            // Cells, not characters: a wide character takes two.
            var column = 0
            var out = ""
            for c in all[y] {
                if column >= x { out.append(c) }
                column += c.unicodeScalars.first.map { $0.value >= 0x1100 && ($0.value <= 0x115F || (0x2E80...0xA4CF).contains($0.value) || (0xAC00...0xD7A3).contains($0.value) || (0xF900...0xFAFF).contains($0.value) || (0xFF00...0xFF60).contains($0.value)) } == true ? 2 : 1
            }
            return out
        }

        /// Waits until the screen shows `text` and has stopped changing, with the cursor still too.
        @discardableResult
        func waitFor(_ text: String, timeout: TimeInterval = 20) throws -> [String] {
            let deadline = Date().addingTimeInterval(timeout)
            var last: ([String], Int, Int) = ([], -1, -1)
            while Date() < deadline {
                let now = lines()
                let (x, y) = cursor()
                if now.joined(separator: "\n").contains(text) && now == last.0 && x == last.1 && y == last.2 { return now }
                last = (now, x, y)
                usleep(50_000)
            }
            throw E2EError("timed out waiting for \"\(text)\"; the screen shows:\n\(last.0.joined(separator: "\n"))")
        }
    }

    /// The shipped kiosk.conf and content, with a 1-second clause dwell, the
    /// shortest idle timeout (10 s, then 5 s) and `extra` lines in [kiosk].
    static func folder(extra: String = "") throws -> Scratch {
        let scratch = Scratch()
        try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: scratch.path + "/content")
        let shipped = try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8)
        let config = shipped.replacingOccurrences(of: "min_clause_seconds = 3", with: "min_clause_seconds = 1\n" + extra)
            .replacingOccurrences(of: "idle_timeout_seconds = 120", with: "idle_timeout_seconds = 10")
            .replacingOccurrences(of: "idle_warning_seconds = 30", with: "idle_warning_seconds = 5")
        precondition(config != shipped)
        scratch.write("kiosk.conf", config)
        return scratch
    }

    @Test("the cursor is at the focus on every screen of a visitor's session: the prompt, the chosen role, the insertion point, the first new line, the button, the thank-you, the PIN, the idle warning",
          arguments: [(80, 24), (40, 12)])
    func cursorOnEveryScreen(width: Int, height: Int) throws {
        let folder = try Self.folder()
        let k = try Session(folder: folder.path, width: width, height: height)
        k.start()
        let margin = width >= 60 ? 2 : 1
        try k.waitFor("Press Enter to begin")
        #expect(k.atCursor().hasPrefix("Press Enter to begin"), "welcome: \(k.cursor())")

        // The admin PIN: in the field, after what is typed.
        k.keys("F10")
        try k.waitFor("Admin PIN:")
        #expect(k.cursor() == (margin + 11, 3), "PIN field: \(k.cursor())")
        k.type("58")
        try k.waitFor("Admin PIN: ••")
        #expect(k.cursor() == (margin + 13, 3), "PIN field after two digits: \(k.cursor())")
        k.keys("Escape")

        try k.waitFor("Press Enter to begin")
        k.keys("Enter")
        try k.waitFor("Who are you?")
        // Nothing is chosen yet: on the question.
        #expect(k.cursor() == (margin, 2), "role list: \(k.cursor())")
        #expect(k.atCursor().hasPrefix("Who are you?"), "role list: \(k.atCursor())")
        k.keys("Down")
        try k.waitFor("› 1  New staff")
        #expect(k.atCursor().hasPrefix("› 1  New staff"), "role list after Down: \(k.atCursor())")
        k.keys("Down")
        try k.waitFor("› 2  Visitor")
        #expect(k.atCursor().hasPrefix("› 2  Visitor"), "role list after Down: \(k.atCursor())")

        // The idle warning, on the role list.
        let warning = try k.waitFor("Are you still there?")
        #expect(k.atCursor().hasPrefix("Are you still there?"), "idle warning: \(k.atCursor())")
        #expect(warning.joined().contains("Press any key for more time."))
        k.keys("x")
        try k.waitFor("Who are you?")
        #expect(k.atCursor().hasPrefix("› 2  Visitor"), "the warning's key only gave more time: \(k.atCursor())")

        k.keys("Enter")
        try k.waitFor("Your details: Visitor")
        k.type("Sam Lee")
        try k.waitFor("Sam Lee")
        #expect(k.cursor() == (margin + 7, 3), "name field: \(k.cursor())")
        k.keys("Left", "Left")
        try k.waitFor("Sam Lee")
        #expect(k.cursor() == (margin + 5, 3), "name field after two Lefts: \(k.cursor())")
        k.keys("Enter")
        k.type("Acme")
        k.keys("Enter")
        k.type("Mrs Patel")
        try k.waitFor("Mrs Patel")
        #expect(k.atCursor().isEmpty || k.atCursor().allSatisfy { $0 == " " }, "at the end of Mrs Patel")
        #expect(k.lines()[k.cursor().y].contains("Mrs Patel"))
        k.keys("Enter")

        // Reading, read once: on the focused clause's button row whenever it
        // is on screen ("[ I agree ]  please read: 1 s", then "[ I agree ]",
        // the cursor not moving as it wakes); after a page turn that does not
        // bring it, on the first new line; after the last clause of a section
        // is agreed, on its "✓ Agreed at".
        let first = width >= 60 ? "section 1 of 2" : "1/2:"
        var before = try k.waitFor(first)
        var turns = 0
        var agreed = 0
        for _ in 0..<60 {
            if before.joined().contains("Sign: ") { break }
            let (x, y) = k.cursor()
            if let button = before.firstIndex(where: { $0.contains("[ I agree ]") }) {
                #expect(x == margin + 2 && y == button, "on the button's row \(button): the cursor is at \(x),\(y)\n\(before.joined(separator: "\n"))")
                #expect(button > 2 && !before[button - 1].allSatisfy { $0 == " " }, "the clause's text is right above its button")
                // The button wakes where the cursor stands.
                let deadline = Date().addingTimeInterval(5)
                while k.lines().joined().contains("please read:") && Date() < deadline { usleep(100_000) }
                before = try k.waitFor("[ I agree ]")
                #expect(k.cursor() == (margin + 2, button), "the button woke; the cursor stayed: \(k.cursor())")
                #expect(k.atCursor().trimmingCharacters(in: .whitespaces) == "[ I agree ]", "\(k.atCursor())")
                k.keys("Enter")
                agreed += 1
                let after = try k.waitFor(width >= 60 ? "agreed \(agreed) of 5" : "\(agreed)/5 agreed")
                if !after.joined().contains("[ I agree ]") {
                    #expect(k.atCursor().hasPrefix("✓ Agreed at"), "after agreeing, no button on screen: \(k.atCursor())")
                }
                before = after
                continue
            }
            let lastLine = before[height - 3]
            let newSection = before[height - 1].contains("next section")
            k.keys("Enter")
            let deadline = Date().addingTimeInterval(5)
            while k.lines() == before && Date() < deadline { usleep(50_000) }
            let after = try k.waitFor("Enter")
            if after.joined().contains("Sign: ") { break }
            if !after.joined().contains("[ I agree ]") {
                let (x, y) = k.cursor()
                if newSection {
                    #expect(x == margin && y == 2, "a new section starts on its first line: \(x),\(y)")
                } else {
                    turns += 1
                    // The line above the cursor was the last one on the page before.
                    #expect(x >= margin && x <= margin + 2)
                    #expect(y >= 3 && (after[y - 1] == lastLine || after[y - 1].allSatisfy { $0 == " " }),
                            "turn \(turns): cursor row \(y) shows \(after[y]); the page before ended with \(lastLine)")
                }
            }
            before = after
        }
        #expect(agreed == 5)
        if height < 20 { #expect(turns > 1, "pages turned before a button came on screen") }

        // Signing: the insertion point.
        try k.waitFor("Sign: Sam Lee")
        k.type("Sam Lee")
        let signing = try k.waitFor("Full name: Sam Lee")
        #expect(signing[k.cursor().y].contains("Full name: Sam Lee"))
        #expect(k.cursor().x == margin + 11 + 7, "signing: \(k.cursor())")
        for _ in 0..<5 where !k.lines().joined().contains("Reference:") {
            k.keys("Enter")
            usleep(300_000)
        }
        try k.waitFor("Reference: 1 ·")
        #expect(k.atCursor().hasPrefix("Thank you, Sam Lee."), "done: \(k.atCursor())")
    }


    /// Box drawing, arrows, bullets and the other symbols the colour display uses.
    static func symbols(_ bytes: [UInt8]) -> [String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var found = Set<String>()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if (0x2500...0x259F).contains(v) || (0x2190...0x21FF).contains(v) || (0x25A0...0x25FF).contains(v) || (0x2700...0x27BF).contains(v)
                || [0x2022, 0x203A, 0x00B7, 0x2026, 0x00D7].contains(v) {
                found.insert(String(scalar))
            }
        }
        return found.sorted()
    }

    /// Through welcome, the PIN screen, roles, details with the idle
    /// warning, and the reading page with its first clause asleep, awake
    /// and agreed, recording every byte.
    static func recordedSession(environment: String, extra: String = "") throws -> [UInt8] {
        let folder = try Self.folder(extra: extra)
        let file = folder.path + "/bytes.out"
        let k = try Session(folder: folder.path, environment: environment)
        k.record(to: file)
        usleep(200_000)
        k.start()
        try k.waitFor("Press Enter to begin")
        k.keys("F10")
        try k.waitFor("Admin PIN:")
        k.type("12")
        k.keys("Escape")
        try k.waitFor("Press Enter to begin")
        k.keys("Enter")
        try k.waitFor("Who are you?")
        k.keys("2")
        try k.waitFor("Your details: Visitor")
        k.type("Zoë 李")
        try k.waitFor("Are you still there?")
        k.keys("x")
        k.keys("Enter")
        k.type("Acme")
        k.keys("Enter")
        k.type("Mrs Patel")
        k.keys("Enter")
        try k.waitFor("section 1 of 2")
        // The first clause's button, asleep then awake ("I agree" in both displays), then agreed.
        for _ in 0..<10 where !k.lines().joined().contains("agree in") && !k.lines().joined().contains("please read") {
            k.keys("Enter")
            usleep(100_000)
        }
        usleep(1_300_000)
        k.keys("Enter")
        try k.waitFor("Agreed at")
        usleep(300_000)
        return Array((try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data())
    }

    @Test("NO_COLOR=1 on xterm-256color: the bytes the kiosk sends hold no colour sequence, no box drawing and no symbols",
          arguments: ["NO_COLOR=1 TERM=xterm-256color", "TERM=xterm-256color"])
    func plainBytes(environment: String) throws {
        // The second run sets display = "plain" in kiosk.conf instead.
        let bytes = try Self.recordedSession(environment: environment, extra: environment.contains("NO_COLOR") ? "" : "display = \"plain\"")
        // Read once: one reading page instead of twenty clause screens.
        #expect(bytes.count > 3_000, "the whole session was recorded")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Press any key for more time."))
        #expect(text.contains("Agreed at"))
        #expect(text.contains("Please read: I agree in 1 s"))
        #expect(text.contains("I agree: press Enter"))
        #expect(text.contains("More below"))
        #expect(colourSequences(bytes) == [])
        #expect(Self.symbols(bytes) == [])
    }

    @Test("the colour display's bytes do hold colour and box drawing (the checks above can fail)")
    func colourBytes() throws {
        let bytes = try Self.recordedSession(environment: "TERM=xterm-256color")
        #expect(!colourSequences(bytes).isEmpty)
        #expect(Self.symbols(bytes).contains("─"))
        #expect(Self.symbols(bytes).contains("✓"))
    }
}

/// The large console font that deploy/ sets on the kiosk's tty.
@Suite("Deployment: the console font")
struct ConsoleFontTests {
    static let script = repositoryRoot + "/deploy/console-font.sh"

    /// Runs the script with a fake setfont (that records its arguments, or fails) first on PATH.
    static func font(_ arguments: [String], setfont: String? = "echo \"$@\" >> \"$(dirname \"$0\")/calls\"", font: Bool = true) -> (status: Int32, output: String, calls: String, scratch: Scratch) {
        let scratch = Scratch()
        if let setfont {
            scratch.writeProgram("bin/setfont", "#!/bin/sh\n\(setfont)\n")
        }
        let fontFile = font ? scratch.write("fonts/Uni3-TerminusBold32x16.psf.gz", "font") : scratch.path + "/fonts/none.psf.gz"
        let result = run("/usr/bin/env", ["PATH=" + scratch.path + "/bin:/usr/bin:/bin", "KIOSK_CONSOLE_FONT=" + fontFile, "sh", script] + arguments)
        let calls = (try? String(contentsOfFile: scratch.path + "/bin/calls", encoding: .utf8)) ?? ""
        return (result.status, result.output, calls, scratch)
    }

    @Test("the service sets the font before the kiosk starts, as root, and a failure there never stops the kiosk; install.sh installs the script and the fonts")
    func wiring() throws {
        let unit = try String(contentsOfFile: repositoryRoot + "/deploy/conduct-kiosk@.service", encoding: .utf8)
        #expect(unit.contains("ExecStartPre=-+/usr/local/lib/conduct-kiosk/console-font %I"))
        let install = try String(contentsOfFile: repositoryRoot + "/deploy/install.sh", encoding: .utf8)
        #expect(install.contains("deploy/console-font.sh /usr/local/lib/conduct-kiosk/console-font"))
        #expect(install.contains("console-setup-linux"), "the Terminus fonts' package")
        let script = try String(contentsOfFile: Self.script, encoding: .utf8)
        #expect(script.contains("/usr/share/consolefonts/Uni3-TerminusBold32x16.psf.gz"))
        #expect(run("/bin/sh", ["-n", Self.script]).status == 0)
    }

    @Test("on a virtual console, setfont loads Terminus 32 onto that console only")
    func setsFont() throws {
        let result = Self.font(["tty1"])
        #expect(result.status == 0)
        var isDevice = stat()
        if stat("/dev/tty1", &isDevice) == 0 && (isDevice.st_mode & S_IFMT) == S_IFCHR {
            #expect(result.calls == "-C /dev/tty1 \(result.scratch.path)/fonts/Uni3-TerminusBold32x16.psf.gz\n", "\(result.output)")
            #expect(result.output.contains("console-font: tty1 uses"))
        } else {
            // No virtual consoles here (a container): said, and skipped.
            #expect(result.calls == "")
            #expect(result.output.contains("/dev/tty1 is not a terminal device here"))
        }
    }

    @Test("not a virtual console, no setfont, no font, or setfont failing: said, the font left alone, and the start goes on (exit 0)")
    func neverFails() {
        for tty in ["pts/0", "ttyS0", "", "tty1; rm -rf /"] {
            let result = Self.font([tty])
            #expect(result.status == 0)
            #expect(result.calls == "", "\(tty)")
            #expect(result.output.contains("is not a virtual console"), "\(tty): \(result.output)")
        }
        var device = stat()
        guard stat("/dev/tty1", &device) == 0 && (device.st_mode & S_IFMT) == S_IFCHR else { return }
        let noSetfont = Self.font(["tty1"], setfont: nil)
        #expect(noSetfont.status == 0)
        #expect(noSetfont.output.contains("setfont is not installed (apt install kbd)"))
        let noFont = Self.font(["tty1"], font: false)
        #expect(noFont.status == 0)
        #expect(noFont.calls == "")
        #expect(noFont.output.contains("is missing (apt install console-setup-linux"))
        let failing = Self.font(["tty1"], setfont: "exit 1")
        #expect(failing.status == 0)
        #expect(failing.output.contains("setfont could not load"))
    }
}
