import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// The red team's second round: each an attack that got through once.
@Suite("Red team, second round")
struct RedTeamTests {
    /// A record signed with `key` at `seq`, chained after `prev`, written into the book.
    func forge(_ book: Book, seq: Int, prev: String, key: TerminalKey, body: RecordFile.Body? = nil, name: String = "Forged") throws {
        var record = RecordFile(session: visitorSession(name: name), seq: seq, terminal: "reception-1", school: "S", prev: prev)
        if let body { record.body = body }
        let bytes = record.bytes
        let signature = try Minisign.sign(bytes, with: key, trustedComment: RecordFile.trustedComment(seq: seq, sha256: Hex.sha256(bytes), prev: prev, terminal: "reception-1"),
                                          untrustedComment: RecordCheck.untrustedComment(seq: seq, terminal: "reception-1", keyID: key.keyID))
        try FileManager.default.createDirectory(atPath: book.layout.shard(seq: seq), withIntermediateDirectories: true)
        book.write(book.layout.record(seq: seq), bytes)
        book.write(book.layout.record(seq: seq) + ".minisig", Array(signature.fileText.utf8))
    }

    func forgeHead(_ book: Book, seq: Int, key: TerminalKey) throws {
        let head = HeadFile(terminal: "reception-1", seq: seq, sha256: Hex.sha256(book.bytes(book.layout.record(seq: seq))), updatedAt: Date())
        let bytes = CanonicalJSON.encode(head.json)
        let signature = try Minisign.sign(bytes, with: key, trustedComment: head.trustedComment, untrustedComment: HeadFile.untrustedComment(terminal: "reception-1"))
        book.write(book.layout.head, bytes)
        book.write(book.layout.head + ".minisig", Array(signature.fileText.utf8))
    }

    @Test("start-up never trusts the key terminal.pub names: forged records, head and a key change back to the real key are refused")
    func publishedKeyNotTrusted() throws {
        let book = Book()
        try book.fill(3)
        let attacker = TerminalKey.generate()
        book.write(book.layout.publicKey, Array(attacker.publicKey.fileText.utf8))
        let prev = Hex.sha256(book.bytes(book.layout.record(seq: 3)))
        try forge(book, seq: 4, prev: prev, key: attacker)
        try forgeHead(book, seq: 4, key: attacker)
        let handover = RecordFile.Body.keyChange(.init(changedAt: "2026-09-21T14:20:00Z", newKey: book.key.publicKey.fileText,
                                                       newKeyID: book.key.publicKey.keyIDText, reason: "x"))
        try forge(book, seq: 5, prev: Hex.sha256(book.bytes(book.layout.record(seq: 4))), key: attacker, body: handover)
        let before = book.bytes(book.layout.head)
        #expect(throws: StoreError.self) { try book.open() }
        #expect(book.bytes(book.layout.head) == before, "the real key signs nothing over the forged records")
    }

    @Test("a head naming a seq near the largest integer is refused, not a crash")
    func hugeSeq() throws {
        let book = Book()
        try book.fill(1)
        let json = String(decoding: book.bytes(book.layout.head), as: UTF8.self).replacingOccurrences(of: "\"seq\": 1", with: "\"seq\": 9223372036854775807")
        book.write(book.layout.head, Array(json.utf8))
        #expect(throws: StoreError.self) { try book.open() }
    }

    @Test("a FIFO in place of .lock does not hang the kiosk")
    func fifoLock() throws {
        let book = Book()
        try book.fill(1)
        unlink(book.layout.lock)
        mkfifo(book.layout.lock, 0o644)
        let store = try book.open()
        #expect(store.lastSeq == 1)
        let problems = book.verify().1
        #expect(problems.map(\.kind) == [.stray], "verify names it")
    }

    @Test("a key change to another terminal's key, or back to a retired key, is forged")
    func keyChangeAbuse() throws {
        for target in ["other", "retired"] {
            let book = Book()
            let other = TerminalKey.generate()
            let store = try book.open()
            _ = try store.commit(visitorSession(name: "One"))
            let second = TerminalKey.generate()
            if target == "retired" {
                _ = try store.changeKey(to: second, reason: "rotate", at: Date(timeIntervalSince1970: 1_790_000_300))
            }
            store.close()
            let last = target == "retired" ? 2 : 1
            let signer = target == "retired" ? second : book.key
            let to = target == "retired" ? book.key : other
            let body = RecordFile.Body.keyChange(.init(changedAt: "2026-09-21T14:25:00Z", newKey: to.publicKey.fileText, newKeyID: to.publicKey.keyIDText, reason: "x"))
            try forge(book, seq: last + 1, prev: Hex.sha256(book.bytes(book.layout.record(seq: last))), key: signer, body: body)
            var problems: [VerificationProblem] = []
            _ = RecordVerifier(keys: ["reception-1": [book.key.publicKey], "staffroom-1": [other.publicKey]])
                .verify(folder: book.layout.root, report: { problems.append($0) })
            #expect(problems.first { $0.seq == last + 1 }?.kind == .forged, "\(target): \(problems)")
        }
    }

    @Test("what verify lets through no longer: an edited untrusted comment, extra lines, an orphan signature, a large temporary file, an empty shard, a stored document no record names",
          arguments: ["comment", "lines", "orphan", "tmp", "shard", "content-changed", "head-comment"])
    func quietFiles(kind: String) throws {
        let book = Book()
        try book.fill(2)
        let l = book.layout
        switch kind {
        case "comment":
            let text = String(decoding: book.bytes(l.record(seq: 1) + ".minisig"), as: UTF8.self)
            book.write(l.record(seq: 1) + ".minisig", Array(text.replacingOccurrences(of: "conduct kiosk record 1", with: "VOID: withdrawn").utf8))
        case "lines":
            book.write(l.record(seq: 1) + ".minisig", book.bytes(l.record(seq: 1) + ".minisig") + Array("extra\n".utf8))
        case "orphan":
            book.write(l.record(seq: 999) + ".minisig", book.bytes(l.record(seq: 1) + ".minisig"))
        case "tmp":
            book.write(l.root + "/000000/.tmp-stash", [UInt8](repeating: 0x41, count: BoundedFile.recordLimit + 1))
        case "shard":
            mkdir(l.root + "/000007", 0o755)
        case "content-changed":
            // A document no record names, whose text does not match its name.
            book.write(l.content(sha256: Hex.sha256(Array("planted".utf8))), Array("changed".utf8))
        default:
            let text = String(decoding: book.bytes(l.head + ".minisig"), as: UTF8.self)
            book.write(l.head + ".minisig", Array(text.replacingOccurrences(of: "conduct kiosk head", with: "VOID").utf8))
        }
        let problems = book.verify().1
        #expect(!problems.isEmpty, "\(kind) must be a problem")
    }

    @Test("an interrupted save's leftovers are notes, not problems: the next record's signature, a small temporary file, a document stored before its record")
    func honestLeftovers() throws {
        let book = Book()
        try book.fill(2)
        let l = book.layout
        book.write(l.record(seq: 3) + ".minisig", book.bytes(l.record(seq: 2) + ".minisig"))
        book.write(l.root + "/000000/.tmp-00000003.json", Array("{\"half".utf8))
        book.write(l.content(sha256: Hex.sha256(Array("next version".utf8))), Array("next version".utf8))
        let (summary, problems) = book.verify()
        #expect(problems == [])
        #expect(summary.notes.count == 3)
        #expect(summary.notes.contains { $0.contains("a stored document that no record names") })
    }

    @Test("a shard or content folder that is a symlink is never written through")
    func symlinkedFolders() throws {
        let book = Book()
        try book.fill(1)
        let elsewhere = book.scratch.path + "/elsewhere"
        try FileManager.default.moveItem(atPath: book.layout.root + "/000000", toPath: elsewhere)
        symlink(elsewhere, book.layout.root + "/000000")
        let store = try book.open()
        #expect(throws: StoreError.self) { _ = try store.commit(visitorSession(name: "Two")) }
        #expect(!FileManager.default.fileExists(atPath: elsewhere + "/00000002.json"))
    }

    @Test("a crash in resume-book after the new folder is in place, before the note is saved: the kiosk still starts")
    func resumeCrash() throws {
        let book = Book()
        let state = book.scratch.path + "/terminal.book.json"
        let store = try RecordBook.open(records: book.records, terminal: "reception-1", school: "S", key: book.key, state: state)
        _ = try store.commit(visitorSession(name: "One"))
        store.close()
        let noted = book.bytes(state)
        try FileManager.default.removeItem(atPath: book.layout.root)
        try RecordBook.startAgain(records: book.records, terminal: "reception-1", school: "S", key: book.key, state: state,
                                  reason: "disk", at: Date(timeIntervalSince1970: 1_790_000_300)).close()
        book.write(state, noted)
        let reopened = try RecordBook.open(records: book.records, terminal: "reception-1", school: "S", key: book.key, state: state)
        #expect(reopened.lastSeq == 2)
    }

    @Test("a session finished while the clock was wrong is set aside for the office, and never blocks the sessions after it")
    func setAside() throws {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession(name: "First"))
        let recovery = book.scratch.path + "/recovery"
        let saver = SessionSaver(book: store, recoveryFolder: recovery)
        let wrong = visitorSession(name: "Stamped 1970", at: Date(timeIntervalSince1970: 0))
        let outcomes = saver.submit(wrong)
        #expect(outcomes.count == 1)
        guard case .failure(let error) = outcomes[0].result else { Issue.record("saved with 1970 times"); return }
        #expect("\(error)".contains("set aside"))
        #expect(outcomes[0].recoveryFile?.contains("/set-aside/") == true)
        #expect(saver.pending == 0, "it waits for the office, not in the queue")
        // The next person's session is saved at once.
        let next = saver.submit(visitorSession(name: "Next"))
        #expect(next.count == 1)
        if case .success(let receipt) = next[0].result { #expect(receipt.seq == 2) } else { Issue.record("blocked") }
        // And a restart does not pick the set-aside session up again.
        #expect(SessionSaver(book: store, recoveryFolder: recovery).recover().isEmpty)
        #expect(FileManager.default.fileExists(atPath: outcomes[0].recoveryFile!))
    }

    @Test("a record larger than verify reads is never written; its session is set aside, and the book still starts")
    func tooLarge() throws {
        let quotes = String(repeating: "\"", count: 700_000)
        let text = "+++\nid = \"big\"\ntitle = \"Big\"\nversion = 1\ndeclaration = \"I agree.\"\n+++\n## Rules\n\n"
            + (1...3).map { "- [ ] Rule \($0) \(quotes)\n" }.joined()
        let document = try #require(DocumentParser.parse(text, path: "big.md").document)
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let session = CompletedSession(
            id: "big", role: Role(id: "visitor", label: "Visitor", documents: ["big"], questions: [], nextSteps: nil), name: "Ana", answers: [],
            readings: [.init(document: document, sectionsSeenAt: [at])],
            acknowledgements: document.clauses.map { .init(documentID: "big", clause: $0, acknowledgedAt: at) },
            consent: CompletedSession.consentStatement, typedSignature: "Ana", startedAt: at, completedAt: at)
        let book = Book()
        let store = try book.open()
        let saver = SessionSaver(book: store, recoveryFolder: book.scratch.path + "/recovery")
        let outcome = try #require(saver.submit(session).first)
        guard case .failure(let error) = outcome.result else { Issue.record("a record verify cannot read was written"); return }
        #expect("\(error)".contains("more than a record may be"))
        #expect(outcome.recoveryFile?.contains("/set-aside/") == true)
        store.close()
        #expect(try book.open().lastSeq == 0)
    }

    @Test("a key path that is a symlink, dangling or not, is refused and never written through")
    func keySymlink() throws {
        let scratch = Scratch()
        let real = scratch.path + "/real.key"
        try TerminalKey.generate().save(path: real, terminal: "t")
        let link = scratch.path + "/terminal.key"
        symlink(real, link)
        #expect { _ = try TerminalKey.load(path: link) } throws: { "\($0)".contains("is a symbolic link, not a file") }
        let dangling = scratch.path + "/dangling.key"
        let target = scratch.path + "/elsewhere/new.key"
        symlink(target, dangling)
        #expect(TerminalKey.exists(at: dangling), "a dangling link counts as something there: no new key is made over it")
        #expect(throws: StoreError.self) { try TerminalKey.generate().save(path: dangling, terminal: "t") }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}

@Suite("Verify's batches")
struct VerifyBatchTests {
    /// Record 2 hands the book to a new key; 3 to 8 are signed with it;
    /// 9 is signed with the retired key.
    func handedOverBook() throws -> Book {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession(name: "One"))
        _ = try store.changeKey(to: TerminalKey.generate(), reason: "rotated", at: Date(timeIntervalSince1970: 1_790_000_300))
        for n in 3...8 { _ = try store.commit(visitorSession(name: "Person \(n)")) }
        store.close()
        try RedTeamTests().forge(book, seq: 9, prev: Hex.sha256(book.bytes(book.layout.record(seq: 8))), key: book.key)
        return book
    }

    func verdicts(_ book: Book, batch: Int, cache: VerifiedCache? = nil) -> (intact: Int, problems: [String]) {
        var verifier = RecordVerifier(keys: ["reception-1": [book.key.publicKey]], cache: cache, readsCache: cache != nil)
        verifier.batchSize = batch
        var problems: [String] = []
        let summary = verifier.verify(folder: book.layout.root, report: { problems.append("\($0.seq ?? 0) \($0.kind.rawValue)") })
        return (summary.intact, problems)
    }

    @Test("a key handed over in one batch is taken up by the batches already read ahead, and the retired key is still refused, with and without the cache")
    func handoverAcrossBatches() throws {
        let book = try handedOverBook()
        let whole = verdicts(book, batch: 128)
        #expect(whole.intact == 8 && whole.problems.contains("9 forged"), "\(whole)")
        let cache = try VerifiedCache(folder: book.scratch.path + "/cache")
        for batch in [1, 2, 3] {
            let small = verdicts(book, batch: batch)
            #expect(small.intact == whole.intact && small.problems == whole.problems, "batches of \(batch): \(small)")
            _ = verdicts(book, batch: batch, cache: cache)
            let cached = verdicts(book, batch: batch, cache: cache)
            #expect(cached.intact == whole.intact && cached.problems == whole.problems, "batches of \(batch), from the cache: \(cached)")
        }
    }
}
