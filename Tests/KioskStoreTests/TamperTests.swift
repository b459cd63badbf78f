import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// Each way of tampering with a record book, and what `verify` must call it.
@Suite("Tamper evidence")
struct TamperTests {
    func book(_ count: Int = 5) throws -> Book {
        let book = Book()
        try book.fill(count)
        return book
    }

    func kinds(_ problems: [VerificationProblem]) -> [String] {
        problems.map { "\($0.seq.map(String.init) ?? "-") \($0.kind.rawValue)" }
    }

    @Test("an intact book has no problems")
    func intact() throws {
        let (summary, problems) = try book().verify()
        #expect(problems == [])
        #expect(summary.records == 5 && summary.intact == 5)
    }

    @Test("a flipped byte in a record is named as modified, by seq and file")
    func flippedByte() throws {
        let book = try book()
        let path = book.layout.record(seq: 3)
        var bytes = book.bytes(path)
        bytes[bytes.count / 2] ^= 0x20
        book.write(path, bytes)
        let problems = book.verify().1
        #expect(kinds(problems) == ["3 modified"])
        #expect(problems.first?.file == "000000/00000003.json")
        #expect(problems.first?.description == "reception-1: seq 3 (000000/00000003.json): modified: the record's bytes do not match its signature")
    }

    @Test("an edited trusted comment is caught")
    func trustedComment() throws {
        let book = try book()
        let path = book.layout.record(seq: 2) + ".minisig"
        let text = String(decoding: book.bytes(path), as: UTF8.self).replacingOccurrences(of: "seq:2\t", with: "seq:9\t")
        book.write(path, Array(text.utf8))
        #expect(kinds(book.verify().1) == ["2 modified"])
    }

    @Test("a deleted middle record is named as missing")
    func deletedMiddle() throws {
        let book = try book()
        unlink(book.layout.record(seq: 3))
        unlink(book.layout.record(seq: 3) + ".minisig")
        let problems = book.verify().1
        #expect(kinds(problems) == ["3 missing"])
        #expect(problems[0].detail == "record 3 is not in the book (deleted?)")
    }

    @Test("two swapped records are named as reordered")
    func swapped() throws {
        let book = try book()
        let a = book.layout.record(seq: 2), b = book.layout.record(seq: 4)
        for suffix in ["", ".minisig"] {
            rename(a + suffix, a + suffix + ".x")
            rename(b + suffix, a + suffix)
            rename(a + suffix + ".x", b + suffix)
        }
        #expect(kinds(book.verify().1) == ["2 reordered", "4 reordered"])
    }

    @Test("a record signed by another key is named as forged")
    func inserted() throws {
        let book = try book(3)
        // The forger writes record 4 with a key of their own, chained correctly.
        let forger = TerminalKey.generate()
        let prev = Hex.sha256(book.bytes(book.layout.record(seq: 3)))
        let bytes = RecordFile(session: visitorSession(name: "Forged"), seq: 4, terminal: "reception-1", school: "S", prev: prev).bytes
        let signature = try Minisign.sign(bytes, with: forger, trustedComment: RecordFile.trustedComment(seq: 4, sha256: Hex.sha256(bytes), prev: prev, terminal: "reception-1"), untrustedComment: "x")
        book.write(book.layout.record(seq: 4), bytes)
        book.write(book.layout.record(seq: 4) + ".minisig", Array(signature.fileText.utf8))
        let problems = book.verify().1
        #expect(kinds(problems).first == "4 forged")
        #expect(problems.first?.detail == "signed by key \(Minisign.keyIDText(forger.keyID)), which is not a key of this terminal")
        #expect(problems.count == 1)
    }

    @Test("a record replaced by an older validly signed one breaks the chain")
    func replayed() throws {
        let book = try book()
        // Record 3 replaced by record 2's file, renamed: its seq gives it away.
        try FileManager.default.removeItem(atPath: book.layout.record(seq: 3))
        try FileManager.default.removeItem(atPath: book.layout.record(seq: 3) + ".minisig")
        try FileManager.default.copyItem(atPath: book.layout.record(seq: 2), toPath: book.layout.record(seq: 3))
        try FileManager.default.copyItem(atPath: book.layout.record(seq: 2) + ".minisig", toPath: book.layout.record(seq: 3) + ".minisig")
        #expect(kinds(book.verify().1) == ["3 reordered"])
    }

    @Test("a truncated tail is found up to the signed head")
    func truncatedTail() throws {
        let book = try book()
        for seq in [4, 5] {
            unlink(book.layout.record(seq: seq))
            unlink(book.layout.record(seq: seq) + ".minisig")
        }
        let problems = book.verify().1
        #expect(kinds(problems) == ["4 missing"])
        #expect(problems[0].detail == "records 4 to 5 are named by the signed head but not in the book (tail truncated)")
    }

    @Test("an older signed head put back is found when it is two or more records behind")
    func oldHead() throws {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession())
        let oldHead = (book.bytes(book.layout.head), book.bytes(book.layout.head + ".minisig"))
        for _ in 0..<3 { _ = try store.commit(visitorSession()) }
        store.close()
        book.write(book.layout.head, oldHead.0)
        book.write(book.layout.head + ".minisig", oldHead.1)
        let problems = book.verify().1
        #expect(kinds(problems) == ["1 head mismatch"])
        #expect(problems[0].detail.contains("head.json names record 1 but the book holds records up to 4"))
    }

    @Test("a head one record behind is an interrupted save: a note, not a problem")
    func headOneBehind() throws {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession())
        let oldHead = (book.bytes(book.layout.head), book.bytes(book.layout.head + ".minisig"))
        _ = try store.commit(visitorSession())
        store.close()
        book.write(book.layout.head, oldHead.0)
        book.write(book.layout.head + ".minisig", oldHead.1)
        let (summary, problems) = book.verify()
        #expect(problems == [])
        #expect(summary.notes.count == 1)
    }

    @Test("an edited head is named")
    func editedHead() throws {
        let book = try book()
        let text = String(decoding: book.bytes(book.layout.head), as: UTF8.self).replacingOccurrences(of: "\"seq\": 5", with: "\"seq\": 4")
        book.write(book.layout.head, Array(text.utf8))
        #expect(kinds(book.verify().1) == ["- modified"])
    }

    @Test("changed stored document text is named")
    func contentModified() throws {
        let book = try book(2)
        let sha = shippedLibrary.document("ict-code-of-conduct")!.sha256
        let path = book.layout.content(sha256: sha)
        book.write(path, Array(String(decoding: book.bytes(path), as: UTF8.self).replacingOccurrences(of: "I will not", with: "I may").utf8))
        #expect(kinds(book.verify().1) == ["1 content modified"])
        unlink(path)
        #expect(kinds(book.verify().1) == ["1 content missing"])
    }

    @Test("a book checked only against an untrusted key fails every record")
    func untrustedKey() throws {
        let book = try book(2)
        let (summary, problems) = book.verify(keys: [TerminalKey.generate().publicKey])
        #expect(summary.intact == 0)
        // The records, the head, and the published terminal.pub and .pem.
        #expect(kinds(problems) == ["1 forged", "2 forged", "- forged", "- forged", "- forged"])
    }

    @Test("one record and its signature file checked on their own, as the fuzzer drives it")
    func checkOne() throws {
        let book = Book()
        try book.fill(1)
        let path = book.layout.record(seq: 1)
        var bytes = book.bytes(path)
        let signature = book.bytes(path + ".minisig")
        let keys = [book.key.publicKey]
        let good = RecordCheck.check(bytes, signatureFile: signature, keys: keys)
        #expect(good.problem == nil)
        #expect(good.record?.seq == 1)
        #expect(RecordCheck.check(bytes, signatureFile: nil, keys: keys).problem?.kind == .unsigned)
        #expect(RecordCheck.check(bytes, signatureFile: Array("garbage".utf8), keys: keys).problem?.kind == .malformed)
        bytes[bytes.count / 2] ^= 1
        #expect(RecordCheck.check(bytes, signatureFile: signature, keys: keys).problem?.kind == .modified)
    }
}
