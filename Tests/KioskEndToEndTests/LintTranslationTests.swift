import Foundation
import KioskTestSupport
import Testing

/// `kiosk lint` on the shipped content with its Polish translation changed
/// as an editor might get it wrong.
@Suite("kiosk lint and translations")
struct LintTranslationTests {
    /// The shipped kiosk with `edit` applied to the Polish translation.
    func lint(_ edit: (String) -> String) throws -> (status: Int32, output: String) {
        let scratch = Scratch()
        try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: scratch.path + "/content")
        scratch.write("kiosk.conf", try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8))
        let path = scratch.path + "/content/ict-code-of-conduct.pl.md"
        scratch.write("content/ict-code-of-conduct.pl.md", edit(try String(contentsOfFile: path, encoding: .utf8)))
        let result = run(kioskBinary, ["lint", "--config", scratch.path + "/kiosk.conf"])
        return (result.status, result.output)
    }

    @Test("the shipped translation passes, offered in Polski, with the not-yet-reviewed warning")
    func shipped() throws {
        let result = try lint { $0 }
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("translations offered in Polski"))
        #expect(result.output.contains("content/ict-code-of-conduct.pl.md:9:12: warning: the Polski translation is not yet reviewed by the school"))
    }

    @Test("a clause missing, a clause extra: errors with the line in both files; an older version: out of date, a warning")
    func caught() throws {
        let missing = try lint { $0.replacingOccurrences(of: "- [ ] Będę szanować prawa autorskie i prawa własności intelektualnej. {governor}\n", with: "") }
        #expect(missing.status == 1)
        #expect(missing.output.contains("/content/ict-code-of-conduct.md:71 (\"I understand that if my behaviour falls…\") is left without a translation"), "\(missing.output)")
        #expect(missing.output.contains("ict-code-of-conduct.pl.md:41:1: error: clause missing: section 1 has 13 clauses where "), "\(missing.output)")
        let extra = try lint { $0 + "- [ ] Nie będę biegać po korytarzu.\n" }
        #expect(extra.status == 1)
        #expect(extra.output.contains("/content/ict-code-of-conduct.md:80 has 2"), "\(extra.output)")
        #expect(extra.output.contains("ict-code-of-conduct.pl.md:55:1: error: extra clause: section 3 has 3 clauses where "), "\(extra.output)")
        let older = try lint { $0.replacingOccurrences(of: "translation_of_version = 2", with: "translation_of_version = 1") }
        #expect(older.status == 0, "\(older.output)")
        #expect(older.output.contains("ict-code-of-conduct.pl.md:3:26: warning: out of date: this translates version 1 of `ict-code-of-conduct`"), "\(older.output)")
        #expect(!older.output.contains("translations offered"), "an out-of-date translation is not offered")
        let hebrew = try lint { $0.replacingOccurrences(of: "language_name = \"Polski\"", with: "language_name = \"עברית\"") }
        #expect(hebrew.status == 1)
        #expect(hebrew.output.contains("the Linux console cannot show right-to-left text correctly"), "\(hebrew.output)")
    }
}
