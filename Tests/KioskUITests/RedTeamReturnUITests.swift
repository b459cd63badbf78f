import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// Red team of the returning-person screens (reducer level). A failing
/// test is a finding.
@Suite("Red team: a returning person's screens")
struct RedTeamReturnUITests {
    static let link = RecordLink(terminal: "reception-1", seq: 7, sha256: String(repeating: "ab", count: 32))
    static var codeClauses: [Clause] { settings.library.document("code")!.clauses }

    /// FINDING (misleads the office): once Zoë's code and name are found,
    /// the details screen opens on the visit questions with her name filled
    /// in, but ↑ reaches the name and it can be changed. The record then
    /// says "Mallory X" agreed, names Zoë's agreement as `previous`, and
    /// holds none of the clauses; verify says no problems, and Mallory's
    /// next R (with this record's code) is asked nothing either (the
    /// lookup follows `previous` to Zoë's clauses). Seen by hand in tmux
    /// (80x24): record 2 "Mallory X", previous = record 1 (Ann Lee), 0 clauses.
    @Test("a returning person cannot change the name on the agreement they were found by (or loses the link to it)")
    func nameChangedAfterFound() {
        var k = Driver()
        k.type("r")
        k.type("7KQ4M9TZ")
        k.press(.enter)
        k.type("Zoë Ångström")
        k.press(.enter)
        k.send(.desk(.found(EarlierAgreement(record: Self.link, role: "visitor", name: "Zoë Ångström", agreedClauses: Set(Self.codeClauses.map(\.id))))))
        #expect(k.state.phase == .details(field: 1, message: nil))
        k.press(.up)
        for _ in 0..<20 { k.press(.backspace) }
        k.type("Mallory X")
        k.press(.enter)
        k.type("Acme")
        k.press(.enter, .enter)
        if case .signing = k.state.phase {
            k.type("Mallory X")
            k.press(.enter)
        }
        guard case .commit(let session) = k.effects.first else { return }
        #expect(session.previous == nil || session.name == "Zoë Ångström",
                "\"\(session.name)\" signs with \(session.acknowledgements.count) clauses, building on Zoë's agreement \(String(describing: session.previous))")
    }
}
