import Foundation
import KioskTestSupport
import Testing
@testable import KioskTerminal
import KioskUI

/// The bytes the adapter sends to a real ncurses: only what changed, no
/// colour at all in plain, and the cursor at the focus.
final class RecordingTerminal {
    let terminal: Terminal
    let path = NSTemporaryDirectory() + "kiosk-output-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    private let writeEnd: Int32
    private var read = 0
    private let turn = NcursesTurn()

    init(term: String = "xterm-256color", colour: Bool = true) throws {
        var fds: [Int32] = [0, 0]
        precondition(pipe(&fds) == 0)
        writeEnd = fds[1]
        try Terminal.checkLocale()
        let output = fopen(path, "w")!
        terminal = try Terminal(input: fdopen(fds[0], "r")!, output: output, term: term, colour: colour)
    }

    /// The bytes written since the last call.
    func sent() -> [UInt8] {
        let all = Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        defer { read = all.count }
        return Array(all[min(read, all.count)...])
    }

    deinit {
        terminal.close()
        close(writeEnd)
        unlink(path)
        turn.end()
    }
}


@Suite("ncurses adapter: bytes sent", .serialized)
struct OutputTests {
    /// A screen with every tone, underline, a box and a cursor.
    static func everyTone(_ size: Size) -> Screen {
        var frame = Screen(size: size)
        for (i, tone) in Theme.tones.enumerated() {
            frame.put("Tone \(i) text", x: 2, y: 2 + i, style: Style(tone, bold: i % 2 == 0, underline: i == 3))
        }
        frame.put("┌──┐ Countdown 30", x: 2, y: 12)
        frame.cursor = Point(x: 2, y: 5)
        return frame
    }

    @Test("plain (display = \"plain\", NO_COLOR): not one colour sequence, on xterm-256color and on the console; bold and reverse are kept",
          arguments: ["xterm-256color", "linux", "tmux-256color"])
    func plainHasNoColour(term: String) throws {
        let t = try RecordingTerminal(term: term, colour: false)
        #expect(!t.terminal.theme.usesColour)
        let frame = Self.everyTone(t.terminal.size)
        t.terminal.draw(frame)
        var next = frame
        next.put("Countdown 29", x: 7, y: 12, style: Style(.attention, bold: true))
        t.terminal.draw(next)
        #expect(t.terminal.isBold(x: 2, y: 2), "bold is an attribute, not a colour: kept")
        // endwin() too sends nothing of colour.
        t.terminal.close()
        let bytes = t.sent()
        #expect(bytes.count > 100)
        #expect(colourSequences(bytes) == [])
    }

    @Test("the colour display does send colours (so the check above can fail)", arguments: ["xterm-256color", "linux"])
    func colourHasColour(term: String) throws {
        let t = try RecordingTerminal(term: term, colour: true)
        #expect(t.terminal.theme.usesColour)
        t.terminal.draw(Self.everyTone(t.terminal.size))
        #expect(!colourSequences(t.sent()).isEmpty)
    }

    @Test("a countdown's tick sends its digit and a cursor move, not the page: a handful of bytes, no clear")
    func oneDigit() throws {
        let t = try RecordingTerminal()
        var frame = Self.everyTone(t.terminal.size)
        for y in 10..<22 { frame.put(String(repeating: "Policy text for a screen reader. ", count: 3), x: 0, y: y) }
        frame.put("cleared in 30 seconds", x: 2, y: 22)
        t.terminal.draw(frame)
        let first = t.sent()
        #expect(first.count > 1000)
        // The same frame again (a tick where nothing changed): nothing at all.
        t.terminal.draw(frame)
        #expect(t.sent() == [])
        var next = frame
        next.put("cleared in 29 seconds", x: 2, y: 22)
        t.terminal.draw(next)
        let tick = t.sent()
        // A cursor move, the colours, "29", the cursor back: about 50 bytes.
        #expect(tick.count < 80, "\(String(decoding: tick, as: UTF8.self).debugDescription)")
        let text = String(decoding: tick, as: UTF8.self)
        #expect(text.contains("29"))
        #expect(!text.contains("Policy") && !text.contains("\u{1B}[2J") && !text.contains("\u{1B}[H\u{1B}[J"), "\(text.debugDescription)")
    }

    @Test("the cursor is shown and stands at the frame's focus after every refresh")
    func cursor() throws {
        let t = try RecordingTerminal()
        var frame = Self.everyTone(t.terminal.size)
        t.terminal.draw(frame)
        #expect(t.terminal.cursorPosition == Point(x: 2, y: 5))
        frame.cursor = Point(x: 9, y: 7)
        t.terminal.draw(frame)
        #expect(t.terminal.cursorPosition == Point(x: 9, y: 7))
        // Only the cursor moved: a cursor motion, no cells.
        #expect(t.sent().count < 1000)
        frame.put("x", x: 40, y: 20)
        t.terminal.draw(frame)
        #expect(t.terminal.cursorPosition == Point(x: 9, y: 7), "back at the focus after drawing elsewhere")
        let bytes = String(decoding: t.sent(), as: UTF8.self)
        let afterX = try #require(bytes.range(of: "x")?.upperBound)
        #expect(bytes[afterX...].contains("\u{1B}[8;10H"), "after the cell, the cursor goes back to the focus: \(bytes.debugDescription)")
    }

    /// ncurses 6.4 writes out at each cursor move until the screen has
    /// once been left and come back to: a frame went out in as many writes
    /// as it had lines, each a wake-up for whatever reads the terminal.
    @Test("each frame reaches the terminal in one write, not one per line")
    func oneWritePerFrame() throws {
        // Each write to a sequenced-packet socket is read as a packet of its own.
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_SEQPACKET.rawValue), 0, &pair) == 0)
        var keys: [Int32] = [0, 0]
        #expect(pipe(&keys) == 0)
        let turn = NcursesTurn()
        try Terminal.checkLocale()
        let terminal = try Terminal(input: fdopen(keys[0], "r")!, output: fdopen(pair[0], "w")!, term: "xterm-256color")
        defer { terminal.close(); close(keys[1]); close(pair[1]); turn.end() }
        func writes() -> Int {
            var count = 0
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while recv(pair[1], &buffer, buffer.count, Int32(MSG_DONTWAIT)) > 0 { count += 1 }
            return count
        }
        _ = writes()
        for page in 0..<3 {
            var frame = Screen(size: terminal.size)
            for line in 0..<12 { frame.put("Page \(page), line \(line): Zoë 李小龍", x: 2 + page, y: 2 * line) }
            frame.cursor = Point(x: 2, y: 5)
            terminal.draw(frame)
            // The first frame also leaves the screen and comes back to it
            // (a write each).
            #expect(writes() <= (page == 0 ? 3 : 1), "page \(page)")
        }
    }
}
