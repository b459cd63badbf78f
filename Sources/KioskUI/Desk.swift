import Foundation
import KioskContent

/// The screens for people who have been here before: signing out with the
/// pass code (or the reference) from their last screen, and "I have signed
/// here before" (pass code and name), which asks only the visit questions
/// and the clauses new or changed since their earlier agreement.
///
/// Looking a code up reads the record book, so it is an effect the run
/// loop carries out (`DeskRequest`), answered with `DeskResult`. A lookup
/// that finds nothing says one neutral thing (never which part was wrong),
/// and after three in a row each makes the next wait longer (`AdminGuard`).
public enum DeskScreen: Equatable, Sendable {
    /// Typing the pass code or the reference.
    case signOut(entry: LineEditor, message: String?)
    /// Typing the pass code (field 0) and the full name (field 1).
    case returning(field: Int, code: LineEditor, name: LineEditor, message: String?)
    /// Waiting for the run loop's answer: for a returning person (with the
    /// name they typed, for the session it may start) or for a sign-out.
    case lookingUp(name: String?)
    /// "Signed out. Goodbye." until `shownAt` + a few seconds.
    case signedOut(at: Date, shownAt: Date)
    /// Staff only (after the admin PIN): who signed in today and has not
    /// signed out; nil while the book is read.
    case onSite(OnSiteToday?, scroll: Int)
}

/// Today's list of people not signed out, as the admin screen shows it
/// (the same list as `kiosk onsite`, from this terminal's book).
public struct OnSiteToday: Equatable, Sendable {
    public struct Person: Equatable, Sendable {
        public var time: String
        public var name: String
        public var roleLabel: String
        public var answers: String
        /// Empty, or "not signed out (closed at 18:00)".
        public var status: String

        public init(time: String, name: String, roleLabel: String, answers: String, status: String) {
            self.time = time
            self.name = name
            self.roleLabel = roleLabel
            self.answers = answers
            self.status = status
        }
    }

    public var people: [Person]
    /// "Wednesday 25 November 2026, Europe/London"
    public var day: String

    public init(people: [Person], day: String) {
        self.people = people
        self.day = day
    }
}

/// What the reducer asks the run loop to look up.
public enum DeskRequest: Equatable, Sendable {
    /// Sign out the person whose pass code or reference this is (today's
    /// visits not yet signed out).
    case signOut(typed: String)
    /// The latest agreement of `name` whose pass code is `code`.
    case findAgreement(code: String, name: String)
    /// Who signed in today and has not signed out (staff, after the PIN).
    case onSiteToday
}

/// An earlier agreement found for a returning person: what they need not
/// agree to again.
public struct EarlierAgreement: Equatable, Sendable {
    public var record: RecordLink
    /// The role they signed as (its id).
    public var role: String
    /// Their name as the record holds it (they gave it with the code).
    public var name: String
    /// Every clause id agreed in it and in the agreements it builds on.
    public var agreedClauses: Set<String>
    /// Their answers then (question id -> answer): offered again, to
    /// keep with Enter or change.
    public var answers: [String: String]
    /// It is no longer current (its role's `valid_for_days` or `renew_on`):
    /// every clause is asked again.
    public var ended: Bool

    public init(record: RecordLink, role: String, name: String, agreedClauses: Set<String>, answers: [String: String] = [:], ended: Bool = false) {
        self.record = record
        self.role = role
        self.name = name
        self.agreedClauses = agreedClauses
        self.answers = answers
        self.ended = ended
    }
}

/// The run loop's answer to a `DeskRequest`.
public enum DeskResult: Equatable, Sendable {
    /// Signed out; `byReference` when by the reference (a visit saved
    /// without a pass code), which is public: it does not count as
    /// knowing a code, so it leaves the wait after misses as it is.
    case signedOut(at: Date, byReference: Bool = false)
    case found(EarlierAgreement)
    /// Nothing matched (the same answer whatever did not).
    case notFound
    /// The book could not be read or written: what the person is told
    /// (the details are in the log, never on screen).
    case failed(String)
    case onSite(OnSiteToday)
}

public enum Desk {
    /// The welcome screen's keys for these screens.
    static let welcomeKeys = [("S", "sign out"), ("R", "signed before")]
    static let notFound = "We could not find that. Check the code and name, or sign in as new."
    static let signOutNotFound = "We could not find that. Check the code, or ask at reception."
    static let lostCode = "Lost your code? Please ask at reception."
    static let agreementEnded = "Your last agreement has ended: please read and agree to it all again."
    static let nameLocked = "Your name stays as on your earlier agreement. To sign as someone else, press Esc and sign in as new."
    /// How long "Signed out. Goodbye." stays.
    static let goodbyeSeconds: TimeInterval = 8

    /// The screen a key on the welcome screen opens, if any.
    static func opens(_ c: Character) -> DeskScreen? {
        switch c {
        case "s", "S": .signOut(entry: LineEditor(maxLength: 24), message: nil)
        case "r", "R": .returning(field: 0, code: LineEditor(maxLength: 24), name: LineEditor(), message: nil)
        default: nil
        }
    }

    /// On the admin PIN screen: the PIN, then this key, shows who is on site.
    static let onSiteKey = ("Tab", "on site")

    /// The PIN was right and Tab pressed: the list, once the loop has read it.
    static func openOnSite(_ state: inout KioskState, wrongPINsBefore: Int) -> [Effect] {
        state.phase = .desk(.onSite(nil, scroll: 0))
        return [.log(.notice, "admin PIN accepted: showing who is on site", metadata: ["wrong_pins_before": "\(wrongPINsBefore)"]), .desk(.onSiteToday)]
    }

    /// The done screen's lines for the pass code, when there is one.
    static func passCodeLines(_ receipt: SaveReceipt) -> [(String, Style)] {
        guard let code = receipt.passCode else { return [] }
        return [
            ("", .normal),
            ("Your pass code: \(PassCode.grouped(code))", Style(.strong, bold: true)),
            ("Write it down to sign out or come back.", .normal),
        ]
    }

    // MARK: - Keys

    static func handle(_ key: Key, _ screen: DeskScreen, _ state: inout KioskState) -> [Effect] {
        let wait = state.lookupGuard.wait(at: state.now)
        switch screen {
        case .signOut(var entry, _):
            if key == .escape { Kiosk.reset(&state); return [] }
            if let accepted = Kiosk.edit(&entry, key) {
                state.phase = .desk(.signOut(entry: entry, message: nil))
                return accepted ? [] : [.bell]
            }
            guard key == .enter else { return [.bell] }
            if wait != nil { return [.bell] }
            let typed = entry.text.trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty else {
                state.phase = .desk(.signOut(entry: entry, message: "Please type the pass code from your last screen. Lost it? Please ask at reception."))
                return [.bell]
            }
            state.phase = .desk(.lookingUp(name: nil))
            return [.desk(.signOut(typed: typed))]

        case .returning(let field, var code, var name, _):
            if key == .escape { Kiosk.reset(&state); return [] }
            if let accepted = field == 0 ? Kiosk.edit(&code, key) : Kiosk.edit(&name, key) {
                state.phase = .desk(.returning(field: field, code: code, name: name, message: nil))
                return accepted ? [] : [.bell]
            }
            switch key {
            case .up, .backTab:
                state.phase = .desk(.returning(field: 0, code: code, name: name, message: nil))
            case .down, .tab:
                state.phase = .desk(.returning(field: 1, code: code, name: name, message: nil))
            case .enter where field == 0:
                state.phase = .desk(.returning(field: 1, code: code, name: name, message: nil))
            case .enter:
                if wait != nil { return [.bell] }
                let typedCode = code.text.trimmingCharacters(in: .whitespaces)
                let typedName = name.text.trimmingCharacters(in: .whitespaces)
                guard !typedCode.isEmpty, !typedName.isEmpty else {
                    state.phase = .desk(.returning(field: typedCode.isEmpty ? 0 : 1, code: code, name: name,
                                                   message: "Please type your pass code and your full name."))
                    return [.bell]
                }
                state.phase = .desk(.lookingUp(name: typedName))
                return [.desk(.findAgreement(code: typedCode, name: typedName))]
            default:
                return [.bell]
            }
            return []

        case .lookingUp:
            return []

        case .signedOut:
            if key == .enter || key == .character(" ") { Kiosk.reset(&state) }
            return []

        case .onSite(let list, let scroll):
            let rows = max(1, Layout.body(state.size).height - 2)
            let last = max(0, (list?.people.count ?? 0) - rows)
            switch key {
            case .escape, .enter: Kiosk.reset(&state)
            case .down: state.phase = .desk(.onSite(list, scroll: min(last, scroll + 1)))
            case .up: state.phase = .desk(.onSite(list, scroll: max(0, scroll - 1)))
            case .pageDown, .character(" "): state.phase = .desk(.onSite(list, scroll: min(last, scroll + rows)))
            case .pageUp: state.phase = .desk(.onSite(list, scroll: max(0, scroll - rows)))
            default: return [.bell]
            }
            return []
        }
    }

    static func tick(_ screen: DeskScreen, _ state: inout KioskState) {
        let idle = state.now.timeIntervalSince(state.lastActivity)
        switch screen {
        case .signedOut(_, let shownAt):
            if state.now.timeIntervalSince(shownAt) >= min(goodbyeSeconds, state.settings.idleTimeout) { Kiosk.reset(&state) }
        case .lookingUp:
            break
        default:
            if idle >= state.settings.idleTimeout + state.settings.idleWarning { Kiosk.reset(&state) }
        }
    }

    // MARK: - Answers

    static func answer(_ result: DeskResult, _ state: inout KioskState) -> [Effect] {
        if case .desk(.onSite(nil, _)) = state.phase {
            switch result {
            case .onSite(let list): state.phase = .desk(.onSite(list, scroll: 0))
            case .failed(let message): state.phase = .desk(.onSite(OnSiteToday(people: [], day: "The record book cannot be read: \(message)"), scroll: 0))
            default: break
            }
            return []
        }
        guard case .desk(.lookingUp(let typedName)) = state.phase else { return [] }
        let returning = typedName != nil
        state.lastActivity = state.now
        switch result {
        case .signedOut(let at, let byReference):
            // A public reference proves nothing: only a code clears the misses.
            if !byReference { state.lookupGuard.succeeded() }
            state.phase = .desk(.signedOut(at: at, shownAt: state.now))
            return [.log(.info, "a visitor signed out")]
        case .notFound:
            let delay = state.lookupGuard.failed(at: state.now)
            var metadata = ["failed_in_a_row": "\(state.lookupGuard.failures)"]
            if delay > 0 { metadata["next_try_in_seconds"] = "\(Int(delay))" }
            if returning {
                state.phase = .desk(.returning(field: 0, code: LineEditor(maxLength: 24), name: LineEditor(), message: notFound))
            } else {
                state.phase = .desk(.signOut(entry: LineEditor(maxLength: 24), message: signOutNotFound))
            }
            return [.log(.notice, returning ? "a returning person's code and name found nothing" : "a sign-out code found nothing", metadata: metadata), .bell]
        case .failed(let text):
            state.phase = returning ? .desk(.returning(field: 0, code: LineEditor(maxLength: 24), name: LineEditor(), message: text))
                : .desk(.signOut(entry: LineEditor(maxLength: 24), message: text))
            return [.log(.error, returning ? "a returning person's lookup failed" : "a sign-out failed: the visitor was told they are not signed out"), .bell]
        case .onSite:
            return []
        case .found(let earlier):
            state.lookupGuard.succeeded()
            guard let role = state.settings.roles.first(where: { $0.id == earlier.role }) else {
                state.phase = .desk(.returning(field: 0, code: LineEditor(maxLength: 24), name: LineEditor(),
                                               message: "We found you, but that role is no longer offered here: please sign in as new."))
                return []
            }
            // Only what is new or changed since (a clause's identity is its
            // text's hash), read once where it stands: the sections that
            // hold a new clause, with only the new clauses. Nothing new: the
            // documents stay whole for their declarations, and no clause.
            let documents = state.settings.library.documents(for: role)
            let fresh = documents.compactMap { $0.reading(keeping: { !earlier.agreedClauses.contains($0.id) }) }
            var draft = SessionDraft(id: state.makeID(), role: role, documents: fresh.isEmpty ? documents : fresh,
                                     startedAt: state.now, name: LineEditor(earlier.name.isEmpty ? typedName ?? "" : earlier.name))
            draft.previous = earlier.record
            if fresh.isEmpty {
                draft.clauses = []
                draft.acknowledgedAt = []
                draft.clauseShownAt = []
            }
            for (i, question) in role.questions.enumerated() {
                if let answer = earlier.answers[question.id] { draft.answers[i] = LineEditor(answer, maxLength: question.maxLength) }
            }
            state.draft = draft
            let note = earlier.ended ? Self.agreementEnded : nil
            if role.questions.isEmpty && !earlier.ended {
                state.phase = afterDetails(draft) ?? .details(field: 0, message: nil, fromSigning: false)
            } else {
                state.phase = .details(field: min(1, role.questions.count), message: note, fromSigning: false)
            }
            return [.log(.info, "a returning person's earlier agreement was found", metadata: ["new_clauses": "\(draft.clauses.count)"])]
        }
    }

    /// Where a returning person goes once their details are in: to the
    /// first new or changed clause, or straight to signing. Nil for
    /// everyone else (they read the documents).
    static func afterDetails(_ draft: SessionDraft) -> Phase? {
        guard draft.previous != nil else { return nil }
        return draft.clauses.isEmpty ? .signing(scroll: 0, message: nil) : .reading(document: 0, section: 0, scroll: 0)
    }

    // MARK: - Drawing

    static func render(_ state: KioskState, _ desk: DeskScreen, _ screen: inout Screen) {
        let wait = state.lookupGuard.wait(at: state.now)
        switch desk {
        case .signOut(let entry, let message):
            Kiosk.titleBar("Sign out", &screen)
            let body = Layout.body(screen.size)
            // The field, and below it room for a message of three lines.
            let lines = intro(["Type the pass code from the screen you saw when you signed in.",
                               "Type your pass code."], rows: body.height - 6, width: body.width)
            let y = body.y + Kiosk.draw(lines, top: body.y, height: body.height, &screen)
            screen.put("Pass code:", x: body.x, y: y, style: Style(.strong, bold: true))
            Kiosk.field(entry, x: body.x, y: y + 1, width: min(body.width, 24), focused: wait == nil, &screen)
            if wait == nil && message == nil {
                // Without the code: the reference is public, so staff help.
                _ = Kiosk.draw(Kiosk.wrapped(Desk.lostCode, style: Style(.quiet), width: body.width), top: y + 3,
                               height: max(0, body.y + body.height - y - 3), &screen)
            }
            note(wait: wait, message: message, y: y + 3, &screen)
            Kiosk.keyBar(wait == nil ? [("Enter", "sign out"), ("Esc", "back")] : [("Esc", "back")], &screen)
        case .returning(let field, let code, let name, let message):
            Kiosk.titleBar("Signed here before", &screen)
            let body = Layout.body(screen.size)
            // Two fields, and below them room for a message of two lines.
            let lines = intro(["Type the pass code from your last visit and your full name. You then agree only to what is new since.",
                               "Your pass code and full name:"], rows: body.height - 8, width: body.width)
            let top = body.y + Kiosk.draw(lines, top: body.y, height: body.height, &screen)
            let spacing = body.height - (top - body.y) >= 10 ? 3 : 2
            for (i, (label, editor)) in [("Pass code", code), ("Full name", name)].enumerated() {
                let y = top + i * spacing
                screen.put(label, x: body.x, y: y, style: i == field ? Style(.strong, bold: true) : .normal, width: body.width)
                Kiosk.field(editor, x: body.x, y: y + 1, width: min(body.width, i == 0 ? 24 : 50), focused: i == field && wait == nil, &screen)
            }
            note(wait: wait, message: message, y: top + 2 * spacing, &screen)
            let keys: [(String, String)] = wait != nil ? [("Esc", "back")]
                : [("Enter", field == 0 ? "next field" : "continue"), ("↑↓", "field"), ("Esc", "back")]
            Kiosk.keyBar(keys, &screen)
        case .lookingUp(let name):
            let returning = name != nil
            Kiosk.titleBar(returning ? "Signed here before" : "Sign out", &screen)
            Kiosk.centred([(returning ? "Looking for your agreement…" : "Signing you out…", Style(.strong, bold: true))], &screen)
            screen.focus(on: returning ? "Looking for your agreement…" : "Signing you out…")
            Kiosk.keyBar([("", "Please wait")], &screen)
        case .onSite(let list, let scroll):
            Kiosk.titleBar("Staff only: who is on site", &screen)
            let body = Layout.body(screen.size)
            guard let list else {
                Kiosk.centred([("Reading the record book…", Style(.strong, bold: true))], &screen)
                Kiosk.keyBar([("Esc", "back")], &screen)
                return
            }
            let n = list.people.count
            screen.put("\(n) signed in today, not signed out", x: body.x, y: body.y, style: Style(.strong, bold: true), width: body.width)
            screen.put(Kiosk.ellipsized(list.day, body.width), x: body.x, y: body.y + 1, style: Style(.quiet), width: body.width)
            let lines: [StyledLine] = list.people.map { p in
                let extra = [p.roleLabel, p.status, p.answers].filter { !$0.isEmpty }.joined(separator: "  ")
                return [StyledSpan(Kiosk.ellipsized("\(p.time)  \(p.name)  \(extra)", body.width))]
            }
            _ = Kiosk.draw(lines, scroll: scroll, top: body.y + 2, height: body.height - 2, &screen)
            screen.cursor = Point(x: body.x, y: body.y)
            Kiosk.keyBar([("↑↓", "scroll"), ("Esc", "done")], &screen)
        case .signedOut(let at, _):
            Kiosk.titleBar(state.settings.school, &screen)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = state.settings.timeZone
            let parts = calendar.dateComponents([.hour, .minute], from: at)
            let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
            Kiosk.centred([
                ("Signed out. Goodbye.", Style(.good, bold: true)),
                ("", .normal),
                ("You signed out at \(time). Thank you for visiting \(state.settings.school).", .normal),
            ], &screen)
            screen.focus(on: "Signed out. Goodbye.")
            Kiosk.keyBar([("Enter", "finish")], &screen)
        }
    }

    /// The first of `texts` whose wrapped lines (and a blank line after)
    /// fit in `rows`; the last one, cut to fit, when none does.
    private static func intro(_ texts: [String], rows: Int, width: Int) -> [StyledLine] {
        for text in texts {
            let lines = Kiosk.wrapped(text, width: width)
            if lines.count + 1 <= rows { return lines + [[]] }
        }
        return Array(Kiosk.wrapped(texts.last ?? "", width: width).prefix(max(0, rows)))
    }

    /// The message under the fields, or how long to wait after too many misses.
    private static func note(wait: Int?, message: String?, y: Int, _ screen: inout Screen) {
        let body = Layout.body(screen.size)
        let text = wait.map { "Too many tries. Please wait \(Kiosk.duration($0)) before trying again." } ?? message
        guard let text, y < body.y + body.height else { return }
        _ = Kiosk.draw(Kiosk.wrapped(text, style: Style(.attention, bold: true), width: body.width), top: y, height: body.y + body.height - y, &screen)
    }
}

extension SessionDraft {
    /// The session as the record store takes it; a returning person's
    /// names the earlier agreement, and says no section was read this
    /// time (none was shown), rather than giving them times.
    public func completedSession(at now: Date) -> CompletedSession {
        var session = completed(at: now)
        if let previous {
            session.previous = previous
            // Nothing new: no section was shown, so none has a time.
            if clauses.isEmpty { session.readings = session.readings.map { .init(document: $0.document, sectionsSeenAt: []) } }
        }
        return session
    }
}
