import Foundation
import KioskContent

/// The kiosk's one reducer: every key, tick, resize and store answer goes
/// through here, and the side effects come back as values.
public enum Kiosk {
    public static func update(_ state: inout KioskState, _ event: Event, now: Date) -> [Effect] {
        state.now = now
        switch event {
        case .resize(let size):
            state.size = size
            // Lines wrap anew: the cursor goes to the first line on screen.
            state.visit.readingNewLine = nil
            clampScroll(&state)
            markSeen(&state)
            return []
        case .tick:
            return tick(&state)
        case .recordBook(let head):
            state.bookHead = head
            return []
        case .desk(let result):
            return Desk.answer(result, &state)
        case .adminPINHash(let hash):
            // A PIN half typed stays; it is checked against the new hash.
            state.settings.adminPinHash = hash
            return []
        case .pendingSaves(let count, let inMemoryOnly):
            state.pendingSaves = count
            state.inMemoryOnly = inMemoryOnly
            return []
        case .saved(let id, let receipt):
            guard case .saving = state.phase, let draft = state.draft, draft.id == id else { return [] }
            state.phase = .done(receipt, name: draft.name.text.trimmingCharacters(in: .whitespaces),
                                nextSteps: draft.role.nextSteps, shownAt: now)
            state.draft = nil
            state.lastActivity = now
            return []
        case .saveFailed(let id, let failure):
            guard case .saving(let before) = state.phase, state.draft?.id == id else { return [] }
            state.phase = .saving(failure: failure)
            // A retry that fails again (every few seconds) is not a person
            // at the kiosk: only the first failure restarts the timeout.
            if before == nil { state.lastActivity = now }
            return []
        case .key(let key):
            // Any key wakes an idle session; the key that dismisses the
            // "are you still there?" warning does nothing else.
            let wasWarning = state.idleCountdown != nil
            state.lastActivity = now
            if wasWarning { return [] }
            if state.isTooSmall { return [] }
            let before = state.visit
            let effects = handle(key, &state)
            markSeen(&state)
            followReading(from: before, &state)
            return effects
        }
    }

    // MARK: - Time

    static func tick(_ state: inout KioskState) -> [Effect] {
        let idle = state.now.timeIntervalSince(state.lastActivity)
        switch state.phase {
        case .done(_, _, _, let shownAt):
            // The next in the queue is watching: after a few seconds the
            // name, reference, pass code and next steps go, and the
            // welcome screen (S, R, the languages) is there for them.
            if state.now.timeIntervalSince(shownAt) >= min(state.settings.doneNameSeconds, state.settings.doneTimeout, state.settings.idleTimeout) {
                reset(&state)
            }
        case .welcome:
            break
        case .desk(let screen):
            Desk.tick(screen, &state)
        case .saving(.some):
            // The session waits with the store; the next person need not.
            if idle >= min(state.settings.doneTimeout, state.settings.idleTimeout) { reset(&state) }
        default:
            if idle >= state.settings.idleTimeout + state.settings.idleWarning {
                // A finished session that is waiting to be saved stays with
                // the store; everything else of this person is forgotten.
                reset(&state)
            }
        }
        return []
    }

    /// Back to the welcome screen with nothing of the last person kept.
    static func reset(_ state: inout KioskState) {
        startOver(at: .welcome, &state)
    }

    /// To the welcome screen or the role list: everything of the person
    /// (their screen and their session) is replaced by a fresh one.
    static func startOver(at phase: Phase, _ state: inout KioskState) {
        state.visit = KioskState.Visit(phase: phase)
        state.lastActivity = state.now
    }

    // MARK: - Keys

    static func handle(_ key: Key, _ state: inout KioskState) -> [Effect] {
        switch state.phase {
        case .welcome:
            switch key {
            case .enter, .character(" "):
                state.phase = .chooseRole(selected: nil, message: nil)
            case .function(10), .control("]"):
                state.phase = .adminPIN(entry: LineEditor(maxLength: 12), message: nil)
            case .character(let c) where Desk.opens(c) != nil:
                state.phase = .desk(Desk.opens(c)!)
            case .character(let c) where c.isASCII && c.wholeNumberValue != nil && !state.settings.languages.isEmpty:
                // The languages offered, by number: 1 is the documents' own.
                let languages = state.settings.languages
                guard let n = c.wholeNumberValue, (1...languages.count + 1).contains(n) else { return [.bell] }
                state.visit.language = n == 1 ? nil : languages[n - 2].language
                state.phase = .chooseRole(selected: nil, message: nil)
            default:
                break
            }
            return []

        case .adminPIN(var entry, let message):
            return adminPIN(key, entry: &entry, message: message, &state)

        case .chooseRole(let selected, _):
            let count = state.settings.roles.count
            switch key {
            // The first arrow selects the first (or last) role.
            case .up: state.phase = .chooseRole(selected: ((selected ?? 0) + count - 1) % count, message: nil)
            case .down, .tab: state.phase = .chooseRole(selected: selected.map { ($0 + 1) % count } ?? 0, message: nil)
            case .character(let c) where c.wholeNumberValue.map({ (1...count).contains($0) }) == true:
                choose(role: c.wholeNumberValue! - 1, &state)
            case .enter, .right:
                guard let selected else {
                    // Enter alone must not make anyone New staff.
                    state.phase = .chooseRole(selected: nil, message: "Press a number, or use the arrows and then Enter.")
                    return [.bell]
                }
                choose(role: selected, &state)
            case .escape, .left:
                reset(&state)
            default:
                return [.bell]
            }
            return []

        case .details(let field, _, let fromSigning):
            return details(key, field: field, fromSigning: fromSigning, &state)

        case .reading(let d, let s, let scroll):
            return reading(key, document: d, section: s, scroll: scroll, &state)

        case .signing(let scroll, _):
            return signing(key, scroll: scroll, &state)

        case .saving(let failure):
            // While saving, keys wait; once it has failed, Enter finishes:
            // the session stays with the store, which keeps trying.
            if failure != nil, key == .enter || key == .character(" ") { reset(&state) }
            return []

        case .done:
            if key == .enter || key == .character(" ") { reset(&state) }
            return []

        case .desk(let screen):
            return Desk.handle(key, screen, &state)
        }
    }

    /// The PIN prompt. A wrong PIN is logged (how many in a row, never
    /// what was typed); after three in a row each makes the next try wait.
    static func adminPIN(_ key: Key, entry: inout LineEditor, message: String?, _ state: inout KioskState) -> [Effect] {
        let locked = state.adminGuard.wait(at: state.now) != nil
        switch key {
        case .escape:
            reset(&state)
            return []
        case .character(let c) where c.isASCII && c.isNumber && !locked:
            entry.insert(c)
            state.phase = .adminPIN(entry: entry, message: nil)
            return []
        case .backspace:
            entry.backspace()
            state.phase = .adminPIN(entry: entry, message: message)
            return []
        case .control("u"), .control("w"), .altBackspace:
            // A PIN is one word: the shell's kills clear it.
            entry.deleteToStart()
            state.phase = .adminPIN(entry: entry, message: message)
            return []
        case .enter where !locked && !entry.text.isEmpty, .tab where !locked && !entry.text.isEmpty:
            if let hash = state.settings.adminPinHash, AdminPIN.verify(entry.text, against: hash) {
                let before = state.adminGuard.failures
                state.adminGuard.succeeded()
                if key == .tab { return Desk.openOnSite(&state, wrongPINsBefore: before) }
                return [.log(.notice, "admin PIN accepted: leaving the kiosk", metadata: ["wrong_pins_before": "\(before)"]), .quit]
            }
            let delay = state.adminGuard.failed(at: state.now)
            let noPIN = state.settings.adminPinHash == nil
            state.phase = .adminPIN(entry: LineEditor(maxLength: 12),
                                    message: noPIN ? "No admin PIN is set: run `kiosk set-pin`." : "That PIN is not right.")
            var metadata = ["wrong_pins_in_a_row": "\(state.adminGuard.failures)"]
            if delay > 0 { metadata["next_try_in_seconds"] = "\(Int(delay))" }
            let text = noPIN ? "an admin PIN was tried, but none is set (kiosk set-pin)" : "wrong admin PIN"
            return [.log(.warning, text, metadata: metadata), .bell]
        default:
            // Other keys, digits and Enter while the kiosk makes the next try wait.
            return [.bell]
        }
    }

    static func choose(role index: Int, _ state: inout KioskState) {
        let role = state.settings.roles[index]
        // The role list never holds a session (going back to it forgets
        // one), so choosing a role always starts afresh.
        let language = state.visit.language
        state.draft = SessionDraft(id: state.makeID(), role: role,
                                   documents: state.settings.library.documents(for: role, language: language),
                                   startedAt: state.now, authoritative: state.settings.library.documents(for: role),
                                   language: language)
        state.phase = .details(field: 0, message: nil, fromSigning: false)
    }

    /// Applies an editing key to a field; false when the key is not an edit.
    static func edit(_ editor: inout LineEditor, _ key: Key) -> Bool? {
        switch key {
        case .character(let c): return editor.insert(c)
        case .backspace: editor.backspace()
        case .delete: editor.delete()
        case .left: editor.left()
        case .right: editor.right()
        case .home, .control("a"): editor.home()
        case .end, .control("e"): editor.end()
        case .control("u"): editor.deleteToStart()
        case .control("k"): editor.deleteToEnd()
        case .control("w"), .altBackspace: editor.deleteWordBackward()
        default: return nil
        }
        return true
    }

    static func details(_ key: Key, field: Int, fromSigning: Bool, _ state: inout KioskState) -> [Effect] {
        guard var draft = state.draft else { return [] }
        let fields = 1 + draft.role.questions.count
        func go(_ field: Int, _ message: String? = nil) { state.phase = .details(field: field, message: message, fromSigning: fromSigning) }
        // A returning person's name is the one their earlier agreement was
        // found by: it cannot be changed (nor the record built on another's).
        let firstField = draft.previous != nil ? min(1, fields - 1) : 0
        var accepted: Bool?
        if field == 0, draft.previous != nil {
            var probe = draft.name
            if edit(&probe, key) != nil {
                go(field, Desk.nameLocked)
                return [.bell]
            }
        } else if field == 0 {
            accepted = edit(&draft.name, key)
        } else {
            accepted = edit(&draft.answers[field - 1], key)
        }
        if let accepted {
            state.draft = draft
            let editor = field == 0 ? draft.name : draft.answers[field - 1]
            var full = false
            if !accepted, case .character(let c) = key { full = editor.isFull && LineEditor.accepts(c) }
            go(field, full ? "This box takes at most \(editor.maxLength) characters." : nil)
            return accepted ? [] : [.bell]
        }
        switch key {
        case .up, .backTab:
            go(max(firstField, field - 1))
        case .down, .tab:
            go(min(fields - 1, field + 1))
        case .escape where !fromSigning:
            // Back to the role list: what was typed is forgotten, so a
            // person who walks away from here leaves nothing for the next.
            startOver(at: .chooseRole(selected: nil, message: nil), &state)
        case .enter where field < fields - 1:
            go(field + 1)
        case .enter, .escape:
            if draft.name.text.trimmingCharacters(in: .whitespaces).isEmpty {
                go(0, "Please type your full name.")
                return [.bell]
            }
            for (i, question) in draft.role.questions.enumerated()
            where question.required && draft.answers[i].text.trimmingCharacters(in: .whitespaces).isEmpty {
                go(i + 1, "Please fill this in.")
                return [.bell]
            }
            // Back from correcting a detail: straight to signing, with every agreement kept.
            state.phase = fromSigning ? .signing(scroll: 0, message: nil)
                : Desk.afterDetails(draft) ?? .reading(document: 0, section: 0, scroll: 0)
        default:
            return [.bell]
        }
        return []
    }

    // MARK: - Reading

    static func reading(_ key: Key, document d: Int, section s: Int, scroll: Int, _ state: inout KioskState) -> [Effect] {
        guard let draft = state.draft else { return [] }
        let view = ReadingView(state, draft, document: d, section: s, scroll: scroll)
        func scrollTo(_ value: Int) { state.phase = .reading(document: d, section: s, scroll: view.text.clamped(value)) }
        switch key {
        case .up: scrollTo(scroll - 1)
        case .down: scrollTo(scroll + 1)
        case .pageUp: scrollTo(scroll - view.text.page)
        case .pageDown, .character(" "): scrollTo(scroll + view.text.page)
        case .home: scrollTo(0)
        case .end: scrollTo(view.text.maxScroll)
        case .enter, .right:
            switch view.enter {
            case .more(let target):
                scrollTo(target)
            case .agree(let index):
                let shownAt = draft.clauseShownAt[index] ?? state.now
                guard state.now.timeIntervalSince(shownAt) >= state.minClauseSeconds else { return [.bell] }
                state.draft!.acknowledgedAt[index] = state.now
                // The next clause of the section takes the focus; the page
                // moves to show it whole if it is no more than a page away.
                let next = ReadingView(state, state.draft!, document: d, section: s, scroll: scroll)
                if next.focus != nil, case .more(let target) = next.enter,
                   ReadingView(state, state.draft!, document: d, section: s, scroll: target).focus?.shown == true {
                    scrollTo(target)
                }
            case .section(let next, let section):
                state.phase = .reading(document: next, section: section, scroll: 0)
            case .sign:
                state.phase = .signing(scroll: 0, message: nil)
            }
        case .left, .escape, .backspace:
            if s > 0 {
                state.phase = .reading(document: d, section: s - 1, scroll: 0)
            } else if d > 0 {
                state.phase = .reading(document: d - 1, section: draft.documents[d - 1].sections.count - 1, scroll: 0)
            } else {
                state.phase = .details(field: 0, message: nil, fromSigning: false)
            }
        default:
            return [.bell]
        }
        return []
    }

    /// Records when the end of the section on screen is visible, and when
    /// the clause with the focus is first wholly on screen.
    static func markSeen(_ state: inout KioskState) {
        guard case .reading(let d, let s, let scroll) = state.phase, let draft = state.draft, !state.isTooSmall else { return }
        let view = ReadingView(state, draft, document: d, section: s, scroll: scroll)
        if view.text.atEnd, draft.sectionEndSeen[d][s] == nil {
            state.draft!.sectionEndSeen[d][s] = state.now
        }
        if let focus = view.focus, focus.shown, draft.clauseShownAt[focus.clause] == nil {
            state.draft!.clauseShownAt[focus.clause] = state.now
        }
    }

    static func clampScroll(_ state: inout KioskState) {
        guard !state.isTooSmall, let draft = state.draft else { return }
        switch state.phase {
        case .reading(let d, let s, let scroll):
            let view = ReadingView(state, draft, document: d, section: s, scroll: scroll)
            var clamped = view.text.clamped(scroll)
            // Text wraps anew at the new width: the clause with the focus stays in view.
            if let focus = ReadingView(state, draft, document: d, section: s, scroll: clamped).focus, !focus.shown,
               focus.rows.count < view.text.height {
                clamped = view.text.clamped(focus.rows.lowerBound - 1)
            }
            state.phase = .reading(document: d, section: s, scroll: clamped)
        case .signing(let scroll, let message):
            let view = SigningView(state, draft, scroll: scroll)
            state.phase = .signing(scroll: view.text.clamped(scroll), message: message)
        default:
            break
        }
    }

    // MARK: - Signing

    static func signing(_ key: Key, scroll: Int, _ state: inout KioskState) -> [Effect] {
        guard var draft = state.draft else { return [] }
        let view = SigningView(state, draft, scroll: scroll)
        if let accepted = edit(&draft.signature, key) {
            state.draft = draft
            state.phase = .signing(scroll: scroll, message: nil)
            return accepted ? [] : [.bell]
        }
        switch key {
        case .up: state.phase = .signing(scroll: view.text.clamped(scroll - 1), message: nil)
        case .down: state.phase = .signing(scroll: view.text.clamped(scroll + 1), message: nil)
        case .enter:
            if view.enter == .more {
                state.phase = .signing(scroll: view.text.clamped(scroll + view.text.page), message: nil)
                return []
            }
            let typed = LineEditor.comparable(draft.signature.text)
            if typed.isEmpty {
                state.phase = .signing(scroll: scroll, message: "Please type your full name to sign.")
                return [.bell]
            }
            guard typed == LineEditor.comparable(draft.name.text) else {
                let given = draft.name.text.trimmingCharacters(in: .whitespaces)
                // The name given may be the one with the typo: say how to correct it
                // (not for a returning person, whose name is their earlier agreement's).
                let correct = draft.previous == nil ? ", or F2 to correct it" : ""
                state.phase = .signing(scroll: scroll, message: "Type your name as you gave it: \(given)\(correct)")
                return [.bell]
            }
            state.phase = .saving(failure: nil)
            return [.commit(draft.completedSession(at: state.now))]
        case Self.changeDetailsKey:
            // To correct one's name or answers: every agreement is kept.
            // A returning person's name cannot be changed: their first question.
            state.phase = .details(field: draft.previous != nil ? min(1, draft.role.questions.count) : 0, message: nil, fromSigning: true)
        case .escape, .pageUp:
            let d = draft.documents.count - 1
            let s = draft.documents[d].sections.count - 1
            let last = ReadingView(state, draft, document: d, section: s, scroll: 0)
            state.phase = .reading(document: d, section: s, scroll: last.text.maxScroll)
        default:
            return [.bell]
        }
        return []
    }

    /// On the signing screen: back to "Your details" to correct them.
    static let changeDetailsKey = Key.function(2)
}
