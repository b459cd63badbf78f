import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

@Suite("Lint: config and content together")
struct LintTests {
    @Test("the shipped content passes: two documents, twenty clauses, the declaration from the source")
    func shipped() throws {
        let result = Lint.check(configPath: repositoryRoot + "/kiosk.conf")
        #expect(result.errors == [])
        let library = try #require(result.library)
        let policy = try #require(library.document("social-media-policy"))
        #expect(policy.sections.map(\.title) == ["Purpose", "Scope", "Policy", "Guidance", "Discipline"])
        #expect(policy.clauses.isEmpty)
        let code = try #require(library.document("ict-code-of-conduct"))
        #expect(code.clauses.count == 20)
        #expect(code.declaration == "I agree to follow this Code of Conduct and to support the safe and secure use of ICT throughout the school.")
        // The source repeats two rules; each is kept once.
        #expect(code.clauses.filter { $0.text.contains("inappropriate text messages") }.count == 1)
        #expect(code.clauses.filter { $0.text.hasPrefix("Permission must be sought") }.count == 1)
        #expect(code.clauses.contains { $0.text.contains("without permission of Lend Lease.") })
        // Emphasis from the source is kept.
        guard case .bullet(let first) = policy.sections[2].blocks[1] else {
            Issue.record("expected the first bullet of section 3")
            return
        }
        #expect(first.spans.first == .init("Never", bold: true))
        #expect(result.diagnostics.map(\.message).contains { $0.contains("still the shipped 1234") })
    }

    func setup(config: String = minimalConfig, documents: [String: String] = ["code.md": minimalDocument]) -> (Scratch, Lint.Result) {
        let scratch = Scratch()
        scratch.write("kiosk.conf", config)
        for (name, text) in documents { scratch.write("content/" + name, text) }
        return (scratch, Lint.check(configPath: scratch.path + "/kiosk.conf"))
    }

    @Test("a role naming an unknown document points at the name in kiosk.conf")
    func unknownDocument() {
        let (scratch, result) = setup(config: minimalConfig.replacingOccurrences(of: "documents = [\"code\"]", with: "documents = [\"code\", \"polcy\"]"))
        #expect(result.errors.map(\.description) == ["\(scratch.path)/kiosk.conf:7:22: error: role `visitor` reads unknown document `polcy`; the content folder has: code"])
    }

    @Test("a document no role reads")
    func unread() {
        let other = minimalDocument.replacingOccurrences(of: "id = \"code\"", with: "id = \"other\"").replacingOccurrences(of: "kind", with: "fair").replacingOccurrences(of: "careful", with: "prompt")
        let (_, result) = setup(documents: ["code.md": minimalDocument, "other.md": other])
        #expect(result.errors.map(\.message) == ["no role reads document `other`: add it to a role's `documents` in kiosk.conf, or remove the file"])
        #expect(result.errors.first?.file.hasSuffix("content/other.md") == true)
    }

    @Test("the same clause in two documents is reported at the second, naming the first")
    func duplicateClause() {
        let other = minimalDocument.replacingOccurrences(of: "id = \"code\"", with: "id = \"other\"").replacingOccurrences(of: "careful", with: "prompt")
        let config = minimalConfig.replacingOccurrences(of: "documents = [\"code\"]", with: "documents = [\"code\", \"other\"]")
        let (scratch, result) = setup(config: config, documents: ["code.md": minimalDocument, "other.md": other])
        #expect(result.errors.map(\.description) == ["\(scratch.path)/content/other.md:10:1: error: duplicate clause: the same text is already at \(scratch.path)/content/code.md:10; keep one"])
    }

    @Test("two documents with one id")
    func duplicateID() {
        let other = minimalDocument.replacingOccurrences(of: "kind", with: "fair").replacingOccurrences(of: "careful", with: "prompt")
        let (_, result) = setup(documents: ["a.md": minimalDocument, "b.md": other])
        #expect(result.errors.map(\.message).contains { $0.hasPrefix("document id `code` is also used by") })
    }

    @Test("a role whose documents have nothing to sign")
    func nothingToSign() {
        let readOnly = "+++\nid = \"code\"\ntitle = \"P\"\nversion = 1\n+++\n## S\n\nJust read this."
        let (_, result) = setup(documents: ["code.md": readOnly])
        #expect(result.errors.map(\.message) == ["role `visitor` reads no document with a declaration, so there is nothing to sign; add one that has `declaration = \"...\"`"])
    }

    @Test("every problem in every file is listed, not just the first")
    func listsAll() {
        let broken = minimalDocument.replacingOccurrences(of: "version = 2", with: "version = \"2\"") + "\n\n## Empty\n"
        let (_, result) = setup(config: minimalConfig + "\ncolour = 1\n", documents: ["code.md": broken])
        #expect(result.errors.count >= 1)
        let (_, result2) = setup(documents: ["code.md": broken, "bad.md": "no front matter"])
        #expect(result2.errors.count == 4)
    }

    @Test("a missing content folder says which setting to fix")
    func noContent() {
        let scratch = Scratch()
        scratch.write("kiosk.conf", minimalConfig)
        let result = Lint.check(configPath: scratch.path + "/kiosk.conf")
        #expect(result.errors.first?.message.hasPrefix("content folder not found: set `content` in [kiosk]") == true)
    }

    @Test("no admin PIN is a warning, not an error")
    func noPIN() {
        let (_, result) = setup()
        #expect(result.isUsable)
        #expect(result.diagnostics.map(\.severity) == [.warning])
    }
}
