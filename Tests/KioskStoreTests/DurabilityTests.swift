import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// The recovery files (`*.session.json`) in `folder`, temporary ones included.
func recoveryFiles(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".session.json") }
}

/// Every file under `root`, relative to it.
func allFiles(_ root: String) -> Set<String> {
    Set((FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &isDir) && !isDir.boolValue
    })
}

@Suite("Durable commits")
struct DurabilityTests {
    @Test("a failing disk fails the commit with advice, leaves nothing behind, and the retry succeeds", arguments: [
        ("write", ENOSPC, "The disk is full"),
        ("fsync", EIO, "The disk reported an error"),
        ("open", EROFS, "The disk is read-only"),
        ("rename", EACCES, "Permission denied"),
    ])
    func faults(call: String, code: Int32, advice: String) throws {
        let book = Book()
        let disk = FaultyDisk()
        let store = try book.open(calls: disk.calls)
        _ = try store.commit(visitorSession(name: "First"))
        let before = allFiles(book.layout.root)
        disk.fail(call, with: code)
        let session = visitorSession(name: "Second")
        do {
            _ = try store.commit(session)
            Issue.record("the commit should have failed")
        } catch {
            #expect(error.description.contains(advice))
        }
        #expect(allFiles(book.layout.root) == before, "nothing half-written is left")
        #expect(store.lastSeq == 1)
        disk.fail(call, with: nil)
        let receipt = try store.commit(session)
        #expect(receipt.seq == 2)
        #expect(book.verify().1 == [])
    }

    @Test("a head that cannot be written still saves the record, and the head catches up")
    func headFailure() throws {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession())
        // Make head.json a folder: the rename onto it fails.
        let head = book.layout.head
        let saved = book.bytes(head)
        unlink(head)
        mkdir(head, 0o755)
        let receipt = try store.commit(visitorSession(name: "Second"))
        #expect(receipt.headError != nil)
        #expect(FileManager.default.fileExists(atPath: receipt.path))
        rmdir(head)
        book.write(head, saved)
        store.close()
        // Reopening finds record 2 after the head and rewrites the head.
        let reopened = try book.open()
        #expect(reopened.lastSeq == 2)
        #expect(HeadFile(bytes: book.bytes(head))?.seq == 2)
        #expect(book.verify().1 == [])
    }

    @Test("a records folder removed under the running kiosk is not made again; put back as it was, saving goes on")
    func folderRemoved() throws {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession(name: "First"))
        _ = try store.commit(visitorSession(name: "Second"))
        let copy = book.scratch.path + "/office-copy"
        try FileManager.default.copyItem(atPath: book.layout.root, toPath: copy)
        try FileManager.default.removeItem(atPath: book.layout.root)
        let third = visitorSession(name: "Third")
        #expect {
            _ = try store.commit(third)
        } throws: { error in
            "\(error)".contains("was removed while the kiosk was running") && "\(error)".contains("Put the folder back")
        }
        #expect(!FileManager.default.fileExists(atPath: book.layout.root),
                "no new record book is started in its place, cut off from the records before")
        // The office copy goes back: the book takes it up where it left off.
        try FileManager.default.copyItem(atPath: copy, toPath: book.layout.root)
        let receipt = try store.commit(third)
        #expect(receipt.seq == 3)
        #expect(book.verify().1 == [])
        #expect(book.verify().0.records == 3)
    }

    @Test("a records folder replaced by one that does not end where this kiosk left off is refused")
    func folderReplaced() throws {
        let book = Book()
        let store = try book.open()
        _ = try store.commit(visitorSession(name: "First"))
        let older = book.scratch.path + "/older"
        try FileManager.default.copyItem(atPath: book.layout.root, toPath: older)
        _ = try store.commit(visitorSession(name: "Second"))
        // An older backup put in its place, then an empty folder.
        try FileManager.default.removeItem(atPath: book.layout.root)
        try FileManager.default.copyItem(atPath: older, toPath: book.layout.root)
        #expect {
            _ = try store.commit(visitorSession(name: "Third"))
        } throws: { error in
            "\(error)".contains("ends at record 1, but this kiosk last wrote record 2")
        }
        #expect(!FileManager.default.fileExists(atPath: book.layout.record(seq: 2)), "nothing written into the older copy")
        try FileManager.default.removeItem(atPath: book.layout.root)
        mkdir(book.layout.root, 0o755)
        #expect {
            _ = try store.commit(visitorSession(name: "Third"))
        } throws: { error in
            "\(error)".contains("was replaced by a folder with no head.json")
        }
        #expect(allFiles(book.layout.root).isEmpty, "not even a lock file is written into a folder that is not the book")
    }

    @Test("a signature left without its record (a crash before the rename) is cleared on open")
    func strayFiles() throws {
        let book = Book()
        try book.fill(1)
        let stray = book.layout.record(seq: 2) + ".minisig"
        book.write(stray, Array("untrusted comment: x\n".utf8))
        let temporary = AtomicFile.temporaryPath(for: book.layout.record(seq: 2))
        book.write(temporary, Array("{\"half".utf8))
        let store = try book.open()
        #expect(!FileManager.default.fileExists(atPath: stray))
        #expect(!FileManager.default.fileExists(atPath: temporary))
        #expect(try store.commit(visitorSession()).seq == 2)
    }
}
