import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// One writer per book, a book that is never without its head, no silent
/// new book, a clock that is believed only when it is plausible, and the
/// key handed over inside the book.
@Suite("Record book safety")
struct BookSafetyTests {
    @Test("a second writer is refused even when the lock file is deleted or replaced")
    func oneWriter() throws {
        let book = Book()
        let first = try book.open()
        _ = try first.commit(visitorSession(name: "First"))
        unlink(book.layout.lock)
        #expect(throws: StoreError.self) { try book.open() }
        book.write(book.layout.lock, Array("999999\n".utf8))
        #expect(throws: StoreError.self) { try book.open() }
        let receipt = try first.commit(visitorSession(name: "Second"))
        #expect(receipt.seq == 2)
        #expect(book.verify().1 == [])
    }

    @Test("the lock file names this kiosk's process alone, whatever longer text was there before")
    func lockNamesTheHolder() throws {
        let book = Book()
        try book.open().close()
        // Written over in place (not emptied first): a longer old pid and
        // text after it must not survive.
        book.write(book.layout.lock, Array("4194303\nleft over from before\n".utf8))
        let store = try book.open()
        #expect(book.bytes(book.layout.lock) == Array("\(getpid())\n".utf8))
        store.close()
    }

    @Test("a record already in place is never replaced, whoever writes it")
    func noReplace() throws {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession(name: "First"))
        // Another writer (which should never exist) gets record 2 in first.
        let other = visitorSession(name: "Other")
        let bytes = RecordFile(session: other, seq: 2, terminal: "reception-1", school: "S", prev: store.lastHash).bytes
        book.write(book.layout.record(seq: 2), bytes)
        let mine = visitorSession(name: "Mine")
        #expect(throws: StoreError.self) { try store.commit(mine) }
        #expect(book.bytes(book.layout.record(seq: 2)) == bytes, "the record in place is left as it is")
    }

    @Test("a new book has a signed head naming no record, so a crash during the first commit leaves a book that starts")
    func genesisHead() throws {
        let book = Book()
        let store = try book.open()
        store.close()
        let head = try #require(HeadFile(bytes: book.bytes(book.layout.head)))
        #expect(head.seq == 0 && head.sha256 == RecordFile.genesis)
        #expect(book.verify().1 == [])
        // The first commit killed after its record, before its head: the book still opens.
        let again = try book.open()
        _ = try again.commit(visitorSession())
        again.close()
        book.write(book.layout.head, CanonicalJSON.encode(head.json))
        let reopened = try book.open()
        #expect(reopened.lastSeq == 1)
    }

    @Test("a book made but not finished (a crash while it was made) is made again; it never appears half made")
    func creationInterrupted() throws {
        let book = Book()
        // What a crash while building leaves: the temporary folder.
        let building = AtomicFile.temporaryPath(for: book.layout.root)
        try FileManager.default.createDirectory(atPath: building, withIntermediateDirectories: true)
        book.write(building + "/terminal.pub", Array("half".utf8))
        let store = try book.open()
        #expect(store.lastSeq == 0)
        #expect(!FileManager.default.fileExists(atPath: building))
        #expect(book.verify().1 == [])
    }

    @Test("a kiosk that has written records refuses a missing or older book, and never makes the records folder's parent")
    func noSilentNewBook() throws {
        let book = Book()
        let state = book.scratch.path + "/keys/terminal.book.json"
        try FileManager.default.createDirectory(atPath: book.scratch.path + "/keys", withIntermediateDirectories: true)
        func open() throws -> RecordBook {
            try RecordBook.open(records: book.records, terminal: "reception-1", school: "S", key: book.key, state: state)
        }
        let store = try open()
        _ = try store.commit(visitorSession(name: "First"))
        let older = book.scratch.path + "/older"
        try FileManager.default.copyItem(atPath: book.layout.root, toPath: older)
        _ = try store.commit(visitorSession(name: "Second"))
        store.close()
        #expect(try BookState.load(state, terminal: "reception-1") == BookState(terminal: "reception-1", seq: 2, sha256: try open().lastHash))
        // The folder deleted: no new book.
        let kept = book.scratch.path + "/kept"
        try FileManager.default.moveItem(atPath: book.layout.root, toPath: kept)
        #expect { try open() } throws: { "\($0)".contains("is missing, but this kiosk has written 2 records") }
        #expect(!FileManager.default.fileExists(atPath: book.layout.root))
        // An older copy put back: refused, nothing written into it.
        try FileManager.default.copyItem(atPath: older, toPath: book.layout.root)
        let before = allFiles(book.layout.root)
        #expect { try open() } throws: { "\($0)".contains("ends at record 1, but this kiosk has written 2 records") }
        #expect(allFiles(book.layout.root).subtracting([".lock"]) == before.subtracting([".lock"]))
        // The real one put back: it opens, and goes on.
        try FileManager.default.removeItem(atPath: book.layout.root)
        try FileManager.default.moveItem(atPath: kept, toPath: book.layout.root)
        #expect(try open().lastSeq == 2)
        // Started once under another terminal id, then back: the note still knows reception-1's book.
        try RecordBook.open(records: book.records, terminal: "spare-9", school: "S", key: book.key, state: state).close()
        try FileManager.default.moveItem(atPath: book.layout.root, toPath: kept)
        #expect { try open() } throws: { "\($0)".contains("is missing, but this kiosk has written 2 records") }
        try FileManager.default.moveItem(atPath: kept, toPath: book.layout.root)
        // An unmounted records disk: the records folder's parent is missing; nothing is made.
        let unmounted = book.scratch.path + "/mnt/usb/records"
        #expect(throws: StoreError.self) {
            try RecordBook.open(records: unmounted, terminal: "reception-1", school: "S", key: book.key, state: state)
        }
        #expect(!FileManager.default.fileExists(atPath: book.scratch.path + "/mnt"))
    }

    /// A clock the test sets.
    final class FakeClock: @unchecked Sendable {
        var now: Date
        init(_ now: Date) { self.now = now }
    }

    @Test("a clock before the last record, in 1970, or years ahead saves nothing and says so; a session kept in recovery that finished before the last record is saved")
    func clock() throws {
        let book = Book()
        let store = try book.open()
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let clock = FakeClock(start.addingTimeInterval(300))
        store.clock = { clock.now }
        _ = try store.commit(visitorSession(at: start))
        // The clock goes back a day: nothing is saved with it.
        clock.now = start.addingTimeInterval(-86_400)
        #expect { _ = try store.commit(visitorSession(at: start.addingTimeInterval(-86_400 - 300))) } throws: {
            "\($0)".contains("before the last record")
        }
        clock.now = Date(timeIntervalSince1970: 100)
        // A clock in 1970 gave the session 1970 times: it can never be saved as it is.
        #expect { _ = try store.commit(visitorSession(at: Date(timeIntervalSince1970: 0))) } throws: {
            "\($0)".contains("1970-01-01") && "\($0)".contains("Set the date and time") && "\($0)".contains("set aside")
        }
        // A clock in 1970 with a session whose times are plausible (finished before it went wrong) waits.
        #expect { _ = try store.commit(visitorSession(at: start)) } throws: { "\($0)".contains("before 2026") || "\($0)".contains("before the last record") }
        #expect(store.lastSeq == 1)
        // Right again: a session that waited in recovery, finished before the last record, is saved.
        clock.now = start.addingTimeInterval(3_600)
        _ = try store.commit(visitorSession(at: start.addingTimeInterval(-600)))
        #expect(store.lastSeq == 2)
        // A session whose own times no right clock gave is refused as such.
        #expect { _ = try store.commit(visitorSession(at: Date(timeIntervalSince1970: 0))) } throws: { "\($0)".contains("set aside") }
        // Years ahead: refused, unless the office confirms the clock.
        let later = start.addingTimeInterval(3 * 365 * 86_400)
        clock.now = later.addingTimeInterval(300)
        #expect { _ = try store.commit(visitorSession(at: later)) } throws: { "\($0)".contains("more than a year after the last record") && "\($0)".contains("--clock-is-right") }
        store.clockConfirmed = true
        _ = try store.commit(visitorSession(at: later))
        #expect(store.lastSeq == 3)
        // A reopened book knows the last record's time too.
        store.close()
        let reopened = try book.open()
        reopened.clock = { clock.now }
        clock.now = later.addingTimeInterval(-3_600)
        #expect(throws: StoreError.self) { _ = try reopened.commit(visitorSession(at: later.addingTimeInterval(-4_000))) }
        clock.now = later.addingTimeInterval(600)
        _ = try reopened.commit(visitorSession(at: later.addingTimeInterval(60)))
        // A new book has no last record: years after this program was installed is refused.
        let fresh = Book()
        let empty = try fresh.open()
        empty.clock = { Date().addingTimeInterval(20 * 366 * 86_400) }
        #expect { _ = try empty.commit(visitorSession(at: Date().addingTimeInterval(20 * 366 * 86_400 - 600))) } throws: { "\($0)".contains("years after this program was installed") }
    }

    @Test("verify notes a book whose times run backwards")
    func timesBackwards() throws {
        let book = Book()
        let store = try book.open()
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        _ = try store.commit(visitorSession(at: now))
        _ = try store.commit(visitorSession(at: now.addingTimeInterval(100)))
        store.close()
        // A record written by hand, earlier than the one before: here, by swapping the
        // two records' times is not possible without the key, so check the pure piece.
        var chain = ChainCheck(terminal: "reception-1", trusted: [book.key.publicKey])
        for seq in [1, 2] {
            let path = book.layout.record(seq: seq)
            _ = chain.add(seq: seq, file: "r", verdict: RecordCheck.check(book.bytes(path), signatureFile: book.bytes(path + ".minisig"), keys: [book.key.publicKey]))
        }
        #expect(chain.notes.isEmpty)
        let later = Book()
        let s = try RecordBook.open(records: later.records, terminal: "reception-1", school: "S", key: later.key)
        _ = try s.commit(visitorSession(at: now.addingTimeInterval(100)))
        s.close()
        // Record 2 completed before record 1: only a clock that went back (or a
        // kiosk without the clock check) writes that.
        let first = later.layout.record(seq: 1)
        let second = RecordFile(session: visitorSession(at: now), seq: 2, terminal: "reception-1", school: "S", prev: Hex.sha256(later.bytes(first)))
        let bytes = second.bytes
        let sig = try Minisign.sign(bytes, with: later.key, trustedComment: RecordFile.trustedComment(seq: 2, sha256: Hex.sha256(bytes), prev: second.prev, terminal: "reception-1"), untrustedComment: RecordCheck.untrustedComment(seq: 2, terminal: "reception-1", keyID: later.key.keyID))
        var backwards = ChainCheck(terminal: "reception-1", trusted: [later.key.publicKey])
        _ = backwards.add(seq: 1, file: "r", verdict: RecordCheck.check(later.bytes(first), signatureFile: later.bytes(first + ".minisig"), keys: [later.key.publicKey]))
        let outcome = backwards.add(seq: 2, file: "r", verdict: RecordCheck.check(bytes, signatureFile: Array(sig.fileText.utf8), keys: [later.key.publicKey]))
        #expect(outcome.intact)
        #expect(backwards.notes.count == 1 && backwards.notes[0].contains("the terminal's clock went back"))
    }

    @Test("a head that could not be written twice is written again once there is room, and verify is clean after")
    func headRetried() throws {
        let book = Book()
        let disk = FaultyDisk()
        let store = try book.open(calls: disk.calls)
        _ = try store.commit(visitorSession(name: "First"))
        // Room for each record, not for its head.
        disk.fail("replace", with: ENOSPC)
        for name in ["Second", "Third"] {
            #expect(try store.commit(visitorSession(name: name)).headError != nil)
        }
        #expect(store.headIsBehind)
        #expect(book.verify().1.map(\.kind) == [.headMismatch], "until the head is written, verify sees an old head")
        #expect(throws: StoreError.self) { try store.writeHeadIfBehind() }
        #expect(store.headIsBehind, "still no room: still behind")
        disk.fail("replace", with: nil)
        try store.writeHeadIfBehind()
        #expect(!store.headIsBehind)
        #expect(book.verify().1 == [])
    }

    @Test("the key is handed over inside the book: verify follows it with the first key alone, and refuses records the old key signs after")
    func keyChange() throws {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession(name: "Before"))
        let newKey = TerminalKey.generate()
        let receipt = try store.changeKey(to: newKey, reason: "test", at: Date(timeIntervalSince1970: 1_790_000_300))
        #expect(receipt.seq == 2)
        store.close()
        // The kiosk starts with the new key straight after the handover, before it signs anything.
        let handedOver = try RecordBook.open(records: book.records, terminal: "reception-1", school: "S", key: newKey)
        #expect(handedOver.lastSeq == 2)
        _ = try handedOver.commit(visitorSession(name: "After", at: Date(timeIntervalSince1970: 1_790_000_400)))
        handedOver.close()
        let (summary, problems) = book.verify(keys: [book.key.publicKey])
        #expect(problems == [])
        #expect(summary.keyIDs == [book.key.publicKey.keyIDText, newKey.publicKey.keyIDText])
        // terminal.pub names the new key now.
        #expect(book.bytes(book.layout.publicKey) == Array(newKey.publicKey.fileText.utf8))
        // The kiosk starts with the new key, and refuses the old one.
        #expect(try RecordBook.open(records: book.records, terminal: "reception-1", school: "S", key: newKey).lastSeq == 3)
        #expect(throws: StoreError.self) { try book.open() }
        // A record the old (retired) key signs after the handover is forged.
        let prev = Hex.sha256(book.bytes(book.layout.record(seq: 3)))
        let bytes = RecordFile(session: visitorSession(name: "Old key", at: Date(timeIntervalSince1970: 1_790_000_900)), seq: 4, terminal: "reception-1", school: "S", prev: prev).bytes
        let sig = try Minisign.sign(bytes, with: book.key, trustedComment: RecordFile.trustedComment(seq: 4, sha256: Hex.sha256(bytes), prev: prev, terminal: "reception-1"), untrustedComment: RecordCheck.untrustedComment(seq: 4, terminal: "reception-1", keyID: book.key.keyID))
        book.write(book.layout.record(seq: 4), bytes)
        book.write(book.layout.record(seq: 4) + ".minisig", Array(sig.fileText.utf8))
        let after = book.verify(keys: [book.key.publicKey]).1
        #expect(after.map(\.kind) == [.forged])
        #expect(after.first?.detail.contains("from this point terminal reception-1 signs with key \(newKey.publicKey.keyIDText)") == true)
    }

    @Test("a book lost for good is started again after its last record: alone it notes the gap, merged with the office's copy the chain is whole")
    func startAgain() throws {
        let book = Book()
        let state = book.scratch.path + "/terminal.book.json"
        let store = try RecordBook.open(records: book.records, terminal: "reception-1", school: "S", key: book.key, state: state)
        for i in 0..<3 { _ = try store.commit(visitorSession(name: "Lost \(i)")) }
        store.close()
        let office = book.scratch.path + "/office/reception-1"
        try FileManager.default.createDirectory(atPath: book.scratch.path + "/office", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: book.layout.root, toPath: office)
        try FileManager.default.removeItem(atPath: book.layout.root)
        #expect(throws: StoreError.self) { try RecordBook.open(records: book.records, terminal: "reception-1", school: "S", key: book.key, state: state) }
        let resumed = try RecordBook.startAgain(records: book.records, terminal: "reception-1", school: "S", key: book.key, state: state,
                                                reason: "disk failed", at: Date(timeIntervalSince1970: 1_790_000_300))
        #expect(resumed.lastSeq == 4)
        _ = try resumed.commit(visitorSession(name: "After", at: Date(timeIntervalSince1970: 1_790_000_400)))
        resumed.close()
        // Refused while the folder is there.
        #expect(throws: StoreError.self) {
            try RecordBook.startAgain(records: book.records, terminal: "reception-1", school: "S", key: book.key, state: state, reason: "again")
        }
        // Alone, the folder lacks records 1 to 3: a problem (they were not checked), named for what it is.
        let aloneProblems = book.verify().1
        #expect(aloneProblems.map(\.kind) == [.missing])
        #expect(aloneProblems.first?.detail.contains("records 1 to 3 are not in this folder: the book was started again at record 4") == true)
        // The office merges the new records into its copy of the lost ones (rsync --ignore-existing).
        for seq in [4, 5] {
            for suffix in ["", ".minisig"] {
                try FileManager.default.copyItem(atPath: book.layout.record(seq: seq) + suffix, toPath: office + "/" + RecordLayout.relativeRecordPath(seq: seq) + suffix)
            }
        }
        for file in ["head.json", "head.json.minisig"] {
            try FileManager.default.removeItem(atPath: office + "/" + file)
            try FileManager.default.copyItem(atPath: book.layout.root + "/" + file, toPath: office + "/" + file)
        }
        var problems: [VerificationProblem] = []
        let merged = RecordVerifier(keys: ["reception-1": [book.key.publicKey]]).verify(folder: office, report: { problems.append($0) })
        #expect(problems == [])
        #expect(merged.notes == [] && merged.intact == 5)
    }
}
