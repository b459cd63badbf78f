import Foundation
import KioskContent
import KioskTestSupport
import Testing
@testable import KioskStore

/// What verify makes of the records a session or a sign-out names: the
/// rest of the class of the red team's `previous` and sign-out findings.
@Suite("Verify: previous and sign-outs name an intact, earlier session")
struct ReferenceCheckTests {
    static func link(_ receipt: RecordBook.Receipt) -> RecordLink {
        RecordLink(terminal: "reception-1", seq: receipt.seq, sha256: receipt.sha256)
    }

    /// Runs the chain as verify does, remembering only `recentLimit` records.
    static func chain(_ book: Book, through last: Int, recentLimit: Int = 10_000) -> [VerificationProblem] {
        var chain = ChainCheck(terminal: "reception-1", trusted: [book.key.publicKey])
        chain.recentLimit = recentLimit
        let layout = book.layout
        chain.earlier = { seq in RecordVerifier.readSession(layout.record(seq: seq)) }
        var problems: [VerificationProblem] = []
        for seq in 1...last {
            let path = layout.record(seq: seq)
            let verdict = RecordVerifier.check(path: path, keys: chain.candidateKeys)
            problems += chain.add(seq: seq, file: RecordLayout.relativeRecordPath(seq: seq), verdict: verdict).problems
        }
        return problems
    }

    @Test("previous naming a key-change record is named; one naming an agreement signed before a key rotation verifies, and so does a sign-out of it; the same name in another case or spacing verifies")
    func keyChangeAndRotation() throws {
        let book = Book()
        let store = try book.open()
        let ann = try store.commit(visitorSession(name: "Ann Lee"))                       // 1
        let change = try store.changeKey(to: TerminalKey.generate(), reason: "rotated")     // 2
        var onKeyChange = visitorSession(name: "Ann Lee")
        onKeyChange.previous = Self.link(change)
        _ = try store.commit(onKeyChange)                                                   // 3: names a key change
        var returning = visitorSession(name: "ann  LEE")
        returning.previous = Self.link(ann)
        _ = try store.commit(returning)                                                     // 4: across the rotation, fine
        _ = try store.signOut(closing: Self.link(ann), method: "pass-code")                 // 5: a sign-out across it, fine
        store.close()
        var problems: [VerificationProblem] = []
        let summary = RecordVerifier(keys: ["reception-1": [book.key.publicKey]]).verify(folder: book.layout.root, report: { problems.append($0) })
        #expect(problems.map(\.seq) == [3], "\(problems)")
        #expect(problems.first?.kind == .unmatchedPrevious)
        #expect(problems.first?.detail.contains("not an intact session record") == true)
        #expect(problems.first?.detail.contains("record 2") == true, "the problem names what it names: \(problems)")
        #expect(summary.intact == 4)
    }

    @Test("previous naming a session whose record does not verify is named")
    func previousOfUnverified() throws {
        let book = Book()
        let store = try book.open()
        let ann = try store.commit(visitorSession(name: "Ann Lee"))
        var returning = visitorSession(name: "Ann Lee")
        returning.previous = Self.link(ann)
        _ = try store.commit(returning)
        store.close()
        unlink(ann.path + ".minisig")
        let (_, problems) = book.verify()
        #expect(problems.contains { $0.seq == 2 && $0.kind == .unmatchedPrevious }, "\(problems)")
    }

    @Test("far back (beyond verify's memory): previous and sign-outs are checked against the record itself, and whether it verified; a second sign-out is named")
    func farBack() throws {
        let book = Book()
        let store = try book.open()
        let ann = try store.commit(visitorSession(name: "Ann Lee"))                        // 1
        let bob = try store.commit(visitorSession(name: "Bob Roe"))                        // 2: will not verify
        for i in 0..<4 { _ = try store.commit(visitorSession(name: "P\(i)")) }              // 3...6
        var good = visitorSession(name: "Ann Lee")
        good.previous = Self.link(ann)
        _ = try store.commit(good)                                                          // 7: fine
        var other = visitorSession(name: "Cat Poe")
        other.previous = Self.link(ann)
        _ = try store.commit(other)                                                         // 8: someone else's
        _ = try store.signOut(closing: Self.link(bob), method: "pass-code")                 // 9: closes a record that does not verify
        _ = try store.signOut(closing: Self.link(ann), method: "pass-code")                 // 10: fine
        _ = try store.signOut(closing: Self.link(ann), method: "pass-code")                 // 11: twice
        store.close()
        // Bob's signature lost: his record does not verify; its bytes still hash the same.
        unlink(bob.path + ".minisig")
        let problems = Self.chain(book, through: 11, recentLimit: 2)
        #expect(problems.map(\.seq) == [2, 8, 9, 11], "\(problems)")
        #expect(problems.first { $0.seq == 8 }?.detail.contains("another person's") == true)
        #expect(problems.first { $0.seq == 9 }?.detail.contains("does not verify") == true)
        #expect(problems.first { $0.seq == 11 }?.detail.contains("signed out already") == true)
    }

    @Test("records list and export say a returning person's record builds on an earlier one")
    func summaryBuildsOn() throws {
        let book = Book()
        let store = try book.open()
        let ann = try store.commit(visitorSession(name: "Ann Lee"))
        var returning = visitorSession(name: "Ann Lee")
        returning.previous = Self.link(ann)
        let second = try store.commit(returning)
        store.close()
        let record = try RecordFile(bytes: book.bytes(second.path))
        let row = RecordSummary(CheckedRecord(terminal: "reception-1", seq: 2, path: second.path, sha256: second.sha256, intact: true, record: record))
        #expect(row.buildsOn == "record 1 · \(ann.reference) of terminal reception-1")
        #expect(row.answers.contains("returning: builds on record 1 · \(ann.reference)"), "\(row.answers)")
        #expect(row.json["builds_on"] == .string(row.buildsOn))
    }

    @Test("a previous of another terminal's record that verify --through did not read is noted, not counted intact")
    func throughIsNotIntact() {
        let reference = ForeignReference(terminal: "staffroom-1", seq: 3, names: RecordLink(terminal: "reception-1", seq: 9, sha256: RecordFile.genesis), nameKey: "ann lee")
        let scratch = Scratch()
        let folder = scratch.path + "/reception-1"
        let checked = RecordVerifier.checkReferences([reference], folders: [folder], intact: { _ in true }, read: { $0.seq <= 5 })
        #expect(checked.problems.isEmpty)
        #expect(checked.notes.first?.contains("was not read") == true, "\(checked.notes)")
    }
}
