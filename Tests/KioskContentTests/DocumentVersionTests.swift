import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

@Suite("Document versions against the record book")
struct DocumentVersionTests {
    func document(_ text: String, path: String) throws -> PolicyDocument {
        try #require(DocumentParser.parse(text, path: path).document)
    }

    func reworded(_ version: Int, _ word: String) -> String {
        minimalDocument.replacingOccurrences(of: "version = 2", with: "version = \(version)").replacingOccurrences(of: "kind", with: word)
    }

    @Test("the same id and version with other text is an error at `version`, naming the version to raise to")
    func sameVersionOtherText() throws {
        let current = ContentLibrary(documents: [try document(minimalDocument, path: "content/code.md")])
        let stored = [try document(reworded(2, "nice"), path: "records/t/content/a.md"), try document(reworded(1, "fair"), path: "records/t/content/b.md"),
                      try document(reworded(3, "polite").replacingOccurrences(of: "id = \"code\"", with: "id = \"other\""), path: "records/t/content/c.md")]
        #expect(DocumentVersions.problems(current: current, stored: stored).map(\.description) == [
            "content/code.md:4:11: error: the text of `code` changed but its version is still 2, and this terminal's record book already holds other text as version 2 (records/t/content/a.md): raise `version` to 3",
        ])
        // A comment or a re-wrap is other text too: the record book would hold two files for version 2.
        let comment = try document(minimalDocument + "\n<!-- note -->\n", path: "content/code.md")
        #expect(DocumentVersions.problems(current: ContentLibrary(documents: [comment]), stored: [try document(minimalDocument, path: "s.md")]).count == 1)
    }

    @Test("a stored version higher than the current one (the content went back) is an error")
    func rolledBack() throws {
        let current = ContentLibrary(documents: [try document(minimalDocument, path: "content/code.md")])
        let stored = [try document(minimalDocument, path: "records/t/content/a.md"), try document(reworded(5, "nice"), path: "records/t/content/b.md")]
        #expect(DocumentVersions.problems(current: current, stored: stored).map(\.description) == [
            "content/code.md:4:11: error: `code` is version 2, but this terminal has already shown version 5 (records/t/content/b.md): the content is older than what the kiosk has shown; put the newer file back, or, to go back to this text, raise `version` to 6",
        ])
    }

    @Test("the text stored for this version, a raised version, or nothing stored: no problem")
    func fine() throws {
        let current = ContentLibrary(documents: [try document(minimalDocument, path: "content/code.md")])
        #expect(DocumentVersions.problems(current: current, stored: []) == [])
        #expect(DocumentVersions.problems(current: current, stored: [try document(minimalDocument, path: "s.md")]) == [])
        #expect(DocumentVersions.problems(current: current, stored: [try document(reworded(1, "nice"), path: "s.md")]) == [])
    }

    @Test("stored documents are read from the content folder of a record book; a damaged one is left out")
    func stored() throws {
        let scratch = Scratch()
        scratch.write("content/a.md", minimalDocument)
        scratch.write("content/b.md", "damaged")
        scratch.write("content/.tmp-c.md", minimalDocument)
        let documents = DocumentVersions.stored(in: scratch.path + "/content", displayPrefix: "records/t/content")
        #expect(documents.map(\.path) == ["records/t/content/a.md"])
        #expect(DocumentVersions.stored(in: scratch.path + "/none").isEmpty)
    }
}
