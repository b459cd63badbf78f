import ArgumentParser
import Foundation
import KioskContent
import KioskUI

/// Time at the desk: for each way through the kiosk, how many keys a person
/// presses and how many seconds the kiosk itself makes them wait (clause
/// dwell times), on the shipped content and kiosk.conf. Asked of the
/// kiosk's own reducer with a clock that moves only when the kiosk refuses
/// a key: the fastest a person could possibly go, as "Enter as soon as each
/// button wakes". Reading at a normal pace takes longer; this is the floor
/// the kiosk sets.
struct DeskBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk", abstract: "Keystrokes and enforced seconds per way through the kiosk, on the shipped content.")

    @OptionGroup var place: BenchOptions
    var root: String { place.root }

    /// Main before this round (5ec9360, 2026-11-25), by this same robot: a
    /// new visitor agreed to all 20 clauses of the ICT code, 60 s enforced
    /// (the 74 s adds a person's time to press), 31 keys.
    static let before = (visitorSeconds: 60.0, visitorClauses: 20, visitorKeys: 31)

    func run() throws {
        let lint = Lint.check(configPath: root + "/kiosk.conf", checkPIN: false)
        guard let config = lint.config, let library = lint.library else {
            throw BenchError("cannot read the shipped content: \(lint.errors.map(\.description).joined(separator: "\n"))")
        }
        var table = Table()
        for role in config.roles {
            var robot = DeskRobot(config: config, library: library)
            let result = try robot.newSession(role: role)
            let isVisitor = role.id == "visitor"
            table.add("first time, \(role.label): \(result.clauses) clauses",
                      ours: String(format: "%.0f s, %d keys (+%d typed)", result.enforced, result.keys, result.typed),
                      reference: isVisitor ? String(format: "%.0f s, %d keys, %d clauses: main before", Self.before.visitorSeconds, Self.before.visitorKeys, Self.before.visitorClauses) : "-",
                      ratio: isVisitor ? result.enforced / Self.before.visitorSeconds : nil,
                      goal: isVisitor ? "<= 0.33" : "-")
        }
        table.print()
    }
}

/// Drives the reducer as the quickest possible person would.
struct DeskRobot {
    struct Result {
        /// Seconds the kiosk refused to go on (dwell times).
        var enforced: TimeInterval = 0
        /// Keys pressed that the kiosk took, not counting typed text.
        var keys = 0
        /// Characters typed (name, answers, signature).
        var typed = 0
        var clauses = 0
    }

    var state: KioskState
    var now = Date(timeIntervalSinceReferenceDate: 820_000_000)
    var result = Result()

    init(config: KioskConfig, library: ContentLibrary) {
        state = KioskState(settings: KioskSettings(config: config, library: library), size: Size(width: 80, height: 24), now: now)
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
            _ = Kiosk.update(&state, .key(.character(c)), now: now)
            result.typed += 1
        }
    }

    /// Welcome, role, details, every section and clause, signature.
    mutating func newSession(role: Role, name: String = "Sam Lee") throws -> Result {
        guard let index = state.settings.roles.firstIndex(where: { $0.id == role.id }) else { throw BenchError("no role \(role.id)") }
        try press(.enter)
        try press(.character(Character(String(index + 1))))
        result.clauses = state.draft?.clauses.count ?? 0
        for step in 0..<1000 {
            switch state.phase {
            case .details(let field, _, _):
                let editor = field == 0 ? state.draft!.name : state.draft!.answers[field - 1]
                if editor.text.isEmpty { try type(field == 0 ? name : "Acme Ltd") }
                try press(.enter)
            case .signing:
                if state.draft!.signature.text.isEmpty { try type(name) }
                try press(.enter)
            case .saving:
                return result
            default:
                try press(.enter)
            }
            if step == 999 { throw BenchError("no end after 1000 keys, on \(state.phase)") }
        }
        return result
    }
}
