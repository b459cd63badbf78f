import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// A session read in translation: the record names the language and holds,
/// for each clause, the text shown and the authoritative clause; the
/// translation's file is stored and checked like the original's.
@Suite("Records of sessions read in translation")
struct TranslationRecordTests {
    /// The visitor session over the shipped code, read in Polish.
    static func polishSession() -> CompletedSession {
        let original = shippedLibrary.document("ict-code-of-conduct")!
        let translation = shippedLibrary.translation(of: "ict-code-of-conduct", into: "pl")!
        let shown = TranslationCheck.shown(translation, of: original)
        var session = visitorSession(name: "Anna Kowalska")
        session.language = "pl"
        session.readings[0].shown = shown
        session.acknowledgements = zip(session.acknowledgements, shown.clauses).map { ack, clause in
            var translated = ack
            translated.shownText = clause.text
            return translated
        }
        return session
    }

    @Test("the record names the language, both texts of each clause and of the declaration, and the translation's title and hash")
    func contents() throws {
        let session = Self.polishSession()
        let record = RecordFile(session: session, seq: 1, terminal: "reception-1", school: "S", prev: RecordFile.genesis)
        let s = try #require(record.session)
        #expect(s.language == "pl")
        let translation = try #require(s.documents[0].translation)
        #expect(translation.language == "pl" && translation.title == "Kodeks postępowania w zakresie ICT i kontaktów społecznych")
        #expect(translation.sha256 == shippedLibrary.translation(of: "ict-code-of-conduct", into: "pl")!.sha256)
        #expect(s.documents[0].sha256 == shippedLibrary.document("ict-code-of-conduct")!.sha256, "the document is the authoritative one")
        let first = s.clauses[0]
        #expect(first.text.hasPrefix("I will only use the school's e-mail"))
        #expect(first.id == ClauseIdentity.hash(first.text), "the id is the authoritative clause's")
        #expect(first.shownText?.hasPrefix("Będę korzystać ze szkolnej poczty elektronicznej") == true)
        #expect(s.declarations[0].text.hasPrefix("I agree to follow this Code of Conduct"))
        #expect(s.declarations[0].shownText?.hasPrefix("Zobowiązuję się przestrzegać") == true)
        #expect(s.storedSHA256s == [s.documents[0].sha256, translation.sha256])
        // Round trip through the one codec, strict and canonical.
        let decoded = try RecordFile(bytes: record.bytes)
        #expect(decoded == record)
        let text = String(decoding: record.bytes, as: UTF8.self)
        #expect(text.contains("\"language\": \"pl\"") && text.contains("\"shown_text\": ") && text.contains("\"translation\": {"))
    }

    @Test("a session read as written is byte for byte what the kiosk wrote before translations: no language, translation or shown_text")
    func englishUnchanged() throws {
        let record = RecordFile(session: visitorSession(), seq: 1, terminal: "reception-1", school: "S", prev: RecordFile.genesis)
        let text = String(decoding: record.bytes, as: UTF8.self)
        #expect(!text.contains("\"language\"") && !text.contains("shown_text") && !text.contains("\"translation\""))
        #expect(try RecordFile(bytes: record.bytes) == record)
        // And the records written before (Tests/OldRecords) verify and re-encode exactly.
        let old = PassCodeSignOutTests.oldBook
        for seq in 1...2 {
            let bytes = try AtomicFile.read(RecordLayout(root: old).record(seq: seq))!
            let decoded = try RecordFile(bytes: bytes)
            #expect(decoded.bytes == bytes)
            #expect(decoded.session?.language == nil && decoded.session?.clauses.allSatisfy { $0.shownText == nil } == true)
        }
    }

    @Test("the book stores the translation's file beside the original's; verify checks it, and names it when changed or lost")
    func storedAndVerified() throws {
        let book = Book()
        let store = try book.open()
        let receipt = try store.commit(Self.polishSession())
        store.close()
        let record = try RecordFile(bytes: book.bytes(receipt.path))
        let sha = try #require(record.session?.documents[0].translation?.sha256)
        let path = book.layout.content(sha256: sha)
        #expect(String(decoding: book.bytes(path), as: UTF8.self).contains("translation_of = \"ict-code-of-conduct\""))
        var (summary, problems) = book.verify()
        #expect(problems.isEmpty, "\(problems)")
        #expect(summary.intact == 1 && summary.notes.isEmpty, "\(summary.notes)")
        // The translation stored is no version of the document: the version check ignores it.
        #expect(try book.open().storedDocuments().map(\.id) == ["ict-code-of-conduct"])
        book.write(path, Array("changed".utf8))
        (_, problems) = book.verify()
        #expect(problems.contains { $0.file.contains(sha) }, "a changed translation file passes: \(problems)")
        try FileManager.default.removeItem(atPath: path)
        (_, problems) = book.verify()
        #expect(problems.contains { $0.file.contains(sha) || $0.detail.contains(sha) }, "a lost translation file passes: \(problems)")
    }

    @Test("a language that is not a BCP 47 tag, or a translation hash that is not a SHA-256, is refused by the codec")
    func strict() throws {
        let record = RecordFile(session: Self.polishSession(), seq: 1, terminal: "reception-1", school: "S", prev: RecordFile.genesis)
        let text = String(decoding: record.bytes, as: UTF8.self)
        let badLanguage = text.replacingOccurrences(of: "\"language\": \"pl\"", with: "\"language\": \"p l\"")
        #expect(badLanguage != text)
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: Array(badLanguage.utf8)) }
        let sha = record.session!.documents[0].translation!.sha256
        let badHash = text.replacingOccurrences(of: sha, with: "xyz")
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: Array(badHash.utf8)) }
    }

    @Test("records and export name the language a document was read in; one read as written is listed as before")
    func summary() {
        for (session, expected) in [(Self.polishSession(), "ict-code-of-conduct v2 (pl)"), (visitorSession(), "ict-code-of-conduct v2")] {
            let record = RecordFile(session: session, seq: 1, terminal: "reception-1", school: "S", prev: RecordFile.genesis)
            let checked = CheckedRecord(terminal: "reception-1", seq: 1, path: "", sha256: Hex.sha256(record.bytes), intact: true, record: record)
            #expect(RecordSummary(checked).documents == expected)
        }
    }
}
