import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// A record book in a scratch folder with a fresh key.
struct Book {
    let scratch = Scratch()
    let key = TerminalKey.generate()
    var records: String { scratch.path + "/records" }
    var layout: RecordLayout { RecordLayout(records: records, terminal: "reception-1") }

    func open(calls: FileSystemCalls = .posix) throws -> RecordBook {
        try RecordBook.open(records: records, terminal: "reception-1", school: "Redhill Primary School", key: key, calls: calls)
    }

    /// Writes `count` records and closes the book.
    func fill(_ count: Int) throws {
        let book = try open()
        for i in 0..<count {
            _ = try book.commit(visitorSession(name: "Person \(i + 1)"))
        }
        book.close()
    }

    func verify(keys: [Minisign.PublicKey]? = nil) -> (VerificationSummary, [VerificationProblem]) {
        var problems: [VerificationProblem] = []
        let summary = RecordVerifier(keys: ["reception-1": keys ?? [key.publicKey]]).verify(folder: layout.root, report: { problems.append($0) })
        return (summary, problems)
    }

    func bytes(_ path: String) -> [UInt8] { try! AtomicFile.read(path)! }
    func write(_ path: String, _ bytes: [UInt8]) { try! Data(bytes).write(to: URL(fileURLWithPath: path)) }
}

@Suite("Record book")
struct RecordBookTests {
    @Test("a committed session becomes a signed record that holds what the person saw and agreed to")
    func recordContents() throws {
        let book = Book()
        let store = try book.open()
        let session = visitorSession()
        let receipt = try store.commit(session)
        #expect(receipt.seq == 1)
        #expect(receipt.path == book.layout.root + "/000000/00000001.json")
        #expect(receipt.reference.count == 9)
        #expect(receipt.headError == nil)
        let bytes = book.bytes(receipt.path)
        #expect(Hex.sha256(bytes) == receipt.sha256)
        let json = try CanonicalJSON.decode(bytes)
        #expect(CanonicalJSON.encode(json) == bytes, "the file is in canonical form")
        #expect(json["seq"] == .int(1))
        #expect(json["id"] == .string(session.id))
        #expect(json["prev"] == .string(RecordFile.genesis))
        #expect(json["terminal"] == .string("reception-1"))
        #expect(json["person"]?["name"] == .string("Zoë Ångström-李"))
        #expect(json["person"]?["answers"]?["organisation"] == .string("Acme, \"Plumbing\" & Sons"))
        #expect(json["started_at"] == .string(Timestamp.format(session.startedAt)))
        let document = shippedLibrary.document("ict-code-of-conduct")!
        #expect(json["documents"]?.array?.first?["sha256"] == .string(document.sha256))
        #expect(json["documents"]?.array?.first?["version"] == .int(2), "the shipped code of conduct is at version 2 (its audience tags)")
        let clauses = json["clauses"]?.array ?? []
        #expect(clauses.count == 20)
        #expect(clauses[6]["text"] == .string("I will not install any hardware or software without permission of Lend Lease."))
        #expect(clauses[6]["id"] == .string(ClauseIdentity.hash("I will not install any hardware or software without permission of Lend Lease.")))
        #expect(clauses[6]["acknowledged_at"] == .string(Timestamp.format(session.acknowledgements[6].acknowledgedAt)))
        #expect(json["declarations"]?.array?.first?["text"] == .string(document.declaration!))
        #expect(json["signature"]?["typed_name"] == .string("Zoë Ångström-李"))
        #expect(json["signature"]?["consent"] == .string(CompletedSession.consentStatement))
        // The document text shown is stored once, under its hash.
        #expect(book.bytes(book.layout.content(sha256: document.sha256)) == Array(document.source.utf8))
    }

    @Test("records chain: each names the hash of the one before, and the head names the last")
    func chain() throws {
        let book = Book()
        let store = try book.open()
        let first = try store.commit(visitorSession())
        let second = try store.commit(visitorSession(name: "Second"))
        #expect(try CanonicalJSON.decode(book.bytes(second.path))["prev"] == .string(first.sha256))
        let head = HeadFile(bytes: book.bytes(book.layout.head))
        #expect(head?.seq == 2)
        #expect(head?.sha256 == second.sha256)
        let (summary, problems) = book.verify()
        #expect(problems == [])
        #expect(summary.records == 2 && summary.intact == 2)
    }

    @Test("reopening continues the chain from the head without reading old records")
    func reopen() throws {
        let book = Book()
        try book.fill(3)
        let store = try book.open()
        #expect(store.lastSeq == 3)
        // Damage an old record: start-up does not read it, so it still opens.
        let old = book.layout.record(seq: 1)
        var bytes = book.bytes(old)
        bytes[20] ^= 1
        book.write(old, bytes)
        let receipt = try store.commit(visitorSession())
        #expect(receipt.seq == 4)
    }

    @Test("records are sharded 10,000 to a folder")
    func shards() {
        let layout = RecordLayout(root: "/r/t")
        #expect(layout.record(seq: 1) == "/r/t/000000/00000001.json")
        #expect(layout.record(seq: 10_000) == "/r/t/000000/00010000.json")
        #expect(layout.record(seq: 10_001) == "/r/t/000001/00010001.json")
        #expect(layout.record(seq: 123_456_789) == "/r/t/012345/123456789.json")
        #expect(RecordLayout.seq(fromRecordName: "00000042.json") == 42)
        #expect(RecordLayout.seq(fromRecordName: ".tmp-00000042.json.x") == nil)
    }

    @Test("a folder's entries come sorted by their bytes, also names alike in their first 16 bytes")
    func entriesByBytes() throws {
        let scratch = Scratch()
        let names = ["00000002.json", "00000001.json.minisig", "00000001.json", "b", "B", "a", "aa", "é", "e\u{301}",
                     "0123456789abcdefZ", "0123456789abcdef", "0123456789abcdefA", "0123456789abcdef-long"]
        for name in names { #expect(FileManager.default.createFile(atPath: scratch.path + "/" + name, contents: Data())) }
        let listed = try #require(BoundedFile.entries(scratch.path)).map(\.name)
        #expect(listed == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(listed.prefix(3) == ["00000001.json", "00000001.json.minisig", "00000002.json"])
    }

    @Test("a second kiosk on the same terminal folder is refused while the first holds it")
    func lock() throws {
        let book = Book()
        let first = try book.open()
        #expect(throws: StoreError.locked(path: book.layout.root, holder: "process \(getpid())")) { try book.open() }
        first.close()
        _ = try book.open()
    }

    @Test("a lock given up a moment ago but still held by a copy of its descriptor (a child between fork and exec) is waited for, not refused")
    func lockHeldForAMoment() throws {
        let book = Book()
        try book.open().close()
        // A second open file description holding the lock, as a forked
        // child's copy would, let go 150 ms later.
        let copy = open(book.layout.root, O_RDONLY | O_DIRECTORY)
        #expect(flock(copy, LOCK_EX | LOCK_NB) == 0)
        let started = Date()
        // A thread of its own: the global queues may all be busy with other tests.
        Thread.detachNewThread {
            usleep(150_000)
            Glibc.close(copy)
        }
        let second = try book.open()
        #expect(Date().timeIntervalSince(started) >= 0.1, "it did wait for the copy")
        second.close()
    }

    @Test("a different key for a terminal that has records is refused")
    func wrongKey() throws {
        let book = Book()
        try book.fill(1)
        let other = TerminalKey.generate()
        #expect(throws: (any Error).self) {
            try RecordBook.open(records: book.records, terminal: "reception-1", school: "S", key: other)
        }
    }

    @Test("the book lists the document versions it stores, for marking what changed")
    func storedDocuments() throws {
        let book = Book()
        let store = try book.open()
        #expect(store.storedDocuments().isEmpty)
        _ = try store.commit(visitorSession())
        #expect(store.storedDocuments().map(\.id) == ["ict-code-of-conduct"])
        #expect(store.storedDocuments().first?.clauses.count == 20)
        let current = shippedLibrary.document("ict-code-of-conduct")!
        #expect(store.storedDocuments(except: [current.sha256]).isEmpty, "a version the kiosk already holds is not parsed again")
    }

    @Test("terminal.pub and terminal.pem are published with the first open")
    func published() throws {
        let book = Book()
        _ = try book.open()
        #expect(try Minisign.PublicKey(fileText: String(decoding: book.bytes(book.layout.publicKey), as: UTF8.self)) == book.key.publicKey)
        #expect(String(decoding: book.bytes(book.layout.pem), as: UTF8.self).hasPrefix("-----BEGIN PUBLIC KEY-----"))
    }
}
