import ArgumentParser
import Foundation
import KioskContent
import KioskRuntime
import KioskStore
import KioskUI
import Logging

/// Time at the desk: for each way through the kiosk, how many keys a person
/// presses and how many seconds the kiosk itself makes them wait (clause
/// dwell times), on the shipped content and kiosk.conf. Asked of the
/// kiosk's own reducer with a clock that moves only when the kiosk refuses
/// a key: the fastest a person could possibly go, "Enter as soon as each
/// button wakes". Saves, sign-outs and lookups are done for real (a record
/// book in a scratch folder, the kiosk's own lookups with their slow pass
/// code hashes), and their time is added as the kiosk's own work.
struct DeskBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk", abstract: "Keystrokes and enforced seconds per way through the kiosk, on the shipped content.")

    @OptionGroup var place: BenchOptions
    var root: String { place.root }
    var dir: String { place.dir }

    /// Main before this round (5ec9360, 2026-11-25), by this same robot: a
    /// new visitor agreed to all 20 clauses of the ICT code, 60 s enforced
    /// (the 74 s adds a person's time to press), 31 keys.
    static let before = (visitorSeconds: 60.0, visitorClauses: 20, visitorKeys: 31)

    func run() throws {
        let lint = Lint.check(configPath: root + "/kiosk.conf", checkPIN: false)
        guard let config = lint.config, let library = lint.library else {
            throw BenchError("cannot read the shipped content: \(lint.errors.map(\.description).joined(separator: "\n"))")
        }
        let work = dir + "/kiosk-desk-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        let book = try RecordBook.open(records: work + "/records", terminal: "reception-1", school: config.school, key: TerminalKey.generate(),
                                       logger: quietLogger)
        // One clock for the book and every robot: it moves only when the kiosk makes someone wait.
        let clock = BenchClock()
        book.clock = { clock.now }
        let desk = VisitDesk(book: book, logger: quietLogger)
        desk.roles = config.roles
        var table = Table()
        func seconds(_ r: DeskRobot.Result) -> String {
            String(format: "%.0f s + %.2f s kiosk, %d keys (+%d typed)", r.enforced, r.work, r.keys, r.typed)
        }
        var visitorCode = ""
        for role in config.roles {
            var robot = DeskRobot(config: config, library: library, book: book, desk: desk, clock: clock)
            let result = try robot.newSession(role: role, name: role.id == "visitor" ? "Ann Lee" : "Sam Lee")
            let isVisitor = role.id == "visitor"
            if isVisitor { visitorCode = result.passCode ?? "" }
            table.add("first time, \(role.label): \(result.clauses) clauses", ours: seconds(result),
                      reference: isVisitor ? String(format: "%.0f s, %d keys, %d clauses: main before", Self.before.visitorSeconds, Self.before.visitorKeys, Self.before.visitorClauses) : "-",
                      ratio: isVisitor ? result.enforced / Self.before.visitorSeconds : nil,
                      goal: isVisitor ? "<= 0.33" : "-")
        }
        var returning = DeskRobot(config: config, library: library, book: book, desk: desk, clock: clock)
        let back = try returning.returning(code: visitorCode, name: "Ann Lee")
        table.add("returning visitor, nothing changed (after code and name)", ours: seconds(back), reference: "-", ratio: nil,
                  goal: "< 15 s, < 15 keys")
        var leaving = DeskRobot(config: config, library: library, book: book, desk: desk, clock: clock)
        let out = try leaving.signOut(code: back.passCode ?? visitorCode)
        table.add("sign-out with the pass code", ours: seconds(out), reference: "-", ratio: nil, goal: "< 5 s")
        table.print()
    }
}

/// Drives the reducer as the quickest possible person would; the effects
/// (saves, lookups) are carried out for real.
struct DeskRobot {
    struct Result {
        /// Seconds the kiosk refused to go on (dwell times).
        var enforced: TimeInterval = 0
        /// Seconds of the kiosk's own work (saving, lookups), measured.
        var work: TimeInterval = 0
        /// Keys pressed that the kiosk took, not counting typed text.
        var keys = 0
        /// Characters typed (name, answers, signature, codes).
        var typed = 0
        var clauses = 0
        /// The pass code the done screen gave.
        var passCode: String?
    }

    var state: KioskState
    var result = Result()
    let book: RecordBook
    let desk: VisitDesk
    let clock: BenchClock
    var now: Date {
        get { clock.now }
        nonmutating set { clock.now = newValue }
    }

    init(config: KioskConfig, library: ContentLibrary, book: RecordBook, desk: VisitDesk, clock: BenchClock) {
        state = KioskState(settings: KioskSettings(config: config, library: library), size: Size(width: 80, height: 24), now: clock.now)
        self.book = book
        self.desk = desk
        self.clock = clock
    }

    /// Presses `key`; when the kiosk refuses it (a bell, nothing changed),
    /// waits a tenth of a second and presses again, up to a minute.
    mutating func press(_ key: Key) throws {
        for _ in 0..<600 {
            var next = state
            let effects = Kiosk.update(&next, .key(key), now: now)
            if !effects.contains(.bell) && next.visit != state.visit {
                state = next
                result.keys += 1
                try carryOut(effects)
                return
            }
            now += 0.1
            result.enforced += 0.1
            _ = Kiosk.update(&state, .tick, now: now)
        }
        throw BenchError("the kiosk refused \(key) for a minute on \(state.phase)")
    }

    mutating func type(_ text: String) throws {
        for c in text {
            let effects = Kiosk.update(&state, .key(.character(c)), now: now)
            result.typed += 1
            try carryOut(effects)
        }
    }

    /// What the run loop would do with the effects, timed.
    mutating func carryOut(_ effects: [Effect]) throws {
        for effect in effects {
            let start = DispatchTime.now().uptimeNanoseconds
            let event: Event
            switch effect {
            case .commit(var session):
                let code = PassCode.generate()
                session.passCodeHash = PassCode.hash(code)
                let receipt = try book.commit(session)
                desk.issued(code, seq: receipt.seq, at: now)
                result.passCode = code
                event = .saved(sessionID: session.id, SaveReceipt(seq: receipt.seq, reference: receipt.reference, passCode: code))
            case .desk(let request):
                event = .desk(desk.carryOut(request, now: now))
            default:
                continue
            }
            result.work += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let more = Kiosk.update(&state, event, now: now)
            try carryOut(more)
        }
    }

    /// Goes on from wherever the person is to the end: details, sections
    /// and clauses, signature.
    mutating func finish(name: String) throws -> Result {
        for _ in 0..<1000 {
            switch state.phase {
            case .details(let field, _, _):
                let editor = field == 0 ? state.draft!.name : state.draft!.answers[field - 1]
                if editor.text.isEmpty { try type(field == 0 ? name : "Acme Ltd") }
                try press(.enter)
            case .signing:
                if state.draft!.signature.text.isEmpty { try type(name) }
                try press(.enter)
            case .done, .saving, .welcome:
                return result
            default:
                try press(.enter)
            }
        }
        throw BenchError("no end after 1000 keys, on \(state.phase)")
    }

    /// Welcome, role, details, every section and clause, signature.
    mutating func newSession(role: Role, name: String) throws -> Result {
        guard let index = state.settings.roles.firstIndex(where: { $0.id == role.id }) else { throw BenchError("no role \(role.id)") }
        try press(.enter)
        try press(.character(Character(String(index + 1))))
        result.clauses = state.draft?.clauses.count ?? 0
        return try finish(name: name)
    }

    /// "Signed here before": R, the code and the name typed (not counted),
    /// then what the kiosk asks.
    mutating func returning(code: String, name: String) throws -> Result {
        _ = Kiosk.update(&state, .key(.character("r")), now: now)
        for c in code { _ = Kiosk.update(&state, .key(.character(c)), now: now) }
        _ = Kiosk.update(&state, .key(.enter), now: now)
        try type(name)
        result.typed = 0
        try press(.enter)
        guard state.draft?.previous != nil else { throw BenchError("the returning visitor was not found: \(state.phase)") }
        result.clauses = state.draft?.clauses.count ?? 0
        return try finish(name: name)
    }

    /// S, the pass code, Enter.
    mutating func signOut(code: String) throws -> Result {
        try press(.character("s"))
        try type(code)
        try press(.enter)
        guard case .desk = state.phase, state.draft == nil else { throw BenchError("not signed out: \(state.phase)") }
        return result
    }
}

/// The bench's time: now at the start, moved on only by waits the kiosk imposes.
final class BenchClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Date()
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
