import Foundation
import KioskContent
import Testing
@testable import KioskUI

@Suite("Kiosk state machine")
struct StateMachineTests {
    @Test("welcome, choose a role by number, then the details screen for that role")
    func chooseRole() {
        var k = Driver()
        #expect(k.state.phase == .welcome)
        k.press(.enter)
        #expect(k.state.phase == .chooseRole(selected: nil, message: nil))
        k.press(.down)
        #expect(k.state.phase == .chooseRole(selected: 0, message: nil), "the first arrow selects the first role")
        k.press(.down)
        #expect(k.state.phase == .chooseRole(selected: 1, message: nil))
        k.press(.up, .up)
        #expect(k.state.phase == .chooseRole(selected: 1, message: nil), "arrows wrap around")
        k.type("2")
        #expect(k.state.phase == .details(field: 0, message: nil, fromSigning: false))
        #expect(k.state.draft?.role == visitor)
        #expect(k.state.draft?.documents.map(\.id) == ["code"])
        #expect(k.state.draft?.startedAt == t0)
    }

    @Test("the role list opens with nothing chosen: Enter alone makes nobody New staff and says how to choose")
    func explicitRole() {
        var k = Driver()
        k.press(.enter)
        #expect(!k.screen.contains("›"), "nothing is highlighted:\n\(k.screen)")
        #expect(!k.screen.contains("Enter continue"), "the key bar offers Enter only once a role is selected")
        k.press(.enter)
        #expect(k.state.draft == nil)
        #expect(k.effects == [.bell])
        #expect(k.state.phase == .chooseRole(selected: nil, message: "Press a number, or use the arrows and then Enter."))
        #expect(k.screen.contains("Press a number, or use the arrows and then Enter."))
        k.press(.right)
        #expect(k.state.draft == nil, "→ is Enter here, and chooses nothing either")
        k.press(.up)
        #expect(k.state.phase == .chooseRole(selected: 1, message: nil), "the first ↑ selects the last role; the hint goes")
        #expect(k.screen.contains("› 2  Visitor"))
        #expect(k.screen.contains("Enter continue"))
        k.press(.enter)
        #expect(k.state.draft?.role == visitor)
    }

    @Test("details: a name is required, and so is each required question; optional ones are not")
    func details() {
        var k = Driver()
        k.press(.enter)
        k.type("2")
        k.press(.enter, .enter, .enter)
        #expect(k.state.phase == .details(field: 0, message: "Please type your full name.", fromSigning: false))
        #expect(k.effects == [.bell])
        k.type("   ")
        k.press(.enter, .enter, .enter)
        #expect(k.state.phase == .details(field: 0, message: "Please type your full name.", fromSigning: false), "blanks are not a name")
        k.type("Sam")
        k.press(.enter, .enter, .enter)
        #expect(k.state.phase == .details(field: 1, message: "Please fill this in.", fromSigning: false))
        k.type("Acme")
        k.press(.down, .enter)
        #expect(k.state.phase == .reading(document: 0, section: 0, scroll: 0))
    }

    @Test("a name longer than the box is cut at 80 characters and the person is told why the rest did not go in")
    func fullField() {
        var k = Driver()
        k.press(.enter)
        k.type("2")
        k.type(String(repeating: "李", count: 85))
        #expect(k.state.draft?.name.text == String(repeating: "李", count: 80))
        #expect(k.state.phase == .details(field: 0, message: "This box takes at most 80 characters.", fromSigning: false))
        #expect(k.effects.last == .bell)
        k.press(.backspace)
        #expect(k.state.phase == .details(field: 0, message: nil, fromSigning: false), "the note goes once there is room again")
        k.type("a\u{1B}")
        #expect(k.state.draft?.name.text.hasSuffix("李a") == true)
        #expect(k.state.phase == .details(field: 0, message: nil, fromSigning: false), "a control character is refused for what it is, not for a full box")
    }

    @Test("reading: Enter scrolls while text remains and moves on only once the end has been on screen")
    func readingGate() {
        var k = Driver()
        k.press(.enter)
        k.type("1")
        k.type("Sam Lee")
        k.press(.enter)
        #expect(k.state.phase == .reading(document: 0, section: 0, scroll: 0))
        #expect(k.state.draft?.sectionEndSeen[0][0] == nil)
        k.now += 5
        k.press(.enter)
        guard case .reading(0, 0, let scroll) = k.state.phase else {
            Issue.record("Enter left the section before its end was seen: \(k.state.phase)")
            return
        }
        #expect(scroll > 0)
        k.press(.end)
        #expect(k.state.draft?.sectionEndSeen[0][0] == t0 + 5)
        k.press(.enter)
        #expect(k.state.phase == .reading(document: 0, section: 1, scroll: 0))
        #expect(k.state.draft?.sectionEndSeen[0][1] == t0 + 5, "a short section's end is seen at once")
        k.press(.left)
        #expect(k.state.phase == .reading(document: 0, section: 0, scroll: 0), "the person can go back")
        k.press(.escape)
        #expect(k.state.phase == .details(field: 0, message: nil, fromSigning: false))
    }

    @Test("read once: each clause is agreed where it stands, in order, once it has been wholly on screen for the minimum time")
    func dwell() {
        var k = Driver()
        k.visitorToReading()
        #expect(k.state.phase == .reading(document: 0, section: 0, scroll: 0))
        #expect(k.readingEnter == .agree(clause: 0), "the first clause has the focus")
        #expect(k.state.draft?.clauseShownAt[0] == t0, "its clock starts when it is on screen")
        #expect(k.state.draft?.clauseShownAt[1] == nil, "the next one's waits for the focus")
        k.now += 2
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] == nil)
        #expect(k.effects == [.bell])
        #expect(k.screen.contains("[ I agree ]  please read: 1 s"))
        k.now += 1
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] == t0 + 3)
        #expect(k.state.phase == .reading(document: 0, section: 0, scroll: 0), "the next clause is on the same page")
        #expect(k.readingEnter == .agree(clause: 1))
        #expect(k.state.draft?.clauseShownAt[1] == t0 + 3)
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[1] == nil, "no time has passed on clause 2")
        #expect(k.effects == [.bell])
        k.press(.right)
        #expect(k.state.draft?.acknowledgedAt[1] == nil, "→ does what Enter does: no skipping")
        #expect(k.state.draft?.acknowledgedAt[2] == nil)
        // No text is shown twice: each clause once, on the page it belongs to.
        let screen = k.screen
        for clause in ["I will never share my password.", "I will respect copyright.", "I will keep personal data secure."] {
            #expect(screen.components(separatedBy: clause).count == 2, "\(clause) once:\n\(screen)")
        }
        #expect(screen.contains("✓ Agreed at"))
        #expect(screen.components(separatedBy: "[ I agree ]").count == 2, "one button, under the clause with the focus")
    }

    @Test("going back a page keeps the agreements, shown as agreed; the section after is left only once its clauses are agreed")
    func backKeepsAgreements() {
        var k = Driver()
        k.press(.enter)
        k.type("1")
        k.type("Sam Lee")
        k.press(.enter, .end, .enter)
        #expect(k.state.phase == .reading(document: 0, section: 1, scroll: 0))
        k.press(.enter)
        #expect(k.state.phase == .reading(document: 1, section: 0, scroll: 0), "a document without clauses is read and left as before")
        k.wait(3)
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] == t0 + 3)
        k.press(.left)
        #expect(k.state.phase == .reading(document: 0, section: 1, scroll: 0))
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] == t0 + 3)
        #expect(k.screen.contains("✓ Agreed at"))
        #expect(k.readingEnter == .agree(clause: 1))
        // Enter never leaves the last section (for signing) before every clause is agreed.
        for _ in 0..<5 { k.press(.enter) }
        #expect(k.state.phase == .reading(document: 1, section: 0, scroll: 0))
        k.readEverything()
        #expect(k.state.phase == .signing(scroll: 0, message: nil))
    }

    @Test("every clause must be agreed before signing; the signature must match the name")
    func signing() throws {
        var k = Driver()
        k.visitorToSigning(name: "Zoë  Ångström")
        #expect(k.state.phase == .signing(scroll: 0, message: nil))
        #expect(k.state.draft?.acknowledgedAt.allSatisfy { $0 != nil } == true)
        k.press(.enter)
        #expect(k.state.phase == .signing(scroll: 0, message: "Please type your full name to sign."))
        k.type("Zoe Angstrem")
        k.press(.enter)
        #expect(k.state.phase == .signing(scroll: 0, message: "Type your name as you gave it: Zoë  Ångström, or F2 to correct it"))
        #expect(k.screen.contains("Type your name as you gave it: Zoë Ångström"))
        for _ in 0..<12 { k.press(.backspace) }
        // Case, spacing and accents (composed, decomposed or none) do not matter.
        k.type("ZOË a\u{030A}ngström ")
        k.press(.enter)
        #expect(k.state.phase == .saving(failure: nil))
        guard case .commit(let session) = try #require(k.effects.first) else {
            Issue.record("expected a commit, got \(k.effects)")
            return
        }
        #expect(session.id == "session-1")
        #expect(session.name == "Zoë  Ångström")
        #expect(session.typedSignature == "ZOË ångström")
        #expect(session.role == visitor)
        #expect(session.answers == [.init(id: "organisation", label: "Organisation", value: "Acme"), .init(id: "phone", label: "Phone", value: "")])
        #expect(session.acknowledgements.map(\.clause.text) == ["I will **never** share my password.", "I will respect copyright.", "I will keep personal data secure."])
        #expect(session.acknowledgements.map(\.acknowledgedAt) == [t0 + 3, t0 + 6, t0 + 9])
        #expect(session.readings.map(\.document.id) == ["code"])
        #expect(session.readings.map(\.sectionsSeenAt) == [[t0]], "the section's end was on screen from the start")
        #expect(session.declarations.map(\.text) == ["I agree to follow this Code of Conduct."])
        #expect(session.consent == CompletedSession.consentStatement)
    }

    @Test("saved: the reference is shown, then the welcome screen with nothing of the person kept")
    func saved() {
        var k = Driver()
        k.visitorToSigning()
        k.type("Zoë Ångström")
        k.press(.enter)
        k.send(.saved(sessionID: "other", SaveReceipt(seq: 9, reference: "0000-0000")))
        #expect(k.state.phase == .saving(failure: nil), "a receipt for another session is not this one's")
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 42, reference: "7F3A-9C21")))
        #expect(k.screen.contains("Reference: 42 · 7F3A-9C21"))
        #expect(k.screen.contains("Thank you, Zoë Ångström."))
        #expect(k.screen.contains("Please wait at reception."))
        #expect(k.state.draft == nil)
        k.wait(60)
        #expect(k.state.phase == .welcome)
        #expect(!k.screen.contains("Zoë"))
    }

    @Test("the thank-you screen gives way to the welcome screen after 10 seconds (the next in the queue is watching)")
    func doneClearsName() {
        var k = Driver()
        k.visitorToSigning()
        k.type("Zoë Ångström")
        k.press(.enter)
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 42, reference: "7F3A-9C21")))
        k.wait(9)
        #expect(k.screen.contains("Thank you, Zoë Ångström."), "the person has time to read it")
        k.wait(1)
        #expect(!k.screen.contains("Zoë"))
        #expect(!k.screen.contains("7F3A-9C21"))
        #expect(!k.screen.contains("reception"), "nor the visitor's next steps")
        #expect(k.state.visit == KioskState.Visit(phase: .welcome), "the welcome screen for the next person, with nothing of the last")
        #expect(k.screen.contains("Press Enter to begin"))
    }

    @Test("from the signing screen F2 goes back to the details to correct them; every agreement is kept, and Enter or Esc returns to signing")
    func correctDetails() throws {
        var k = Driver()
        k.visitorToSigning(name: "Siobhan O Brian")
        let agreed = k.state.draft?.acknowledgedAt
        #expect(k.screen.contains("F2 change my details"))
        k.type("Siobhán Ó Briain")
        k.press(.enter)
        #expect(k.screen.contains("Type your name as you gave it: Siobhan O Brian"))
        k.press(.function(2))
        #expect(k.state.phase == .details(field: 0, message: nil, fromSigning: true))
        #expect(k.screen.contains("Esc back to signing"))
        var small = k
        small.send(.resize(Size(width: 40, height: 12)))
        #expect(small.screen.hasSuffix("Enter next field   ↑↓ field   Esc back"), "every key fits at 40x12:\n\(small.screen)")
        k.press(.control("u"))
        k.type("Siobhán Ó Briain")
        k.press(.down, .control("u"))
        k.press(.escape)
        #expect(k.state.phase == .details(field: 1, message: "Please fill this in.", fromSigning: true), "an emptied required answer is caught on the way back")
        k.type("Acme")
        k.press(.enter, .enter)
        #expect(k.state.phase == .signing(scroll: 0, message: nil))
        #expect(k.state.draft?.acknowledgedAt == agreed)
        #expect(k.state.draft?.signature.text == "Siobhán Ó Briain", "what was typed to sign is kept")
        k.press(.enter)
        guard case .commit(let session) = try #require(k.effects.first) else {
            Issue.record("expected a commit, got \(k.effects)")
            return
        }
        #expect(session.name == "Siobhán Ó Briain")
        #expect(session.acknowledgements.map(\.acknowledgedAt) == [t0 + 3, t0 + 6, t0 + 9])
    }

    @Test("line editing as in a shell: Ctrl-U, Ctrl-K, Ctrl-W and Alt-Backspace delete; Alt-Backspace never goes back")
    func lineEditing() {
        var k = Driver()
        k.press(.enter)
        k.type("2")
        k.type("Mary Ann Smith")
        k.press(.altBackspace)
        #expect(k.state.draft?.name.text == "Mary Ann ")
        #expect(k.state.phase == .details(field: 0, message: nil, fromSigning: false), "Alt-Backspace is not Esc")
        k.press(.control("w"))
        #expect(k.state.draft?.name.text == "Mary ")
        k.type("Jo Smith")
        k.press(.home, .right, .right, .right, .right, .control("k"))
        #expect(k.state.draft?.name.text == "Mary")
        k.press(.left, .control("u"))
        #expect(k.state.draft?.name.text == "y")
        #expect(k.effects == [])
        k.press(.end)
        k.type(" Jones")
        #expect(k.state.draft?.name.text == "y Jones")

        var admin = Driver()
        admin.press(.function(10))
        admin.type("24")
        admin.press(.control("u"))
        #expect(admin.state.phase == .adminPIN(entry: LineEditor(maxLength: 12), message: nil), "Ctrl-U clears a PIN half typed")
        admin.type("2")
        admin.press(.altBackspace)
        #expect(admin.state.phase == .adminPIN(entry: LineEditor(maxLength: 12), message: nil), "and so does Alt-Backspace, without leaving")
    }

    @Test("a failed save keeps the session, tells the person calmly, and the welcome screen says one is waiting")
    func saveFailed() {
        var k = Driver()
        k.signAndFailToSave("cannot flush to disk: Input/output error")
        #expect(k.state.phase == .saving(failure: SaveFailure(message: "cannot flush to disk: Input/output error", inRecoveryFile: true)))
        #expect(k.screen.contains("Please tell the school office. Nothing is lost"))
        #expect(k.screen.contains("Enter finish"))
        k.press(.escape, .control("c"), .up)
        #expect(k.state.phase == .saving(failure: SaveFailure(message: "cannot flush to disk: Input/output error", inRecoveryFile: true)), "other keys do nothing")
        k.send(.pendingSaves(1, inMemoryOnly: 0))
        k.wait(59)
        #expect(k.state.idleCountdown == nil, "no 'are you still there?' over a finished session")
        k.wait(1)
        #expect(k.state.phase == .welcome, "the next person need not wait: back after doneTimeout")
        #expect(k.state.draft == nil)
        #expect(k.screen.contains("1 signed agreement is waiting to be saved: please tell the school office."))
    }

    @Test("a failed save: Enter finishes at once; the session stays with the store, and a later save does not disturb the next person")
    func saveFailedFinish() {
        var k = Driver()
        k.signAndFailToSave("disk full")
        k.press(.enter)
        #expect(k.state.phase == .welcome)
        #expect(k.state.draft == nil)
        k.press(.enter)
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 3, reference: "ABCD-1234")))
        #expect(k.state.phase == .chooseRole(selected: nil, message: nil), "the next person carries on")
    }

    @Test("idle: a warning with a countdown, any key carries on, and then the session is cleared")
    func idle() {
        var k = Driver()
        k.press(.enter)
        k.type("2")
        k.type("Sam Private")
        k.wait(119)
        #expect(k.state.idleCountdown == nil)
        k.wait(1)
        #expect(k.state.idleCountdown == 30)
        #expect(k.screen.contains("Are you still there?"))
        #expect(k.screen.contains("in 30 seconds."))
        k.wait(10)
        #expect(k.screen.contains("in 20 seconds."))
        k.press(.character("x"))
        #expect(k.state.idleCountdown == nil)
        #expect(k.state.draft?.name.text == "Sam Private", "the key that wakes the kiosk is not typed")
        k.wait(150)
        #expect(k.state.phase == .welcome)
        #expect(k.state.draft == nil)
        #expect(!k.screen.contains("Sam Private"))
    }

    @Test("the welcome screen never times out into anything")
    func idleWelcome() {
        var k = Driver()
        k.wait(10_000)
        #expect(k.state.phase == .welcome)
        #expect(k.state.idleCountdown == nil)
    }

    @Test("the admin PIN is the only way out: a wrong PIN is refused, the right one leaves")
    func admin() {
        var k = Driver()
        k.press(.function(10))
        #expect(k.state.phase == .adminPIN(entry: LineEditor(maxLength: 12), message: nil))
        k.type("1111")
        #expect(!k.screen.contains("1111"), "the PIN is shown as dots")
        k.press(.enter)
        #expect(k.effects.contains(.bell))
        #expect(k.screen.contains("That PIN is not right."))
        k.type("2468")
        k.press(.enter)
        #expect(k.effects.last == .quit)
    }

    @Test("Ctrl-C, Ctrl-Z, Ctrl-\\, Ctrl-D, Esc and function keys never end the kiosk, on any screen")
    func lockedDown() {
        let hostile: [Key] = [.control("c"), .control("z"), .control("\\"), .control("d"), .escape, .function(1), .function(4), .function(12), .unknown]
        var k = Driver()
        var screens = 0
        // Walk a whole visitor session, throwing hostile keys at each screen.
        func barrage(_ k: inout Driver) {
            let before = k.state.phase
            for key in hostile where key != .escape {
                k.press(key)
                #expect(!k.effects.contains(.quit))
            }
            #expect(k.state.phase == before)
            screens += 1
        }
        barrage(&k)
        k.press(.enter); barrage(&k)
        k.type("2"); barrage(&k)
        k.type("Sam"); k.press(.enter); k.type("Acme"); k.press(.enter, .enter); barrage(&k)
        k.wait(3); barrage(&k)
        k.readEverything(); barrage(&k)
        for key in hostile {
            k.press(key)
            #expect(!k.effects.contains(.quit))
        }
        #expect(screens == 6)
    }

    @Test("a window below 40x12 asks to be enlarged, ignores keys, and the session carries on when it grows")
    func resize() {
        var k = Driver()
        k.press(.enter)
        k.type("2")
        k.type("Sam")
        k.send(.resize(Size(width: 30, height: 10)))
        #expect(k.screen.contains("Please make this window"))
        k.type("uel")
        #expect(k.state.draft?.name.text == "Sam")
        k.send(.resize(Size(width: 40, height: 12)))
        #expect(k.state.phase == .details(field: 0, message: nil, fromSigning: false))
        #expect(k.screen.contains("Sam"))
    }

    @Test("shrinking the window keeps the reading position in range")
    func resizeWhileReading() {
        var k = Driver()
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.enter, .end)
        guard case .reading(_, _, let scroll) = k.state.phase else { return }
        k.send(.resize(Size(width: 200, height: 60)))
        guard case .reading(_, _, let wider) = k.state.phase else { return }
        #expect(wider < scroll)
    }

    @Test("a resize while a clause has the focus keeps that clause, and its I agree, on screen")
    func resizeKeepsFocus() throws {
        let before = (1...20).map { "Paragraph \($0) before the clauses, long enough to wrap on a narrow screen." }.joined(separator: "\n\n")
        let after = (1...20).map { "Paragraph \($0) after the clauses." }.joined(separator: "\n\n")
        let parsed = DocumentParser.parse("""
            +++
            id = "code"
            title = "Code"
            version = 1
            declaration = "I agree."
            +++
            ## Rules

            \(before)

            - [ ] I will be kind.

            \(after)
            """, path: "code.md")
        var long = settings
        long.library = ContentLibrary(documents: [try #require(parsed.document, "\(parsed.diagnostics)")])
        var k = Driver(size: Size(width: 40, height: 12), settings: long)
        k.visitorToReading()
        while case .more = k.readingEnter { k.press(.enter) }
        #expect(k.readingEnter == .agree(clause: 0))
        for size in [Size(width: 132, height: 30), Size(width: 40, height: 12), Size(width: 80, height: 24)] {
            k.send(.resize(size))
            #expect(k.readingEnter == .agree(clause: 0), "\(size):\n\(k.screen)")
        }
    }

    @Test("Esc from the details screen goes back to the role list and forgets what was typed; another role starts afresh")
    func changeRole() {
        var k = Driver()
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.escape)
        #expect(k.state.phase == .chooseRole(selected: nil, message: nil))
        #expect(k.state.draft == nil)
        k.type("2")
        #expect(k.state.draft?.role == visitor)
        #expect(k.state.draft?.name.text == "")
        #expect(k.state.draft?.id == "session-2")
    }
}
