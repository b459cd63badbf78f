import Foundation
import KioskTestSupport
import Logging
import Testing
@testable import kiosk

/// The kiosk's log never stops it: a full or failing disk drops lines
/// (counted, and said once the log can be written again), and a log that
/// cannot be opened at start is opened later.
@Suite("Log file")
struct LogFileTests {
    /// write(2) that fails with `errno` while `failing`, or writes at most
    /// `partial` bytes of the next call and then fails.
    final class FaultyWrites: @unchecked Sendable {
        private let lock = NSLock()
        private var failing: Int32?
        private var partial: Int?
        private var openFails: Int32?

        func fail(with code: Int32?, after partial: Int? = nil) {
            lock.withLock {
                failing = code
                self.partial = partial
            }
        }

        func failOpen(with code: Int32?) { lock.withLock { openFails = code } }

        var calls: FileLogHandler.Calls {
            FileLogHandler.Calls(
                open: { [self] path in
                    if let code = lock.withLock({ openFails }) { errno = code; return -1 }
                    return FileLogHandler.Calls.posix.open(path)
                },
                write: { [self] fd, buffer, count in
                    let (code, part) = lock.withLock { (failing, partial) }
                    if let part {
                        lock.withLock { partial = nil }
                        return Glibc.write(fd, buffer, min(part, count))
                    }
                    if let code { errno = code; return -1 }
                    return Glibc.write(fd, buffer, count)
                })
        }
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("a log on a device that is always full (/dev/full): every line is dropped and counted, nothing traps")
    func devFull() {
        let sink = FileLogHandler.Sink(path: "/dev/full")
        #expect(sink.isOpen)
        var logger = Logger(label: "kiosk") { FileLogHandler(label: $0, sink: sink) }
        logger.logLevel = .info
        for i in 0..<50 { logger.error("line \(i)") }
        #expect(sink.lostLines == 50)
        #expect(sink.problem == String(cString: strerror(ENOSPC)))
    }

    @Test("the disk fills mid-line: the torn line is ended, lines are dropped while it is full, and one line says how many were lost")
    func fillsAndFrees() throws {
        let scratch = Scratch()
        let path = scratch.path + "/logs/kiosk.log"
        let writes = FaultyWrites()
        let sink = FileLogHandler.Sink(path: path, calls: writes.calls)
        let logger = Logger(label: "kiosk") { FileLogHandler(label: $0, sink: sink) }
        logger.info("first")
        writes.fail(with: ENOSPC, after: 30)
        logger.info("cut short by the full disk")
        logger.info("dropped 1")
        logger.info("dropped 2")
        #expect(sink.lostLines == 3)
        writes.fail(with: nil)
        logger.info("after")
        #expect(sink.lostLines == 0)
        let text = try lines(path)
        #expect(text.count == 5, "\(text)")
        #expect(text[0].hasSuffix(" info kiosk: first"))
        #expect(!text[1].hasSuffix("cut short by the full disk"), "the torn line is ended where the disk filled: \(text[1])")
        #expect(text[2].hasSuffix(" warning kiosk.log: 3 log lines were lost while the log could not be written (No space left on device)"), "\(text[2])")
        #expect(text[3].hasSuffix(" info kiosk: after"))
        #expect(text[4] == "")
    }

    @Test("a log that cannot be opened at start does not stop anything; once it can be, it is opened and says what was lost")
    func opensLater() throws {
        let scratch = Scratch()
        let path = scratch.path + "/kiosk.log"
        let writes = FaultyWrites()
        writes.failOpen(with: ENOSPC)
        let sink = FileLogHandler.Sink(path: path, calls: writes.calls)
        #expect(!sink.isOpen)
        #expect(sink.problem == String(cString: strerror(ENOSPC)))
        let logger = Logger(label: "kiosk") { FileLogHandler(label: $0, sink: sink) }
        logger.notice("kiosk starting")
        #expect(sink.lostLines == 1)
        writes.failOpen(with: nil)
        logger.notice("record saved")
        #expect(sink.isOpen)
        let text = try lines(path)
        #expect(text.count == 3, "\(text)")
        #expect(text[0].contains("1 log line was lost"))
        #expect(text[1].hasSuffix("notice kiosk: record saved"))
    }
}
