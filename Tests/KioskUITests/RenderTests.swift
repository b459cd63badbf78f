import Foundation
import KioskContent
import Testing
@testable import KioskUI

@Suite("Rendered screens")
struct RenderTests {
    @Test("welcome at 80x24")
    func welcome80() {
        let k = Driver()
        #expect(k.screen == """
             Redhill Primary School                                         Code of conduct








                                   Welcome to Redhill Primary School

              New staff, visitors and supply teachers: please read our code of conduct and
                             sign to say you agree. It takes a few minutes.

                                          Press Enter to begin








             Enter begin   S sign out   R signed before
            """)
    }

    @Test("welcome at 40x12: the right-hand title gives way")
    func welcome40() {
        let k = Driver(size: Size(width: 40, height: 12))
        #expect(k.screen == """
             Redhill Primary School
            
               Welcome to Redhill Primary School
            
                 New staff, visitors and supply
               teachers: please read our code of
             conduct and sign to say you agree. It
                      takes a few minutes.
            
                      Press Enter to begin
            
             Enter begin S sign out R signed before
            """)
    }

    @Test("signing at 40x12: text scrolled above the view is marked, and the key bar says how to scroll back")
    func signingScrolled() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.visitorToSigning()
        #expect(k.screen.contains("more ↓"))
        #expect(k.screen.contains("↑↓ scroll"))
        while case .signing(let scroll, nil) = k.state.phase, k.screen.contains("Enter more") {
            k.press(.enter)
            if case .signing(let after, _) = k.state.phase, after == scroll { break }
        }
        #expect(k.screen.contains("more ↑"), "\(k.screen)")
        #expect(k.screen.contains("Enter sign"))
        k.press(.up)
        #expect(k.screen.contains("more ↑↓") || k.screen.contains("more ↓"))
    }

    @Test("details with a CJK name and a combining accent at 80x24: wide characters take two cells")
    func detailsCJK() {
        var k = Driver()
        k.press(.enter)
        k.type("2")
        k.type("李小龍 Rene\u{301}e")
        k.press(.enter)
        k.type("Acme")
        let screen = Kiosk.render(k.state)
        #expect(screen.lines[3].hasPrefix("  李小龍 Renée"))
        // 李 takes cells 2 and 3; the cell after it holds nothing of its own.
        #expect(screen[2, 3].text == "李")
        #expect(screen[3, 3].text == "")
        #expect(screen[9, 3].text == "R")
        #expect(screen[12, 3].text == "e\u{301}")
        #expect(screen.cursor == Point(x: 6, y: 6), "the cursor stands after 'Acme' in the Organisation field")
        #expect(k.screen == """
             Your details: Visitor

              Full name
              李小龍 Renée

              Organisation
              Acme

              Phone (optional)














             Enter next field   ↑↓ field   Esc back
            """)
    }

    @Test("a clause at 40x12 with its number, source and a waiting button")
    func clause40() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.visitorToClauses()
        k.wait(1)
        #expect(k.screen == """
             Clause 1 of 3: ICT Code

             ICT Code: Rules

             I will never share my password.




             [ I agree ]  please read: 2 s
             Agreed 0 of 3
             Enter I agree   ← back   ↑↓ scroll
            """)
        let screen = Kiosk.render(k.state)
        #expect(screen[8, 4].style.bold, "**never** is bold")
        #expect(!screen[1, 4].style.bold)
    }

    @Test("a clause new or changed since the last version says so")
    func changedClause() {
        var changed = settings
        changed.changes = ["code": DocumentChange(sinceVersion: 1, clauses: [ClauseIdentity.hash("I will respect copyright.")])]
        var k = Driver(settings: changed)
        k.visitorToClauses()
        #expect(!k.screen.contains("changed since"), "clause 1 did not change")
        k.wait(3)
        k.press(.enter)
        #expect(k.screen.contains("I will respect copyright."))
        #expect(k.screen.contains("New or changed since version 1"))
    }

    @Test("a long section at 40x12 shows where the reader is and that more follows")
    func readingSmall() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.enter)
        let lines = Kiosk.render(k.state).lines
        #expect(lines[0].hasPrefix(" Social Media Policy 1/2: Purpose"))
        #expect(lines[10].contains("Doc 1/2 · Section 1/2"))
        #expect(lines[10].hasSuffix("more ↓ "))
        #expect(lines[11].hasPrefix(" Enter more"))
    }

    @Test("the thank-you screen at 40x12 keeps every word of a visitor's next steps")
    func doneSmall() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.visitorToSigning(name: "李小龍 Renée")
        k.type("李小龍 Renée")
        // On a small screen Enter first scrolls the declaration into view.
        for _ in 0..<5 where k.state.phase != .saving(failure: nil) { k.press(.enter) }
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 1, reference: "780F-5DB8")))
        let text = k.screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        #expect(text.contains("Thank you, 李小龍 Renée."))
        #expect(text.contains("Reference: 1 · 780F-5DB8"))
        #expect(text.contains("Please wait at reception."))
    }

    @Test("no line is ever wider than the screen, at any size, on any screen")
    func neverOverflows() {
        for size in [Size(width: 40, height: 12), Size(width: 41, height: 13), Size(width: 80, height: 24), Size(width: 132, height: 43)] {
            var k = Driver(size: size)
            var screens = [Kiosk.render(k.state)]
            k.press(.enter); screens.append(Kiosk.render(k.state))
            k.type("2"); k.type(String(repeating: "李", count: 60)); screens.append(Kiosk.render(k.state))
            k.press(.enter); k.type("Acme"); k.press(.enter, .enter); screens.append(Kiosk.render(k.state))
            k.readEverything(); screens.append(Kiosk.render(k.state))
            k.agreeToAll(); screens.append(Kiosk.render(k.state))
            for screen in screens {
                for line in screen.lines {
                    #expect(DisplayWidth.of(line) == size.width, "\(size): \(line)")
                }
            }
        }
    }

    @Test("control characters never reach the screen: they show as U+FFFD")
    func controlCharacters() {
        var screen = Screen(size: Size(width: 20, height: 1))
        screen.put("a\u{1B}[31mb\u{202E}c", x: 0, y: 0)
        #expect(screen.text == "a\u{FFFD}[31mb\u{FFFD}c")
    }
}

@Suite("Line editor")
struct LineEditorTests {
    @Test("typing, moving the cursor, Home and End, Backspace and Delete")
    func editing() {
        var e = LineEditor()
        for c in "Jon" { e.insert(c) }
        e.left()
        e.insert("h")
        #expect(e.text == "John")
        #expect(e.cursor == 3)
        e.home()
        e.delete()
        #expect(e.text == "ohn")
        e.end()
        e.backspace()
        #expect(e.text == "oh")
        e.home()
        e.backspace()
        #expect(e.text == "oh", "Backspace at the start does nothing")
    }

    @Test("control characters, escape, bidi overrides and private use are refused")
    func refused() {
        var e = LineEditor()
        for c: Character in ["\u{1B}", "\u{07}", "\u{0}", "\u{7F}", "\u{9B}", "\u{202E}", "\u{2066}", "\u{E000}", "\n"] {
            let accepted = e.insert(c)
            #expect(!accepted, "\(c.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(e.text == "")
        let arabic = e.insert("ع"), emoji = e.insert("😀")
        #expect(arabic && emoji)
    }

    @Test("a combining accent joins the letter before it")
    func combining() {
        var e = LineEditor()
        e.insert("e")
        e.insert("\u{301}")
        #expect(e.characters.count == 1)
        #expect(e.text == "é")
    }

    @Test("the length limit counts characters, so a 10,000-character paste stops at it")
    func limit() {
        var e = LineEditor(maxLength: 80)
        for _ in 0..<10_000 { e.insert("x") }
        #expect(e.characters.count == 80)
        var cjk = LineEditor(maxLength: 5)
        for c in "李小龍李小龍" { cjk.insert(c) }
        #expect(cjk.text == "李小龍李小")
    }

    @Test("a long name scrolls inside its field, keeping the cursor in view")
    func window() {
        var e = LineEditor()
        for c in "ABCDEFGHIJ" { e.insert(c) }
        #expect(e.window(width: 5) == ("GHIJ", 4))
        e.home()
        #expect(e.window(width: 5) == ("ABCDE", 0))
        var wide = LineEditor()
        for c in "李小龍李" { wide.insert(c) }
        #expect(wide.window(width: 6) == ("龍李", 4))
    }

    @Test("names compare without case or extra spaces")
    func comparable() {
        #expect(LineEditor.comparable("  Zoë   ÅNGSTRÖM ") == LineEditor.comparable("zoë ångström"))
        #expect(LineEditor.comparable("Zoe") != LineEditor.comparable("Zoë"))
    }
}

@Suite("Text layout")
struct TextLayoutTests {
    @Test("words wrap at the width; bold is kept across the break")
    func wrap() {
        let lines = TextLayout.wrap(RichText(markdown: "Staff should **never name pupils** in posts"), width: 16)
        #expect(lines.map { $0.map(\.text).joined() } == ["Staff should", "never name", "pupils in posts"])
        #expect(lines[1] == [.init("never", bold: true), .init(" "), .init("name", bold: true)])
    }

    @Test("a bullet's later lines line up under its text")
    func hanging() {
        let lines = TextLayout.wrap(RichText(markdown: "one two three four"), width: 10, indent: 2, firstPrefix: "• ")
        #expect(lines.map { $0.map(\.text).joined() } == ["• one two", "  three", "  four"])
    }

    @Test("CJK text without spaces breaks between characters, never inside one")
    func cjk() {
        let lines = TextLayout.wrap("李小龍李小龍李小龍", width: 7)
        #expect(lines == ["李小龍", "李小龍", "李小龍"])
        #expect(lines.allSatisfy { DisplayWidth.of($0) <= 7 })
    }

    @Test("display widths: ASCII 1, CJK 2, combining 0 extra, emoji 2")
    func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("李") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("ع") == 1)
    }
}
