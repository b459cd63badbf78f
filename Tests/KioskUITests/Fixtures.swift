import Foundation
import KioskContent
@testable import KioskUI

/// A small library: a reading-only policy with one long section, and a
/// code with three clauses and a declaration.
let policyText = """
    +++
    id = "policy"
    title = "Social Media Policy"
    version = 1
    +++
    ## Purpose

    \((1...30).map { "Line \($0) of a long purpose section that the person must scroll through to the end." }.joined(separator: "\n\n"))

    ## Scope

    Short.
    """

let codeText = """
    +++
    id = "code"
    title = "ICT Code of Conduct"
    short_title = "ICT Code"
    version = 2
    declaration = "I agree to follow this Code of Conduct."
    +++
    ## Rules

    - [ ] I will **never** share my password.
    - [ ] I will respect copyright.
    - [ ] I will keep personal data secure.
    """

func document(_ text: String) -> PolicyDocument {
    DocumentParser.parse(text, path: "test.md").document!
}

let staff = Role(id: "staff", label: "New staff", documents: ["policy", "code"], questions: [], nextSteps: nil)
let visitor = Role(id: "visitor", label: "Visitor", documents: ["code"],
                   questions: [Question(id: "organisation", label: "Organisation"), Question(id: "phone", label: "Phone", required: false)],
                   nextSteps: "Please wait at reception.")

let settings = KioskSettings(
    school: "Redhill Primary School", terminal: "reception-1", roles: [staff, visitor],
    library: ContentLibrary(documents: [document(policyText), document(codeText)]),
    idleTimeout: 120, idleWarning: 30, minClauseSeconds: 3,
    adminPinHash: AdminPIN.hash("2468", iterations: 10))

let t0 = Date(timeIntervalSince1970: 1_790_000_000)

/// Drives the reducer with a fake clock: time moves only when a test says.
struct Driver {
    var state: KioskState
    var now = t0
    var effects: [Effect] = []

    init(size: Size = Size(width: 80, height: 24), settings: KioskSettings = settings) {
        let counter = Counter()
        state = KioskState(settings: settings, size: size, now: t0, makeID: { "session-\(counter.next())" })
    }

    mutating func send(_ event: Event) {
        effects = Kiosk.update(&state, event, now: now)
    }

    mutating func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    mutating func type(_ text: String) {
        for c in text { send(.key(.character(c))) }
    }

    mutating func wait(_ seconds: TimeInterval) {
        now += seconds
        send(.tick)
    }

    var screen: String { Kiosk.render(state).text }

    /// What Enter does on the reading page on screen, if one is.
    var readingEnter: ReadingView.Enter? {
        guard case .reading(let d, let s, let scroll) = state.phase, let draft = state.draft else { return nil }
        return ReadingView(state, draft, document: d, section: s, scroll: scroll).enter
    }

    /// Presses Enter until the phase is no longer reading: every section
    /// read to its end, every clause agreed where it stands, each after
    /// waiting the minimum time.
    mutating func readEverything() {
        var guardCount = 0
        while case .reading = state.phase, guardCount < 500 {
            if case .agree = readingEnter { wait(settings.minClauseSeconds) }
            press(.enter)
            guardCount += 1
        }
    }

    /// From the welcome screen to the first reading page as a visitor.
    mutating func visitorToReading(name: String = "Sam") {
        press(.enter)
        type("2")
        type(name)
        press(.enter)
        type("Acme")
        press(.enter, .enter)
    }

    /// From the welcome screen to the signing screen as a visitor.
    mutating func visitorToSigning(name: String = "Zoë Ångström") {
        visitorToReading(name: name)
        readEverything()
    }

    /// Signs as a visitor, and the store refuses the session with `message`.
    mutating func signAndFailToSave(_ message: String, inRecoveryFile: Bool = true) {
        visitorToSigning()
        type("Zoë Ångström")
        press(.enter)
        send(.saveFailed(sessionID: "session-1", SaveFailure(message: message, inRecoveryFile: inRecoveryFile)))
    }
}

/// Predictable session ids.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
