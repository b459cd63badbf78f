import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// The PIN screen shows staff what they check on the kiosk: the record
/// book's last record, for the office's paper register, and the clock
/// with its time zone, so a wrong one is noticed.
@Suite("Admin screen: record book and clock")
struct AdminScreenTests {
    static func driver(_ size: Size) -> Driver {
        var london = settings
        london.timeZone = TimeZone(identifier: "Europe/London")!
        var k = Driver(size: size, settings: london)
        k.send(.recordBook(BookHead(seq: 42, reference: "7F3A-9C21")))
        k.press(.function(10))
        return k
    }

    @Test("at 80x24")
    func screen80() {
        let k = Self.driver(Size(width: 80, height: 24))
        #expect(k.screen == """
             Staff only


              Admin PIN:

              Record book: 42 · 7F3A-9C21
              Clock: Mon 21 Sep 2026, 15:13:20 BST
              Time zone: Europe/London















             Enter unlock   Tab on site   Esc cancel
            """)
    }

    @Test("at 40x12, with a wrong PIN's message")
    func screen40() {
        var k = Self.driver(Size(width: 40, height: 12))
        k.type("1111")
        k.press(.enter)
        #expect(k.screen == """
             Staff only


             Admin PIN:

             That PIN is not right.

             Record book: 42 · 7F3A-9C21
             Clock: Mon 21 Sep 2026, 15:13:20 BST
             Time zone: Europe/London

             Enter unlock  Tab on site  Esc cancel
            """)
    }

    @Test("at 40x12 while waiting after wrong PINs, with sessions in memory only: the facts stay at the foot")
    func crowded40() {
        var k = Self.driver(Size(width: 40, height: 12))
        k.send(.pendingSaves(2, inMemoryOnly: 2))
        for _ in 0..<3 {
            k.type("1111")
            k.press(.enter)
        }
        let screen = k.screen
        #expect(screen.contains("Too many wrong PINs. Please wait 5"), "\(screen)")
        #expect(screen.contains("Record book: 42 · 7F3A-9C21"))
        #expect(screen.contains("Clock: Mon 21 Sep 2026, 15:13:20 BST"))
        #expect(screen.contains("Time zone: Europe/London"))
    }

    @Test("sessions held in memory only are named before anyone leaves the kiosk")
    func inMemoryWarning() {
        var k = Self.driver(Size(width: 80, height: 24))
        k.send(.pendingSaves(2, inMemoryOnly: 1))
        #expect(k.screen.contains("1 signed agreement is held in memory only: leaving the kiosk now loses it."))
    }

    @Test("the clock moves with time; the head follows each save; an empty book says so; another zone is named")
    func updates() {
        var k = Self.driver(Size(width: 80, height: 24))
        k.wait(3600 * 24 * 60)
        k.press(.function(10))
        #expect(k.screen.contains("Clock: Fri 20 Nov 2026, 14:13:20 GMT"), "winter time in London")
        k.send(.recordBook(BookHead(seq: 43, reference: "0A1B-2C3D")))
        #expect(k.screen.contains("Record book: 43 · 0A1B-2C3D"))
        k.send(.recordBook(BookHead(seq: 0, reference: "0000-0000")))
        #expect(k.screen.contains("Record book: no records yet"))

        var tokyo = settings
        tokyo.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        var t = Driver(settings: tokyo)
        t.press(.function(10))
        #expect(t.screen.contains("Clock: Mon 21 Sep 2026, 23:13:20 GMT+9"))
        #expect(t.screen.contains("Time zone: Asia/Tokyo"))
    }
}
