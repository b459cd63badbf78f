import Foundation
import Testing
@testable import KioskTerminal
import KioskUI

/// The adapter against a real ncurses screen: output to /dev/null, input
/// from a pipe the test writes keys into, and the screen read back from
/// ncurses' own idea of what is on it (as tig's tests do).
final class PipeTerminal {
    let terminal: Terminal
    private let writeEnd: Int32
    private let turn = NcursesTurn()

    init(term: String = "xterm-256color") throws {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        writeEnd = fds[1]
        try Terminal.checkLocale()
        let input = fdopen(fds[0], "r")!
        let output = fopen("/dev/null", "w")!
        terminal = try Terminal(input: input, output: output, term: term)
    }

    func send(_ text: String) {
        send(bytes: Array(text.utf8))
    }

    func send(bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
    }

    /// Every event until the input has been quiet for 200 ms.
    func drain() -> [Event] {
        var events: [Event] = []
        while events.count < 1000, let event = terminal.read(timeout: 200) { events.append(event) }
        return events
    }

    func keys(_ count: Int) -> [Event?] {
        (0..<count).map { _ in terminal.read(timeout: 200) }
    }

    deinit {
        terminal.close()
        close(writeEnd)
        turn.end()
    }
}

/// ncurses' state is process-wide (one current screen): the suites that
/// open a real one each hold this turn while their screen is open, or a
/// test in one suite draws into the other's screen. (Each suite alone is
/// serialized; two suites are not, and under ASan's slowness a frame of
/// one test came back with another test's character in it.)
final class NcursesTurn {
    private static let semaphore = DispatchSemaphore(value: 1)
    private var held = true

    init() {
        Self.semaphore.wait()
    }

    func end() {
        guard held else { return }
        held = false
        Self.semaphore.signal()
    }

    deinit { end() }
}

// One ncurses at a time: its state is process-wide.
@Suite("ncurses adapter", .serialized)
struct TerminalTests {
    @Test("draws a frame that ncurses holds cell for cell: wide and combining characters, bold")
    func draws() throws {
        let t = try PipeTerminal()
        #expect(t.terminal.size == Size(width: 80, height: 24))
        var frame = Screen(size: t.terminal.size)
        frame.put("Hello 李小龍 Rene\u{301}e", x: 2, y: 3)
        frame.put("Bold", x: 2, y: 5, style: Style(.strong, bold: true))
        t.terminal.draw(frame)
        #expect(t.terminal.row(3).hasPrefix("  Hello 李小龍 Renée"))
        #expect(t.terminal.isBold(x: 2, y: 5))
        #expect(!t.terminal.isBold(x: 2, y: 3))
        // A second frame changes only what differs.
        var next = frame
        next.put("Jello", x: 2, y: 3)
        t.terminal.draw(next)
        #expect(t.terminal.row(3).hasPrefix("  Jello 李小龍 Renée"))
        // A wide character replaced by two narrow ones.
        var narrower = next
        narrower.put("ab", x: 10, y: 3)
        t.terminal.draw(narrower)
        #expect(t.terminal.row(3).hasPrefix("  Jello 李ab龍 Renée"))
    }

    @Test("keys: arrows, Enter, UTF-8, Ctrl keys as keys, function keys")
    func keys() throws {
        let t = try PipeTerminal()
        t.send("\u{1B}[A\u{1B}OB\r\u{03}\u{1A}\u{1C}\u{04}é李\u{7F}\u{1B}[5~\u{1B}[21~")
        #expect(t.keys(12) == [
            .key(.up), .key(.down), .key(.enter), .key(.control("c")), .key(.control("z")), .key(.control("\\")),
            .key(.control("d")), .key(.character("é")), .key(.character("李")), .key(.backspace), .key(.pageUp), .key(.function(10)),
        ])
    }

    @Test("an escape sequence in a paste is swallowed whole, never typed")
    func pastedEscape() throws {
        let t = try PipeTerminal()
        t.send("a\u{1B}[31mb\u{1B}]0;title\u{07}c")
        #expect(t.keys(5) == [.key(.character("a")), .key(.unknown), .key(.character("b")), .key(.unknown), .key(.character("c"))])
    }

    @Test("mouse reports, control strings and C1 controls are never typed, whichever mouse prefix the terminfo entry names (kmous)", arguments: ["xterm-256color", "tmux-256color", "linux"])
    func notTyped(term: String) throws {
        let t = try PipeTerminal(term: term)
        t.send("a\u{1B}[M !!b\u{1B}[<0;12;5Mc\u{1B}[<0;12;5md\u{1B}P1$qm\u{1B}\\e\u{1B}_Gi=1;AAAA\u{1B}\\f\u{9B}31mg\u{1B}(Bh\r")
        let events = t.drain()
        let typed = String(events.compactMap { event -> Character? in
            if case .key(.character(let c)) = event { return c }
            return nil
        })
        #expect(typed == "abcdefgh", "\(events)")
        #expect(events.last == .key(.enter))
    }

    @Test("invalid UTF-8 from the terminal never becomes a character, and what follows it still arrives")
    func invalidUTF8() throws {
        let t = try PipeTerminal()
        // A stray continuation byte, 0xFF, an overlong "/", a UTF-16
        // surrogate, a lead byte cut short by a letter, then good text.
        t.send(bytes: [0x61, 0x80, 0x62, 0xFF, 0x63, 0xC0, 0xAF, 0x64, 0xED, 0xA0, 0x80, 0x65, 0xC3, 0x66] + Array("é李\r".utf8))
        let events = t.drain()
        let typed = events.compactMap { event -> Character? in
            if case .key(.character(let c)) = event { return c }
            return nil
        }
        #expect(typed.allSatisfy { $0.unicodeScalars.allSatisfy { $0.value < 0xD800 || $0.value > 0xDFFF } })
        #expect(!typed.contains("/"), "an overlong encoding is not read as the character it imitates")
        #expect(typed.filter { !"abcdef".contains($0) }.map(String.init).joined() == "é李", "\(events)")
        #expect(events.last == .key(.enter))
    }

    @Test("four thousand random bytes: the keyboard still works after them")
    func randomBytes() throws {
        let t = try PipeTerminal()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4 {
            t.send(bytes: (0..<1024).map { _ in UInt8.random(in: 0...255, using: &generator) })
            _ = t.drain()
        }
        t.send("ok\r")
        #expect(t.drain() == [.key(.character("o")), .key(.character("k")), .key(.enter)])
    }

    @Test("a lone Esc is the Esc key; two are two")
    func escape() throws {
        let t = try PipeTerminal()
        t.send("\u{1B}")
        #expect(t.keys(1) == [.key(.escape)])
        t.send("\u{1B}\u{1B}")
        #expect(t.keys(2) == [.key(.escape), .key(.escape)])
    }

    @Test("no key within the timeout is a tick (nil)")
    func timeout() throws {
        let t = try PipeTerminal()
        #expect(t.terminal.read(timeout: 10) == nil)
    }

    @Test("an unknown TERM is refused with what to do")
    func unknownTerm() {
        #expect(throws: TerminalError("TERM=no-such-terminal is not a terminal type this machine knows: install ncurses-term, or set TERM to a known type such as xterm-256color")) {
            _ = try PipeTerminal(term: "no-such-terminal")
        }
    }
}

@Suite("SIGHUP")
struct HangupSignalTests {
    @Test("a SIGHUP a program sends asks for kiosk.conf to be read again, once however many arrive; it does not end the process")
    func reloadRequest() {
        HangupSignal.install()
        _ = HangupSignal.takeRequest()
        #expect(!HangupSignal.takeRequest())
        // To the process (a test runs on a worker thread, which blocks SIGHUP).
        kill(getpid(), SIGHUP)
        kill(getpid(), SIGHUP)
        usleep(100_000)
        #expect(HangupSignal.takeRequest())
        #expect(!HangupSignal.takeRequest())
    }
}
