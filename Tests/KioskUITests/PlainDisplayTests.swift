import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// `display = "plain"` (or NO_COLOR): no box drawing or decorative glyphs
/// on any screen, the words a person needs first on each line.
@Suite("Plain display")
struct PlainDisplayTests {
    static var plain: KioskSettings {
        var s = settings
        s.display = .plain
        return s
    }

    /// Every symbol the colour display draws, and any box drawing, arrow or
    /// geometric shape.
    static func decorations(_ screen: Screen) -> [String] {
        var found: [String] = []
        for y in 0..<screen.size.height {
            for x in 0..<screen.size.width {
                let text = screen[x, y].text
                if ["…", "·", "•", "›", "✓", "×"].contains(text) || text.unicodeScalars.contains(where: Glyphs.isDecoration) {
                    found.append("\(x),\(y): \(text)")
                }
            }
        }
        return found
    }

    /// Every screen of a visitor's session, every clause asleep, awake and
    /// agreed on the reading page, the page gone back to from signing, the
    /// idle warning, the PIN screen, a failed save and the thank-you screen.
    static func session(_ size: Size, settings: KioskSettings = plain) -> [Screen] {
        var k = Driver(size: size, settings: settings)
        k.send(.recordBook(BookHead(seq: 42, reference: "7F3A-9C21")))
        var screens = [Kiosk.render(k.state)]
        func keep() { screens.append(Kiosk.render(k.state)) }
        k.press(.function(10))
        k.type("12")
        keep()
        k.press(.escape, .enter)
        keep()
        k.type("2")
        k.type("Zoë 李")
        keep()
        k.wait(settings.idleTimeout)
        keep()
        k.press(.enter)
        k.press(.enter)
        k.type("Acme")
        k.press(.enter, .enter)
        var wentBack = false
        for _ in 0..<100 {
            keep()
            if case .signing = k.state.phase {
                if wentBack { break }
                // Back to the last page: every clause shows when it was agreed.
                wentBack = true
                k.press(.escape)
                keep()
            }
            if case .agree = k.readingEnter {
                k.wait(settings.minClauseSeconds)
                keep()
            }
            k.press(.enter)
        }
        k.type("Zoë 李")
        keep()
        for _ in 0..<10 where k.state.phase != .saving(failure: nil) { k.press(.enter) }
        keep()
        k.send(.saveFailed(sessionID: "session-1", SaveFailure(message: "disk full", inRecoveryFile: true)))
        keep()
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 43, reference: "0A1B-2C3D")))
        keep()
        var small = Driver(size: Size(width: 30, height: 8), settings: settings)
        small.press(.enter)
        screens.append(Kiosk.render(small.state))
        // A member of staff's long section, scrolled.
        var staff = Driver(size: size, settings: settings)
        staff.press(.enter)
        staff.type("1")
        staff.type("Sam")
        staff.press(.enter)
        screens.append(Kiosk.render(staff.state))
        staff.press(.enter)
        screens.append(Kiosk.render(staff.state))
        return screens
    }

    @Test("no screen of a whole session has box drawing, arrows, bullets or other symbols", arguments: FocusTests.sizes)
    func noDecorations(size: Size) {
        let screens = Self.session(size)
        #expect(screens.count > 15)
        for screen in screens {
            #expect(Self.decorations(screen) == [], "\(screen.text)")
        }
        // The check finds them on the colour display.
        #expect(Self.session(size, settings: settings).contains { !Self.decorations($0).isEmpty })
    }

    @Test("the words first: the button, agreement, more text, references and keys are spelt out", arguments: FocusTests.sizes)
    func words(size: Size) {
        let text = Self.session(size).map(\.text).joined(separator: "\n")
        #expect(text.contains("Please read: I agree in 3 s"))
        #expect(text.contains("I agree: press Enter"))
        #expect(text.contains("Agreed at "))
        #expect(text.contains("Up/Down"))
        #expect(text.contains("Record book: 42, 7F3A-9C21"))
        #expect(text.contains("Saving your agreement..."))
        #expect(text.contains("Reference: 43, 0A1B-2C3D"))
        #expect(text.contains("Press any key for more time."))
        #expect(text.contains("(at least 40 x 12)"))
        #expect(text.contains("More below"))
    }

    @Test("a list's bullets and the PIN's dots are ASCII; letters in any script are kept")
    func ascii() {
        var k = Driver(settings: Self.plain)
        k.press(.function(10))
        k.type("1234")
        #expect(k.screen.contains("Admin PIN: ****"))
        var r = Driver(settings: Self.plain)
        r.visitorToReading(name: "Zoë 李小龍")
        #expect(r.screen.contains("* I will never share my password."), "\(r.screen)")
        r.press(.left)
        #expect(r.screen.contains("Zoë 李小龍"))
    }

    @Test("the read-once page in plain: ASCII bullets, the button in words asleep and awake, \"Agreed at\", \"More below\"; the view itself draws them so (not the last pass)", arguments: FocusTests.sizes)
    func readingPage(size: Size) throws {
        var k = Driver(size: size, settings: Self.plain)
        k.visitorToReading()
        // At 40x12 the first clause's button is below the first page.
        if FocusTests.row(of: "Please read", Kiosk.render(k.state)) == nil { k.press(.enter) }
        let body = Layout.body(size)
        var screen = Kiosk.render(k.state)
        let button = try #require(FocusTests.row(of: "Please read: I agree in 3 s", screen), "\(screen.text)")
        #expect(screen.lines[button - 1].hasPrefix(String(repeating: " ", count: body.x) + "* I will never share my password."), "\(screen.text)")
        #expect(screen.cursor == Point(x: body.x + 2, y: button))
        #expect(FocusTests.atCursor(screen).hasPrefix("Please read: I agree in 3 s"))
        k.wait(settings.minClauseSeconds)
        screen = Kiosk.render(k.state)
        #expect(FocusTests.atCursor(screen).trimmingCharacters(in: .whitespaces) == "I agree: press Enter")
        k.press(.enter)
        screen = Kiosk.render(k.state)
        let agreed = try #require(FocusTests.row(of: "Agreed at", screen), "\(screen.text)")
        #expect(screen.lines[agreed].hasPrefix(String(repeating: " ", count: body.x + 2) + "Agreed at "), "\(screen.lines[agreed])")
        #expect(screen.lines[agreed + 2].contains("Please read: I agree in 3 s"))
        #expect(screen.cursor == Point(x: body.x + 2, y: agreed + 2))
        #expect(Self.decorations(screen) == [], "\(screen.text)")
        // What the view draws, before the render's last pass swaps any symbol left.
        guard case .reading(let d, let s, let scroll) = k.state.phase else { Issue.record("\(k.state.phase)"); return }
        let view = ReadingView(k.state, k.state.draft!, document: d, section: s, scroll: scroll)
        let drawn = view.text.lines.map { $0.map(\.text).joined() }
        #expect(drawn.contains { $0.hasPrefix("* I will respect copyright.") }, "\(drawn)")
        let symbols = drawn.joined().unicodeScalars.filter { $0.value > 0x7F }
        #expect(symbols.isEmpty, "symbols the plain view drew itself: \(String(String.UnicodeScalarView(symbols)))")
        // The colour display's view draws its symbols (the check above can fail).
        var colour = Driver(size: size)
        colour.visitorToReading()
        for _ in 0..<5 where colour.state.draft?.acknowledgedAt[0] == nil {
            colour.wait(settings.minClauseSeconds)
            colour.press(.enter)
        }
        guard case .reading(let cd, let cs, let cscroll) = colour.state.phase else { return }
        let colourLines = ReadingView(colour.state, colour.state.draft!, document: cd, section: cs, scroll: cscroll).text.lines.map { $0.map(\.text).joined() }
        #expect(colourLines.joined().contains("• I will respect copyright."))
        #expect(colourLines.joined().contains("✓ Agreed at"))
    }

    @Test("the idle warning has no box: a frame of reverse-video blanks around it")
    func idleFrame() throws {
        var k = Driver(settings: Self.plain)
        k.press(.enter)
        k.wait(settings.idleTimeout)
        let screen = Kiosk.render(k.state)
        let cursor = try #require(screen.cursor)
        #expect(screen[cursor.x - 2, cursor.y].style.tone == .bar)
        #expect(screen[cursor.x - 2, cursor.y].text == " ")
        #expect(screen[cursor.x - 2, cursor.y - 1].style.tone == .bar)
    }

    @Test("a truncated line ends in \"...\", not \"…\"; a title too long for 40 columns too")
    func ellipsis() {
        #expect(Kiosk.ellipsized("Supply teachers", 10, .ascii) == "Supply ...")
        #expect(Kiosk.ellipsized("Supply teachers", 10) == "Supply te…")
        #expect(Kiosk.ellipsized("Supply teachers", 2, .ascii) == "..")
        var long = Self.plain
        long.school = "Redhill Primary School and Nursery of the Holy Cross"
        let title = Kiosk.render(Driver(size: Size(width: 40, height: 12), settings: long).state).lines[0]
        #expect(title == " Redhill Primary School and Nursery ... ", "\(title)")
    }

    @Test("a symbol in the policy text becomes its ASCII look-alike in plain, cell for cell; letters stay")
    func symbolsInText() {
        var screen = Screen(size: Size(width: 20, height: 1))
        screen.put("Zoë → 李 • ✓ ─", x: 0, y: 0)
        screen.useASCIIDecorations()
        #expect(screen.text == "Zoë > 李 * + -")
    }
}
