import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// A collection of two terminals' books, as the office holds them.
struct Collection {
    let scratch = Scratch()
    let reception = TerminalKey.generate()
    let staffroom = TerminalKey.generate()
    var root: String { scratch.path + "/collected" }
    var keys: [String: [Minisign.PublicKey]] { ["reception-1": [reception.publicKey], "staffroom-1": [staffroom.publicKey]] }

    init(records: Int = 3) throws {
        for (terminal, key) in [("reception-1", reception), ("staffroom-1", staffroom)] {
            let book = try RecordBook.open(records: root, terminal: terminal, school: "S", key: key)
            for i in 0..<records { _ = try book.commit(visitorSession(name: "\(terminal) person \(i + 1)")) }
            book.close()
        }
    }

    func layout(_ terminal: String) -> RecordLayout { RecordLayout(records: root, terminal: terminal) }

    /// What verify says of the collection: problems as "terminal seq kind".
    func verify(keys: [String: [Minisign.PublicKey]]? = nil, witnessed: [WitnessLog.Entry] = [], roots: [String]? = nil)
        -> (problems: [String], details: [VerificationProblem], summaries: [VerificationSummary]) {
        let (found, unreadable) = RecordCollection.find(roots ?? [root])
        precondition(unreadable.isEmpty)
        var problems = found.problems
        let verifier = RecordVerifier(keys: keys ?? self.keys, witnessed: witnessed)
        var summaries: [VerificationSummary] = []
        for folder in found.terminals {
            summaries.append(verifier.verify(folder: folder, report: { problems.append($0) }))
        }
        let ids = Set(found.terminals.map { ($0 as NSString).lastPathComponent })
        for terminal in (keys ?? self.keys).keys.sorted() where !ids.contains(terminal) {
            problems.append(VerificationProblem(kind: .missing, terminal: terminal, seq: nil, file: ".", detail: "no folder"))
        }
        return (problems.map { "\($0.terminal) \($0.seq.map(String.init) ?? "-") \($0.kind.rawValue)" }, problems, summaries)
    }

    func modify(_ terminal: String, seq: Int) {
        let path = layout(terminal).record(seq: seq)
        let text = try! String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "person \(seq)", with: "PERSON \(seq)")
        try! Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
}

@Suite("Attacks on the record book")
struct AttackTests {
    @Test("an intact collection of two terminals has no problems, and names each terminal's key")
    func intact() throws {
        let c = try Collection()
        let (problems, _, summaries) = c.verify()
        #expect(problems == [])
        #expect(summaries.map(\.keyIDs) == [[c.reception.publicKey.keyIDText], [c.staffroom.publicKey.keyIDText]])
        #expect(summaries.map(\.endsAt.seq) == [3, 3])
    }

    @Test("a stray file or folder beside the terminal folders is reported and hides nothing",
          arguments: ["terminal.pub", "head.json", "000001", "content", "notes.txt"])
    func strayAtRoot(name: String) throws {
        let c = try Collection()
        c.modify("reception-1", seq: 2)
        if name == "head.json" || name == "000001" || name == "content" {
            mkdir(c.root + "/" + name, 0o755)
        } else {
            c.scratch.write("collected/" + name, "")
        }
        let (problems, _, _) = c.verify()
        #expect(problems.contains("collected - stray"))
        #expect(problems.contains("reception-1 2 modified"), "the tampered record is still found: \(problems)")
        #expect(problems.count == 2)
    }

    @Test("a terminal folder stripped of its key and head, with a record changed, cannot disappear")
    func strippedFolder() throws {
        let c = try Collection()
        let l = c.layout("reception-1")
        for file in [l.publicKey, l.pem, l.head, l.head + ".minisig"] { unlink(file) }
        c.modify("reception-1", seq: 2)
        let (problems, _, _) = c.verify()
        #expect(problems.contains("reception-1 2 modified"))
        #expect(problems.contains("reception-1 - missing"), "head.json is missing: \(problems)")
    }

    @Test("a whole terminal folder removed is missing when its key is trusted")
    func removedTerminal() throws {
        let c = try Collection()
        try FileManager.default.removeItem(atPath: c.layout("staffroom-1").root)
        #expect(c.verify().problems == ["staffroom-1 - missing"])
    }

    @Test("a terminal folder with no trusted key is reported, never taken as checked")
    func unkeyedTerminal() throws {
        let c = try Collection()
        let (problems, _, _) = c.verify(keys: ["reception-1": [c.reception.publicKey]])
        #expect(problems.first == "staffroom-1 - untrusted")
        #expect(problems.filter { $0.hasPrefix("reception-1") } == [])
    }

    @Test("one terminal's key cannot vouch for another terminal's records, even with the chain and head recomputed")
    func keyOfAnotherTerminal() throws {
        let c = try Collection()
        // Rewrite staffroom-1's book with reception-1's key: new names, chain and head recomputed.
        let l = c.layout("staffroom-1")
        try FileManager.default.removeItem(atPath: l.root)
        let forger = try RecordBook.open(records: c.root, terminal: "staffroom-1", school: "S", key: c.reception)
        for i in 0..<3 { _ = try forger.commit(visitorSession(name: "Forged \(i)")) }
        forger.close()
        let (problems, details, _) = c.verify()
        #expect(problems.contains("staffroom-1 1 forged"))
        #expect(problems.contains("staffroom-1 - forged"), "the head too: \(problems)")
        #expect(details.first { $0.seq == 1 }?.detail.contains("which is terminal reception-1's key, not a key of terminal staffroom-1") == true)
        #expect(!problems.contains { $0.hasPrefix("reception-1") })
    }

    @Test("special files and symlinks in place of records, signatures, the head or content are reported at once, never read",
          arguments: ["fifo-record", "zero-record", "zero-head", "fifo-signature", "symlink-out", "fifo-content", "big-record"])
    func specialFiles(kind: String) throws {
        let c = try Collection()
        let l = c.layout("reception-1")
        let sha = shippedLibrary.document("ict-code-of-conduct")!.sha256
        switch kind {
        case "fifo-record":
            unlink(l.record(seq: 2)); mkfifo(l.record(seq: 2), 0o644)
        case "zero-record":
            unlink(l.record(seq: 2)); symlink("/dev/zero", l.record(seq: 2))
        case "zero-head":
            unlink(l.head); symlink("/dev/zero", l.head)
        case "fifo-signature":
            unlink(l.record(seq: 2) + ".minisig"); mkfifo(l.record(seq: 2) + ".minisig", 0o644)
        case "symlink-out":
            // A record that is a link to a genuine record elsewhere.
            let elsewhere = c.scratch.path + "/elsewhere.json"
            rename(l.record(seq: 2), elsewhere)
            symlink(elsewhere, l.record(seq: 2))
        case "fifo-content":
            unlink(l.content(sha256: sha)); mkfifo(l.content(sha256: sha), 0o644)
        default:
            // A record file grown past any record's size.
            let handle = try #require(FileHandle(forWritingAtPath: l.record(seq: 2)))
            handle.truncateFile(atOffset: UInt64(BoundedFile.recordLimit + 1))
            handle.closeFile()
        }
        let (problems, details, _) = c.verify()
        #expect(!problems.isEmpty, "\(kind) must be a problem")
        #expect(!problems.contains { $0.hasPrefix("staffroom-1") })
        #expect(details.allSatisfy { !$0.detail.isEmpty })
    }

    @Test("names that look like records but are not the canonical name are stray, and the genuine record is not blamed",
          arguments: ["3.json", "003.json", "+0000003.json", "00000003.JSON", "00000003.json.bak", "٠٠٠٠٠٠٠٣.json"])
    func nonCanonicalNames(name: String) throws {
        let c = try Collection()
        let l = c.layout("reception-1")
        let shard = l.root + "/000000/"
        try FileManager.default.copyItem(atPath: l.record(seq: 3), toPath: shard + name)
        let (problems, details, _) = c.verify()
        #expect(problems == ["reception-1 - stray"], "\(problems)")
        #expect(details.first?.file == "000000/" + name)
    }

    @Test("a record in the wrong shard folder, and a stray folder in a book, are reported")
    func wrongPlaces() throws {
        let c = try Collection()
        let l = c.layout("reception-1")
        mkdir(l.root + "/000001", 0o755)
        try FileManager.default.copyItem(atPath: l.record(seq: 3), toPath: l.root + "/000001/00000003.json")
        mkdir(l.root + "/backup", 0o755)
        let (problems, _, _) = c.verify()
        #expect(problems.sorted() == ["reception-1 - stray", "reception-1 3 stray"])
    }

    @Test("a book that no longer holds a witnessed head is named: rewritten, or rolled back")
    func witnessed() throws {
        let c = try Collection()
        let l = c.layout("reception-1")
        let seen = c.verify().summaries.map {
            WitnessLog.Entry(terminal: $0.terminal, seq: $0.endsAt.seq, sha256: $0.endsAt.sha256, keyID: $0.keyIDs.last ?? "", seenAt: "2026-11-20T09:00:00Z")
        }
        #expect(c.verify(witnessed: seen).problems == [])
        // Someone with reception-1's key writes the book again, with other records.
        func rewrite(_ count: Int) throws {
            try FileManager.default.removeItem(atPath: l.root)
            let book = try RecordBook.open(records: c.root, terminal: "reception-1", school: "S", key: c.reception)
            for i in 0..<count { _ = try book.commit(visitorSession(name: "Someone else \(i)")) }
            book.close()
        }
        try rewrite(3)
        #expect(c.verify().problems == [], "every signature and the chain hold: only the witness can tell")
        let (problems, details, _) = c.verify(witnessed: seen)
        #expect(problems == ["reception-1 3 rewritten"])
        #expect(details[0].detail.contains("witnessed on 2026-11-20T09:00:00Z"))
        // Rolled back: the book ends before the witnessed head.
        try rewrite(2)
        #expect(c.verify(witnessed: seen).problems == ["reception-1 3 rolled back"])
    }

    @Test("the witness log is read whole or refused, and appends only heads not yet in it")
    func witnessLog() throws {
        let scratch = Scratch()
        let path = scratch.path + "/witness.log"
        var log = try WitnessLog.load(path)
        #expect(log.entries.isEmpty)
        let entry = WitnessLog.Entry(terminal: "reception-1", seq: 3, sha256: String(repeating: "a", count: 64), keyID: "ABCD", seenAt: "2026-11-20T09:00:00Z")
        try log.append([entry])
        try log.append([entry])
        #expect(try WitnessLog.load(path).entries == [entry])
        scratch.write("witness.log", try String(contentsOfFile: path, encoding: .utf8) + "edited by hand\n")
        #expect(throws: WitnessLog.ReadError.self) { try WitnessLog.load(path) }
        unlink(path)
        symlink("/dev/zero", path)
        #expect(throws: WitnessLog.ReadError.self) { try WitnessLog.load(path) }
    }
}

@Suite("Cache of verified records")
struct VerifiedCacheTests {
    func verify(_ c: Collection, cache: VerifiedCache, reads: Bool = true) -> (problems: [String], full: Int) {
        var problems: [String] = []
        var full = 0
        let verifier = RecordVerifier(keys: c.keys, cache: cache, readsCache: reads)
        for terminal in ["reception-1", "staffroom-1"] {
            let summary = verifier.verify(folder: c.layout(terminal).root, report: { problems.append("\($0.terminal) \($0.seq.map(String.init) ?? "-") \($0.kind.rawValue)") })
            full += summary.checkedInFull
        }
        return (problems, full)
    }

    @Test("a second run takes the signatures of unchanged records from the cache; anything changed is verified in full, and tampering after caching is still found")
    func secondRun() throws {
        let c = try Collection()
        let cache = try VerifiedCache(folder: c.scratch.path + "/cache")
        #expect(verify(c, cache: cache) == ([], 6))
        #expect(verify(c, cache: cache) == ([], 0), "nothing changed: no signature checked again")
        c.modify("reception-1", seq: 2)
        let after = verify(c, cache: cache)
        #expect(after.problems == ["reception-1 2 modified"])
        #expect(after.full == 0, "the changed record misses the cache and fails its full check")
        // verify itself never reads the cache.
        #expect(verify(c, cache: cache, reads: false).full == 5)
    }

    @Test("cache entries made without the cache's secret count for nothing; a key no longer trusted gets nothing from the cache")
    func forgedEntries() throws {
        let c = try Collection()
        // The real cache is made first, with its own secret.
        _ = try VerifiedCache(folder: c.scratch.path + "/cache")
        let other = try VerifiedCache(folder: c.scratch.path + "/other")
        _ = verify(c, cache: other)
        // The other cache's entries, with a MAC under another secret, copied over the real one's.
        for terminal in ["reception-1", "staffroom-1"] {
            try? FileManager.default.removeItem(atPath: c.scratch.path + "/cache/\(terminal).verified")
            try FileManager.default.copyItem(atPath: c.scratch.path + "/other/\(terminal).verified", toPath: c.scratch.path + "/cache/\(terminal).verified")
        }
        let fresh = try VerifiedCache(folder: c.scratch.path + "/cache")
        #expect(verify(c, cache: fresh) == ([], 6), "every record verified in full")
        // A cached record checked against a key the office no longer trusts is forged.
        var problems: [String] = []
        let summary = RecordVerifier(keys: ["reception-1": [TerminalKey.generate().publicKey]], cache: fresh, readsCache: true)
            .verify(folder: c.layout("reception-1").root, report: { problems.append($0.kind.rawValue) })
        #expect(summary.intact == 0 && problems.filter { $0 == "forged" }.count >= 3)
    }

    @Test("RecordCheck trusts the cache for the signature arithmetic only: the trusted comment and the record's form are still checked")
    func onlyArithmetic() throws {
        let book = Book()
        try book.fill(1)
        let path = book.layout.record(seq: 1)
        let bytes = book.bytes(path)
        let signature = String(decoding: book.bytes(path + ".minisig"), as: UTF8.self)
        let edited = signature.replacingOccurrences(of: "seq:1\t", with: "seq:9\t")
        // Even a cache that vouches for anything does not pass it: the
        // verdict is the one a check without the cache gives.
        let verdict = RecordCheck.check(bytes, signatureFile: Array(edited.utf8), keys: [book.key.publicKey], verifiedBefore: { _, _ in true })
        let full = RecordCheck.check(bytes, signatureFile: Array(edited.utf8), keys: [book.key.publicKey])
        #expect(!verdict.isIntact && verdict.record == nil, "the trusted comment no longer describes the record")
        #expect(verdict.problem == full.problem && full.problem?.kind == .modified)
        // A record whose form is not one the kiosk writes is refused too, however the cache vouches.
        var text = String(decoding: bytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"seq\": 1,", with: "\"seq\": 1,\n  \"extra\": 1,")
        let odd = RecordCheck.check(Array(text.utf8), signatureFile: book.bytes(path + ".minisig"), keys: [book.key.publicKey], verifiedBefore: { _, _ in true })
        #expect(!odd.isIntact && odd.record == nil)
    }
}
