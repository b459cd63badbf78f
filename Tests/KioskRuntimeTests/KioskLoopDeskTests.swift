import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import KioskUI
import Testing
@testable import KioskRuntime

/// The run loop carries out sign-outs as it carries out saves: the screen
/// says so before the disk is touched, and a failing disk is said plainly.
@Suite("Run loop: sign-out")
struct KioskLoopDeskTests {
    /// Signs a session and returns the pass code the done screen showed.
    static func signedCode(_ k: KioskLoopTests) throws -> String {
        k.sign()
        let done = k.turn(until: "Your pass code: ")
        let match = try #require(done.range(of: #"Your pass code: [2-9A-Z]{4}-[2-9A-Z]{4}"#, options: .regularExpression))
        k.terminal.press(.enter)
        k.turn(until: "Press Enter to begin")
        return String(done[match].suffix(9))
    }

    @Test("\"Signing you out…\" is on screen while the sign-out is written and fsynced, then the goodbye")
    func signingOutIsSeen() throws {
        let k = try KioskLoopTests()
        let code = try Self.signedCode(k)
        let seen = LogLines()
        k.disk.onFsync { [terminal = k.terminal] in seen.append(terminal.screen) }
        k.terminal.type("s")
        k.terminal.type(code)
        k.terminal.press(.enter)
        k.turn(until: "Signed out. Goodbye.")
        #expect(k.book.lastSeq == 2)
        #expect(k.loop.desk.issued.remembered == [1], "the loop told the desk which visit the code was given to")
        #expect(!seen.lines.isEmpty)
        for screen in seen.lines { #expect(screen.contains("Signing you out…"), "\(screen)") }
        #expect(!k.log.lines.joined().contains(code) && !k.log.lines.joined().contains(code.replacingOccurrences(of: "-", with: "")))
    }

    @Test("the desk indexes the books once the first frame is drawn, before anyone asks; the next sign-out reads only what was written since")
    func indexedAtStart() throws {
        let k = try KioskLoopTests()
        k.loop.turn()
        #expect(k.log.lines.contains { $0.contains("the desk indexed") }, "\(k.log.lines)")
        let code = try Self.signedCode(k)
        let read = k.loop.desk.recordsRead
        k.terminal.type("s")
        k.terminal.type(code)
        k.terminal.press(.enter)
        k.turn(until: "Signed out. Goodbye.")
        #expect(k.loop.desk.recordsRead == read + 1)
    }

    @Test("a disk that fails the sign-out: the person is told to ask at reception, nothing half-written")
    func signOutFails() throws {
        let k = try KioskLoopTests()
        let code = try Self.signedCode(k)
        k.disk.fail("fsync", with: EIO)
        k.terminal.type("s")
        k.terminal.type(code)
        k.terminal.press(.enter)
        let screen = k.turn(until: "You are not signed out yet")
        #expect(screen.contains("please tell reception"))
        #expect(!screen.contains("/"), "no file paths on screen: \(screen)")
        #expect(k.book.lastSeq == 1)
        let log = k.log.lines.joined(separator: "\n")
        #expect(log.contains("the visitor is not signed out"), "\(log)")
        #expect(!log.contains("kept"), "the log does not say the sign-out is kept: \(log)")
        k.disk.fail("fsync", with: nil)
        k.terminal.type(code)
        k.terminal.press(.enter)
        k.turn(until: "Signed out. Goodbye.")
        #expect(k.book.lastSeq == 2)
    }
}
