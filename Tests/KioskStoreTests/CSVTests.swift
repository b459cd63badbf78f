import Testing
@testable import KioskStore

@Suite("CSV output")
struct CSVTests {
    @Test("control characters and bidi overrides become U+FFFD; formulas are still neutralised")
    func controls() {
        #expect(CSV.field("Bob\u{1B}[2J\u{0}Ray") == "\"Bob\u{FFFD}[2J\u{FFFD}Ray\"")
        #expect(CSV.field("a\u{7F}b\u{85}c\u{9B}d") == "\"a\u{FFFD}b\u{FFFD}c\u{FFFD}d\"")
        #expect(CSV.field("\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}x\u{2066}\u{2067}\u{2068}\u{2069}") == "\"\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}x\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\"")
        #expect(CSV.field("two\r\nlines\ttab") == "\"two\u{FFFD}\u{FFFD}lines\u{FFFD}tab\"")
        #expect(CSV.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSV.field("\tcmd") == "\"'\u{FFFD}cmd\"")
        #expect(CSV.field("-1") == "\"'-1\"")
        // Ordinary text, wide and combining characters pass as they are.
        #expect(CSV.field("Zoë 李 e\u{301}") == "\"Zoë 李 e\u{301}\"")
        #expect(CSV.row(["a", "b\u{1B}"]) == "\"a\",\"b\u{FFFD}\"\r\n")
        // A quote is doubled also where an accent joins it into one character.
        #expect(CSV.field("say \"\u{301}hi\"") == "\"say \"\"\u{301}hi\"\"\"")
        var rows = "head\r\n"
        CSV.appendRow(["=1", "Siobhán \"Shiv\""], to: &rows)
        #expect(rows == "head\r\n\"'=1\",\"Siobhán \"\"Shiv\"\"\"\r\n")
    }
}
