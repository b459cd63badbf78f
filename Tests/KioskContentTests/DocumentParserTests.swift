import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

@Suite("Policy documents")
struct DocumentParserTests {
    func parse(_ text: String) -> DocumentParser.Result {
        DocumentParser.parse(text, path: "doc.md")
    }

    func messages(_ text: String) -> [String] {
        parse(text).diagnostics.map(\.description)
    }

    @Test("every construct: front matter, preamble, sections, subheadings, bullets, clauses, bold, comments, wrapped lines")
    func everyConstruct() throws {
        let result = parse("""
            +++
            id = "ict"
            title = "ICT Code"
            short_title = "ICT"
            version = 3
            declaration = "I agree."
            +++
            <!-- a note for editors,
                 over two lines -->
            Staff and visitors

            ## First <!-- inline note -->

            An opening paragraph
            that wraps onto a second line.

            ### A subheading

            - a plain bullet
            - [ ] I will **never** share
              my password.
            * [ ] Second clause.

            ## Second

            + [ ] Third clause with an unpaired ** marker.
            """)
        #expect(result.diagnostics == [])
        let doc = try #require(result.document)
        #expect(doc.id == "ict")
        #expect(doc.title == "ICT Code")
        #expect(doc.shortTitle == "ICT")
        #expect(doc.version == 3)
        #expect(doc.declaration == "I agree.")
        #expect(doc.sections.map(\.title) == ["First", "Second"])
        #expect(doc.sections[0].line == 12)
        #expect(doc.preamble == [.paragraph(RichText(markdown: "Staff and visitors"))])
        #expect(doc.sections[0].blocks == [
            .paragraph(RichText(markdown: "An opening paragraph that wraps onto a second line.")),
            .subheading(RichText(markdown: "A subheading")),
            .bullet(RichText(markdown: "a plain bullet")),
            .clause(Clause(text: "I will **never** share my password.", line: 20)),
            .clause(Clause(text: "Second clause.", line: 22)),
        ])
        #expect(doc.clauses.map(\.text) == ["I will **never** share my password.", "Second clause.", "Third clause with an unpaired ** marker."])
        #expect(doc.clauses[0].rich.spans == [.init("I will "), .init("never", bold: true), .init(" share my password.")])
        #expect(doc.clauses[2].rich.plain == "Third clause with an unpaired ** marker.")
    }

    @Test("the document hash is the SHA-256 of its bytes")
    func documentHash() throws {
        let doc = try #require(parse(minimalDocument).document)
        #expect(doc.sha256 == Hex.sha256(Data(minimalDocument.utf8)))
    }

    @Test("Windows line endings read the same")
    func crlf() throws {
        let doc = try #require(parse(minimalDocument.replacingOccurrences(of: "\n", with: "\r\n")).document)
        #expect(doc.clauses.map(\.text) == ["I will be kind.", "I will be **careful**."])
    }

    @Test("no front matter") func noFrontMatter() {
        #expect(messages("## Rules\n\n- [ ] x") == ["doc.md:1:1: error: expected front matter: a first line '+++', then id, title and version in TOML, then '+++'"])
    }

    @Test("front matter not closed: what it holds up to the first section is still checked, and the body too")
    func unclosed() {
        #expect(messages("+++\nid = \"a\"\n## Rules") == [
            "doc.md:1:1: error: front matter is not closed: add a line '+++' after the last setting",
            "doc.md:2:1: error: missing `title`: add a line like `title = \"...\"`",
            "doc.md:2:1: error: missing `version`: add a line like `version = 1`",
            "doc.md:3:1: error: empty section \"Rules\": add its text or remove the heading",
        ])
        // Text that is not TOML before the first section: the missing '+++' is the one cause.
        #expect(messages("+++\nid = \"a\"\ntitle = \"T\"\nversion = 1\nSome text.\n## Rules\n\nText.") == [
            "doc.md:1:1: error: front matter is not closed: add a line '+++' after the last setting",
        ])
    }

    @Test("front matter that is not TOML names its line in the file")
    func badTOML() {
        let m = messages("+++\nid = \"a\"\ntitle = oops\n+++\n## S\n\ntext")
        #expect(m.count == 1)
        #expect(m[0].hasPrefix("doc.md:3:9: error: front matter is not valid TOML"))
    }

    @Test("missing and mistyped front matter keys")
    func frontMatterKeys() {
        let m = messages("+++\ntitle = 5\nversion = \"one\"\ncolour = \"red\"\n+++\n## S\n\ntext")
        #expect(m.contains("doc.md:4:1: error: unknown front matter key `colour`; expected one of: declaration, id, short_title, title, version"))
        #expect(m.contains("doc.md:2:1: error: missing `id`: add a line like `id = \"...\"`"))
        #expect(m.contains("doc.md:2:9: error: `title` must be a string in quotes, found integer"))
        #expect(m.contains("doc.md:3:11: error: `version` must be a whole number, found string"))
    }

    @Test("a version below 1 and an id with capitals are refused")
    func badValues() {
        let m = messages("+++\nid = \"My Doc\"\ntitle = \"T\"\nversion = 0\n+++\n## S\n\ntext")
        #expect(m.contains("doc.md:2:6: error: document id `My Doc` may use only a-z, 0-9 and '-' (it names files and appears in records)"))
        #expect(m.contains("doc.md:4:11: error: `version` must be at least 1, found 0"))
    }

    @Test("empty section") func emptySection() {
        let m = messages(minimalDocument + "\n\n## Nothing here\n\n## Last\n\ntext")
        #expect(m == ["doc.md:13:1: error: empty section \"Nothing here\": add its text or remove the heading"])
    }

    @Test("clause outside a list") func clauseOutsideList() {
        let m = messages(minimalDocument + "\n\n[ ] I will be loose.")
        #expect(m == ["doc.md:13:1: error: clause outside a list: start the line with '- [ ] '"])
    }

    @Test("clause before the first section") func clauseBeforeSection() {
        let text = minimalDocument.replacingOccurrences(of: "+++\n\n## Rules", with: "+++\n- [ ] Early.\n\n## Rules")
        #expect(messages(text) == ["doc.md:7:1: error: clause before the first section: put it under a '## ' heading"])
    }

    @Test("a ticked clause is refused") func tickedClause() {
        let m = messages(minimalDocument + "\n- [x] Already agreed.")
        #expect(m == ["doc.md:12:3: error: clause is ticked already: write it as '- [ ] ...'; the person ticks it at the kiosk"])
    }

    @Test("empty clause") func emptyClause() {
        #expect(messages(minimalDocument + "\n- [ ]") == ["doc.md:12:1: error: empty clause: write the statement after '- [ ] '"])
    }

    @Test("a document with clauses needs a declaration") func missingDeclaration() {
        let text = minimalDocument.replacingOccurrences(of: "declaration = \"I agree to follow this code.\"\n", with: "")
        #expect(messages(text) == ["doc.md:1:1: error: missing declaration: a document with clauses needs `declaration = \"I agree to ...\"` in its front matter, the sentence the person signs"])
    }

    @Test("a document with no clauses needs no declaration") func readOnly() {
        #expect(parse("+++\nid = \"p\"\ntitle = \"P\"\nversion = 1\n+++\n## S\n\nJust read this.").diagnostics == [])
    }

    @Test("no sections at all") func noSections() {
        #expect(messages("+++\nid = \"p\"\ntitle = \"P\"\nversion = 1\n+++\nJust text.") == ["doc.md:6:1: error: no sections: start each section with a line '## Title'"])
    }

    @Test("a '#' heading is refused") func h1() {
        #expect(messages(minimalDocument + "\n# Big") == ["doc.md:12:1: error: a '# ' heading is not used: the title goes in the front matter and sections start with '## '"])
    }

    @Test("an unclosed comment is reported where it opens") func unclosedComment() {
        #expect(messages(minimalDocument + "\n<!-- oops\n- [ ] hidden") == ["doc.md:12:1: error: comment '<!--' is never closed with '-->': everything after it is hidden"])
    }

    @Test("a file that is not UTF-8 names the line and column of the bad byte")
    func notUTF8() {
        let bytes = Array("+++\nid = \"a\"\ntitle = \"Caf".utf8) + [0xE9] + Array("\"\n".utf8)
        #expect(throws: Diagnostic(file: "x.md", line: 3, column: 13, message: "not valid UTF-8 text; save the file as UTF-8 (in LibreOffice: Save As, Text, Character set: Unicode (UTF-8))")) {
            try TextFile.decode(Data(bytes), file: "x.md")
        }
    }

    @Test("text is taken as UTF-8 exactly as Foundation takes it: the same text, the same refusals, a leading byte-order mark dropped")
    func utf8AsFoundation() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array("a".utf8), Array("é".utf8), Array("李".utf8), Array("😀".utf8), [0xEF, 0xBB, 0xBF], [0xE9], [0xC0, 0xAF],
                                 [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xFF], [0x0A], [0x00]]
        for _ in 0..<3_000 {
            let bytes = (0..<Int.random(in: 0...6, using: &generator)).flatMap { _ in pieces.randomElement(using: &generator)! }
            let foundation = String(data: Data(bytes), encoding: .utf8).map { $0.hasPrefix("\u{FEFF}") ? String($0.dropFirst()) : $0 }
            #expect((try? TextFile.decode(bytes, file: "x.md")) == foundation, "\(bytes)")
        }
    }

    @Test("a folder where a file should be is named") func folderNotFile() {
        let scratch = Scratch()
        #expect(throws: Diagnostic(file: scratch.path, line: 1, column: 1, message: "is a folder, expected a file")) {
            try TextFile.read(scratch.path)
        }
    }

    @Test("a missing file is named") func missingFile() {
        #expect(throws: Diagnostic(file: "/nope/x.md", line: 1, column: 1, message: "file not found")) {
            try TextFile.read("/nope/x.md")
        }
    }
}

@Suite("Clause identity")
struct ClauseIdentityTests {
    @Test("the hash is SHA-256 of the normalised text")
    func knownVector() {
        #expect(ClauseIdentity.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("re-wrapping or re-indenting a clause keeps its identity")
    func whitespace() {
        #expect(ClauseIdentity.hash("I will  respect\n  copyright.") == ClauseIdentity.hash(" I will respect copyright. "))
        #expect(Clause(text: "I will\trespect copyright.", line: 1).id == Clause(text: "I will respect copyright.", line: 9).id)
    }

    @Test("a composed and a decomposed accent are the same clause")
    func unicodeNormalisation() {
        #expect(ClauseIdentity.hash("caf\u{E9}") == ClauseIdentity.hash("cafe\u{301}"))
    }

    @Test("changing a word, emphasis or punctuation makes a new clause")
    func changes() {
        let base = ClauseIdentity.hash("I will respect copyright.")
        #expect(ClauseIdentity.hash("I will respect copyrights.") != base)
        #expect(ClauseIdentity.hash("I will **respect** copyright.") != base)
        #expect(ClauseIdentity.hash("I will respect copyright") != base)
    }
}

@Suite("Changes between versions")
struct DocumentChangeTests {
    func doc(_ version: Int, _ clauses: [String]) -> PolicyDocument {
        let text = "+++\nid = \"code\"\ntitle = \"Code\"\nversion = \(version)\ndeclaration = \"I agree.\"\n+++\n## Rules\n\n" + clauses.map { "- [ ] \($0)" }.joined(separator: "\n")
        return DocumentParser.parse(text, path: "code.md").document!
    }

    @Test("new and reworded clauses are marked against the highest earlier version; re-wrapping is no change")
    func compute() {
        let v1 = doc(1, ["I will be kind.", "I will be careful."])
        let v2 = doc(2, ["I will be kind.", "I will be very careful."])
        let v3 = doc(3, ["I will be  kind.", "I will be very careful.", "I will lock my screen."])
        let changes = DocumentChange.compute(current: ContentLibrary(documents: [v3]), earlier: [v1, v2])
        #expect(changes["code"] == DocumentChange(sinceVersion: 2, clauses: [ClauseIdentity.hash("I will lock my screen.")]))
        #expect(DocumentChange.compute(current: ContentLibrary(documents: [v1]), earlier: [v1]) == [:], "no earlier version")
        let rewrapped = doc(2, ["I will be\nkind.", "I will  be careful."])
        #expect(DocumentChange.compute(current: ContentLibrary(documents: [rewrapped]), earlier: [v1]) == [:], "white space only")
    }
}
