import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// Braille displays (brltty) and screen readers (speakup) follow the
/// terminal's cursor: on every screen it stands at the focus.
@Suite("Cursor at the focus")
struct FocusTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 40, height: 12)]

    /// What the screen shows from the cursor to the end of its row.
    static func atCursor(_ screen: Screen) -> String {
        guard let cursor = screen.cursor else { return "(no cursor)" }
        return (cursor.x..<screen.size.width).map { screen[$0, cursor.y].text }.joined()
    }

    @Test("welcome: on \"Press Enter to begin\"", arguments: sizes)
    func welcome(size: Size) {
        let k = Driver(size: size)
        #expect(Self.atCursor(Kiosk.render(k.state)).hasPrefix("Press Enter to begin"), "\(k.screen)")
    }

    @Test("role list: on the question while nothing is chosen, on what Enter alone says, then on the chosen role as it follows the arrows", arguments: sizes)
    func roles(size: Size) {
        var k = Driver(size: size)
        k.press(.enter)
        let body = Layout.body(size)
        var screen = Kiosk.render(k.state)
        #expect(screen.cursor == Point(x: body.x, y: body.y))
        #expect(Self.atCursor(screen).hasPrefix("Who are you?"), "\(Self.atCursor(screen))")
        k.press(.enter)
        screen = Kiosk.render(k.state)
        #expect(Self.atCursor(screen).hasPrefix("Press a number"), "\(Self.atCursor(screen))")
        k.press(.down)
        screen = Kiosk.render(k.state)
        #expect(Self.atCursor(screen).contains("1  New staff"), "\(Self.atCursor(screen))")
        k.press(.down)
        screen = Kiosk.render(k.state)
        #expect(Self.atCursor(screen).contains("2  Visitor"), "\(Self.atCursor(screen))")
    }

    @Test("details: at the insertion point of the field being typed, also after moving within it and to the next field", arguments: sizes)
    func details(size: Size) throws {
        var k = Driver(size: size)
        k.press(.enter)
        k.type("2")
        k.type("Zoë 李")
        let body = Layout.body(size)
        var screen = Kiosk.render(k.state)
        // "Zoë " is four cells, 李 two.
        #expect(screen.cursor == Point(x: body.x + 6, y: body.y + 1))
        k.press(.left)
        screen = Kiosk.render(k.state)
        #expect(screen.cursor == Point(x: body.x + 4, y: body.y + 1))
        k.press(.enter)
        k.type("Acme")
        screen = Kiosk.render(k.state)
        let cursor = try #require(screen.cursor)
        #expect(cursor.x == body.x + 4)
        #expect(screen.lines[cursor.y].contains("Acme"))
        #expect(screen.lines[cursor.y - 1].contains("Organisation"))
    }

    @Test("reading: on the first line of a section, then on the first line new on screen after each page turn, and back", arguments: sizes)
    func reading(size: Size) throws {
        var k = Driver(size: size)
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.enter)
        let body = Layout.body(size)
        var screen = Kiosk.render(k.state)
        #expect(screen.cursor == Point(x: body.x, y: body.y))
        #expect(Self.atCursor(screen).hasPrefix("3 statements to agree to"))
        var turns = 0
        while case .reading(0, 0, let before) = k.state.phase {
            let view = ReadingView(k.state, k.state.draft!, document: 0, section: 0, scroll: before)
            if view.text.atEnd { break }
            k.press(.enter)
            turns += 1
            guard case .reading(0, 0, let scroll) = k.state.phase else { break }
            screen = Kiosk.render(k.state)
            let cursor = try #require(screen.cursor)
            #expect(cursor.x == body.x)
            // The first line that was not on the page before (below the
            // page's last line), or the first with text after it.
            var expected = before + body.height
            while view.text.lines[expected].isEmpty { expected += 1 }
            #expect(scroll + (cursor.y - body.y) == expected, "turn \(turns): the cursor is on line \(scroll + cursor.y - body.y), the first new one is \(expected)")
        }
        #expect(turns > 1)
        // The next section starts on its first line again.
        k.press(.enter)
        screen = Kiosk.render(k.state)
        #expect(screen.cursor == Point(x: body.x, y: body.y))
        #expect(Self.atCursor(screen).hasPrefix("Scope"))
        // Back a section: its first line.
        k.press(.left)
        #expect(Kiosk.render(k.state).cursor == Point(x: body.x, y: body.y))
    }

    @Test("reading: after the window changes size, on the first line on screen (the lines wrap anew)")
    func readingResized() {
        var k = Driver()
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.enter, .enter)
        let body = Layout.body(k.state.size)
        // The first new line (the page keeps one of the last), or the text after it.
        let screen = Kiosk.render(k.state)
        let newLine = screen.lines[body.y + 1].allSatisfy { $0 == " " } ? body.y + 2 : body.y + 1
        #expect(screen.cursor == Point(x: body.x, y: newLine), "\(screen.text)")
        k.send(.resize(Size(width: 50, height: 20)))
        let resized = Layout.body(Size(width: 50, height: 20))
        #expect(Kiosk.render(k.state).cursor == Point(x: resized.x, y: resized.y))
    }

    /// The row of the screen that shows `text`, and the one above it.
    static func row(of text: String, _ screen: Screen) -> Int? {
        screen.lines.firstIndex { $0.contains(text) }
    }

    @Test("read once: on the focused clause's button row (asleep, awake), then on the next clause's after agreeing, on \"Agreed at\" after the last", arguments: sizes)
    func clause(size: Size) throws {
        var k = Driver(size: size)
        k.visitorToReading()
        let body = Layout.body(size)
        var screen = Kiosk.render(k.state)
        if size.height < 20 {
            // 40x12: the count, the title and the heading fill the page; the
            // first clause's button is below it. The cursor is on the first
            // line; Enter brings the clause and its button on screen.
            #expect(Self.row(of: "[ I agree ]", screen) == nil)
            #expect(screen.cursor == Point(x: body.x, y: body.y))
            #expect(Self.atCursor(screen).hasPrefix("3 statements to agree to"))
            k.press(.enter)
            screen = Kiosk.render(k.state)
        }
        // Where the screen shows the button, just under its clause.
        let first = try #require(Self.row(of: "[ I agree ]  please read: 3 s", screen), "\(screen.text)")
        #expect(screen.lines[first - 1].contains("I will never share my password."))
        #expect(screen.cursor == Point(x: body.x + 2, y: first), "\(screen.text)")
        #expect(Self.atCursor(screen).hasPrefix("[ I agree ]  please read: 3 s"))
        // The countdown and the button waking move nothing.
        k.wait(1)
        screen = Kiosk.render(k.state)
        #expect(screen.cursor == Point(x: body.x + 2, y: first))
        #expect(Self.atCursor(screen).hasPrefix("[ I agree ]  please read: 2 s"))
        k.wait(settings.minClauseSeconds - 1)
        screen = Kiosk.render(k.state)
        #expect(screen.cursor == Point(x: body.x + 2, y: first))
        #expect(Self.atCursor(screen).trimmingCharacters(in: .whitespaces) == "[ I agree ]")
        // Agreed: the next clause (the next item of the list) has the button and the cursor.
        k.press(.enter)
        screen = Kiosk.render(k.state)
        let second = try #require(Self.row(of: "[ I agree ]  please read: 3 s", screen), "\(screen.text)")
        #expect(screen.lines[second - 1].contains("I will respect copyright."))
        #expect(screen.lines[second - 2].contains("✓ Agreed at"))
        #expect(screen.cursor == Point(x: body.x + 2, y: second), "\(screen.text)")
        k.wait(settings.minClauseSeconds)
        k.press(.enter)
        k.wait(settings.minClauseSeconds)
        screen = Kiosk.render(k.state)
        let third = try #require(Self.row(of: "[ I agree ]", screen))
        #expect(screen.lines[third - 1].contains("I will keep personal data secure."))
        #expect(screen.cursor == Point(x: body.x + 2, y: third))
        // The last clause agreed: no button left; the cursor on what it became.
        k.press(.enter)
        screen = Kiosk.render(k.state)
        #expect(Self.row(of: "[ I agree ]", screen) == nil)
        #expect(screen.cursor == Point(x: body.x + 2, y: third), "\(screen.text)")
        #expect(Self.atCursor(screen).hasPrefix("✓ Agreed at"), "\(Self.atCursor(screen))")
    }

    @Test("read once: a page turn that does not reach the focused clause's button puts the cursor on the first new line; the turn that shows it, on the button")
    func clauseBelowThePage() throws {
        // A section that opens with a long paragraph before its clause.
        let text = """
            +++
            id = "long"
            title = "Long"
            version = 1
            declaration = "I agree."
            +++
            ## Rules

            \((1...12).map { "Paragraph \($0) before the clause." }.joined(separator: "\n\n"))

            - [ ] I will wear my badge.
            """
        var s = settings
        s.library = ContentLibrary(documents: [document(text)])
        s.roles = [Role(id: "visitor", label: "Visitor", documents: ["long"], questions: [], nextSteps: nil)]
        var k = Driver(settings: s)
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.enter)
        let body = Layout.body(k.state.size)
        var screen = Kiosk.render(k.state)
        #expect(Self.row(of: "[ I agree ]", screen) == nil)
        #expect(screen.cursor == Point(x: body.x, y: body.y))
        guard case .reading(0, 0, 0) = k.state.phase else { Issue.record("\(k.state.phase)"); return }
        k.press(.enter)
        guard case .reading(0, 0, let scroll) = k.state.phase else { Issue.record("\(k.state.phase)"); return }
        screen = Kiosk.render(k.state)
        if let button = Self.row(of: "[ I agree ]", screen) {
            #expect(screen.cursor == Point(x: body.x + 2, y: button))
        } else {
            // The first line that was not on the first page, or the text after it.
            let cursor = try #require(screen.cursor)
            #expect(cursor.x == body.x)
            #expect(scroll + cursor.y - body.y >= body.height)
            #expect(scroll + cursor.y - body.y <= body.height + 1)
            #expect(screen.lines[cursor.y].contains("Paragraph"))
        }
        for _ in 0..<5 where Self.row(of: "[ I agree ]", Kiosk.render(k.state)) == nil { k.press(.enter) }
        screen = Kiosk.render(k.state)
        let button = try #require(Self.row(of: "[ I agree ]", screen))
        #expect(screen.lines[button - 1].contains("I will wear my badge."))
        #expect(screen.cursor == Point(x: body.x + 2, y: button))
        // Scrolled back up by a line: on the button while it is still on
        // screen; here (the section ends with the clause, at the foot of the
        // page) it goes below, and the cursor is on the first line on screen.
        k.press(.up)
        screen = Kiosk.render(k.state)
        if button + 1 < body.y + body.height {
            #expect(screen.cursor == Point(x: body.x + 2, y: button + 1))
        } else {
            #expect(Self.row(of: "[ I agree ]", screen) == nil)
            // (Or the text after it, when that line is the blank between paragraphs.)
            let first = screen.lines[body.y].allSatisfy { $0 == " " } ? body.y + 1 : body.y
            #expect(screen.cursor == Point(x: body.x, y: first))
            #expect(Self.atCursor(screen).hasPrefix("Paragraph"), "\(screen.text)")
        }
    }

    @Test("signing: at the insertion point of the name", arguments: sizes)
    func signing(size: Size) throws {
        var k = Driver(size: size)
        k.visitorToSigning()
        k.type("Zoë")
        let screen = Kiosk.render(k.state)
        let cursor = try #require(screen.cursor)
        #expect(screen.lines[cursor.y].contains("Full name: Zoë"))
        #expect(cursor.x == Layout.body(size).x + 11 + 3)
    }

    @Test("saving, a failed save and the thank-you screen: on the main message", arguments: sizes)
    func savingAndDone(size: Size) {
        var k = Driver(size: size)
        k.visitorToSigning()
        k.type("Zoë Ångström")
        // On a small screen Enter first shows the rest of the declaration.
        for _ in 0..<10 where k.state.phase != .saving(failure: nil) { k.press(.enter) }
        #expect(Self.atCursor(Kiosk.render(k.state)).hasPrefix("Saving your agreement"))
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 7, reference: "7F3A-9C21")))
        #expect(Self.atCursor(Kiosk.render(k.state)).hasPrefix("Thank you, Zoë Ångström."))

        var failed = Driver(size: size)
        failed.visitorToSigning()
        failed.type("Zoë Ångström")
        for _ in 0..<10 where failed.state.phase != .saving(failure: nil) { failed.press(.enter) }
        failed.send(.saveFailed(sessionID: "session-1", SaveFailure(message: "disk full", inRecoveryFile: true)))
        #expect(Self.atCursor(Kiosk.render(failed.state)).hasPrefix("Your agreement could not be saved"))
    }

    @Test("admin PIN: in the field, at the end of what is typed; while the PIN must wait, on why", arguments: sizes)
    func admin(size: Size) {
        var k = Driver(size: size)
        k.press(.function(10))
        let body = Layout.body(size)
        #expect(Kiosk.render(k.state).cursor == Point(x: body.x + 11, y: body.y + 1))
        k.type("12")
        #expect(Kiosk.render(k.state).cursor == Point(x: body.x + 13, y: body.y + 1))
        for _ in 0..<3 {
            k.type("1111")
            k.press(.enter)
        }
        #expect(Self.atCursor(Kiosk.render(k.state)).hasPrefix("Too many wrong PINs"), "\(k.screen)")
    }

    @Test("the idle warning: on \"Are you still there?\", which says the key that gives more time", arguments: sizes)
    func idleWarning(size: Size) {
        var k = Driver(size: size)
        k.press(.enter)
        k.type("2")
        k.wait(settings.idleTimeout)
        let screen = Kiosk.render(k.state)
        #expect(Self.atCursor(screen).hasPrefix("Are you still there?"))
        #expect(screen.text.contains("Press any key for more time."))
    }

    @Test("the key that answers the idle warning gives more time and does nothing else")
    func idleKeyDoesNothingElse() {
        var k = Driver()
        k.press(.enter)
        k.type("2")
        k.type("Sam")
        k.wait(settings.idleTimeout + 5)
        #expect(k.state.idleCountdown == 25)
        k.type("x")
        #expect(k.state.idleCountdown == nil)
        #expect(k.state.draft?.name.text == "Sam", "the x that answered the warning was not typed")
        // A whole timeout again before the next warning.
        k.wait(settings.idleTimeout - 1)
        #expect(k.state.idleCountdown == nil)
    }

    @Test("a window too small: on the request to make it larger")
    func tooSmall() {
        let k = Driver(size: Size(width: 30, height: 8))
        #expect(Self.atCursor(Kiosk.render(k.state)).hasPrefix("Please make"))
    }

    @Test("a whole session, at both sizes: every screen has its cursor, inside the screen, on text or in the field being typed", arguments: sizes)
    func everyScreen(size: Size) throws {
        var k = Driver(size: size)
        var screens = 0
        func check(_ sourceLocation: SourceLocation = #_sourceLocation) {
            let screen = Kiosk.render(k.state)
            screens += 1
            guard let cursor = screen.cursor else {
                Issue.record("no cursor on:\n\(screen.text)", sourceLocation: sourceLocation)
                return
            }
            #expect(cursor.x >= 0 && cursor.x < size.width && cursor.y >= 0 && cursor.y < size.height, sourceLocation: sourceLocation)
            let cell = screen[cursor.x, cursor.y]
            #expect(cell.text != " " || cell.style.tone == .selected, "the cursor is on a blank outside a field:\n\(screen.text)", sourceLocation: sourceLocation)
        }
        check()
        k.press(.enter)
        check()
        k.type("2")
        check()
        k.type("Sam")
        k.press(.enter)
        check()
        k.type("Acme")
        k.press(.enter)
        check()
        k.press(.enter)
        for _ in 0..<300 {
            check()
            if case .signing = k.state.phase { break }
            if case .agree = k.readingEnter {
                k.wait(settings.minClauseSeconds)
                check()
            }
            k.press(.enter)
        }
        k.type("Sam")
        check()
        k.press(.enter)
        check()
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 1, reference: "7F3A-9C21")))
        check()
        #expect(screens > 10)
    }
}

/// Time limits can be adjusted per role (WCAG 2.2.1).
@Suite("Per-role clause dwell")
struct RoleDwellTests {
    @Test("a role with its own min_clause_seconds waits that long; the others the kiosk's")
    func dwell() {
        var slow = settings
        slow.roles[1].minClauseSeconds = 10
        slow.roles[0].minClauseSeconds = nil
        var k = Driver(settings: slow)
        k.visitorToReading()
        #expect(k.screen.contains("please read: 10 s"))
        k.wait(settings.minClauseSeconds)
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] == nil, "agreed after the kiosk's 3 s, not the role's 10 s")
        #expect(k.screen.contains("please read: 7 s"))
        k.wait(7)
        k.press(.enter)
        #expect(k.state.draft?.acknowledgedAt[0] != nil)

        // Staff: the kiosk's 3 seconds.
        var s = Driver(settings: slow)
        s.press(.enter)
        s.type("1")
        s.type("Sam")
        s.press(.enter)
        // Through the policy (no clauses) to the code's first clause.
        for _ in 0..<20 where s.readingEnter != .agree(clause: 0) { s.press(.enter) }
        #expect(s.screen.contains("please read: 3 s"))
        s.wait(3)
        s.press(.enter)
        #expect(s.state.draft?.acknowledgedAt[0] != nil)
    }
}

