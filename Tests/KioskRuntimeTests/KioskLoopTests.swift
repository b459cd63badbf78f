import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import KioskUI
import Testing
@testable import KioskRuntime

/// The run loop against a fake terminal, a fake clock and a disk that fails
/// where a test says: what a person sees while their agreement is saved,
/// when it cannot be, and when a retry saves it. No tmux, no sleeping.
@Suite("Run loop")
struct KioskLoopTests {
    static let document = DocumentParser.parse(
        "+++\nid = \"code\"\ntitle = \"Code\"\nversion = 1\ndeclaration = \"I agree.\"\n+++\n## Rules\n\n- [ ] I will be kind.\n",
        path: "code.md").document!
    static let role = Role(id: "visitor", label: "Visitor", documents: ["code"], questions: [], nextSteps: "Please wait at reception.")
    static let name = "Zoë Ångström 李小龍"
    static let settings = KioskSettings(
        school: "Redhill Primary School", terminal: "reception-1", roles: [role],
        library: ContentLibrary(documents: [document]), idleTimeout: 120, idleWarning: 30, minClauseSeconds: 0,
        adminPinHash: AdminPIN.hash("1234", iterations: 10))

    let scratch = Scratch()
    let clock = FakeClock()
    let disk = FaultyDisk()
    let log = LogLines()
    let terminal: FakeTerminal
    let book: RecordBook
    let loop: KioskLoop

    init(size: Size = Size(width: 80, height: 24)) throws {
        terminal = FakeTerminal(size: size, clock: clock)
        book = try RecordBook.open(records: scratch.path + "/records", terminal: "reception-1", school: "Redhill Primary School",
                                   key: TerminalKey.generate(), calls: disk.calls)
        let saver = SessionSaver(book: book, recoveryFolder: scratch.path + "/recovery", logger: log.logger)
        loop = KioskLoop(settings: Self.settings, terminal: terminal, saver: saver, logger: log.logger, now: { [clock] in clock.now })
    }

    /// Turns until the screen shows `text` (or 1,000 turns: four minutes
    /// of the fake clock without a key); the screen.
    @discardableResult
    func turn(until text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        for _ in 0..<1000 {
            loop.turn()
            if terminal.screen.contains(text) { return terminal.screen }
        }
        Issue.record("never showed \"\(text)\"; the screen:\n\(terminal.screen)", sourceLocation: sourceLocation)
        return terminal.screen
    }

    /// From the welcome screen to the signing screen, on screen, then signed.
    func sign() {
        terminal.press(.enter)
        terminal.type("1")
        terminal.type(Self.name)
        terminal.press(.enter, .enter)
        terminal.press(.enter)
        turn(until: "Sign: \(Self.name)")
        terminal.type(Self.name)
        terminal.press(.enter)
    }

    var recoveryFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: scratch.path + "/recovery")) ?? []).filter { $0.hasSuffix(".session.json") }
    }

    @Test("signing: \"Saving your agreement…\" is on screen while the record is written and fsynced, then the reference")
    func savingIsSeen() throws {
        let seen = LogLines()
        disk.onFsync { [terminal] in seen.append(terminal.screen) }
        sign()
        let done = turn(until: "Reference: 1 ·")
        #expect(done.contains("Thank you, \(Self.name)."))
        #expect(book.lastSeq == 1)
        #expect(!seen.lines.isEmpty, "the commit fsyncs")
        for screen in seen.lines {
            #expect(screen.contains("Saving your agreement…"), "the screen during an fsync:\n\(screen)")
        }
        let texts = terminal.frames.map(\.text)
        let signing = try #require(texts.lastIndex { $0.contains("Sign: \(Self.name)") })
        let saving = try #require(texts.firstIndex { $0.contains("Saving your agreement…") })
        let reference = try #require(texts.firstIndex { $0.contains("Reference: 1 ·") })
        #expect(signing < saving && saving < reference, "signing, then saving, then the reference")
    }

    @Test("the thank-you screen gives way to the welcome screen after 10 seconds of the fake clock, for the next person")
    func doneDropsName() throws {
        sign()
        let done = turn(until: "Reference: 1 ·")
        #expect(done.contains("Thank you, \(Self.name)."))
        let shown = clock.now
        let cleared = turn(until: "Press Enter to begin")
        #expect(!cleared.contains(Self.name))
        #expect(!cleared.contains("Reference"))
        let after = clock.now.timeIntervalSince(shown)
        #expect(after >= 10 && after < 11, "after \(after) s of the fake clock")
        terminal.press(.enter)
        turn(until: "Who are you?")
    }

    @Test("a disk error: the failure screen, the session in a recovery file; the retry saves it and the person sees the reference")
    func failureThenRetry() throws {
        disk.fail("fsync", with: EIO)
        sign()
        let failed = turn(until: "could not be saved")
        #expect(failed.contains("Your agreement could not be saved just now."))
        #expect(failed.contains("Nothing is lost"))
        #expect(book.lastSeq == 0)
        #expect(recoveryFiles.count == 1)
        #expect(log.lines.contains { $0.hasPrefix("error cannot save a finished session") }, "\(log.lines)")

        // Still failing: the retries leave the screen as it is.
        let start = clock.now
        while clock.now < start + 12 { loop.turn() }
        #expect(terminal.screen.contains("could not be saved just now"))
        #expect(book.lastSeq == 0)

        disk.fail("fsync", with: nil)
        let retried = clock.now
        let done = turn(until: "Reference: 1 ·")
        #expect(clock.now.timeIntervalSince(retried) <= SaveScheduler.retryInterval + 0.5, "saved at the next retry")
        #expect(done.contains("Your agreement is signed and saved."))
        #expect(book.lastSeq == 1)
        #expect(recoveryFiles.isEmpty, "the recovery file goes once the record is saved")
        #expect(log.lines.contains { $0.hasPrefix("info record saved") })
    }

    @Test("a paste of refused keys rings the bell once, and the screen is drawn a few times, not once a key")
    func pasteRingsOnce() {
        terminal.press(.enter)
        turn(until: "Who are you?")
        let frames = terminal.frames.count
        terminal.type(String(repeating: "x", count: 2000))
        turn(until: "Who are you?")
        while !terminal.input.isEmpty { loop.turn() }
        loop.turn()
        #expect(terminal.bells == 4, "2,000 keys, 512 a frame: a bell with each frame")
        #expect(terminal.frames.count - frames <= 5)
    }

    @Test("F10 and the admin PIN stop the loop, logged; nothing waits to be saved")
    func adminLeaves() {
        terminal.press(.function(10))
        terminal.type("1234")
        terminal.press(.enter)
        var turns = 0
        while loop.turn() { turns += 1; if turns > 100 { break } }
        #expect(turns <= 100)
        #expect(!loop.turn(), "stays stopped")
        #expect(log.lines.contains { $0.hasPrefix("notice admin PIN accepted") }, "\(log.lines)")
    }

    @Test("time passes with the fake clock: an idle session is warned about, then cleared")
    func idle() {
        terminal.press(.enter)
        terminal.type("1")
        terminal.type(Self.name)
        turn(until: Self.name)
        turn(until: "Are you still there?")
        #expect(!terminal.screen.contains(Self.name), "whoever is at the kiosk now sees nothing of the person behind the warning")
        #expect(terminal.screen.contains("Any key more time"))
        let cleared = turn(until: "Press Enter to begin")
        #expect(!cleared.contains(Self.name))
        #expect(loop.state.draft == nil)
    }
}
