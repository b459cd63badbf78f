import Foundation
import KioskContent
import KioskTestSupport
import Testing

/// `kiosk set-pin` beside a running kiosk, in tmux: the kiosk takes the
/// new PIN without a restart, reads kiosk.conf again on a SIGHUP, keeps
/// its PIN when kiosk.conf is broken, and still ends when its terminal
/// hangs up.
@Suite("A new PIN reaches a running kiosk", .serialized)
struct PinReloadTests {
    /// Waits until the log holds a line containing `text`; the log.
    @discardableResult
    static func waitForLog(_ path: String, _ text: String, timeout: TimeInterval = 5) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var log = ""
        while Date() < deadline {
            log = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if log.contains(text) { return log }
            usleep(50_000)
        }
        throw E2EError("the log never said \"\(text)\":\n\(log)")
    }

    @Test("set-pin while the kiosk runs: the new PIN is in use within seconds, the old one is refused; SIGHUP reads kiosk.conf again; a broken kiosk.conf is logged and the PIN kept")
    func setPin() throws {
        let folder = try KioskSessionTests.kioskFolder()
        let kiosk = try TmuxKiosk(directory: folder.path)
        try kiosk.waitFor("Press Enter to begin")
        let conf = folder.path + "/kiosk.conf"
        let log = folder.path + "/kiosk.log"

        let set = run(kioskBinary, ["set-pin", "--config", conf], input: "5827\n5827\n")
        #expect(set.status == 0, "\(set.output)")
        // The kiosk looks once a second (the unit tests hold it to that on a fake clock).
        try Self.waitForLog(log, "kiosk.conf read again: the new admin PIN is in use reason=kiosk.conf changed")

        let lock = try String(contentsOfFile: folder.path + "/records/reception-1/.lock", encoding: .utf8)
        let pid = try #require(Int32(lock.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGHUP) == 0)
        try Self.waitForLog(log, "kiosk.conf read again: the admin PIN is unchanged reason=SIGHUP")
        #expect(kiosk.screen().contains("Press Enter to begin"), "a SIGHUP does not end the kiosk")

        let handle = try #require(FileHandle(forWritingAtPath: conf))
        handle.seekToEndOfFile()
        handle.write(Data("\n[[[\n".utf8))
        handle.closeFile()
        try Self.waitForLog(log, "kiosk.conf cannot be read again; the kiosk keeps the settings and admin PIN it has")

        kiosk.keys("F10")
        try kiosk.waitFor("Admin PIN:")
        kiosk.type(Lint.shippedPIN)
        kiosk.keys("Enter")
        try kiosk.waitFor("That PIN is not right.")
        kiosk.type("5827")
        kiosk.keys("Enter")
        try kiosk.waitFor("KIOSK-EXITED-0")
    }

    @Test("the terminal hanging up still ends the kiosk (the kernel's SIGHUP is not a reload)")
    func hangup() throws {
        let folder = try KioskSessionTests.kioskFolder()
        var kiosk: TmuxKiosk? = try TmuxKiosk(directory: folder.path)
        try kiosk!.waitFor("Press Enter to begin")
        let lock = try String(contentsOfFile: folder.path + "/records/reception-1/.lock", encoding: .utf8)
        let pid = try #require(Int32(lock.trimmingCharacters(in: .whitespacesAndNewlines)))
        kiosk = nil
        let deadline = Date().addingTimeInterval(5)
        while kill(pid, 0) == 0 && Date() < deadline { usleep(50_000) }
        #expect(kill(pid, 0) != 0, "the kiosk is still running after its terminal went away")
    }
}
