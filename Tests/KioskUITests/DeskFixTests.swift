import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// The red team's findings at the desk, fixed: variants of each class.
@Suite("Desk fixes: a found name stays, a public reference clears no misses, a sign-out not written is said plainly")
struct DeskFixTests {
    static let link = RecordLink(terminal: "reception-1", seq: 7, sha256: String(repeating: "ab", count: 32))
    static var codeClauses: [Clause] { settings.library.document("code")!.clauses }

    /// Found as `name`, in `role`, having agreed to `agreed`.
    static func found(role: String, name: String = "Zoë Ångström", agreed: [Clause] = codeClauses) -> Driver {
        var k = Driver()
        k.type("r")
        k.type("7KQ4M9TZ")
        k.press(.enter)
        k.type(name)
        k.press(.enter)
        k.send(.desk(.found(EarlierAgreement(record: link, role: role, name: name, agreedClauses: Set(agreed.map(\.id))))))
        return k
    }

    @Test("the found name cannot be edited on the details screen: every editing key there rings and says why; ↑ stops at the first question")
    func nameLockedOnDetails() {
        var k = Self.found(role: "visitor")
        k.press(.up)
        #expect(k.state.phase == .details(field: 1, message: nil, fromSigning: false), "↑ does not reach the name")
        k.press(.backTab)
        #expect(k.state.phase == .details(field: 1, message: nil, fromSigning: false))
        #expect(k.screen.contains("Full name (as when you signed before)"))
        #expect(k.screen.contains("Zoë Ångström"))
        // However the name field is reached (here by the phase itself, as a
        // way back through reading would), it takes no edit.
        k.state.phase = .details(field: 0, message: nil, fromSigning: false)
        for key: Key in [.backspace, .delete, .character("X"), .home] {
            k.press(key)
            #expect(k.effects == [.bell], "\(key)")
            #expect(k.state.draft?.name.text == "Zoë Ångström")
        }
        #expect(k.screen.contains("Your name stays as on your earlier agreement"))
    }

    @Test("a returning person sent back from the first new clause (← through the reading) still cannot change the name, and signs only with it")
    func nameLockedAfterGoingBack() {
        // Staff: no questions; one clause new since.
        var k = Self.found(role: "staff", agreed: Array(Self.codeClauses.dropFirst()))
        guard case .reading = k.state.phase else { Issue.record("\(k.state.phase)"); return }
        for _ in 0..<30 where !(k.state.phase == .details(field: 0, message: nil, fromSigning: false)) { k.press(.left) }
        #expect(k.state.phase == .details(field: 0, message: nil, fromSigning: false))
        for _ in 0..<20 { k.press(.backspace) }
        k.type("Mallory X")
        #expect(k.state.draft?.name.text == "Zoë Ångström")
        #expect(k.state.draft?.previous == Self.link)
    }

    @Test("a sign-out by the (public) reference does not clear the misses; one by a pass code does")
    func referenceKeepsTheWait() {
        var k = Driver()
        k.type("s")
        for _ in 0..<3 {
            k.type("2222-3333")
            k.press(.enter)
            k.send(.desk(.notFound))
        }
        #expect(k.state.lookupGuard.failures == 3)
        k.now += 10
        k.type("1 · 7F3A-9C21")
        k.press(.enter)
        k.send(.desk(.signedOut(at: k.now, byReference: true)))
        #expect(k.state.lookupGuard.failures == 3, "a public reference proves nothing")
        k.press(.enter)
        k.type("s")
        k.now += 10
        k.type("7KQ4-M9TZ")
        k.press(.enter)
        k.send(.desk(.signedOut(at: k.now)))
        #expect(k.state.lookupGuard.failures == 0)
    }

    @Test("a sign-out that could not be written: the screen says so in the desk's words only, and rings", arguments: [Size(width: 80, height: 24), Size(width: 40, height: 12)])
    func signOutNotWritten(size: Size) {
        var k = Driver(size: size)
        k.type("s")
        #expect(k.screen.contains("Lost your code?") && k.screen.contains("reception."), "what to do without a code: \(k.screen)")
        k.type("7KQ4-M9TZ")
        k.press(.enter)
        k.send(.desk(.failed("You are not signed out yet – please tell reception.")))
        #expect(k.effects.contains(.bell))
        #expect(k.screen.contains("You are not signed out yet"), "\(k.screen)")
        #expect(k.screen.contains("tell reception"), "\(k.screen)")
    }
}
