import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// Signing out and coming back, as the reducer and the screen see them:
/// the lookups are effects, answered by events.
@Suite("Sign-out and returning people")
struct DeskTests {
    static let link = RecordLink(terminal: "reception-1", seq: 7, sha256: String(repeating: "ab", count: 32))
    static var codeClauses: [Clause] { settings.library.document("code")!.clauses }

    @Test("S on the welcome screen, the code, Enter: a sign-out is asked of the run loop; its answer says goodbye, then the welcome returns")
    func signOut() throws {
        var k = Driver()
        #expect(k.screen.contains("S sign out"))
        #expect(k.screen.contains("R signed before"))
        k.type("s")
        #expect(k.screen.contains("Type the pass code from the screen"))
        k.press(.enter)
        #expect(k.effects == [.bell], "nothing typed: nothing looked up")
        k.type("7kq4-m9tz")
        k.press(.enter)
        #expect(k.effects == [.desk(.signOut(typed: "7kq4-m9tz"))])
        #expect(k.screen.contains("Signing you out…"))
        k.send(.desk(.signedOut(at: t0)))
        #expect(k.screen.contains("Signed out. Goodbye."))
        // A screen reader follows the cursor: it stands on the message, not in the key bar.
        let goodbye = Kiosk.render(k.state)
        let row = try #require(goodbye.cursor?.y)
        #expect(goodbye.lines[row].contains("Signed out. Goodbye."))
        #expect(!k.effects.contains { if case .log(_, let text, let metadata) = $0 { text.contains("7KQ4") || metadata.values.contains { $0.uppercased().contains("7KQ4") } } else { false } },
                "the code is never logged")
        k.wait(Desk.goodbyeSeconds)
        #expect(k.state.phase == .welcome)
    }

    @Test("nothing found: one neutral message, the field cleared; after three misses each try waits longer, and the screen says so")
    func neutralFailureAndDelay() {
        var k = Driver()
        k.type("s")
        var waits: [Int] = []
        for attempt in 1...5 {
            if let wait = k.state.lookupGuard.wait(at: k.now) { k.now += TimeInterval(wait) }
            k.type("2222-3333")
            k.press(.enter)
            #expect(k.effects == [.desk(.signOut(typed: "2222-3333"))], "attempt \(attempt)")
            k.send(.desk(.notFound))
            #expect(k.screen.contains(Desk.signOutNotFound) || k.screen.contains("Too many tries"))
            guard case .desk(.signOut(let entry, _)) = k.state.phase else { Issue.record("not on the sign-out screen"); return }
            #expect(entry.text.isEmpty)
            waits.append(k.state.lookupGuard.wait(at: k.now) ?? 0)
        }
        #expect(waits == [0, 0, 5, 10, 20], "the delay grows: \(waits)")
        // While waiting, Enter looks nothing up.
        k.type("2222-3333")
        k.press(.enter)
        #expect(k.effects == [.bell])
        #expect(k.screen.contains("Too many tries. Please wait 20 seconds before trying again."))
        // Going back to the welcome screen does not clear the count.
        k.press(.escape)
        k.type("s")
        #expect(k.state.lookupGuard.failures == 5)
    }

    @Test("R, the code and the name: the loop looks for the agreement; nothing found says the same whichever part was wrong")
    func returningNotFound() {
        var k = Driver()
        k.type("r")
        #expect(k.screen.contains("Pass code") && k.screen.contains("Full name"))
        k.type("7KQ4M9TZ")
        k.press(.enter)
        k.type("Zoë Ångström")
        k.press(.enter)
        #expect(k.effects == [.desk(.findAgreement(code: "7KQ4M9TZ", name: "Zoë Ångström"))])
        #expect(k.screen.contains("Looking for your agreement…"))
        k.send(.desk(.notFound))
        #expect(k.screen.contains("We could not find that. Check the code and name, or sign in as new."))
        guard case .desk(.returning(_, let code, let name, _)) = k.state.phase else { Issue.record("not on the returning screen"); return }
        #expect(code.text.isEmpty && name.text.isEmpty, "what was typed is gone")
    }

    @Test("found, nothing changed: the visit questions, then straight to signing; the record names the earlier one and holds no clause or reading")
    func returningNothingChanged() {
        var k = Driver()
        k.type("r")
        k.type("7KQ4M9TZ")
        k.press(.enter)
        k.type("zoe angstrom")
        k.press(.enter)
        k.send(.desk(.found(EarlierAgreement(record: Self.link, role: "visitor", name: "Zoë Ångström", agreedClauses: Set(Self.codeClauses.map(\.id)),
                                             answers: ["organisation": "Acme", "phone": "0123"]))))
        #expect(k.state.phase == .details(field: 1, message: nil, fromSigning: false), "on to the visit questions; the name is known")
        #expect(k.state.draft?.name.text == "Zoë Ångström")
        #expect(k.screen.contains("Acme"), "last time's answers are offered again")
        // Keep the organisation, clear the phone.
        k.press(.enter)
        for _ in 0..<4 { k.press(.backspace) }
        k.press(.enter)
        guard case .signing = k.state.phase else { Issue.record("not signing: \(k.state.phase)"); return }
        k.type("Zoë Ångström")
        k.press(.enter)
        guard case .commit(let session) = k.effects.first else { Issue.record("no commit: \(k.effects)"); return }
        #expect(session.previous == Self.link)
        #expect(session.acknowledgements.isEmpty)
        #expect(session.readings.map(\.document.id) == ["code"])
        #expect(session.readings.allSatisfy { $0.sectionsSeenAt.isEmpty }, "no reading time is made up for sections not shown")
        #expect(session.answers.map(\.value) == ["Acme", ""])
    }

    @Test("found, but the agreement has ended (its role's renewal date): told so, and every clause is read and agreed again")
    func returningEnded() {
        var k = Driver()
        k.type("r")
        k.type("7KQ4M9TZ")
        k.press(.enter)
        k.type("Sam Lee")
        k.press(.enter)
        k.send(.desk(.found(EarlierAgreement(record: Self.link, role: "staff", name: "Sam Lee", agreedClauses: [], ended: true))))
        #expect(k.screen.contains("Your last agreement has ended"))
        #expect(k.state.draft?.clauses.count == Self.codeClauses.count, "every clause is asked")
        k.press(.enter)
        guard case .reading = k.state.phase else { Issue.record("not reading: \(k.state.phase)"); return }
        k.readEverything()
        k.type("Sam Lee")
        k.press(.enter)
        guard case .commit(let session) = k.effects.first else { Issue.record("no commit: \(k.effects)"); return }
        #expect(session.acknowledgements.count == Self.codeClauses.count)
    }

    @Test("found, one clause new since: only that clause is asked, then signing")
    func returningOneNewClause() {
        var k = Driver()
        k.type("r")
        k.type("7KQ4M9TZ")
        k.press(.enter)
        k.type("Sam Lee")
        k.press(.enter)
        let agreed = Set(Self.codeClauses.dropLast().map(\.id))
        k.send(.desk(.found(EarlierAgreement(record: Self.link, role: "staff", name: "Sam Lee", agreedClauses: agreed))))
        // Staff are asked no questions: straight to the section that holds the new clause.
        guard case .reading(0, 0, _) = k.state.phase else { Issue.record("not reading: \(k.state.phase)"); return }
        #expect(k.state.draft?.clauses.map(\.clause.id) == [Self.codeClauses.last!.id])
        #expect(k.screen.contains("I will keep personal data secure."))
        for clause in Self.codeClauses.dropLast() {
            #expect(!k.screen.contains(clause.text), "a clause agreed before is not asked again: \(clause.text)")
        }
        k.readEverything()
        guard case .signing = k.state.phase else { Issue.record("not signing"); return }
        k.type("Sam Lee")
        k.press(.enter)
        guard case .commit(let session) = k.effects.first else { Issue.record("no commit"); return }
        #expect(session.acknowledgements.map(\.clause.id) == [Self.codeClauses.last!.id])
        #expect(session.previous == Self.link)
    }

    @Test("the pass code is on the done screen, and gone with the next person")
    func passCodeOnDoneScreen() {
        var k = Driver()
        k.visitorToSigning()
        k.type("Zoë Ångström")
        k.press(.enter)
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 3, reference: "ABCD-1234", passCode: "7KQ4M9TZ")))
        #expect(k.screen.contains("Your pass code: 7KQ4-M9TZ"))
        k.press(.enter)
        #expect(k.state.phase == .welcome)
        #expect(!k.screen.contains("7KQ4"))
        #expect(!"\(k.state.visit)".contains("7KQ4"), "nothing of it is kept")
    }

    @Test("staff: the admin PIN then Tab shows who is on site (read by the run loop); a wrong PIN shows nothing; Esc goes back")
    func onSiteAfterPIN() {
        var k = Driver()
        k.press(.function(10))
        #expect(k.screen.contains("Tab on site"))
        k.type("1357")
        k.press(.tab)
        #expect(k.screen.contains("That PIN is not right."))
        #expect(!k.effects.contains(.desk(.onSiteToday)))
        #expect(k.state.adminGuard.failures == 1)
        k.type("2468")
        k.press(.tab)
        #expect(k.effects.contains(.desk(.onSiteToday)))
        #expect(!k.effects.contains(.quit), "the kiosk stays up")
        #expect(k.screen.contains("Reading the record book…"))
        k.send(.desk(.onSite(OnSiteToday(people: [
            .init(time: "09:12", name: "Ann Lee", roleLabel: "Visitor", answers: "Organisation: Acme", status: ""),
            .init(time: "10:40", name: "Bob Roe", roleLabel: "Visitor", answers: "Organisation: Roe & Co", status: "not signed out (closed at 18:00)"),
        ], day: "Monday 21 September 2026, Europe/London"))))
        #expect(k.screen.contains("2 signed in today, not signed out\n  Monday 21 September 2026, Europe/London"))
        #expect(k.screen.contains("09:12  Ann Lee  Visitor  Organisation: Acme"))
        #expect(k.screen.contains("10:40  Bob Roe  Visitor  not signed out (closed at 18:00)  Organisation: Ro…"), "the status before the answers, a long line cut")
        k.press(.escape)
        #expect(k.state.phase == .welcome)
        #expect(!k.screen.contains("Ann Lee"))
    }

    @Test("at 40x12 the done screen still shows the reference and the whole pass code")
    func passCodeSmall() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.visitorToSigning()
        k.type("Zoë Ångström")
        for _ in 0..<5 { if case .signing = k.state.phase { k.press(.enter) } }
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 3, reference: "ABCD-1234", passCode: "7KQ4M9TZ")))
        #expect(k.screen.contains("Reference: 3 · ABCD-1234"))
        #expect(k.screen.contains("Your pass code: 7KQ4-M9TZ"))
        #expect(k.screen.contains("Write it down to sign out or come"))
    }

    @Test("the sign-out and returning screens fit 40x12")
    func smallScreen() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.type("s")
        #expect(k.screen.contains("Pass code:"))
        #expect(k.screen.contains("Enter sign out"))
        k.type("2222-3333")
        k.press(.enter)
        k.send(.desk(.notFound))
        #expect(k.screen.contains("We could not find that. Check the\n code, or ask at reception."), "the whole message fits: \(k.screen)")
        k.press(.escape)
        k.type("r")
        #expect(k.screen.contains("Pass code") && k.screen.contains("Full name"))
    }
}
