import Foundation
import KioskTestSupport
import KioskContent
import KioskStore
import Testing

/// The whole program in a real terminal: the built binary in a tmux pane,
/// driven with send-keys and read with capture-pane, as a person uses it.
@Suite("End to end in tmux", .serialized)
struct KioskSessionTests {
    /// A kiosk folder with the shipped content and a 1-second clause dwell.
    static func kioskFolder() throws -> Scratch {
        let scratch = Scratch()
        try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: scratch.path + "/content")
        let shipped = try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8)
        let config = shipped.replacingOccurrences(of: "min_clause_seconds = 3", with: "min_clause_seconds = 1")
        precondition(config != shipped)
        scratch.write("kiosk.conf", config)
        return scratch
    }

    /// From the welcome screen to the first section, as a visitor.
    static func visitorDetails(_ kiosk: TmuxKiosk, name: String) throws {
        kiosk.keys("Enter")
        try kiosk.waitFor("Who are you?")
        kiosk.keys("2")
        try kiosk.waitFor("Your details: Visitor")
        if name.hasSuffix(" oops") {
            kiosk.type(name)
            try kiosk.waitFor("oops")
            kiosk.keys("M-BSpace")
            for _ in 0..<50 where kiosk.screen().contains("oops") { usleep(50_000) }
            let screen = kiosk.screen()
            #expect(!screen.contains("oops") && screen.contains("Your details: Visitor"), "Alt-Backspace deleted a word and did not go back:\n\(screen)")
        } else {
            kiosk.type(name)
        }
        kiosk.keys("Enter")
        kiosk.type("Acme Plumbing")
        kiosk.keys("Enter")
        kiosk.type("Mrs Patel")
        kiosk.keys("Enter")
    }

    /// Enter through every section, agreeing to each clause where it
    /// stands as soon as its button wakes, until the signing screen.
    static func readAndAgree(_ kiosk: TmuxKiosk, clauses: Int) throws {
        for _ in 0..<400 {
            let screen = kiosk.screen()
            if screen.contains("Sign: ") { break }
            // The button wakes once the clause has been on screen for a second.
            if screen.contains("please read:") {
                usleep(100_000)
                continue
            }
            kiosk.keys("Enter")
            usleep(60_000)
        }
        try kiosk.waitFor("All \(clauses) statements agreed")
    }

    @Test("a visitor and a member of staff each complete a session; the records verify with minisign and name them")
    func sessions() throws {
        let minisign = try #require(which("minisign"), "minisign is not installed")
        let folder = try Self.kioskFolder()
        let kiosk = try TmuxKiosk(directory: folder.path)
        var screen = try kiosk.waitFor("Press Enter to begin")
        #expect(screen.contains("Welcome to Redhill Primary School"))

        // A visitor with an accented and a CJK name; a word typed by
        // mistake goes with Alt-Backspace (not taken for Esc).
        try Self.visitorDetails(kiosk, name: "Zoë Ångström 李小龍 oops")
        // A visitor pages through the two sections that hold a visitor's 5 clauses.
        screen = try kiosk.waitFor("ICT Code of Conduct, section 1 of 2: Code of Conduct")
        #expect(screen.contains("more ↓"))
        #expect(screen.contains("5 statements to agree to, one at a time as you read: about"), "told how many before the first")
        #expect(screen.contains("[ I agree ]"), "the first clause is agreed where it stands:\n\(screen)")
        try Self.readAndAgree(kiosk, clauses: 5)
        screen = try kiosk.waitFor("Sign: Zoë Ångström 李小龍")
        #expect(screen.contains("I agree to follow this Code of Conduct and to support the safe and secure"))
        #expect(screen.contains("F2 change my details"))
        kiosk.type("zoë ångström")
        kiosk.keys("Enter")
        try kiosk.waitFor("Type your name as you gave it: Zoë Ångström 李小龍")
        // F2 to the details and back keeps every agreement.
        kiosk.keys("F2")
        try kiosk.waitFor("Your details: Visitor")
        kiosk.keys("Escape")
        try kiosk.waitFor("All 5 statements agreed")
        kiosk.type(" 李小龍")
        kiosk.keys("Enter")
        screen = try kiosk.waitFor("Reference: 1 ·")
        #expect(screen.contains("Thank you, Zoë Ångström 李小龍."))
        #expect(screen.contains("visitor badge"))
        kiosk.keys("Enter")
        try kiosk.waitFor("Press Enter to begin")

        // A new member of staff reads both documents.
        kiosk.keys("Enter")
        try kiosk.waitFor("Who are you?")
        // Enter alone chooses nobody: an arrow first.
        kiosk.keys("Enter")
        try kiosk.waitFor("Press a number, or use the arrows")
        kiosk.keys("Down", "Enter")
        try kiosk.waitFor("Your details: New staff")
        kiosk.type("Sam Lee")
        kiosk.keys("Enter")
        try kiosk.waitFor("Social Media Policy, section 1 of 5: Purpose")
        try Self.readAndAgree(kiosk, clauses: 20)
        try kiosk.waitFor("Sign: Sam Lee")
        kiosk.type("sam lee")
        kiosk.keys("Enter")
        try kiosk.waitFor("Reference: 2 ·")

        let layout = RecordLayout(records: folder.path + "/records", terminal: "reception-1")
        for (seq, name, documents, clauses) in [(1, "Zoë Ångström 李小龍", 1, 5), (2, "Sam Lee", 2, 20)] {
            let path = layout.record(seq: seq)
            let verified = run(minisign, ["-Vm", path, "-p", layout.publicKey])
            #expect(verified.status == 0, "\(verified.output)")
            let json = try CanonicalJSON.decode(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
            #expect(json["person"]?["name"] == .string(name))
            #expect(json["documents"]?.array?.count == documents)
            #expect(json["clauses"]?.array?.count == clauses)
        }
        let verify = run(kioskBinary, ["verify", "--config", folder.path + "/kiosk.conf"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("2 records, 2 intact, no problems"))
    }

    @Test("Ctrl-C, Ctrl-Z, Ctrl-\\ and Ctrl-D do nothing; only F10 and the admin PIN leave, and the terminal is restored")
    func lockedDown() throws {
        let folder = try Self.kioskFolder()
        let kiosk = try TmuxKiosk(directory: folder.path)
        try kiosk.waitFor("Press Enter to begin")
        // No core file could hold the signing key or a pass code on screen.
        let pid = try #require(kiosk.kioskPID, "the kiosk's process")
        let limits = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }.map(String.init) ?? ""
        #expect(core.split(separator: " ", omittingEmptySubsequences: true).dropFirst(4).prefix(2) == ["0", "0"], "\(core)")
        kiosk.keys("C-c", "C-z", "C-\\", "C-d", "Escape", "F1")
        usleep(400_000)
        #expect(kiosk.screen().contains("Press Enter to begin"))
        #expect(!kiosk.screen().contains("KIOSK-EXITED"))
        kiosk.keys("F10")
        try kiosk.waitFor("Admin PIN:")
        kiosk.type("9999")
        kiosk.keys("Enter")
        try kiosk.waitFor("That PIN is not right.", timeout: 30)
        kiosk.type(Lint.shippedPIN)
        kiosk.keys("Enter")
        let screen = try kiosk.waitFor("KIOSK-EXITED-0", timeout: 30)
        #expect(!screen.contains("Admin PIN:"), "endwin restored the normal screen")
    }

    @Test("at 40x12 and below: the session carries on through a too-small window")
    func smallWindow() throws {
        let folder = try Self.kioskFolder()
        let kiosk = try TmuxKiosk(directory: folder.path, width: 40, height: 12)
        try kiosk.waitFor("Press Enter to begin")
        kiosk.keys("Enter")
        try kiosk.waitFor("Who are you?")
        kiosk.keys("3")
        try kiosk.waitFor("Your details: Supply teacher")
        kiosk.type("Ana María")
        // Keys that arrive while the window is too small are ignored: let them land first.
        try kiosk.waitFor("Ana María")
        kiosk.resize(30, 10)
        try kiosk.waitFor("Please make this window")
        kiosk.resize(40, 12)
        let screen = try kiosk.waitFor("Ana María")
        #expect(screen.contains("Agency (optional)"))
    }

    @Test("refuses to start without a terminal, with a clear message")
    func notATerminal() throws {
        let folder = try Self.kioskFolder()
        let result = run("/bin/sh", ["-c", "cd '\(folder.path)' && '\(kioskBinary)' run < /dev/null"])
        #expect(result.status == 1)
        #expect(result.output.contains("the kiosk needs a terminal"))
    }

    @Test("bad content stops the kiosk before any screen, naming file, line and column")
    func badContent() throws {
        let folder = try Self.kioskFolder()
        let path = folder.path + "/content/ict-code-of-conduct.md"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "version = 2", with: "version = one")
        folder.write("content/ict-code-of-conduct.md", text)
        let result = run("/bin/sh", ["-c", "cd '\(folder.path)' && '\(kioskBinary)' < /dev/null"])
        #expect(result.status == 1)
        #expect(result.output.contains("content/ict-code-of-conduct.md:5:11: error: front matter is not valid TOML"))
    }
}

/// Hostile input typed or pasted at the kiosk (in the same serialized
/// suite: one tmux kiosk at a time keeps the timings calm).
extension KioskSessionTests {
    @Test("a 10,000-character paste full of escape sequences, controls, bidi overrides, Arabic, emoji and CJK: nothing is obeyed, the letters are kept, the record holds what the field showed")
    func paste() throws {
        let folder = try KioskSessionTests.kioskFolder()
        let kiosk = try TmuxKiosk(directory: folder.path)
        try kiosk.waitFor("Press Enter to begin")
        kiosk.keys("Enter")
        try kiosk.waitFor("Who are you?")
        kiosk.keys("2")
        try kiosk.waitFor("Your details: Visitor")
        let chunk = "Zoë\u{1B}[31mRED\u{1B}[2J\u{1B}]0;pwned\u{07}\u{202E}evil\u{9B}😀李سارة"
        var paste = ""
        while paste.count < 10_000 { paste += chunk }
        kiosk.type(paste)
        usleep(1_500_000)
        let screen = try kiosk.waitFor("Organisation")
        #expect(screen.contains("Your details: Visitor"), "the screen was not cleared by \\e[2J")
        #expect(!screen.contains("pwned"), "an OSC title sequence was not typed")
        let nameLine = screen.split(separator: "\n", omittingEmptySubsequences: false)[3]
        // Escape sequences are read whole and dropped; C1 controls and bidi
        // overrides are refused; letters, Arabic, CJK and emoji stay.
        #expect(nameLine.contains("ZoëREDevil😀李سارةZoëREDevil"), "\(nameLine)")
        #expect(!nameLine.contains("[31m") && !nameLine.contains("[2J") && !nameLine.contains("\u{202E}"), "\(nameLine)")
        #expect(screen.contains("This box takes at most 80 characters."), "the person is told why the rest of the paste did not go in")
        kiosk.keys("Enter")
        kiosk.type(paste)
        usleep(1_500_000)
        kiosk.keys("Enter")
        kiosk.type("Mrs Patel")
        kiosk.keys("Enter")
        try kiosk.waitFor("ICT Code of Conduct, section 1 of 2")
        let colours = run(kiosk.tmux, ["-L", kiosk.socket, "capture-pane", "-t", "kiosk", "-p", "-e"]).output
        #expect(!colours.contains("\u{1B}[31m"), "no red from the pasted sequence")

        // Signed with the same paste, the record holds exactly the 80
        // characters the field showed.
        try KioskSessionTests.readAndAgree(kiosk, clauses: 5)
        try kiosk.waitFor("Sign: ZoëREDevil😀李")
        kiosk.type(paste)
        usleep(1_500_000)
        kiosk.keys("Enter")
        try kiosk.waitFor("Reference: 1 ·")
        let kept = String(String(repeating: "ZoëREDevil😀李سارة", count: 6).prefix(80))
        let record = RecordLayout(records: folder.path + "/records", terminal: "reception-1").record(seq: 1)
        let json = try CanonicalJSON.decode(Array(try Data(contentsOf: URL(fileURLWithPath: record))))
        #expect(json["person"]?["name"] == .string(kept))
        #expect(json["signature"]?["typed_name"] == .string(kept))
        #expect(json["person"]?["answers"]?["organisation"] == .string(kept))
    }

    @Test("the records folder removed under the running kiosk: the visitor is told, the session waits in a recovery file, and is saved when the folder is put back")
    func recordsRemoved() throws {
        let folder = try KioskSessionTests.kioskFolder()
        let kiosk = try TmuxKiosk(directory: folder.path)
        try kiosk.waitFor("Press Enter to begin")
        let book = folder.path + "/records/reception-1"
        let copy = folder.path + "/office-copy"
        try FileManager.default.copyItem(atPath: book, toPath: copy)
        try KioskSessionTests.visitorDetails(kiosk, name: "Zoë Ångström 李小龍")
        try KioskSessionTests.readAndAgree(kiosk, clauses: 5)
        try kiosk.waitFor("Sign: Zoë Ångström 李小龍")
        try FileManager.default.removeItem(atPath: book)
        kiosk.type("Zoë Ångström 李小龍")
        kiosk.keys("Enter")
        let screen = try kiosk.waitFor("could not be saved just now")
        #expect(screen.contains("Please tell the school office. Nothing is lost"))
        let recovery = folder.path + "/recovery"
        func recoveryFiles() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: recovery).filter { $0.hasSuffix(".session.json") }
        }
        #expect(try recoveryFiles().count == 1, "the finished session is in a recovery file")
        #expect(!FileManager.default.fileExists(atPath: book), "no new record book was started in its place")
        let log = try String(contentsOfFile: folder.path + "/kiosk.log", encoding: .utf8)
        #expect(log.contains("was removed while the kiosk was running"), "the log tells the office what happened")

        // The office puts the folder back: within a retry the session is saved.
        try FileManager.default.copyItem(atPath: copy, toPath: book)
        try kiosk.waitFor("Reference: 1 ·", timeout: 15)
        #expect(try recoveryFiles().isEmpty)
        let verify = run(kioskBinary, ["verify", "--config", folder.path + "/kiosk.conf"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("1 record, 1 intact, no problems"), "\(verify.output)")
    }
}
