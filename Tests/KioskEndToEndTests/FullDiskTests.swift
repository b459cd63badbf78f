import Foundation
import KioskContent
import KioskTestSupport
import Testing

/// A small tmpfs for a kiosk's records, log and recovery folder: a disk
/// that really fills up. Needs root (the tests' CI runs as root), as
/// KioskStoreTests' SmallDisk does.
final class TinyDisk {
    let path: String
    private var mounted = false

    init(at path: String, bytes: Int) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(bytes),mode=0755") == 0 else {
            throw E2EError("cannot mount a tmpfs on \(path): \(String(cString: strerror(errno)))")
        }
        mounted = true
    }

    func unmount() {
        if mounted { umount2(path, Int32(MNT_DETACH)) }
        mounted = false
    }

    deinit { unmount() }

    /// Appends to `file` until the disk refuses a byte more.
    @discardableResult
    func fill(_ file: String, with text: String = String(repeating: "x", count: 4095) + "\n") -> Int {
        let fd = open(file, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var written = 0
        let bytes = Array(text.utf8)
        while true {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            written += n
        }
        // The last page of the file takes what it can, a byte at a time.
        while (bytes.withUnsafeBytes { write(fd, $0.baseAddress, 1) }) == 1 { written += 1 }
        return written
    }

    /// Fills the disk: a big file, then the rest of the page the kiosk's
    /// log is on, so its next line finds no room either.
    @discardableResult
    func fillUp(log: String) -> String {
        let filler = path + "/old-export.csv"
        fill(filler)
        fill(log, with: "# padding written by the full-disk test\n")
        return filler
    }

    static let available: Bool = {
        guard getuid() == 0 else { return false }
        let scratch = Scratch()
        guard let disk = try? TinyDisk(at: scratch.path + "/probe", bytes: 65536) else { return false }
        disk.unmount()
        return true
    }()
}

extension KioskSessionTests {
    @Test("records, log and recovery on one small disk that fills: the kiosk lives, tells the visitor the truth, saves the session once space is freed, and starts again on the full disk",
          .enabled(if: TinyDisk.available, "needs root and permission to mount a tmpfs"))
    func fullDisk() throws {
        let folder = try KioskSessionTests.kioskFolder()
        let conf = try String(contentsOfFile: folder.path + "/kiosk.conf", encoding: .utf8)
            .replacingOccurrences(of: "records = \"records\"", with: "records = \"disk/records\"")
            .replacingOccurrences(of: "log = \"kiosk.log\"", with: "log = \"disk/kiosk.log\"")
            .replacingOccurrences(of: "recovery = \"recovery\"", with: "recovery = \"disk/recovery\"")
        folder.write("kiosk.conf", conf)
        let disk = try TinyDisk(at: folder.path + "/disk", bytes: 300 * 1024)
        defer { disk.unmount() }
        let log = disk.path + "/kiosk.log"
        let recovery = disk.path + "/recovery"
        func recoveryFiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: recovery)) ?? []).filter { $0.hasSuffix(".session.json") }
        }

        var kiosk: TmuxKiosk? = try TmuxKiosk(directory: folder.path)
        try kiosk!.waitFor("Press Enter to begin")
        let filler = disk.fillUp(log: log)
        try KioskSessionTests.visitorDetails(kiosk!, name: "Zoë Ångström 李小龍")
        try KioskSessionTests.readAndAgree(kiosk!, clauses: 5)
        try kiosk!.waitFor("Sign: Zoë Ångström 李小龍")
        kiosk!.type("Zoë Ångström 李小龍")
        kiosk!.keys("Enter")

        // Neither the record nor a recovery file fits: the session is in
        // memory only, and the visitor is told so, not "nothing is lost".
        var screen = try kiosk!.waitFor("could not be saved")
        let says = screen.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(says.contains("Please tell the school office now"), "\(screen)")
        #expect(says.contains("if it is switched off first, your agreement is lost."), "\(screen)")
        #expect(!says.contains("Nothing is lost"), "\(screen)")
        #expect(says.contains("The disk is full"), "\(screen)")
        #expect(recoveryFiles().isEmpty)
        // A retry or two on the full disk (each logs nothing it can write).
        usleep(6_000_000)
        screen = kiosk!.screen()
        #expect(!screen.contains("KIOSK-EXITED"), "the kiosk died: \(screen)")
        #expect(screen.contains("could not be saved"), "\(screen)")

        // Space is freed: the next retry saves it, and the log says what it lost.
        unlink(filler)
        screen = try kiosk!.waitFor("Reference: 1 ·", timeout: 15)
        #expect(screen.contains("Thank you, Zoë Ångström 李小龍."))
        kiosk!.keys("Enter")
        try kiosk!.waitFor("Press Enter to begin")
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("log lines were lost while the log could not be written (No space left on device)"), "\(text.suffix(2000))")
        #expect(text.contains("record saved"))
        let verify = run(kioskBinary, ["verify", "--config", folder.path + "/kiosk.conf"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("1 record, 1 intact, no problems"), "\(verify.output)")

        // Full again: leave with the PIN, and start again on the full disk.
        disk.fillUp(log: log)
        kiosk!.keys("F10")
        try kiosk!.waitFor("Admin PIN:")
        kiosk!.type(Lint.shippedPIN)
        kiosk!.keys("Enter")
        try kiosk!.waitFor("KIOSK-EXITED-0")
        kiosk = nil
        let again = try TmuxKiosk(directory: folder.path)
        try again.waitFor("Press Enter to begin")
        usleep(1_000_000)
        #expect(!again.screen().contains("KIOSK-EXITED"), "\(again.screen())")
        again.keys("F10")
        screen = try again.waitFor("Record book: 1 ·")
        #expect(screen.contains("Clock: "))
    }
}
