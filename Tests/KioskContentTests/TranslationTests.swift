import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

/// Translations (`content/<file>.<lang>.md`): parsed, held against their
/// original clause by clause, and offered only when the kiosk can show them.
@Suite("Translations of policy documents")
struct TranslationTests {
    static let original = """
        +++
        id = "code"
        title = "Code of Conduct"
        version = 2
        declaration = "I agree to follow this code."
        +++

        ## Rules

        - [ ] I will be kind. {visitor}
        - [ ] I will keep my password to myself.

        ## Phones

        - [ ] I will keep my phone in my bag. {visitor}
        """

    static let polish = """
        +++
        translation_of = "code"
        translation_of_version = 2
        language = "pl"
        language_name = "Polski"
        reviewed = true
        title = "Kodeks postępowania"
        declaration = "Zobowiązuję się przestrzegać tego kodeksu."
        +++

        ## Zasady

        - [ ] Będę uprzejmy. {visitor}
        - [ ] Zachowam hasło dla siebie.

        ## Telefony

        - [ ] Będę trzymać telefon w torbie.
        """

    static let config = """
        [kiosk]
        school = "Test School"
        terminal = "t-1"

        [roles.staff]
        label = "Staff"
        documents = ["code"]

        [roles.visitor]
        label = "Visitor"
        documents = ["code"]
        audience = "visitor"
        """

    /// Lint over a content folder holding the original and `translation`.
    func lint(_ translation: String, original: String = Self.original) -> Lint.Result {
        let scratch = Scratch()
        scratch.write("kiosk.conf", Self.config)
        scratch.write("content/code.md", original)
        scratch.write("content/code.pl.md", translation)
        return Lint.check(configPath: scratch.path + "/kiosk.conf", checkPIN: false)
    }

    func messages(_ result: Lint.Result, _ severity: Diagnostic.Severity) -> [String] {
        // The test kiosk.conf has no admin PIN: only the content's are looked at.
        result.diagnostics.filter { $0.severity == severity && !$0.file.hasSuffix("kiosk.conf") }.map(\.description)
    }

    @Test("a translation's front matter: id and version are the original's, the language and whether it is reviewed are kept")
    func parses() throws {
        let result = DocumentParser.parse(Self.polish, path: "code.pl.md")
        #expect(result.diagnostics == [])
        let document = try #require(result.document)
        #expect(document.id == "code" && document.version == 2)
        #expect(document.translation == Translation(language: "pl", languageName: "Polski", reviewed: true))
        #expect(result.outline.id == nil && result.outline.translationOf == "code")
        // An original has none.
        #expect(DocumentParser.parse(Self.original, path: "code.md").document?.translation == nil)
    }

    @Test("a translation may not have its own id or version, and needs language, language_name and reviewed")
    func frontMatterErrors() {
        let withID = DocumentParser.parse(Self.polish.replacingOccurrences(of: "reviewed = true", with: "reviewed = true\nid = \"kod\""), path: "code.pl.md")
        #expect(withID.document == nil)
        #expect(withID.diagnostics.contains { $0.message.contains("a translation takes its id and version from the document it translates") })
        let noReviewed = DocumentParser.parse(Self.polish.replacingOccurrences(of: "reviewed = true\n", with: ""), path: "code.pl.md")
        #expect(noReviewed.diagnostics.contains { $0.message.contains("missing `reviewed`") })
        let badTag = DocumentParser.parse(Self.polish.replacingOccurrences(of: "language = \"pl\"", with: "language = \"Polish!\""), path: "code.pl.md")
        #expect(badTag.diagnostics.contains { $0.message.contains("BCP 47") })
    }

    @Test("a translation of the same structure and version lints clean, is offered, and keeps the original's clause identities and audiences")
    func clean() throws {
        let result = lint(Self.polish)
        #expect(messages(result, .error) + messages(result, .warning) == [], "\(result.diagnostics)")
        let library = try #require(result.library)
        let config = try #require(result.config)
        #expect(library.languages(for: config.roles).map(\.languageName) == ["Polski"])
        let visitor = try #require(config.role("visitor"))
        let shown = library.documents(for: visitor, language: "pl")
        let written = library.documents(for: visitor)
        #expect(shown[0].clauses.map(\.text) == ["Będę uprzejmy.", "Będę trzymać telefon w torbie."])
        #expect(shown[0].clauses.map(\.id) == written[0].clauses.map(\.id))
        // The last clause carries no tag of its own: it takes {visitor} from the clause it translates.
        #expect(shown[0].clauses.map(\.audiences) == [["visitor"], ["visitor"]])
        #expect(shown[0].sha256 != written[0].sha256 && shown[0].translation?.language == "pl")
        #expect(library.documents(for: visitor, language: nil) == written)
    }

    @Test("lint: a clause missing, with the file and line of both")
    func clauseMissing() {
        let result = lint(Self.polish.replacingOccurrences(of: "- [ ] Zachowam hasło dla siebie.\n", with: ""))
        let errors = messages(result, .error)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("code.pl.md:13:1: error: clause missing") == true, "\(errors)")
        #expect(errors.first?.contains("code.md:11") == true, "names the original's clause: \(errors)")
        #expect(result.library == nil, "the kiosk does not start on it")
    }

    @Test("lint: a clause extra")
    func clauseExtra() {
        let result = lint(Self.polish.replacingOccurrences(of: "- [ ] Będę trzymać telefon w torbie.", with: "- [ ] Będę trzymać telefon w torbie.\n- [ ] Nie będę krzyczeć."))
        let errors = messages(result, .error)
        #expect(errors.count == 1)
        #expect(errors.first?.contains("code.pl.md:19:1: error: extra clause") == true, "\(errors)")
        #expect(errors.first?.contains("code.md:13") == true, "\(errors)")
    }

    @Test("lint: a section missing, and a tag that differs from the original's")
    func sectionsAndTags() {
        let oneSection = lint(String(Self.polish.prefix(upTo: Self.polish.range(of: "## Telefony")!.lowerBound)))
        #expect(messages(oneSection, .error).contains { $0.contains("the translation has 1 sections where") && $0.contains("is missing") })
        let tagged = lint(Self.polish.replacingOccurrences(of: "Zachowam hasło dla siebie.", with: "Zachowam hasło dla siebie. {visitor}"))
        #expect(messages(tagged, .error).contains { $0.contains("the audience tag differs") })
    }

    @Test("lint: a translation of an older version is out of date (a warning), and the kiosk does not offer it")
    func outOfDate() throws {
        // The original moved on to version 3 with a clause more.
        let newer = Self.original.replacingOccurrences(of: "version = 2", with: "version = 3")
            .replacingOccurrences(of: "## Phones", with: "- [ ] I will lock my screen.\n\n## Phones")
        let result = lint(Self.polish, original: newer)
        #expect(messages(result, .error) == [], "out of date is not also a structure error: \(result.diagnostics)")
        #expect(messages(result, .warning).contains { $0.contains("code.pl.md:3:26: warning: out of date: this translates version 2 of `code`") }, "\(result.diagnostics)")
        let library = try #require(result.library)
        #expect(library.languages(for: try #require(result.config).roles).isEmpty)
        #expect(library.translation(of: "code", into: "pl") == nil)
        let staff = try #require(result.config?.role("staff"))
        #expect(library.documents(for: staff, language: "pl") == library.documents(for: staff))
    }

    @Test("lint: right-to-left text is refused, said at its place, and never offered; a right-to-left language too")
    func rightToLeft() {
        let hebrew = lint(Self.polish.replacingOccurrences(of: "Będę uprzejmy.", with: "אהיה אדיב."))
        let errors = messages(hebrew, .error)
        #expect(errors.contains { $0.contains("code.pl.md:13:7: error: right-to-left text: the Linux console cannot show right-to-left text correctly") }, "\(errors)")
        #expect(hebrew.library == nil)
        let arabic = lint(Self.polish.replacingOccurrences(of: "language = \"pl\"", with: "language = \"ar\""))
        #expect(messages(arabic, .error).contains { $0.contains("the Linux console cannot show right-to-left text correctly") })
        #expect(!Translation.isRightToLeft("ł") && Translation.isRightToLeft("ب") && Translation.isRightToLeft("\u{200F}"))
        // Checked against a library built by hand too: never offered.
        let original = DocumentParser.parse(Self.original, path: "code.md").document!
        var translation = DocumentParser.parse(Self.polish, path: "code.pl.md").document!
        translation.source += "\nשלום"
        #expect(!TranslationCheck.isOffered(translation, of: original))
    }

    @Test("lint: a translation not yet reviewed by the school is a warning; it is still offered")
    func unreviewed() throws {
        let result = lint(Self.polish.replacingOccurrences(of: "reviewed = true", with: "reviewed = false"))
        #expect(messages(result, .error) == [])
        let warnings = messages(result, .warning)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("code.pl.md:6:12: warning: the Polski translation is not yet reviewed by the school") == true, "\(warnings)")
        #expect(try #require(result.library).translation(of: "code", into: "pl") != nil)
    }

    @Test("lint: a translation of no document, and two of one document into one language")
    func orphansAndTwins() {
        let orphan = lint(Self.polish.replacingOccurrences(of: "translation_of = \"code\"", with: "translation_of = \"kod\""))
        #expect(messages(orphan, .error).contains { $0.contains("`translation_of = \"kod\"` names no document") })
        let scratch = Scratch()
        scratch.write("kiosk.conf", Self.config)
        scratch.write("content/code.md", Self.original)
        scratch.write("content/code.pl.md", Self.polish)
        scratch.write("content/code.pl2.md", Self.polish)
        let twins = Lint.check(configPath: scratch.path + "/kiosk.conf", checkPIN: false)
        #expect(twins.errors.contains { $0.message.contains("already translates `code` into `pl`") })
    }

    @Test("the shipped Polish translation: the whole ICT code, current, marked not yet reviewed, offered to every role that reads it")
    func shipped() throws {
        let result = Lint.check(configPath: repositoryRoot + "/kiosk.conf", checkPIN: false)
        #expect(result.errors == [])
        let library = try #require(result.library)
        let config = try #require(result.config)
        let polish = try #require(library.translation(of: "ict-code-of-conduct", into: "pl"))
        #expect(polish.translation == Translation(language: "pl", languageName: "Polski", reviewed: false))
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.contains("the Polski translation is not yet reviewed by the school") })
        #expect(library.languages(for: config.roles).map(\.language) == ["pl"])
        let visitor = try #require(config.role("visitor"))
        let shown = library.documents(for: visitor, language: "pl")
        #expect(shown.map(\.clauses.count) == [5])
        #expect(shown[0].clauses.map(\.id) == library.documents(for: visitor)[0].clauses.map(\.id))
        // Staff read the social media policy in English: it has no translation.
        let staff = try #require(config.role("staff"))
        let staffShown = library.documents(for: staff, language: "pl")
        #expect(staffShown.map { $0.translation?.language } == [nil, "pl"])
    }
}
