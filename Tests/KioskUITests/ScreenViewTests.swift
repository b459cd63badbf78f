import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// The key bar says what Enter does, and Enter does it: both come from one
/// view of each scrolling screen (reading, a clause, signing).
@Suite("What Enter does, said and done alike")
struct ScreenViewTests {
    /// A code whose first clause is long enough to scroll at 40x12.
    static let longCode = document("""
        +++
        id = "code"
        title = "ICT Code of Conduct"
        short_title = "ICT Code"
        version = 2
        declaration = "I agree to follow this Code of Conduct."
        +++
        ## Rules

        - [ ] I will \((1...40).map { "rule\($0)" }.joined(separator: " ")) and keep to it.
        - [ ] I will respect copyright.
        """)

    static var longSettings: KioskSettings {
        var s = settings
        s.library = ContentLibrary(documents: [document(policyText), longCode])
        return s
    }

    /// The words after "Enter " on the key bar.
    static func enterLabel(_ screen: String) -> String? {
        guard let bar = screen.split(separator: "\n", omittingEmptySubsequences: false).last,
              let range = bar.range(of: "Enter ") else { return nil }
        let rest = bar[range.upperBound...]
        return ["next section", "to the clauses", "I agree", "more", "next", "sign"].first { rest.hasPrefix($0) }
    }

    /// Where the person is, for comparing before and after Enter.
    enum Place: Equatable {
        case reading(Int, Int, scroll: Int)
        case clause(Int, scroll: Int, agreed: Bool)
        case signing(scroll: Int)
        case saving
        case other
    }

    static func place(_ state: KioskState) -> Place {
        switch state.phase {
        case .reading(let d, let s, let scroll): .reading(d, s, scroll: scroll)
        case .acknowledging(let i, _, let scroll, _): .clause(i, scroll: scroll, agreed: state.draft!.acknowledgedAt[i] != nil)
        case .signing(let scroll, _): .signing(scroll: scroll)
        case .saving: .saving
        default: .other
        }
    }

    /// Whether going from `before` to `after` is what `label` promised.
    static func did(_ label: String, _ before: Place, _ after: Place) -> Bool {
        switch (label, before, after) {
        case ("more", .reading(let d, let s, let a), .reading(let d2, let s2, let b)): (d2, s2) == (d, s) && b > a
        case ("more", .clause(let i, let a, let agreed), .clause(let j, let b, let still)): j == i && still == agreed && b > a
        case ("more", .signing(let a), .signing(let b)): b > a
        case ("next section", .reading(let d, let s, _), .reading(let d2, let s2, 0)): (d2, s2) != (d, s)
        case ("to the clauses", .reading, .clause(_, 0, false)): true
        case ("I agree", .clause(let i, _, false), .clause(let j, 0, _)): j != i
        case ("I agree", .clause(_, _, false), .signing(0)): true
        case ("next", .clause(let i, _, true), .clause(let j, 0, _)): j != i
        case ("next", .clause(_, _, true), .signing(0)): true
        case ("sign", .reading, .signing(0)): true
        case ("sign", .signing, .saving): true
        default: false
        }
    }

    @Test("a whole session: on every screen the key bar's Enter is what Enter does; and on clauses gone back to, agreed or not",
          arguments: [Size(width: 80, height: 24), Size(width: 40, height: 12)])
    func enterDoesWhatItSays(size: Size) throws {
        var k = Driver(size: size, settings: Self.longSettings)
        k.press(.enter)
        k.type("1")
        k.type("Zoë Ångström 李小龍")
        k.press(.enter)
        var reviewed = false
        var steps = 0
        while Self.place(k.state) != .saving {
            steps += 1
            try #require(steps < 500, "the session never reached the end")
            if case .signing = k.state.phase, k.state.draft!.signature.text.isEmpty {
                if !reviewed {
                    // Go back over the agreed clauses, as a person checking them.
                    reviewed = true
                    k.press(.escape, .left)
                    continue
                }
                k.type("Zoë Ångström 李小龍")
            }
            if case .acknowledging = k.state.phase { k.wait(settings.minClauseSeconds) }
            let screen = k.screen
            let label = try #require(Self.enterLabel(screen), "no Enter on the key bar:\n\(screen)")
            let before = Self.place(k.state)
            k.press(.enter)
            let after = Self.place(k.state)
            #expect(Self.did(label, before, after), "the key bar said Enter \(label), and Enter went from \(before) to \(after):\n\(screen)")
        }
        #expect(reviewed)
    }

    @Test("an agreed clause gone back to, with more of it below: Enter shows more, and the key bar says so")
    func agreedClauseScrolls() {
        var k = Driver(size: Size(width: 40, height: 12), settings: Self.longSettings)
        k.visitorToClauses()
        k.press(.enter, .enter, .enter, .enter)
        k.wait(settings.minClauseSeconds)
        k.press(.enter)
        guard case .acknowledging(1, _, _, _) = k.state.phase else {
            Issue.record("not on clause 2: \(k.state.phase)")
            return
        }
        k.press(.left)
        #expect(k.state.draft?.acknowledgedAt[0] != nil)
        #expect(Self.enterLabel(k.screen) == "more", "\(k.screen)")
        k.press(.enter)
        guard case .acknowledging(0, _, let scroll, _) = k.state.phase else {
            Issue.record("Enter left the clause before its end: \(k.state.phase)")
            return
        }
        #expect(scroll > 0)
    }
}
