import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// Pass codes (only their salted hash in a record), a returning person's
/// `previous`, and sign-out records: signed, chained and checked like the
/// others, with the records written before them reading exactly as before.
@Suite("Pass codes and sign-outs")
struct PassCodeSignOutTests {
    /// A book written by the kiosk before pass codes and sign-outs existed
    /// (kiosk-bench fill at commit 5ec9360), kept in Tests/OldRecords.
    static let oldBook = repositoryRoot + "/Tests/OldRecords/reception-1"

    @Test("a record book written before pass codes verifies unchanged, and its records re-encode byte for byte")
    func oldRecordsStillVerify() throws {
        let pub = try Minisign.PublicKey(fileText: String(contentsOfFile: Self.oldBook + "/terminal.pub", encoding: .utf8))
        var problems: [VerificationProblem] = []
        let summary = RecordVerifier(keys: ["reception-1": [pub]]).verify(folder: Self.oldBook, report: { problems.append($0) })
        #expect(problems.isEmpty, "\(problems)")
        #expect(summary.records == 2 && summary.intact == 2)
        for seq in 1...2 {
            let bytes = try AtomicFile.read(RecordLayout(root: Self.oldBook).record(seq: seq))!
            let record = try RecordFile(bytes: bytes)
            #expect(record.session?.passCodeHash == nil)
            #expect(record.session?.previous == nil)
            #expect(record.bytes == bytes, "the old record is still the canonical form of what it says")
            #expect(!String(decoding: bytes, as: UTF8.self).contains("pass_code"))
        }
    }

    @Test("a pass code is 8 characters a person cannot misread, shown in two groups, typed in any case")
    func codeForm() {
        var seen = Set<String>()
        for _ in 0..<200 {
            let code = PassCode.generate()
            #expect(code.count == 8)
            #expect(code.allSatisfy { PassCode.alphabet.contains($0) })
            #expect(!code.contains(where: { "01OIL".contains($0) }))
            seen.insert(code)
        }
        #expect(seen.count == 200, "codes are random, not repeated")
        #expect(PassCode.grouped("7KQ4M9TZ") == "7KQ4-M9TZ")
        #expect(PassCode.normalised(" 7kq4-m9tz ") == "7KQ4M9TZ")
        #expect(PassCode.normalised("7KQ4-M9T0") == nil, "0 is not in the alphabet")
        #expect(PassCode.normalised("7KQ4-M9T") == nil)
    }

    @Test("the hash a record keeps never equals or contains the code, is salted, and checks the code it was made from")
    func hashIsNotTheCode() {
        let code = PassCode.generate()
        let one = PassCode.hash(code, iterations: 1_000)
        let two = PassCode.hash(code, iterations: 1_000)
        #expect(one != two, "a fresh salt each time")
        for hash in [one, two] {
            #expect(hash != code)
            #expect(!hash.uppercased().contains(code))
            #expect(!hash.uppercased().contains(PassCode.grouped(code)))
            #expect(hash.hasPrefix("pbkdf2-sha256$1000$"))
            #expect(PassCode.isHash(hash))
            #expect(PassCode.matches(code, hash: hash))
            #expect(PassCode.matches(PassCode.grouped(code).lowercased(), hash: hash))
        }
        var other = PassCode.generate()
        while other == code { other = PassCode.generate() }
        #expect(!PassCode.matches(other, hash: one))
        #expect(!PassCode.matches("", hash: one))
        #expect(PassCode.hash(code).hasPrefix("pbkdf2-sha256$\(PassCode.iterations)$"), "the kiosk's own hashes are the slow ones")
    }

    @Test("a session with a pass-code hash and an earlier record is written, read back the same, and verifies")
    func newFieldsRoundTrip() throws {
        let book = Book()
        let store = try book.open()
        let first = try store.commit(visitorSession(name: "Ann Lee"))
        var session = visitorSession(name: "Ann Lee")
        let code = PassCode.generate()
        session.passCodeHash = PassCode.hash(code, iterations: 1_000)
        session.previous = RecordLink(terminal: "reception-1", seq: first.seq, sha256: first.sha256)
        let second = try store.commit(session)
        let bytes = book.bytes(second.path)
        let record = try RecordFile(bytes: bytes)
        #expect(record.session?.passCodeHash == session.passCodeHash)
        #expect(record.session?.previous == session.previous)
        #expect(record.bytes == bytes)
        #expect(!String(decoding: bytes, as: UTF8.self).uppercased().contains(code), "the code itself is never in the record")
        let json = try CanonicalJSON.decode(bytes)
        #expect(json["previous"]?["seq"] == .int(1))
        #expect(json["previous"]?["sha256"] == .string(first.sha256))
        let (summary, problems) = book.verify()
        #expect(problems.isEmpty, "\(problems)")
        #expect(summary.intact == 2)
    }

    @Test("a record whose pass_code_hash or previous is not in the form the kiosk writes is refused")
    func malformedNewFields() throws {
        var record = RecordFile(session: visitorSession(), seq: 1, terminal: "reception-1", school: "S", prev: RecordFile.genesis)
        guard case .session(var s) = record.body else { Issue.record("not a session"); return }
        s.passCodeHash = "7KQ4M9TZ"
        record.body = .session(s)
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: record.bytes) }
        s.passCodeHash = nil
        s.previous = RecordLink(terminal: "reception-1", seq: 0, sha256: RecordFile.genesis)
        record.body = .session(s)
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: record.bytes) }
        s.previous = RecordLink(terminal: "../x", seq: 1, sha256: RecordFile.genesis)
        record.body = .session(s)
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: record.bytes) }
    }

    @Test("a sign-out is a signed record in the same chain that names the session it closes; verify accepts it")
    func signOutVerifies() throws {
        let book = Book()
        let store = try book.open()
        let visit = try store.commit(visitorSession(name: "Ann Lee"))
        let link = RecordLink(terminal: "reception-1", seq: visit.seq, sha256: visit.sha256)
        let out = try store.signOut(closing: link, method: "pass-code")
        #expect(out.seq == 2)
        let record = try RecordFile(bytes: book.bytes(out.path))
        #expect(record.prev == visit.sha256)
        #expect(record.signOut?.session == link)
        #expect(record.signOut?.method == "pass-code")
        #expect(record.session == nil)
        let (summary, problems) = book.verify()
        #expect(problems.isEmpty, "\(problems)")
        #expect(summary.records == 2 && summary.intact == 2)
        // Office lists show it for what it is, and it is no one's agreement.
        let row = RecordSummary(CheckedRecord(terminal: "reception-1", seq: 2, path: out.path, sha256: out.sha256, intact: true, record: record))
        #expect(row.roleLabel == "(sign-out)")
        #expect(row.answers.contains("signs out record 1 · \(visit.reference)"))
        #expect(row.clausesAgreed == 0 && row.name.isEmpty)
    }

    @Test("a sign-out of a record the book does not hold yet is refused before it is written")
    func signOutOfFutureRefused() throws {
        let book = Book()
        let store = try book.open()
        #expect(throws: StoreError.self) {
            try store.signOut(closing: RecordLink(terminal: "reception-1", seq: 1, sha256: RecordFile.genesis), method: "reference")
        }
        #expect(store.lastSeq == 0)
    }

    @Test("a changed byte in a sign-out record is found and named")
    func signOutTampered() throws {
        let book = Book()
        let store = try book.open()
        let visit = try store.commit(visitorSession())
        let out = try store.signOut(closing: RecordLink(terminal: "reception-1", seq: 1, sha256: visit.sha256), method: "reference")
        store.close()
        var bytes = book.bytes(out.path)
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"reference\"", with: "\"pass-code\"")
        bytes = Array(text.utf8)
        book.write(out.path, bytes)
        let (summary, problems) = book.verify()
        #expect(problems.contains { $0.kind == .modified && $0.seq == 2 }, "\(problems)")
        #expect(summary.intact == 1)
    }

    @Test("a validly signed sign-out that names a record with another hash, or no session, is an unmatched sign-out")
    func signOutUnmatched() throws {
        let book = Book()
        let store = try book.open()
        let visit = try store.commit(visitorSession())
        // Signed by the terminal's own key, but naming a hash record 1 does not have.
        _ = try store.signOut(closing: RecordLink(terminal: "reception-1", seq: 1, sha256: String(repeating: "ab", count: 32)), method: "reference")
        // A sign-out of a sign-out.
        let second = try store.signOut(closing: RecordLink(terminal: "reception-1", seq: 1, sha256: visit.sha256), method: "reference")
        _ = try store.signOut(closing: RecordLink(terminal: "reception-1", seq: 3, sha256: second.sha256), method: "reference")
        let (summary, problems) = book.verify()
        let unmatched = problems.filter { $0.kind == .unmatched }
        #expect(unmatched.map(\.seq) == [2, 4], "\(problems)")
        #expect(unmatched.first?.detail.contains("another hash") == true)
        #expect(unmatched.last?.detail.contains("not an intact session record") == true)
        #expect(summary.intact == 2)
    }

    @Test("a sign-out closing another terminal's record is refused by the book and named by verify: a sign-out closes a session of its own book only")
    func signOutAcrossTerminals() throws {
        let scratch = Scratch()
        let records = scratch.path + "/records"
        let keyA = TerminalKey.generate(), keyB = TerminalKey.generate()
        let a = try RecordBook.open(records: records, terminal: "reception-1", school: "S", key: keyA)
        let visit = try a.commit(visitorSession())
        let b = try RecordBook.open(records: records, terminal: "staffroom-1", school: "S", key: keyB)
        let link = RecordLink(terminal: "reception-1", seq: visit.seq, sha256: visit.sha256)
        #expect(throws: StoreError.self) { try b.signOut(closing: link, method: "pass-code") }
        // Written all the same (another program with B's key): B's trusted key does not take A's visitor off.
        _ = try b.writeSignOut(closing: link, method: "pass-code")
        let verifier = RecordVerifier(keys: ["reception-1": [keyA.publicKey], "staffroom-1": [keyB.publicKey]])
        var problems: [VerificationProblem] = []
        var list = OnSiteList(day: Date(timeIntervalSince1970: 1_790_000_000), timeZone: TimeZone(identifier: "UTC")!, signOutBy: nil)
        for folder in [records + "/reception-1", records + "/staffroom-1"] {
            _ = verifier.verify(folder: folder, report: { problems.append($0) }, record: { list.add($0) })
        }
        #expect(problems.map(\.seq) == [1] && problems.first?.terminal == "staffroom-1" && problems.first?.kind == .unmatched, "\(problems)")
        #expect(problems.first?.detail.contains("of its own terminal's book only") == true)
        #expect(list.notSignedOut(roles: [visitorRole]).flatMap(\.entries).count == 1, "the visitor is still on the list")
    }

    @Test("a returning person's previous in another terminal's book is checked against it when read, or noted when it is not")
    func previousAcrossTerminals() throws {
        let scratch = Scratch()
        let records = scratch.path + "/records"
        let keyA = TerminalKey.generate(), keyB = TerminalKey.generate()
        let a = try RecordBook.open(records: records, terminal: "reception-1", school: "S", key: keyA)
        let ann = try a.commit(visitorSession(name: "Ann Lee"))
        let out = try a.signOut(closing: RecordLink(terminal: "reception-1", seq: ann.seq, sha256: ann.sha256), method: "pass-code")
        // A's key changes: an earlier agreement signed with the old key still counts.
        let change = try a.changeKey(to: TerminalKey.generate(), reason: "rotated")
        let b = try RecordBook.open(records: records, terminal: "staffroom-1", school: "S", key: keyB)
        let good = RecordLink(terminal: "reception-1", seq: ann.seq, sha256: ann.sha256)
        for (name, link) in [
            ("Ann Lee", good),                                                                          // 1: fine
            ("ann  lee", good),                                                                         // 2: the same name as the kiosk matches it
            ("Bob Roe", good),                                                                          // 3: someone else's
            ("Ann Lee", RecordLink(terminal: "reception-1", seq: out.seq, sha256: out.sha256)),         // 4: a sign-out
            ("Ann Lee", RecordLink(terminal: "reception-1", seq: change.seq, sha256: change.sha256)),   // 5: the key change
            ("Ann Lee", RecordLink(terminal: "reception-1", seq: 40, sha256: ann.sha256)),              // 6: not there
        ] {
            var session = visitorSession(name: name)
            session.previous = link
            _ = try b.commit(session)
        }
        a.close()
        b.close()
        let verifier = RecordVerifier(keys: ["reception-1": [keyA.publicKey], "staffroom-1": [keyB.publicKey]])
        var problems: [VerificationProblem] = []
        let folders = [records + "/reception-1", records + "/staffroom-1"]
        let summaries = folders.map { verifier.verify(folder: $0, report: { problems.append($0) }) }
        #expect(problems.isEmpty, "each book alone is intact: \(problems)")
        let refs = summaries.flatMap(\.foreignReferences)
        #expect(refs.count == 6)
        let both = RecordVerifier.checkReferences(refs, folders: folders, intact: { _ in true })
        #expect(both.problems.map(\.seq) == [3, 4, 5, 6], "\(both.problems)")
        #expect(both.problems.allSatisfy { $0.kind == .unmatchedPrevious && $0.terminal == "staffroom-1" })
        #expect(both.problems.first?.detail.contains("another person's") == true)
        let alone = RecordVerifier.checkReferences(refs, folders: [folders[1]], intact: { _ in true })
        #expect(alone.problems.isEmpty)
        #expect(alone.notes.count == 6 && alone.notes[0].contains("not among the folders read"))
        let untrusted = RecordVerifier.checkReferences([refs[0]], folders: folders, intact: { _ in false })
        #expect(untrusted.problems.first?.detail.contains("does not verify") == true)
    }
}

@Suite("Sign-outs of records long before them")
struct SignOutFarBackTests {
    @Test("a sign-out of a session further back than verify keeps in memory is checked against the record file itself")
    func farBack() throws {
        let book = Book()
        let store = try book.open()
        let first = try store.commit(visitorSession(name: "Ann Lee"))
        for i in 0..<4 { _ = try store.commit(visitorSession(name: "P\(i)")) }
        _ = try store.signOut(closing: RecordLink(terminal: "reception-1", seq: 1, sha256: first.sha256), method: "pass-code")
        _ = try store.signOut(closing: RecordLink(terminal: "reception-1", seq: 1, sha256: String(repeating: "ef", count: 32)), method: "pass-code")
        store.close()
        // The chain as verify runs it, remembering only the last 2 records.
        var chain = ChainCheck(terminal: "reception-1", trusted: [book.key.publicKey])
        chain.recentLimit = 2
        let layout = book.layout
        final class Asked: @unchecked Sendable {
            let lock = NSLock()
            var seqs: [Int] = []
        }
        let asked = Asked()
        chain.earlier = { seq in
            asked.lock.withLock { asked.seqs.append(seq) }
            return RecordVerifier.readSession(layout.record(seq: seq))
        }
        var problems: [VerificationProblem] = []
        for seq in 1...7 {
            let path = layout.record(seq: seq)
            let verdict = RecordCheck.check(book.bytes(path), signatureFile: book.bytes(path + ".minisig"), keys: [book.key.publicKey])
            problems += chain.add(seq: seq, file: RecordLayout.relativeRecordPath(seq: seq), verdict: verdict).problems
        }
        #expect(asked.lock.withLock { asked.seqs } == [1, 1], "record 1 was read again for each sign-out")
        #expect(problems.map(\.seq) == [7], "\(problems)")
        #expect(problems.first?.kind == .unmatched)
    }
}
