import Foundation
import KioskContent
import KioskTestSupport
import Testing
@testable import KioskStore

/// A small tmpfs mounted on a folder: a disk that really fills up and
/// really turns read-only, for the faults the FileSystemCalls seam only
/// imitates. Needs root (the tests' CI runs as root).
final class SmallDisk {
    let path: String
    let bytes: Int
    private var mounted = false

    init(at path: String, bytes: Int) throws {
        self.path = path
        self.bytes = bytes
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        guard mount("tmpfs", path, "tmpfs", 0, "size=\(bytes),mode=0755") == 0 else {
            throw E("cannot mount a tmpfs on \(path): \(String(cString: strerror(errno)))")
        }
        mounted = true
    }

    /// Turns the disk read-only under the files already open for writing
    /// (the record book's lock), as the kernel does after a disk error: a
    /// read-only bind mount on top, since a plain remount would refuse
    /// while a file is open for writing. Off again by unmounting it.
    func readOnly(_ on: Bool) throws {
        if on {
            guard mount(path, path, nil, UInt(MS_BIND), nil) == 0,
                  mount(nil, path, nil, UInt(MS_REMOUNT) | UInt(MS_BIND) | UInt(MS_RDONLY), nil) == 0 else {
                throw E("cannot make \(path) read-only: \(String(cString: strerror(errno)))")
            }
        } else {
            guard umount2(path, 0) == 0 else { throw E("cannot unmount the read-only view of \(path): \(String(cString: strerror(errno)))") }
        }
    }

    /// Detaches the tmpfs and a read-only view left on top of it (a test
    /// that failed half-way), so no mount outlives the test.
    func unmount() {
        if mounted {
            for _ in 0..<2 where umount2(path, Int32(MNT_DETACH)) == 0 {}
        }
        mounted = false
    }

    deinit { unmount() }

    /// Whether this machine lets the tests mount a tmpfs.
    static let available: Bool = {
        guard getuid() == 0 else { return false }
        let scratch = Scratch()
        guard let disk = try? SmallDisk(at: scratch.path + "/probe", bytes: 65536) else { return false }
        disk.unmount()
        return true
    }()

    struct E: Error, CustomStringConvertible { var description: String; init(_ d: String) { description = d } }
}

@Suite("Real disk faults (tmpfs)", .enabled(if: SmallDisk.available, "needs root and permission to mount a tmpfs"))
struct RealDiskTests {
    func temporaryFiles(_ root: String) -> [String] {
        allFiles(root).filter { ($0 as NSString).lastPathComponent.hasPrefix(AtomicFile.temporaryPrefix) }.sorted()
    }

    @Test("a disk that fills up, in a record or in the head update: the commit that does not fit fails as 'disk full', leaves no half file, waits in a recovery file, and is saved once space is freed")
    func diskFull() throws {
        // The disk fills at a different step of a commit for each size of
        // the file the office can delete to make room (tmpfs counts 4 KiB
        // pages): across these, in the record itself and in the head.
        var headFailures = 0
        for pages in 0..<8 {
            if try fillUp(fillerBytes: 128 * 1024 + pages * 4096) { headFailures += 1 }
        }
        #expect(headFailures > 0, "none of the sizes filled the disk during a head update")
    }

    /// Commits until the disk is full, checks the outcome, frees the
    /// filler and checks the waiting session is saved. True when the disk
    /// filled during a head update (that record saved, its head not).
    func fillUp(fillerBytes: Int) throws -> Bool {
        let book = Book()
        let disk = try SmallDisk(at: book.records, bytes: 512 * 1024)
        defer { disk.unmount() }
        let filler = book.records + "/old-export.csv"
        book.write(filler, [UInt8](repeating: 0x41, count: fillerBytes))
        let store = try book.open()
        let saver = SessionSaver(book: store, recoveryFolder: book.scratch.path + "/recovery")
        var failure: StoreError?
        var headFailed = false
        for i in 0..<200 {
            let outcome = try #require(saver.submit(visitorSession(name: "Person \(i + 1)")).last)
            switch outcome.result {
            case .success(let receipt):
                if let error = receipt.headError {
                    #expect(error.description.contains("The disk is full"), "\(error)")
                    headFailed = true
                }
                continue
            case .failure(let error):
                failure = error
            }
            break
        }
        let error = try #require(failure, "a 512 KiB disk never filled up")
        #expect(error.description.contains("The disk is full"), "\(error)")
        #expect(temporaryFiles(book.layout.root) == [], "no half-written file is left on the full disk")
        #expect(recoveryFiles(saver.recoveryFolder).count == 1, "the session that did not fit is in a recovery file")
        #expect(book.verify().1 == [], "what was saved before the disk filled still verifies")

        unlink(filler)
        let outcomes = saver.retry()
        guard case .success(let receipt) = outcomes.first?.result else {
            Issue.record("with room again the session should have been saved: \(outcomes)")
            return headFailed
        }
        #expect(receipt.headError == nil)
        #expect(saver.pending == 0)
        #expect(recoveryFiles(saver.recoveryFolder).isEmpty)
        let (summary, problems) = book.verify()
        #expect(problems == [])
        #expect(summary.records == store.lastSeq)
        #expect(summary.notes == [], "the head has caught up")
        return headFailed
    }

    @Test("a records disk remounted read-only (as after a disk error): the commit fails as 'read-only', nothing changes, and saving resumes once it is writable")
    func readOnly() throws {
        let book = Book()
        let disk = try SmallDisk(at: book.records, bytes: 1024 * 1024)
        defer { disk.unmount() }
        let store = try book.open()
        _ = try store.commit(visitorSession(name: "First"))
        let before = allFiles(book.layout.root)
        try disk.readOnly(true)
        #expect {
            _ = try store.commit(visitorSession(name: "Second"))
        } throws: { error in
            "\(error)".contains("The disk is read-only")
        }
        try disk.readOnly(false)
        #expect(allFiles(book.layout.root) == before)
        #expect(try store.commit(visitorSession(name: "Second")).seq == 2)
        #expect(book.verify().1 == [])
    }
}
