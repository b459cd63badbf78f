import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// What a person is told after a failed save must be true: "nothing is
/// lost" only when the session is safe in a recovery file.
@Suite("A failed save, told truly")
struct SaveFailureTests {
    static let diskFull = "The disk is full: free some space on it."

    /// The screen's text as one line: what it says, however it wraps.
    static func says(_ screen: String) -> String {
        screen.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    @Test("safe in a recovery file: nothing is lost")
    func inRecoveryFile() {
        var k = Driver()
        k.signAndFailToSave(Self.diskFull, inRecoveryFile: true)
        #expect(k.screen.contains("Nothing is lost"))
        #expect(!k.screen.contains("is lost."))
    }

    @Test("set aside for the office (stamped by a wrong clock): kept, but never promised to be saved")
    func setAside() {
        var k = Driver()
        k.visitorToSigning()
        k.type("Zoë Ångström")
        for _ in 0..<10 where k.state.phase != .saving(failure: nil) { k.press(.enter) }
        k.send(.saveFailed(sessionID: "session-1", SaveFailure(message: "this session says it was finished at 1970-01-01T00:03:20Z", inRecoveryFile: true, setAside: true)))
        let says = Self.says(k.screen)
        #expect(says.contains("Nothing is lost: it is kept on this terminal for the office."), "\(k.screen)")
        #expect(!says.contains("saved as soon as it can be"))
    }

    @Test("held in memory only: the person is told to tell the office now, never that nothing is lost; at 80x24 and 40x12", arguments: [Size(width: 80, height: 24), Size(width: 40, height: 12)])
    func memoryOnly(size: Size) {
        var k = Driver(size: size)
        k.visitorToSigning()
        k.type("Zoë Ångström")
        for _ in 0..<10 where k.state.phase != .saving(failure: nil) { k.press(.enter) }
        k.send(.saveFailed(sessionID: "session-1", SaveFailure(message: Self.diskFull, inRecoveryFile: false)))
        let screen = k.screen
        #expect(!screen.contains("Nothing is lost"), "\(screen)")
        #expect(screen.contains("Your agreement could not be saved."), "\(screen)")
        #expect(screen.contains("Please tell the school office"), "\(screen)")
        #expect(Self.says(screen).contains("if it is switched off first, your agreement is lost."), "\(screen)")
        #expect(screen.contains("Enter finish"))
    }

    @Test("a retry that writes the recovery file changes what is said; one that does not, does not")
    func laterKept() {
        var k = Driver()
        k.signAndFailToSave(Self.diskFull, inRecoveryFile: false)
        k.now += 5
        k.send(.saveFailed(sessionID: "session-1", SaveFailure(message: Self.diskFull, inRecoveryFile: false)))
        #expect(!k.screen.contains("Nothing is lost"))
        k.now += 5
        k.send(.saveFailed(sessionID: "session-1", SaveFailure(message: Self.diskFull, inRecoveryFile: true)))
        #expect(k.screen.contains("Nothing is lost"))
    }

    @Test("retries failing every few seconds do not keep the failed-save screen up: it goes after a minute like the thank-you screen")
    func retriesDoNotHoldTheScreen() {
        var k = Driver()
        k.signAndFailToSave(Self.diskFull)
        for _ in 0..<12 {
            k.now += 5
            k.send(.saveFailed(sessionID: "session-1", SaveFailure(message: Self.diskFull, inRecoveryFile: true)))
            k.send(.tick)
        }
        #expect(k.state.phase == .welcome)
        #expect(k.state.draft == nil)
    }

    @Test("the welcome screen says when waiting agreements are in memory only, and not to switch the kiosk off")
    func welcome() {
        var k = Driver()
        k.send(.pendingSaves(2, inMemoryOnly: 0))
        #expect(k.screen.contains("2 signed agreements are waiting to be saved: please tell the school office."))
        k.send(.pendingSaves(1, inMemoryOnly: 1))
        #expect(k.screen.contains("do not switch the kiosk off"))
        #expect(Self.says(k.screen).contains("1 signed agreement could not be written to disk yet: please tell the school office, and do not switch the kiosk off."))
        k.send(.pendingSaves(3, inMemoryOnly: 2))
        #expect(Self.says(k.screen).contains("3 signed agreements are waiting to be saved, 2 not yet on disk"))
        var small = Driver(size: Size(width: 40, height: 12))
        small.send(.pendingSaves(3, inMemoryOnly: 3))
        #expect(small.screen.contains("kiosk off."), "\(small.screen)")
        #expect(small.screen.contains("Press Enter to begin"))
    }
}
