import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

/// `kiosk lint` lists everything in one run: every file is checked whatever
/// else is wrong, and each mistake gives one message, not a cascade.
@Suite("Lint: everything at once, one message per cause")
struct LintCompletenessTests {
    func lint(config: String = minimalConfig, documents: [String: String]) -> (String, [String]) {
        let scratch = Scratch()
        scratch.write("kiosk.conf", config)
        for (name, text) in documents { scratch.write("content/" + name, text) }
        let result = Lint.check(configPath: scratch.path + "/kiosk.conf")
        // Relative to the scratch folder, so expectations read as lint prints them in it.
        // minimalConfig sets no PIN: that warning is beside the point here.
        return (scratch.path, result.diagnostics.filter { !$0.message.hasPrefix("no admin PIN") }
            .map { $0.description.replacingOccurrences(of: scratch.path + "/", with: "") })
    }

    let conf = "kiosk.conf"

    @Test("a front matter error hides nothing in the body, and the document's id still counts for the roles")
    func frontMatterHidesNothing() {
        let ticked = minimalDocument.replacingOccurrences(of: "- [ ] I will be kind.", with: "- [x] I will be kind.")
        // Unclosed: the body is still read from its first section.
        let unclosed = ticked.replacingOccurrences(of: "declaration = \"I agree to follow this code.\"\n+++", with: "declaration = \"I agree to follow this code.\"")
        #expect(lint(documents: ["code.md": unclosed]).1 == [
            "content/code.md:1:1: error: front matter is not closed: add a line '+++' after the last setting",
            "content/code.md:9:3: error: clause is ticked already: write it as '- [ ] ...'; the person ticks it at the kiosk",
        ])
        // Missing: the body is the whole file; the role names the file's name.
        let missing = ticked.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(6).joined(separator: "\n")
        #expect(lint(documents: ["code.md": missing]).1 == [
            "content/code.md:1:1: error: expected front matter: a first line '+++', then id, title and version in TOML, then '+++'",
            "content/code.md:4:3: error: clause is ticked already: write it as '- [ ] ...'; the person ticks it at the kiosk",
        ])
        // Not valid TOML: the id is still found for the roles.
        let invalid = ticked.replacingOccurrences(of: "version = 2", with: "version = = 2")
        let (_, messages) = lint(documents: ["code.md": invalid])
        #expect(messages.count == 2 && messages[0].hasPrefix("content/code.md:4:") && messages[1].hasPrefix("content/code.md:10:3: error: clause is ticked"), "\(messages)")
    }

    @Test("`version = 1.5` is one error, not four")
    func fractionalVersion() {
        #expect(lint(documents: ["code.md": minimalDocument.replacingOccurrences(of: "version = 2", with: "version = 1.5")]).1 == [
            "content/code.md:4:11: error: `version` must be a whole number, found floating-point number",
        ])
    }

    @Test("a `# ` heading is one error: what follows it is read as its section")
    func singleHashHeading() {
        let text = minimalDocument.replacingOccurrences(of: "## Rules", with: "# Rules") + "\n- [ ] I will be on time.\n\nA paragraph.\n"
        #expect(lint(documents: ["code.md": text]).1 == [
            "content/code.md:8:1: error: a '# ' heading is not used: the title goes in the front matter and sections start with '## '",
        ])
        // At the top, as a title, with sections after it: still one.
        let titled = minimalDocument.replacingOccurrences(of: "+++\n\n## Rules", with: "+++\n# Code of Conduct\n\n## Rules")
        #expect(lint(documents: ["code.md": titled]).1 == [
            "content/code.md:7:1: error: a '# ' heading is not used: the title goes in the front matter and sections start with '## '",
        ])
    }

    @Test("an unclosed string is named as one, in front matter and in kiosk.conf")
    func unclosedString() {
        let text = minimalDocument.replacingOccurrences(of: "title = \"Code of Conduct\"", with: "title = \"Code of Conduct")
        #expect(lint(documents: ["code.md": text]).1 == [
            "content/code.md:3:9: error: front matter is not valid TOML: this string is not closed: end it with \" on the same line",
        ])
        let config = minimalConfig.replacingOccurrences(of: "school = \"Test School\"", with: "school = 'Test School")
        let (_, messages) = lint(config: config, documents: ["code.md": minimalDocument])
        #expect(messages == ["kiosk.conf:2:10: error: not valid TOML: this string is not closed: end it with ' on the same line"])
        let triple = minimalDocument.replacingOccurrences(of: "declaration = \"I agree to follow this code.\"", with: "declaration = \"\"\"I agree\nto follow this code.\"\"")
        #expect(lint(documents: ["code.md": triple]).1 == [
            "content/code.md:5:15: error: front matter is not valid TOML: this string is not closed: end it with \"\"\"",
        ])
        // An escaped quote does not close it; a line-ending backslash does not carry it on.
        #expect(TOMLGuard.headerProblem("a = \"x\\\"\nb = 1")?.message == "this string is not closed: end it with \" on the same line")
        #expect(TOMLGuard.headerProblem("a = \"x\\\nb = 1")?.line == 1)
        #expect(TOMLGuard.headerProblem("a = \"x\\\\\"\nb = 'y'\nc = \"\"\"\n\"q\"\n\"\"\"") == nil)
    }

    @Test("a duplicate clause is reported beside the document's other errors")
    func duplicateBesideOtherErrors() {
        let text = minimalDocument.replacingOccurrences(of: "version = 2", with: "version = \"2\"") + "\n- [ ] I will be kind.\n"
        #expect(lint(documents: ["code.md": text]).1 == [
            "content/code.md:4:11: error: `version` must be a whole number, found string",
            "content/code.md:12:1: error: duplicate clause: the same text is already at content/code.md:10; keep one",
        ])
        // And across documents, the first of which has an error of its own.
        let other = minimalDocument.replacingOccurrences(of: "id = \"code\"", with: "id = \"other\"").replacingOccurrences(of: "careful", with: "prompt")
        let config = minimalConfig.replacingOccurrences(of: "documents = [\"code\"]", with: "documents = [\"code\", \"other\"]")
        let broken = minimalDocument.replacingOccurrences(of: "version = 2", with: "version = 0")
        #expect(lint(config: config, documents: ["code.md": broken, "other.md": other]).1 == [
            "content/code.md:4:11: error: `version` must be at least 1, found 0",
            "content/other.md:10:1: error: duplicate clause: the same text is already at content/code.md:10; keep one",
        ])
    }

    @Test("an unread document is reported while kiosk.conf has another error, and the content is checked")
    func unreadBesideConfigErrors() {
        let other = minimalDocument.replacingOccurrences(of: "id = \"code\"", with: "id = \"other\"").replacingOccurrences(of: "kind", with: "fair").replacingOccurrences(of: "careful", with: "prompt")
        let config = minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"", with: "terminal = \"t-1\"\nmin_clause_seconds = \"3\"")
        #expect(lint(config: config, documents: ["code.md": minimalDocument, "other.md": other]).1 == [
            "kiosk.conf:4:22: error: `min_clause_seconds` in [kiosk] must be a whole number, found string",
            "content/other.md:2:1: error: no role reads document `other`: add it to a role's `documents` in kiosk.conf, or remove the file",
        ])
        // kiosk.conf that is not TOML at all: the content folder it names is still checked.
        let unreadable = minimalConfig.replacingOccurrences(of: "[kiosk]\n", with: "[kiosk]\ncontent = \"policies\"\n").replacingOccurrences(of: "school = \"Test School\"", with: "school = = 1")
        let scratch = Scratch()
        scratch.write("kiosk.conf", unreadable)
        scratch.write("policies/code.md", minimalDocument.replacingOccurrences(of: "- [ ] I will be kind.", with: "- [x] I will be kind."))
        let messages = Lint.check(configPath: scratch.path + "/kiosk.conf").diagnostics.filter { !$0.message.hasPrefix("no admin PIN") }.map { $0.description.replacingOccurrences(of: scratch.path + "/", with: "") }
        #expect(messages.count == 2 && messages[0].hasPrefix("kiosk.conf:3:") && messages[1] == "policies/code.md:10:3: error: clause is ticked already: write it as '- [ ] ...'; the person ticks it at the kiosk", "\(messages)")
    }

    @Test("a role naming a document whose file has errors is not told the document is unknown, nor that it has nothing to sign")
    func noCascadeToRoles() {
        let text = minimalDocument.replacingOccurrences(of: "declaration = \"I agree to follow this code.\"", with: "declaration = \"\"")
        #expect(lint(documents: ["code.md": text]).1 == ["content/code.md:5:15: error: declaration is empty"])
        // Front matter with an error still says whether there is a declaration.
        let noDeclaration = minimalDocument.replacingOccurrences(of: "declaration = \"I agree to follow this code.\"\n", with: "").replacingOccurrences(of: "version = 2", with: "version = 0")
        #expect(lint(documents: ["code.md": noDeclaration]).1 == [
            "content/code.md:4:11: error: `version` must be at least 1, found 0",
            "content/code.md:1:1: error: missing declaration: a document with clauses needs `declaration = \"I agree to ...\"` in its front matter, the sentence the person signs",
        ])
    }

    @Test("near-miss checkboxes warn: did you mean a clause?")
    func nearMisses() {
        let lines = ["- [] a", "-[ ] b", "- [ ]c", "- [  ] d", "1. [ ] e", "*[ ] f", "2) [x] g", "[] h", "- [ x] i", "\t-[x] j", "-  [ ] k", "-\t[ ] l"]
        let text = minimalDocument + "\n\n" + lines.joined(separator: "\n\n") + "\n"
        let (_, messages) = lint(documents: ["code.md": text])
        #expect(messages == lines.enumerated().map { index, line in
            "content/code.md:\(13 + 2 * index):\(line.hasPrefix("\t") ? 2 : 1): warning: did you mean a clause? write `- [ ] ...`; this line is shown as reading text"
        })
        // Each stays reading text: the document still has its two clauses.
        let parsed = DocumentParser.parse(text, path: "code.md")
        #expect(parsed.document?.clauses.count == 2)
    }

    @Test("what is a clause, or an error already, gives no near-miss warning")
    func notNearMisses() {
        let text = minimalDocument + "\n\n* [ ] f\n\n+ [ ] g\n\n  - [ ] nested\n\n- [1] a footnote\n\n- [link](https://example.org)\n\n1. first\n"
        let parsed = DocumentParser.parse(text, path: "code.md")
        #expect(parsed.diagnostics == [])
        #expect(parsed.document?.clauses.map(\.text) == ["I will be kind.", "I will be **careful**.", "f", "g", "nested"])
        let ticked = DocumentParser.parse(minimalDocument + "\n- [X] done\n", path: "code.md")
        #expect(ticked.diagnostics.map(\.message) == ["clause is ticked already: write it as '- [ ] ...'; the person ticks it at the kiosk"])
    }
}
