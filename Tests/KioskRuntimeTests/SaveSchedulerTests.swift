import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import KioskUI
import Logging
import Testing
@testable import KioskRuntime

/// The kiosk loop's saving, with a fake clock and a disk that fails where
/// a test says: retries, the record book's head, and what is logged.
@Suite("Save scheduler")
struct SaveSchedulerTests {
    /// File system calls whose renames onto head.json (or its signature) fail while `headFails`.
    final class HeadFault: @unchecked Sendable {
        private let lock = NSLock()
        private var failing = false
        var headFails: Bool {
            get { lock.withLock { failing } }
            set { lock.withLock { failing = newValue } }
        }

        var calls: FileSystemCalls {
            FileSystemCalls(
                open: FileSystemCalls.posix.open, write: FileSystemCalls.posix.write, fsync: FileSystemCalls.posix.fsync,
                rename: { [self] from, to in
                    if headFails && (to.hasSuffix("/head.json") || to.hasSuffix("/head.json.minisig")) { errno = ENOSPC; return -1 }
                    return FileSystemCalls.posix.rename(from, to)
                })
        }
    }

    /// Log lines, kept for the test.
    final class LogLines: @unchecked Sendable {
        private let lock = NSLock()
        private var kept: [String] = []
        func append(_ line: String) { lock.withLock { kept.append(line) } }
        var lines: [String] { lock.withLock { kept } }
    }

    struct Capture: LogHandler {
        let lines: LogLines
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { lines.append("\(event.level) \(event.message)") }
    }

    static let document = DocumentParser.parse("+++\nid = \"code\"\ntitle = \"Code\"\nversion = 1\ndeclaration = \"I agree.\"\n+++\n## Rules\n\n- [ ] I will be kind.\n", path: "code.md").document!
    static let role = Role(id: "visitor", label: "Visitor", documents: ["code"], questions: [], nextSteps: nil)

    static func session(_ name: String) -> CompletedSession {
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        return CompletedSession(
            id: UUID().uuidString.lowercased(), role: role, name: name, answers: [],
            readings: [.init(document: document, sectionsSeenAt: [start + 10])],
            acknowledgements: document.clauses.map { .init(documentID: document.id, clause: $0, acknowledgedAt: start + 20) },
            consent: CompletedSession.consentStatement, typedSignature: name, startedAt: start, completedAt: start + 30)
    }

    let scratch = Scratch()
    let fault = HeadFault()
    let log = LogLines()
    let scheduler: SaveScheduler
    let book: RecordBook

    init() throws {
        book = try RecordBook.open(records: scratch.path + "/records", terminal: "reception-1", school: "Redhill",
                                   key: TerminalKey.generate(), calls: fault.calls)
        let logger = Logger(label: "kiosk") { [log] _ in Capture(lines: log) }
        scheduler = SaveScheduler(saver: SessionSaver(book: book, recoveryFolder: scratch.path + "/recovery", logger: logger), logger: logger)
    }

    var head: String { (try? String(contentsOfFile: book.layout.head, encoding: .utf8)) ?? "" }

    @Test("a save whose head update fails: the head is retried on the tick until it is written; logged once when behind, once when caught up")
    func headRetried() throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        _ = scheduler.start(now: t0)
        fault.headFails = true
        let events = scheduler.submit(Self.session("Zoë Ångström"), now: t0)
        #expect(events.contains { if case .saved = $0 { true } else { false } }, "the record itself is saved")
        #expect(book.headIsBehind)
        #expect(!head.contains("\"seq\": 1,"))
        #expect(log.lines.filter { $0.contains("head.json is behind") }.count == 1, "\(log.lines)")

        for second in stride(from: 1, through: 30, by: 1) { _ = scheduler.tick(now: t0 + Double(second)) }
        #expect(book.headIsBehind, "still failing")
        #expect(log.lines.filter { $0.contains("head.json is behind") }.count == 1, "a head that stays behind is logged once: \(log.lines)")

        fault.headFails = false
        _ = scheduler.tick(now: t0 + 31)
        _ = scheduler.tick(now: t0 + 36)
        #expect(!book.headIsBehind, "the head caught up within a retry interval")
        #expect(head.contains("\"seq\": 1,"), "head.json names the record saved: \(head)")
        #expect(log.lines.filter { $0.contains("head.json has caught up") }.count == 1, "\(log.lines)")
        for second in 37...60 { _ = scheduler.tick(now: t0 + Double(second)) }
        #expect(log.lines.filter { $0.contains("head.json") }.count == 2, "\(log.lines)")
    }

    @Test("the record book's last record is reported at start and after each save")
    func bookHead() throws {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(scheduler.start(now: t0).contains(.recordBook(BookHead(seq: 0, reference: SignedRecord.reference(sha256: book.lastHash)))))
        let events = scheduler.submit(Self.session("Sam"), now: t0)
        #expect(book.lastSeq == 1)
        #expect(events.contains(.recordBook(BookHead(seq: 1, reference: SignedRecord.reference(sha256: book.lastHash)))))
    }
}
