import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// Guessing the admin PIN: after three wrong PINs in a row the kiosk makes
/// each next try wait longer, says how long, and logs every try (never
/// what was typed). Time is the test's: nothing sleeps.
@Suite("Admin PIN guessing")
struct AdminPINTests {
    /// The log lines among the effects.
    func logs(_ effects: [Effect]) -> [(LogLevel, String, [String: String])] {
        effects.compactMap { if case .log(let level, let text, let metadata) = $0 { (level, text, metadata) } else { nil } }
    }

    @Test("the wait grows 5, 10, 20, 40 ... seconds after the third wrong PIN, up to 5 minutes")
    func schedule() {
        #expect((1...10).map { Int(AdminGuard.delay(afterFailures: $0)) } == [0, 0, 5, 10, 20, 40, 80, 160, 300, 300])
        #expect(AdminGuard.delay(afterFailures: 1000) == 300)
    }

    @Test("three wrong PINs: the PIN screen says to wait and how long; even the right PIN waits; Esc and F10 do not clear it")
    func lockout() {
        var k = Driver()
        k.press(.function(10))
        for _ in 0..<2 {
            k.type("0000")
            k.press(.enter)
        }
        #expect(k.screen.contains("That PIN is not right."))
        #expect(!k.screen.contains("wait"), "two wrong PINs cost nothing")
        k.type("0000")
        k.press(.enter)
        #expect(k.screen.contains("Too many wrong PINs. Please wait 5 seconds before trying again."))
        #expect(k.screen.contains("Esc cancel") && !k.screen.contains("Enter unlock"))
        k.type("2468")
        #expect(k.effects == [.bell], "no digits go in while waiting")
        k.press(.enter)
        #expect(k.effects == [.bell])
        k.press(.escape)
        #expect(k.state.phase == .welcome)
        k.press(.function(10))
        k.wait(2)
        #expect(k.screen.contains("Please wait 3 seconds"), "F10 again does not start afresh")
        k.wait(3)
        #expect(!k.screen.contains("Please wait"))
        k.type("1111")
        k.press(.enter)
        #expect(k.screen.contains("Please wait 10 seconds"), "the fourth wrong PIN doubles the wait")
        k.wait(9)
        k.type("2468")
        k.press(.enter)
        #expect(!k.effects.contains(.quit))
        k.wait(1)
        k.type("2468")
        k.press(.enter)
        #expect(k.effects.last == .quit)
        #expect(k.state.adminGuard == AdminGuard(), "the right PIN starts the count again")
    }

    @Test("the wait is shown in minutes once it is long, and counts down as time passes")
    func longWait() {
        var k = Driver()
        k.press(.function(10))
        for _ in 0..<9 {
            k.wait(300)
            // The PIN screen times out like any other: back with F10.
            if k.state.phase == .welcome { k.press(.function(10)) }
            k.type("0000")
            k.press(.enter)
        }
        #expect(k.screen.contains("Please wait 5 min before trying again."))
        k.wait(13)
        #expect(k.screen.contains("Please wait 4 min 47 s before"))
    }

    @Test("an hour without a wrong PIN forgets the earlier ones")
    func forgets() {
        var k = Driver()
        k.press(.function(10))
        for _ in 0..<2 {
            k.type("0000")
            k.press(.enter)
        }
        k.wait(3600)
        k.press(.function(10))
        k.type("0000")
        k.press(.enter)
        #expect(!k.screen.contains("Please wait"))
        #expect(k.state.adminGuard.failures == 1)
    }

    @Test("every wrong PIN and the right one are logged, with how many were wrong in a row; the PIN typed never is")
    func logged() throws {
        var k = Driver()
        k.press(.function(10))
        var lines: [(LogLevel, String, [String: String])] = []
        for n in 1...4 {
            k.wait(60)
            k.type("97531")
            k.press(.enter)
            let line = try #require(logs(k.effects).first, "wrong PIN \(n) was not logged")
            lines.append(line)
            #expect(line.0 == .warning)
            #expect(line.1 == "wrong admin PIN")
            #expect(line.2["wrong_pins_in_a_row"] == "\(n)")
            #expect(line.2["next_try_in_seconds"] == (n < 3 ? nil : "\(5 << (n - 3))"))
        }
        k.wait(60)
        k.type("2468")
        k.press(.enter)
        let success = try #require(logs(k.effects).first)
        lines.append(success)
        #expect(success.0 == .notice)
        #expect(success.1 == "admin PIN accepted: leaving the kiosk")
        #expect(success.2["wrong_pins_before"] == "4")
        #expect(k.effects.last == .quit, "the log line comes before the kiosk stops")
        for line in lines {
            let text = line.1 + line.2.map { $0.key + $0.value }.joined()
            #expect(!text.contains("97531") && !text.contains("2468"), "\(line)")
        }
    }

    @Test("Enter with nothing typed is not a try; with no PIN set, a try is refused, said and logged")
    func noPIN() throws {
        var k = Driver()
        k.press(.function(10))
        k.press(.enter)
        #expect(k.effects == [.bell])
        #expect(k.state.adminGuard.failures == 0)

        var unset = settings
        unset.adminPinHash = nil
        var n = Driver(settings: unset)
        n.press(.function(10))
        n.type("1234")
        n.press(.enter)
        #expect(n.screen.contains("No admin PIN is set: run `kiosk set-pin`."))
        #expect(logs(n.effects).first?.1 == "an admin PIN was tried, but none is set (kiosk set-pin)")
    }

    @Test("the wait at 40x12: said in full, keys as they work")
    func small() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.press(.function(10))
        for _ in 0..<3 {
            k.type("0000")
            k.press(.enter)
        }
        let screen = k.screen
        #expect(screen.contains("Too many wrong PINs. Please wait 5"))
        #expect(screen.contains("seconds before trying again."))
        #expect(screen.contains("Esc cancel"))
    }
}
