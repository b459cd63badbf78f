import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import KioskUI
@testable import KioskRuntime
import Logging

/// Time that moves only when a test (or the fake terminal's wait) says.
final class FakeClock: @unchecked Sendable {
    private let lock = NSLock()
    private var time: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_790_000_000)) { time = start }

    var now: Date { lock.withLock { time } }

    func advance(_ seconds: TimeInterval) { lock.withLock { time += seconds } }
}

/// A terminal in memory: records every frame and bell, plays the events a
/// test queued, and when none is left, lets the clock run on by the timeout
/// the loop asked to wait.
final class FakeTerminal: TerminalPort, @unchecked Sendable {
    var size: Size
    private(set) var frames: [Screen] = []
    private(set) var bells = 0
    var input: [Event] = []
    let clock: FakeClock

    init(size: Size = Size(width: 80, height: 24), clock: FakeClock) {
        self.size = size
        self.clock = clock
    }

    /// The text of the frame last drawn.
    var screen: String { frames.last?.text ?? "" }

    func draw(_ frame: Screen) { frames.append(frame) }

    func read(timeout milliseconds: Int32) -> Event? {
        if !input.isEmpty { return input.removeFirst() }
        clock.advance(Double(milliseconds) / 1000)
        return nil
    }

    func bell() { bells += 1 }

    func press(_ keys: Key...) { input += keys.map(Event.key) }

    func type(_ text: String) { input += text.map { .key(.character($0)) } }
}

/// Log lines, kept for the test.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [String] = []
    func append(_ line: String) { lock.withLock { kept.append(line) } }
    var lines: [String] { lock.withLock { kept } }

    var logger: Logger {
        Logger(label: "kiosk") { [self] _ in LogCapture(lines: self) }
    }
}

struct LogCapture: LogHandler {
    let lines: LogLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let extra = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        lines.append("\(event.level) \(event.message)\(extra)")
    }
}

/// A record book in a scratch folder and the kiosk's desk on it, with
/// visits saved as the desk tests need them (quick pass-code hashes).
struct DeskBook {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)
    let scratch = Scratch()
    let log = LogLines()
    let book: RecordBook
    let desk: VisitDesk

    init() throws {
        book = try RecordBook.open(records: scratch.path + "/records", terminal: "reception-1", school: "Redhill", key: TerminalKey.generate())
        desk = VisitDesk(book: book, logger: log.logger)
    }

    /// Saves a visit of `name` with `code` as its pass code, finished at `time`.
    @discardableResult
    func visit(_ name: String, code: String?, at time: Date = start, previous: RecordLink? = nil, clauses: [Clause]? = nil,
               into store: RecordBook? = nil, iterations: Int = 1_000) throws -> RecordBook.Receipt {
        var session = SaveSchedulerTests.session(name)
        session.completedAt = time
        session.startedAt = time - 30
        if let clauses { session.acknowledgements = clauses.map { .init(documentID: "code", clause: $0, acknowledgedAt: time - 5) } }
        session.passCodeHash = code.map { PassCode.hash($0, iterations: iterations) }
        session.previous = previous
        return try (store ?? book).commit(session)
    }
}
