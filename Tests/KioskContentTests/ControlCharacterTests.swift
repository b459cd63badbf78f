import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

/// The bundled TOML parser hands strings through C strings, so an escaped
/// NUL cut a value short without a word ("con\u0000x" became "con"); and
/// other control characters reached the screen and the records. Any string
/// in kiosk.conf or front matter holding one is an error at its place.
@Suite("Control characters in kiosk.conf and front matter")
struct ControlCharacterTests {
    func config(_ text: String) -> [String] {
        ConfigParser.parse(text, path: "kiosk.conf").diagnostics.map(\.description)
    }

    func document(_ text: String) -> [String] {
        DocumentParser.parse(text, path: "doc.md").diagnostics.map(\.description)
    }

    @Test("an escaped NUL in terminal is an error, never a shorter id")
    func terminalNUL() {
        let text = minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"", with: "terminal = \"con\\u0000x\"")
        #expect(ConfigParser.parse(text, path: "kiosk.conf").config == nil)
        #expect(config(text) == ["kiosk.conf:3:16: error: a string holds the control character U+0000 (written \\u0000): remove it; text in kiosk.conf may not hold control characters"])
        let long = minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"", with: "terminal = \"con\\U00000000x\"")
        #expect(config(long) == ["kiosk.conf:3:16: error: a string holds the control character U+0000 (written \\U00000000): remove it; text in kiosk.conf may not hold control characters"])
    }

    @Test("control characters in the school, a role label and a question label, each at its place")
    func configStrings() {
        let school = minimalConfig.replacingOccurrences(of: "school = \"Test School\"", with: "school = \"Test\\u001b[2J School\"")
        #expect(config(school) == ["kiosk.conf:2:15: error: a string holds the control character U+001B (written \\u001b): remove it; text in kiosk.conf may not hold control characters"])
        let role = minimalConfig.replacingOccurrences(of: "label = \"Visitor\"", with: "label = \"Vis\\u0000itor\"")
        #expect(config(role) == ["kiosk.conf:6:13: error: a string holds the control character U+0000 (written \\u0000): remove it; text in kiosk.conf may not hold control characters"])
        let question = minimalConfig.replacingOccurrences(of: "label = \"Organisation\"", with: "label = \"Organi\\u0000sation\"")
        #expect(config(question) == ["kiosk.conf:8:52: error: a string holds the control character U+0000 (written \\u0000): remove it; text in kiosk.conf may not hold control characters"])
        // A role id given as a quoted key, and C1 and bidi controls written as they are.
        #expect(config("[roles.\"vis\\u0000\"]\nlabel = 'a\u{85}b'\nnext_steps = \"\u{202E}x\"\n") == [
            "kiosk.conf:1:12: error: a string holds the control character U+0000 (written \\u0000): remove it; text in kiosk.conf may not hold control characters",
            "kiosk.conf:2:11: error: a string holds the control character U+0085: remove it; text in kiosk.conf may not hold control characters",
            "kiosk.conf:3:15: error: a string holds the control character U+202E: remove it; text in kiosk.conf may not hold control characters",
        ])
    }

    @Test("a tab or a line break inside a string is an error, with what to write instead")
    func whiteSpaceControls() {
        #expect(config("[kiosk]\nschool = \"a\\tb\"\n") == ["kiosk.conf:2:12: error: a string holds a tab (written \\t): use a space; text in kiosk.conf may not hold control characters"])
        #expect(config("[kiosk]\nschool = \"\"\"\nRedhill\nPrimary\"\"\"\n").first
            == "kiosk.conf:3:8: error: a string holds a line break: write it on one line, or end the line with \\ inside \"\"\" to join the lines; text in kiosk.conf may not hold control characters")
        // The line break right after the opening quotes, and one escaped by \, are not part of the text.
        #expect(config("[kiosk]\nschool = \"\"\"\nRedhill \\\n   Primary\"\"\"\nterminal = 't'\n[roles.a]\nlabel = 'A'\ndocuments = ['x']\n") == [])
        // Comments and escaped quotes do not confuse the scan.
        #expect(config("# a \\u0000 comment\n[kiosk]\nschool = \"say \\\"hi\\\" \\\\u0000\"\nterminal = 't'\n[roles.a]\nlabel = 'A'\ndocuments = ['x']\n") == [])
    }

    @Test("an escaped NUL in a document's title or declaration is an error at its place")
    func frontMatter() {
        let title = minimalDocument.replacingOccurrences(of: "title = \"Code of Conduct\"", with: "title = \"Code\\u0000 of Conduct\"")
        #expect(DocumentParser.parse(title, path: "doc.md").document == nil)
        #expect(document(title) == ["doc.md:3:14: error: a string holds the control character U+0000 (written \\u0000): remove it; text in front matter may not hold control characters"])
        let declaration = minimalDocument.replacingOccurrences(of: "I agree to follow", with: "I agree\\u0000 to follow")
        #expect(document(declaration) == ["doc.md:5:23: error: a string holds the control character U+0000 (written \\u0000): remove it; text in front matter may not hold control characters"])
        let escape = minimalDocument.replacingOccurrences(of: "I agree to follow", with: "I agree\\u009b to follow")
        #expect(document(escape) == ["doc.md:5:23: error: a string holds the control character U+009B (written \\u009b): remove it; text in front matter may not hold control characters"])
    }

    @Test("a control character in a document's text is an error at its line and column")
    func body() {
        let text = minimalDocument.replacingOccurrences(of: "I will be kind.", with: "I will be \u{1B}[8mkind.")
        #expect(document(text) == ["doc.md:10:17: error: the text holds the control character U+001B: remove it; a policy document may not hold control characters"])
        let bidi = minimalDocument.replacingOccurrences(of: "## Rules", with: "## Ru\u{2066}les")
        #expect(document(bidi) == ["doc.md:8:6: error: the text holds the control character U+2066: remove it; a policy document may not hold control characters"])
        // Tabs and carriage returns are white space.
        #expect(document(minimalDocument.replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "be kind", with: "be\tkind")) == [])
    }

    @Test("terminal ids: letters, digits, '-' and '_' only, 1 to 64 of them")
    func terminalIDs() {
        for good in ["reception-1", "staff_room", "A", String(repeating: "x", count: 64)] {
            #expect(ConfigParser.isValidTerminalID(good), "\(good)")
        }
        for bad in ["", "a.b", "..", ".hidden", "a/b", "a b", "café", String(repeating: "x", count: 65), "a\u{0}"] {
            #expect(!ConfigParser.isValidTerminalID(bad), "\(bad.debugDescription)")
        }
        let text = minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"", with: "terminal = \"reception.1\"")
        #expect(config(text) == ["kiosk.conf:3:12: error: terminal id `reception.1` may use only letters, digits, '_' and '-', at most 64 of them (it names this terminal's records folder)"])
    }
}

@Suite("Diagnostics as printed")
struct DiagnosticPrintingTests {
    @Test("a file name holding an escape sequence is printed with U+FFFD, never obeyed")
    func fileName() {
        let scratch = Scratch()
        scratch.write("kiosk.conf", minimalConfig)
        scratch.write("content/code.md", minimalDocument)
        scratch.write("content/\u{1B}[2Jx\u{202E}.md", "no front matter")
        let printed = Lint.check(configPath: scratch.path + "/kiosk.conf").errors.map(\.description)
        #expect(printed == ["\(scratch.path)/content/\u{FFFD}[2Jx\u{FFFD}.md:1:1: error: expected front matter: a first line '+++', then id, title and version in TOML, then '+++'"])
        #expect(Diagnostic(file: "a\nb", line: 1, column: 1, message: "m\u{7}").description == "a\u{FFFD}b:1:1: error: m\u{FFFD}")
    }
}
