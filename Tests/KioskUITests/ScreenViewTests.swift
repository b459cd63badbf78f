import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// The key bar says what Enter does, and Enter does it: both come from one
/// view of each scrolling screen (reading with its clauses, signing).
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
        return ["next section", "I agree", "more", "sign"].first { rest.hasPrefix($0) }
    }

    /// Where the person is, for comparing before and after Enter.
    enum Place: Equatable {
        case reading(Int, Int, scroll: Int, agreed: Int)
        case signing(scroll: Int)
        case saving
        case other
    }

    static func place(_ state: KioskState) -> Place {
        switch state.phase {
        case .reading(let d, let s, let scroll): .reading(d, s, scroll: scroll, agreed: state.draft!.acknowledgedAt.filter { $0 != nil }.count)
        case .signing(let scroll, _): .signing(scroll: scroll)
        case .saving: .saving
        default: .other
        }
    }

    /// Whether going from `before` to `after` is what `label` promised.
    static func did(_ label: String, _ before: Place, _ after: Place) -> Bool {
        switch (label, before, after) {
        case ("more", .reading(let d, let s, let a, let n), .reading(let d2, let s2, let b, let m)): (d2, s2) == (d, s) && b != a && n == m
        case ("more", .signing(let a), .signing(let b)): b > a
        case ("next section", .reading(let d, let s, _, _), .reading(let d2, let s2, 0, _)): (d2, s2) != (d, s)
        case ("I agree", .reading(let d, let s, _, let n), .reading(let d2, let s2, _, let m)): (d2, s2) == (d, s) && m == n + 1
        case ("sign", .reading, .signing(0)): true
        case ("sign", .signing, .saving): true
        default: false
        }
    }

    @Test("a whole session: on every screen the key bar's Enter is what Enter does; and on pages gone back to",
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
                    k.press(.escape, .home, .left)
                    continue
                }
                k.type("Zoë Ångström 李小龍")
            }
            if case .agree = k.readingEnter { k.wait(settings.minClauseSeconds) }
            let screen = k.screen
            let label = try #require(Self.enterLabel(screen), "no Enter on the key bar:\n\(screen)")
            let before = Self.place(k.state)
            k.press(.enter)
            let after = Self.place(k.state)
            #expect(Self.did(label, before, after), "the key bar said Enter \(label), and Enter went from \(before) to \(after):\n\(screen)")
        }
        #expect(reviewed)
    }

    @Test("a clause taller than the screen: Enter pages through it, skipping nothing, and its I agree comes once its end is on screen")
    func tallClause() {
        var k = Driver(size: Size(width: 40, height: 12), settings: Self.longSettings)
        k.visitorToReading()
        var scrolls: [Int] = []
        while case .more = k.readingEnter, scrolls.count < 20 {
            k.press(.enter)
            guard case .reading(0, 0, let scroll) = k.state.phase else { break }
            scrolls.append(scroll)
        }
        let page = Layout.body(k.state.size).height - 1
        #expect(zip([0] + scrolls, scrolls).allSatisfy { $1 > $0 && $1 - $0 <= page }, "each Enter moves down by a page at most: \(scrolls)")
        #expect(k.readingEnter == .agree(clause: 0))
        #expect(k.screen.contains("and keep to it."))
        #expect(k.screen.contains("[ I agree ]"))
        let shown = k.state.draft?.clauseShownAt[0]
        #expect(shown != nil)
        k.now += settings.minClauseSeconds
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] == t0 + settings.minClauseSeconds)
        #expect(k.readingEnter == .agree(clause: 1), "the short clause after it comes into view with it")
    }
}
