import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import KioskUI
import Logging
import Testing
@testable import KioskRuntime

/// When the running kiosk reads kiosk.conf again, and what it takes from
/// it: a fake file (its stamp and its text) and a fake clock.
@Suite("kiosk.conf read again")
struct ConfigReloaderTests {
    static func conf(pin: String?, school: String = "Redhill Primary School") -> String {
        """
        [kiosk]
        school = "\(school)"
        terminal = "reception-1"
        \(pin.map { "admin_pin_hash = \"\($0)\"" } ?? "")

        [roles.visitor]
        label = "Visitor"
        documents = ["code"]
        """
    }

    static let oldPIN = AdminPIN.hash("1234", iterations: 10)
    static let newPIN = AdminPIN.hash("5678", iterations: 10)

    /// kiosk.conf in memory: its text, and a stamp that changes when it is written.
    final class FakeFile: @unchecked Sendable {
        var text: String
        var version: UInt64 = 1
        var loads = 0
        var signalled = false

        init(_ text: String) { self.text = text }

        func write(_ text: String) {
            self.text = text
            version += 1
        }

        var stamp: ConfigReloader.Stamp {
            ConfigReloader.Stamp(device: 1, inode: version, size: Int64(text.utf8.count), modified: timespec(), changed: timespec())
        }

        func reloader(logger: Logger) -> ConfigReloader {
            let config = ConfigParser.parse(text, path: "kiosk.conf").config!
            return ConfigReloader(
                config: config, stamp: stamp, logger: logger,
                hangup: { [self] in defer { signalled = false }; return signalled },
                stampOf: { [self] _ in stamp },
                load: { [self] path in loads += 1; return ConfigParser.parse(text, path: path) })
        }
    }

    let clock = FakeClock()
    let log = LogLines()

    @Test("unchanged: not read again; changed: read within a second, the new PIN handed to the kiosk, logged")
    func changed() {
        let file = FakeFile(Self.conf(pin: Self.oldPIN))
        let reloader = file.reloader(logger: log.logger)
        for _ in 0..<20 {
            #expect(reloader.check(now: clock.now).isEmpty)
            clock.advance(0.25)
        }
        #expect(file.loads == 0, "an unchanged file is only looked at")
        file.write(Self.conf(pin: Self.newPIN))
        var events: [Event] = []
        let written = clock.now
        while events.isEmpty && clock.now < written + 5 {
            events = reloader.check(now: clock.now)
            clock.advance(0.25)
        }
        #expect(events == [Event.adminPINHash(Self.newPIN)])
        #expect(clock.now.timeIntervalSince(written) <= ConfigReloader.checkInterval + 0.25)
        #expect(log.lines == ["notice kiosk.conf read again: the new admin PIN is in use reason=kiosk.conf changed"])
        clock.advance(5)
        #expect(reloader.check(now: clock.now).isEmpty)
        #expect(file.loads == 1)
    }

    @Test("a SIGHUP reads it again at once, changed or not")
    func hangup() {
        let file = FakeFile(Self.conf(pin: Self.oldPIN))
        let reloader = file.reloader(logger: log.logger)
        _ = reloader.check(now: clock.now)
        file.signalled = true
        #expect(reloader.check(now: clock.now).isEmpty)
        #expect(file.loads == 1)
        #expect(log.lines == ["info kiosk.conf read again: the admin PIN is unchanged reason=SIGHUP"])
        file.text = Self.conf(pin: Self.newPIN)
        file.signalled = true
        #expect(reloader.check(now: clock.now) == [Event.adminPINHash(Self.newPIN)], "a file rewritten with the same stamp, and a SIGHUP")
    }

    @Test("a kiosk.conf that no longer reads: logged with its problem, once; the PIN in use is kept until it reads again")
    func broken() {
        let file = FakeFile(Self.conf(pin: Self.oldPIN))
        let reloader = file.reloader(logger: log.logger)
        file.write(Self.conf(pin: Self.newPIN) + "\n[[[\n")
        for _ in 0..<12 {
            #expect(reloader.check(now: clock.now).isEmpty)
            clock.advance(0.25)
        }
        #expect(log.lines.count == 1, "\(log.lines)")
        #expect(log.lines.first?.hasPrefix("error kiosk.conf cannot be read again; the kiosk keeps the settings and admin PIN it has") == true)
        #expect(log.lines.first?.contains("kiosk.conf:9:") == true, "the problem, with its line: \(log.lines)")
        file.write(Self.conf(pin: "not a hash"))
        clock.advance(1)
        #expect(reloader.check(now: clock.now).isEmpty, "a PIN hash set-pin did not write is refused too")
        file.write(Self.conf(pin: Self.oldPIN))
        clock.advance(1)
        #expect(reloader.check(now: clock.now).isEmpty, "back as it was: nothing to change")
        #expect(log.lines.last == "info kiosk.conf read again: the admin PIN is unchanged reason=kiosk.conf changed")
    }

    @Test("the PIN removed; and other settings changed, which wait for the next start")
    func otherChanges() {
        let file = FakeFile(Self.conf(pin: Self.oldPIN))
        let reloader = file.reloader(logger: log.logger)
        file.write(Self.conf(pin: nil, school: "Hillside"))
        clock.advance(1)
        #expect(reloader.check(now: clock.now) == [Event.adminPINHash(nil)])
        #expect(log.lines.contains { $0.hasPrefix("notice kiosk.conf read again: it sets no admin PIN now") })
        #expect(log.lines.contains { $0.hasPrefix("notice kiosk.conf has other changes; the kiosk takes them at its next start") })
    }

    @Test("through the run loop, on a real file replaced as set-pin replaces it: the old PIN no longer leaves the kiosk, the new one does")
    func throughTheLoop() throws {
        let scratch = Scratch()
        let path = scratch.write("kiosk.conf", Self.conf(pin: Self.oldPIN))
        let stamp = ConfigReloader.Stamp.of(path)
        let config = try #require(ConfigParser.load(path: path).config)
        let reloader = ConfigReloader(config: config, stamp: stamp, logger: log.logger)
        let terminal = FakeTerminal(clock: clock)
        let book = try RecordBook.open(records: scratch.path + "/records", terminal: "reception-1", school: "Redhill", key: TerminalKey.generate())
        let saver = SessionSaver(book: book, recoveryFolder: scratch.path + "/recovery", logger: log.logger)
        let settings = KioskSettings(school: "Redhill", terminal: "reception-1", roles: config.roles, library: ContentLibrary(documents: []),
                                     idleTimeout: 120, idleWarning: 30, minClauseSeconds: 0, adminPinHash: config.adminPinHash)
        let loop = KioskLoop(settings: settings, terminal: terminal, saver: saver, logger: log.logger, reloader: reloader, now: { [clock] in clock.now })
        loop.turn()
        // As set-pin writes it: a new file put in place of the old.
        try Data(Self.conf(pin: Self.newPIN).utf8).write(to: URL(fileURLWithPath: path + ".new"))
        #expect(rename(path + ".new", path) == 0)
        let written = clock.now
        while loop.state.settings.adminPinHash != Self.newPIN && clock.now < written + 10 { loop.turn() }
        #expect(loop.state.settings.adminPinHash == Self.newPIN)
        #expect(clock.now.timeIntervalSince(written) <= ConfigReloader.checkInterval + 0.5)
        terminal.press(.function(10))
        terminal.type("1234")
        terminal.press(.enter)
        for _ in 0..<3 { loop.turn() }
        #expect(terminal.screen.contains("That PIN is not right."))
        terminal.type("5678")
        terminal.press(.enter)
        for _ in 0..<3 { loop.turn() }
        #expect(!loop.turn(), "the new PIN leaves the kiosk")
    }
}
