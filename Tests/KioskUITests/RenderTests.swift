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
            
              Everyone who works here or visits: please read our code of conduct and sign
                                           to say you agree.
            
                                          Press Enter to begin
            
                       Leaving? Press S to sign out. Signed here before? Press R.
            
            
            
            
            
            
            
             Enter begin   S sign out   R signed before
            """)
    }

    @Test("welcome at 40x12: the right-hand title gives way")
    func welcome40() {
        let k = Driver(size: Size(width: 40, height: 12))
        #expect(k.screen == """
             Redhill Primary School
            
               Welcome to Redhill Primary School
            
               Everyone who works here or visits:
              please read our code of conduct and
                     sign to say you agree.
                      Press Enter to begin
              Leaving? Press S to sign out. Signed
                     here before? Press R.
            
             Enter begin S sign out R signed before
            """)
    }

    @Test("signing at 40x12: text scrolled above the view is marked, and the key bar says how to scroll back")
    func signingScrolled() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.visitorToSigning()
        #expect(k.screen.contains("more ↓"))
        #expect(k.screen.contains("↑↓ scroll"))
        #expect(k.screen.contains("F2 edit   Esc back") || k.screen.contains("F2 edit  Esc back") || k.screen.contains("F2 edit Esc back"), "every key fits:\n\(k.screen)")
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

    @Test("a clause at 40x12 on its reading page: highlighted where it stands, its waiting button right under it")
    func clause40() {
        var k = Driver(size: Size(width: 40, height: 12))
        k.visitorToReading()
        while case .more = k.readingEnter { k.press(.enter) }
        k.wait(1)
        #expect(k.screen == """
             ICT Code, section 1 of 1: Rules
            
             Rules
            
             • I will never share my password.
               [ I agree ]  please read: 2 s
             • I will respect copyright.
            
             • I will keep personal data secure.
            
             Section 1/1 · 0/3 agreed · end
             Enter I agree   ↑↓ scroll   ← back
            """)
        let screen = Kiosk.render(k.state)
        #expect(screen[10, 4].style.bold, "**never** is bold")
        #expect(screen[3, 4].style.tone == .selected, "the clause with the focus is highlighted")
        #expect(screen[3, 6].style.tone == .normal, "the next one is not")
    }

    @Test("a clause new or changed since the last version says so, where it stands")
    func changedClause() {
        var changed = settings
        changed.changes = ["code": DocumentChange(sinceVersion: 1, clauses: [ClauseIdentity.hash("I will respect copyright.")])]
        var k = Driver(settings: changed)
        k.visitorToReading()
        let lines = k.screen.split(separator: "\n", omittingEmptySubsequences: false)
        let row = try! #require(lines.firstIndex { $0.contains("I will respect copyright.") })
        #expect(lines[row + 1].contains("New or changed since version 1"), "\(k.screen)")
        #expect(lines.filter { $0.contains("changed since") }.count == 1, "clause 1 did not change")
        k.wait(3)
        k.press(.enter)
        k.wait(3)
        #expect(k.screen.contains("[ I agree ]  new or changed since version 1"), "\(k.screen)")
    }

    @Test("an empty required field says so at the field: under its box at 80x24, beside its label at 40x12")
    func fieldMessage() {
        for (size, under) in [(Size(width: 80, height: 24), true), (Size(width: 40, height: 12), false)] {
            var k = Driver(size: size)
            k.press(.enter)
            k.type("2")
            k.type("Sam")
            k.press(.enter, .enter, .enter)
            let lines = k.screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let label = try! #require(lines.firstIndex { $0.contains("Organisation") })
            if under {
                #expect(lines[label + 2] == "  Please fill this in.", "\(k.screen)")
            } else {
                #expect(lines[label] == " Organisation  Please fill this in.", "\(k.screen)")
            }
            #expect(lines.filter { $0.contains("Please fill this in.") }.count == 1, "said once, at its field")
            #expect(!lines[lines.count - 2].contains("Please"), "not on the progress line, away from the field")
        }
    }

    @Test("on a wide screen the text is a column of at most 76 cells in the middle, and a clause's I agree is right under it")
    func wideScreen() {
        let size = Size(width: 200, height: 50)
        var k = Driver(size: size)
        k.visitorToReading()
        let screen = Kiosk.render(k.state)
        let left = (200 - 76) / 2
        for (y, line) in screen.lines.enumerated() where y > 0 && y < size.height - 1 {
            let used = line.indices.filter { line[$0] != " " }.map { line.distance(from: line.startIndex, to: $0) }
            guard let first = used.first, let last = used.last else { continue }
            #expect(first >= left && last < left + 76, "row \(y) spans \(first)...\(last): \(line)")
        }
        let lines = screen.lines
        let clause = try! #require(lines.firstIndex { $0.contains("I will never share my password.") })
        #expect(lines[clause + 1].contains("[ I agree ]"), "\(k.screen)")
    }

    @Test("before the first clause the person is told how many statements there are and about how long it takes")
    func estimate() {
        var k = Driver()
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.enter)
        #expect(Kiosk.render(k.state).lines[2].hasPrefix("  3 statements to agree to, one at a time as you read: about "), "\(k.screen)")
        k.press(.end, .enter)
        #expect(!k.screen.contains("statements to agree to"), "once, on the first page")
        var none = settings
        none.roles = [Role(id: "reader", label: "Reader", documents: ["policy"], questions: [], nextSteps: nil)]
        var r = Driver(settings: none)
        r.press(.enter)
        r.type("1")
        r.type("Sam")
        r.press(.enter)
        #expect(r.screen.contains("Please read to the end, then sign: about "), "\(r.screen)")
        r.readEverything()
        #expect(r.state.phase == .signing(scroll: 0, message: nil), "a role with no clauses reads, then signs")
    }

    @Test("the estimate: the words at 200 a minute plus the typing, and never less than every clause's minimum time")
    func estimateMinutes() {
        let words = (1...400).map { "w\($0)" }.joined(separator: " ")
        let parsed = DocumentParser.parse("+++\nid = \"d\"\ntitle = \"T\"\nversion = 1\ndeclaration = \"I agree.\"\n+++\n## S\n\n\(words)\n\n- [ ] I agree.\n", path: "d.md")
        let doc = try! #require(parsed.document, "\(parsed.diagnostics)")
        let role = Role(id: "r", label: "R", documents: ["d"], questions: [], nextSteps: nil)
        let draft = SessionDraft(id: "x", role: role, documents: [doc], startedAt: t0)
        // 404 words at 200 a minute: 121 s, and 45 s of typing: about 3 minutes.
        #expect(Kiosk.estimatedMinutes(draft, settings: settings) == 3)
        var slow = settings
        slow.minClauseSeconds = 600
        #expect(Kiosk.estimatedMinutes(draft, settings: slow) == 11)
        #expect(Kiosk.sessionEstimate(draft, settings: settings) == "1 statement to agree to as you read: about 3 minutes.")
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
            k.wait(1); screens.append(Kiosk.render(k.state))
            k.readEverything(); screens.append(Kiosk.render(k.state))
            k.press(.function(2)); screens.append(Kiosk.render(k.state))
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
    @Test("the shell's kills: Ctrl-U to the start, Ctrl-K to the end, Ctrl-W and Alt-Backspace a word back with its spaces")
    func kills() {
        var e = LineEditor("Mary Ann  Smith")
        e.deleteWordBackward()
        #expect(e.text == "Mary Ann  ")
        e.deleteWordBackward()
        #expect(e.text == "Mary ")
        e = LineEditor("李小龍 Renée Ó")
        e.left()
        e.left()
        e.deleteWordBackward()
        #expect(e.text == "李小龍  Ó", "a word before the cursor, not after")
        #expect(e.cursor == 4)
        e.deleteToEnd()
        #expect(e.text == "李小龍 ")
        e.left()
        e.deleteToStart()
        #expect(e.text == " ")
        #expect(e.cursor == 0)
        e.deleteWordBackward()
        e.deleteToStart()
        #expect(e.text == " ", "nothing before the cursor: nothing deleted")
    }

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

    @Test("names compare without case, accents or extra spaces (a kiosk keyboard may have no Å), but every letter counts")
    func comparable() {
        #expect(LineEditor.comparable("  Zoë   ÅNGSTRÖM ") == LineEditor.comparable("zoë ångström"))
        #expect(LineEditor.comparable("Zoe Angstrom") == LineEditor.comparable("Zoë Ångström"))
        #expect(LineEditor.comparable("Zoe") != LineEditor.comparable("Zoey"))
        #expect(LineEditor.comparable("李小龍") != LineEditor.comparable("李小"))
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
