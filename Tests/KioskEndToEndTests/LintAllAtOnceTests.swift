import Foundation
import KioskContent
import KioskTestSupport
import Testing

/// `kiosk lint` as run at a shell: every problem in one run.
@Suite("kiosk lint lists everything at once")
struct LintAllAtOnceTests {
    @Test("a reworded document under a shown version is reported beside the document's other errors")
    func versionBesideOtherErrors() {
        let shown = "+++\nid = \"code\"\ntitle = \"Code\"\nversion = 2\ndeclaration = \"I agree.\"\n+++\n\n## Rules\n\n- [ ] I will be kind.\n"
        let scratch = Scratch()
        scratch.write("kiosk.conf", "[kiosk]\nschool = \"S\"\nterminal = \"t-1\"\n\n[roles.visitor]\nlabel = \"Visitor\"\ndocuments = [\"code\"]\n")
        scratch.write("content/code.md", shown.replacingOccurrences(of: "- [ ] I will be kind.", with: "- [x] I will be polite.\n\n## Empty\n"))
        scratch.write("records/t-1/content/\(Hex.sha256(Array(shown.utf8))).md", shown)
        let result = run(kioskBinary, ["lint", "--config", scratch.path + "/kiosk.conf"])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map { $0.replacingOccurrences(of: scratch.path + "/", with: "") }.filter { !$0.contains("admin PIN") }
        #expect(lines == [
            "content/code.md:10:3: error: clause is ticked already: write it as '- [ ] ...'; the person ticks it at the kiosk",
            "content/code.md:12:1: error: empty section \"Empty\": add its text or remove the heading",
            "content/code.md:4:11: error: the text of `code` changed but its version is still 2, and this terminal's record book already holds other text as version 2 (records/t-1/content/\(Hex.sha256(Array(shown.utf8))).md): raise `version` to 3",
            "lint: 3 problems found",
        ], "\(result.output)")
    }
}
