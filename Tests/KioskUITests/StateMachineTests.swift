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
        #expect(k.state.phase == .chooseRole(selected: 0))
        k.press(.down)
        #expect(k.state.phase == .chooseRole(selected: 1))
        k.press(.up, .up)
        #expect(k.state.phase == .chooseRole(selected: 1), "arrows wrap around")
        k.type("2")
        #expect(k.state.phase == .details(field: 0, message: nil))
        #expect(k.state.draft?.role == visitor)
        #expect(k.state.draft?.documents.map(\.id) == ["code"])
        #expect(k.state.draft?.startedAt == t0)
    }

    @Test("details: a name is required, and so is each required question; optional ones are not")
    func details() {
        var k = Driver()
        k.press(.enter)
        k.type("2")
        k.press(.enter, .enter, .enter)
        #expect(k.state.phase == .details(field: 0, message: "Please type your full name."))
        #expect(k.effects == [.bell])
        k.type("   ")
        k.press(.enter, .enter, .enter)
        #expect(k.state.phase == .details(field: 0, message: "Please type your full name."), "blanks are not a name")
        k.type("Sam")
        k.press(.enter, .enter, .enter)
        #expect(k.state.phase == .details(field: 1, message: "Please fill in Organisation."))
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
        #expect(k.state.phase == .details(field: 0, message: "This box takes at most 80 characters."))
        #expect(k.effects.last == .bell)
        k.press(.backspace)
        #expect(k.state.phase == .details(field: 0, message: nil), "the note goes once there is room again")
        k.type("a\u{1B}")
        #expect(k.state.draft?.name.text.hasSuffix("李a") == true)
        #expect(k.state.phase == .details(field: 0, message: nil), "a control character is refused for what it is, not for a full box")
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
        #expect(k.state.phase == .details(field: 0, message: nil))
    }

    @Test("a clause cannot be agreed to before it has been on screen for the minimum time")
    func dwell() {
        var k = Driver()
        k.visitorToClauses()
        #expect(k.state.phase == .acknowledging(clause: 0, shownAt: t0, scroll: 0, message: nil))
        k.now += 2
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] == nil)
        #expect(k.effects == [.bell])
        #expect(k.screen.contains("Please take a moment to read this clause."))
        k.now += 1
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] == t0 + 3)
        #expect(k.state.phase == .acknowledging(clause: 1, shownAt: t0 + 3, scroll: 0, message: nil))
        // Going back keeps the agreement; the next clause's clock restarts.
        k.press(.left)
        #expect(k.state.draft?.acknowledgedAt[0] == t0 + 3)
        k.press(.enter)
        #expect(k.state.phase == .acknowledging(clause: 1, shownAt: t0 + 3, scroll: 0, message: nil))
        k.press(.right)
        #expect(k.effects == [.bell], "cannot skip a clause not yet agreed")
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[1] == nil, "no time has passed on clause 2")
    }

    @Test("every clause must be agreed before signing; the signature must match the name")
    func signing() throws {
        var k = Driver()
        k.visitorToSigning(name: "Zoë  Ångström")
        #expect(k.state.phase == .signing(scroll: 0, message: nil))
        #expect(k.state.draft?.acknowledgedAt.allSatisfy { $0 != nil } == true)
        k.press(.enter)
        #expect(k.state.phase == .signing(scroll: 0, message: "Please type your full name to sign."))
        k.type("Zoe Angstrom")
        k.press(.enter)
        #expect(k.state.phase == .signing(scroll: 0, message: "This does not match the name you gave. Please type it as before."))
        for _ in 0..<12 { k.press(.backspace) }
        // Case, spacing and composed/decomposed accents do not matter.
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
        #expect(k.state.phase == .chooseRole(selected: 0), "the next person carries on")
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
            #expect(k.state.phase == before || { if case .acknowledging = before { true } else { false } }())
            screens += 1
        }
        barrage(&k)
        k.press(.enter); barrage(&k)
        k.type("2"); barrage(&k)
        k.type("Sam"); k.press(.enter); k.type("Acme"); k.press(.enter, .enter); barrage(&k)
        k.readEverything(); barrage(&k)
        k.agreeToAll(); barrage(&k)
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
        #expect(k.state.phase == .details(field: 0, message: nil))
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

    @Test("Esc from the details screen goes back to the role list and forgets what was typed; another role starts afresh")
    func changeRole() {
        var k = Driver()
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.escape)
        #expect(k.state.phase == .chooseRole(selected: 0))
        #expect(k.state.draft == nil)
        k.type("2")
        #expect(k.state.draft?.role == visitor)
        #expect(k.state.draft?.name.text == "")
        #expect(k.state.draft?.id == "session-2")
    }
}
