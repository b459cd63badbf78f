import Foundation
import KioskContent
import KioskTestSupport
import Testing
@testable import KioskStore

/// A finished session is never lost: kept in a recovery file while the
/// records cannot be written, saved when they can, even after a restart.
@Suite("Session saver")
struct SessionSaverTests {
    @Test("a session the disk refuses goes to a 0600 recovery file, and is saved (and the file removed) when the fault clears")
    func faultClears() throws {
        let book = Book()
        let disk = FaultyDisk()
        let store = try book.open(calls: disk.calls)
        let recovery = book.scratch.path + "/recovery"
        let saver = SessionSaver(book: store, recoveryFolder: recovery)
        disk.fail("fsync", with: EIO)
        let session = visitorSession()
        let failed = saver.submit(session)
        #expect(failed.count == 1)
        guard case .failure(let error) = failed[0].result else {
            Issue.record("the commit should have failed")
            return
        }
        #expect(error.description.contains("The disk reported an error"))
        #expect(saver.pending == 1)
        let files = recoveryFiles(recovery)
        #expect(files.count == 1 && files[0].hasSuffix("-\(session.id).session.json"))
        var info = stat()
        stat(recovery + "/" + files[0], &info)
        #expect(info.st_mode & 0o777 == 0o600, "a recovery file holds a person's details")
        #expect(try JSONDecoder().decode(CompletedSession.self, from: Data(contentsOf: URL(fileURLWithPath: recovery + "/" + files[0]))) == session)

        #expect(saver.retry().first.map { if case .failure = $0.result { true } else { false } } == true, "still failing")
        disk.fail("fsync", with: nil)
        let saved = saver.retry()
        guard case .success(let receipt) = saved.first?.result else {
            Issue.record("the retry should have saved it: \(saved)")
            return
        }
        #expect(saver.pending == 0)
        #expect(recoveryFiles(recovery).isEmpty)
        #expect(try CanonicalJSON.decode(book.bytes(receipt.path))["id"] == .string(session.id))
        #expect(book.verify().1 == [])
    }

    @Test("sessions left in recovery files by a stopped kiosk are saved, oldest first, at the next start")
    func restart() throws {
        let book = Book()
        let recovery = book.scratch.path + "/recovery"
        let disk = FaultyDisk()
        do {
            let store = try book.open(calls: disk.calls)
            let saver = SessionSaver(book: store, recoveryFolder: recovery)
            disk.fail("write", with: ENOSPC)
            _ = saver.submit(visitorSession(name: "First", at: Date(timeIntervalSince1970: 1_790_000_000)))
            _ = saver.submit(visitorSession(name: "Second", at: Date(timeIntervalSince1970: 1_790_000_600)))
            #expect(saver.pending == 2)
            store.close()
        }
        #expect(recoveryFiles(recovery).count == 2)
        let store = try book.open()
        let saver = SessionSaver(book: store, recoveryFolder: recovery)
        let outcomes = saver.recover()
        #expect(outcomes.count == 2)
        #expect(saver.pending == 0)
        #expect(recoveryFiles(recovery).isEmpty)
        let names = try (1...2).map { try CanonicalJSON.decode(book.bytes(book.layout.record(seq: $0)))["person"]?["name"]?.string }
        #expect(names == ["First", "Second"])
    }

    @Test("when even the recovery file cannot be written, the session stays in memory and is saved later")
    func recoveryAlsoFails() throws {
        let book = Book()
        let disk = FaultyDisk()
        let store = try book.open(calls: disk.calls)
        let recovery = book.scratch.path + "/recovery"
        let saver = SessionSaver(book: store, recoveryFolder: recovery, calls: disk.calls)
        disk.fail("open", with: EROFS)
        _ = saver.submit(visitorSession())
        #expect(saver.pending == 1)
        #expect(recoveryFiles(recovery).isEmpty)
        disk.fail("open", with: nil)
        #expect(saver.retry().count == 1)
        #expect(saver.pending == 0)
        #expect(store.lastSeq == 1)
    }

    @Test("a damaged recovery file is left for the office, never deleted")
    func damagedRecoveryFile() throws {
        let book = Book()
        let recovery = book.scratch.path + "/recovery"
        try FileManager.default.createDirectory(atPath: recovery, withIntermediateDirectories: true)
        let path = book.scratch.write("recovery/20261125T081403Z-x.session.json", "{ not json")
        let saver = SessionSaver(book: try book.open(), recoveryFolder: recovery)
        #expect(saver.recover().isEmpty)
        #expect(FileManager.default.fileExists(atPath: path))
    }
}

/// What the saver says about a session it could not save must be true:
/// whether it is safe in a recovery file or held in memory only.
@Suite("Session saver: where a waiting session is")
struct SessionSaverOutcomeTests {
    @Test("when the recovery file cannot be written either, the outcome says the session is in memory only; once it can be, the next retry says it is in its file")
    func memoryOnly() throws {
        let book = Book()
        let bookDisk = FaultyDisk()
        let recoveryDisk = FaultyDisk()
        let store = try book.open(calls: bookDisk.calls)
        let recovery = book.scratch.path + "/recovery"
        let saver = SessionSaver(book: store, recoveryFolder: recovery, calls: recoveryDisk.calls)
        bookDisk.fail("fsync", with: EIO)
        recoveryDisk.fail("write", with: ENOSPC)
        let session = visitorSession()
        let failed = try #require(saver.submit(session).first)
        #expect(failed.sessionID == session.id)
        #expect(failed.recoveryFile == nil, "nothing was written, and the outcome must not claim it was")
        #expect(saver.inMemoryOnly == 1)
        #expect(recoveryFiles(recovery).isEmpty)

        recoveryDisk.fail("write", with: nil)
        let kept = try #require(saver.retry().first)
        guard case .failure = kept.result else {
            Issue.record("the record book still fails: \(kept)")
            return
        }
        let file = try #require(kept.recoveryFile)
        #expect(FileManager.default.fileExists(atPath: file))
        #expect(saver.inMemoryOnly == 0)

        bookDisk.fail("fsync", with: nil)
        let saved = try #require(saver.retry().first)
        #expect(saved.recoveryFile == nil)
        #expect(!FileManager.default.fileExists(atPath: file))
    }

    @Test("a session handed over while others wait gets an outcome of its own, so the person at the kiosk is told")
    func behindOthers() throws {
        let book = Book()
        let disk = FaultyDisk()
        let store = try book.open(calls: disk.calls)
        let saver = SessionSaver(book: store, recoveryFolder: book.scratch.path + "/recovery")
        disk.fail("fsync", with: EIO)
        let first = visitorSession(name: "First", at: Date(timeIntervalSince1970: 1_790_000_000))
        let second = visitorSession(name: "Second", at: Date(timeIntervalSince1970: 1_790_000_600))
        _ = saver.submit(first)
        let outcomes = saver.submit(second)
        #expect(Set(outcomes.map(\.sessionID)) == [first.id, second.id])
        let mine = try #require(outcomes.first { $0.sessionID == second.id })
        guard case .failure(let error) = mine.result else {
            Issue.record("the second session cannot have been saved: \(mine)")
            return
        }
        #expect(error.description.contains("The disk reported an error"))
        #expect(mine.recoveryFile != nil)

        disk.fail("fsync", with: nil)
        let saved = saver.retry()
        #expect(saved.map(\.sessionID) == [first.id, second.id])
        #expect(saved.allSatisfy { if case .success = $0.result { true } else { false } })
    }
}
