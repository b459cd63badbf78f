import Foundation
import KioskContent
import KioskStore
import KioskUI
import Testing
@testable import KioskRuntime

/// A screen reader reads what is written to the terminal: the loop's ticks
/// (four a second) must send nothing while nothing changes, and only the
/// cells that change when a countdown moves, never the whole page again.
@Suite("Run loop: no repaints on a timer")
struct RepaintTests {
    /// What the adapter sends for each frame after the first: the cells
    /// FrameDiff names (the adapter writes exactly these), and whether it clears.
    static func sent(_ frames: [Screen]) -> [FrameDiff] {
        zip(frames, frames.dropFirst()).map { FrameDiff.between($0, $1) }
    }

    @Test("idle warning: each second of the countdown sends only its digits; the ticks between send nothing; nothing is cleared")
    func countdown() throws {
        let t = try KioskLoopTests()
        t.terminal.press(.enter)
        t.terminal.type("1")
        t.terminal.type("Sam")
        t.turn(until: "Are you still there?")
        let start = t.terminal.frames.count - 1
        t.turn(until: "in 20 seconds.")
        let diffs = Self.sent(Array(t.terminal.frames[start...]))
        #expect(diffs.count >= 40, "four ticks a second for ten seconds")
        #expect(diffs.allSatisfy { !$0.clear })
        let changed = diffs.filter { !$0.changes.isEmpty }
        // 30 → 29 … → 20: ten changes of one or two digits.
        #expect(changed.count == 10, "one frame with changes a second: \(changed.count)")
        for diff in changed {
            #expect(diff.changes.count <= 2, "\(diff.changes.map { "\($0.x),\($0.y):\($0.cell.text)" })")
            #expect(diff.changes.allSatisfy { $0.cell.text.first?.isNumber == true })
            #expect(Set(diff.changes.map(\.y)).count == 1, "all on the countdown's line")
        }
    }

    @Test("a clause: the dwell countdown and the button waking change the button's line only; a page of reading is not sent again")
    func clauseButton() throws {
        let t = try KioskLoopTests()
        // The run loop's tests agree at once; here a clause waits 3 seconds.
        var settings = KioskLoopTests.settings
        settings.minClauseSeconds = 3
        let loop = KioskLoop(settings: settings, terminal: t.terminal,
                             saver: SessionSaver(book: t.book, recoveryFolder: t.scratch.path + "/recovery", logger: t.log.logger),
                             logger: t.log.logger, now: { [clock = t.clock] in clock.now })
        t.terminal.press(.enter)
        t.terminal.type("1")
        t.terminal.type("Sam")
        t.terminal.press(.enter, .enter)
        var turns = 0
        while !t.terminal.screen.contains("please read: 3 s") && turns < 100 { loop.turn(); turns += 1 }
        let start = t.terminal.frames.count - 1
        while t.terminal.screen.contains("please read") && turns < 200 {
            loop.turn()
            turns += 1
        }
        #expect(turns < 200)
        for _ in 0..<8 { loop.turn() }
        let frames = Array(t.terminal.frames[start...])
        #expect(frames.last?.text.contains("[ I agree ]") == true && frames.last?.text.contains("please read") == false)
        let diffs = Self.sent(frames)
        #expect(diffs.allSatisfy { !$0.clear })
        let rows = Set(diffs.flatMap { $0.changes.map(\.y) })
        let button = try #require(frames.last?.cursor?.y)
        #expect(rows == [button], "only the button's line changes: \(rows)")
        // 3 → 2 → 1 s, then "please read: 1 s" goes and the button lights up.
        #expect(diffs.filter { !$0.changes.isEmpty }.count == 3)
    }
}
