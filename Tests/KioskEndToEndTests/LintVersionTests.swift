import Foundation
import KioskContent
import KioskTestSupport
import Testing

/// `kiosk lint` compares the content with the document versions this
/// terminal's record book already holds (records/<terminal>/content/).
@Suite("kiosk lint against the record book")
struct LintVersionTests {
    let document = """
        +++
        id = "code"
        title = "Code of Conduct"
        version = 2
        declaration = "I agree to follow this code."
        +++

        ## Rules

        - [ ] I will be kind.
        """

    let config = """
        [kiosk]
        school = "Test School"
        terminal = "t-1"

        [roles.visitor]
        label = "Visitor"
        documents = ["code"]
        """

    /// A kiosk folder whose record book holds `stored` (each under its SHA-256).
    func folder(stored: [String]) -> Scratch {
        let scratch = Scratch()
        scratch.write("kiosk.conf", config)
        scratch.write("content/code.md", document)
        for text in stored {
            scratch.write("records/t-1/content/\(Hex.sha256(Array(text.utf8))).md", text)
        }
        return scratch
    }

    @Test("a clause reworded without raising `version` is an error naming the file, the version and the version to raise to")
    func sameVersionOtherText() {
        let earlier = document.replacingOccurrences(of: "be kind", with: "be polite")
        let scratch = folder(stored: [earlier, earlier.replacingOccurrences(of: "version = 2", with: "version = 1").replacingOccurrences(of: "polite", with: "nice")])
        let result = run(kioskBinary, ["lint", "--config", scratch.path + "/kiosk.conf"])
        #expect(result.status == 1, "\(result.output)")
        let stored = "\(scratch.path)/records/t-1/content/\(Hex.sha256(Array(earlier.utf8))).md"
        #expect(result.output.contains("\(scratch.path)/content/code.md:4:11: error: the text of `code` changed but its version is still 2, and this terminal's record book already holds other text as version 2 (\(stored)): raise `version` to 3"), "\(result.output)")
        #expect(result.output.contains("lint: 1 problem found"))
    }

    @Test("content older than what the kiosk has shown (a stored higher version) is an error")
    func rolledBack() {
        let newer = document.replacingOccurrences(of: "version = 2", with: "version = 4").replacingOccurrences(of: "be kind", with: "be polite")
        let scratch = folder(stored: [document, newer])
        let result = run(kioskBinary, ["lint", "--config", scratch.path + "/kiosk.conf"])
        #expect(result.status == 1, "\(result.output)")
        let stored = "\(scratch.path)/records/t-1/content/\(Hex.sha256(Array(newer.utf8))).md"
        #expect(result.output.contains("\(scratch.path)/content/code.md:4:11: error: `code` is version 2, but this terminal has already shown version 4 (\(stored)): the content is older than what the kiosk has shown; put the newer file back, or, to go back to this text, raise `version` to 5"), "\(result.output)")
    }

    @Test("the same text as stored, or a new version, passes")
    func unchanged() {
        let earlier = document.replacingOccurrences(of: "version = 2", with: "version = 1").replacingOccurrences(of: "be kind", with: "be polite")
        let scratch = folder(stored: [document, earlier])
        let result = run(kioskBinary, ["lint", "--config", scratch.path + "/kiosk.conf"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("lint: ok: 1 documents, 1 clauses, 1 roles (Visitor)"))
    }
}
