import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import KioskUI
import Logging
import Testing
@testable import KioskRuntime

/// Red team of the kiosk's sign-out (S) and "signed here before" (R)
/// lookups, against real books. A failing test is a finding; a passing one
/// is an attack that held.
@Suite("Red team: sign-out and returning lookups at the kiosk")
struct RedTeamReturnDeskTests {
    static let start = DeskBook.start
    let fixture: DeskBook
    var scratch: Scratch { fixture.scratch }
    var log: LogLines { fixture.log }
    var book: RecordBook { fixture.book }
    var desk: VisitDesk { fixture.desk }

    init() throws {
        fixture = try DeskBook()
    }

    @discardableResult
    func visit(_ name: String, code: String?, at time: Date = start, previous: RecordLink? = nil, clauses: [Clause]? = nil,
               into store: RecordBook? = nil, iterations: Int = 1_000) throws -> RecordBook.Receipt {
        try fixture.visit(name, code: code, at: time, previous: previous, clauses: clauses, into: store, iterations: iterations)
    }

    /// FINDING (fire list): the reference is no secret: it is printed on
    /// the fire list (`kiosk onsite`), in `records list`, exports and on
    /// the done screen, and it is only 32 bits of the record's hash. Typed
    /// at S it signs out a visit that has a pass code, so anyone who reads
    /// the printed list can take any of today's visitors off it. The
    /// reference should sign out only a visit saved without a pass code
    /// (records from before pass codes), or need staff.
    @Test("the reference from the printed fire list does not sign out a visit that has a pass code")
    func referenceOffTheListSignsOutSomeoneElse() throws {
        let ann = try visit("Ann Lee", code: "7KQ4M9TZ")
        let now = Self.start + 600
        // What `kiosk onsite` prints for Ann: "reception-1 1 · 7F3A-9C21".
        #expect(desk.carryOut(.signOut(typed: ann.reference), now: now) == .notFound,
                "someone else signed Ann out with the reference printed on the fire list")
        #expect(book.lastSeq == 1, "a sign-out record was written for Ann")
    }

    /// FINDING (neutral failure): the lookup checks the code against every
    /// record whose name matches (PBKDF2 each, ~30 ms at the kiosk's
    /// rounds), and against one dummy hash when no name matches. "Name
    /// right, code wrong" for someone with three visits takes three times
    /// as long as "no such name": the wait tells a passer-by that someone
    /// of that name has signed here.
    @Test("a wrong code takes as long for a name with several visits as for a name never seen")
    func timingTellsTheNameIsKnown() throws {
        for day in 0..<3 {
            try visit("Ann Lee", code: PassCode.generate(), at: Self.start + Double(day) * 86_400, iterations: PassCode.iterations)
        }
        let now = Self.start + 10 * 86_400
        func once(_ name: String) -> TimeInterval {
            let begun = Date()
            #expect(desk.carryOut(.findAgreement(code: "22222222", name: name), now: now) == .notFound)
            return Date().timeIntervalSince(begun)
        }
        // Taken in turns, the best of each: the other tests running beside
        // this one slow both alike rather than one of them.
        var known = TimeInterval.infinity, unknown = TimeInterval.infinity
        for _ in 0..<6 {
            known = min(known, once("Ann Lee"))
            unknown = min(unknown, once("Nobody Here"))
        }
        #expect(known / unknown < 1.5, "name known: \(known)s; name unknown: \(unknown)s")
    }

    /// FINDING (availability): a lookup reads and parses every record of
    /// the book, and of every collected book, newest to oldest, whenever no
    /// record of the name matches (validForDays is never set from
    /// kiosk.conf, and the cutoff is only tested on records of the name).
    /// The run loop waits for it. With a trust's collected books (half a
    /// million records) each R press freezes the kiosk for minutes. Here:
    /// the number of records read grows with the book.
    @Test("a lookup of an unknown name does not read the whole book")
    func lookupScansWholeBook() throws {
        let now = Self.start + 86_400
        func lookup() -> TimeInterval {
            var best = TimeInterval.infinity
            for _ in 0..<3 {
                let begun = Date()
                _ = desk.carryOut(.findAgreement(code: "22222222", name: "Nobody Here"), now: now)
                best = min(best, Date().timeIntervalSince(begun))
            }
            return best
        }
        // (Changed by the fix: every lookup now makes the same three pass
        // code checks, ~0.1 s, whose noise swamps a difference of times;
        // so the records a lookup reads are counted, and the time is
        // compared with the empty book's.)
        func read() -> Int { desk.recordsRead }
        let empty = lookup()
        for i in 0..<300 { try visit("Person \(i)", code: nil, at: Self.start + Double(i)) }
        _ = lookup()
        var before = read()
        _ = lookup()
        #expect(read() == before, "a second lookup read \(read() - before) records again")
        for i in 300..<1_500 { try visit("Person \(i)", code: nil, at: Self.start + Double(i)) }
        before = read()
        _ = desk.carryOut(.findAgreement(code: "22222222", name: "Nobody Here"), now: now)
        #expect(read() - before == 1_200, "a lookup reads only the records written since the last (\(read() - before))")
        let large = lookup()
        #expect(large < empty * 1.5 + 0.01, "over an empty book: \(empty)s; 1,500 records: \(large)s (grows with the book)")
    }

    /// FINDING (misleads the person and the office): a sign-out on a full
    /// disk shows the visitor the store's message for a session: "...
    /// /srv/kiosk/records/reception-1/000000/00000002.json.minisig: No
    /// space left on device. The disk is full: free some space; the
    /// session is kept and saved when there is room." A sign-out is not
    /// kept (nothing retries it), the person is still on the fire list,
    /// and the screen shows the kiosk's file paths. Seen by hand on a full
    /// tmpfs in tmux; the log line says the same untrue thing.
    @Test("a sign-out that cannot be saved says so truly: not kept, not signed out, no file paths")
    func fullDiskSignOut() throws {
        final class Full: @unchecked Sendable {
            let lock = NSLock()
            var on = false
            var full: Bool { get { lock.withLock { on } } set { lock.withLock { on = newValue } } }
        }
        let disk = Full()
        let calls = FileSystemCalls(
            open: FileSystemCalls.posix.open,
            write: { fd, buffer, count in if disk.full { errno = ENOSPC; return -1 }; return FileSystemCalls.posix.write(fd, buffer, count) },
            fsync: FileSystemCalls.posix.fsync, rename: FileSystemCalls.posix.rename)
        let full = try RecordBook.open(records: scratch.path + "/full", terminal: "reception-1", school: "Redhill", key: TerminalKey.generate(), calls: calls)
        let fullDesk = VisitDesk(book: full, logger: log.logger)
        var session = SaveSchedulerTests.session("Ann Lee")
        session.passCodeHash = PassCode.hash("7KQ4M9TZ", iterations: 1_000)
        _ = try full.commit(session)
        disk.full = true
        let result = fullDesk.carryOut(.signOut(typed: "7KQ4M9TZ"), now: Self.start + 600)
        guard case .failed(let message) = result else { Issue.record("\(result)"); return }
        #expect(!message.contains("kept and saved"), "the visitor is told their sign-out is kept: \(message)")
        #expect(!message.contains(scratch.path), "the visitor is shown the kiosk's file paths: \(message)")
        disk.full = false
        #expect(fullDesk.carryOut(.signOut(typed: "7KQ4M9TZ"), now: Self.start + 660) == .signedOut(at: Self.start + 660), "held: a try once there is room works")
        #expect(full.lastSeq == 2)
    }

    /// FINDING (fails closed, but wrongly): the desk checks this book's
    /// records with the key it signs with now only. After `kiosk keygen
    /// --rotate` every earlier visit of the day cannot be signed out and
    /// no earlier agreement is found: "We could not find that", and each
    /// miss counts toward the wait. Verify follows the handover; the desk
    /// should too (the book's key lineage, as ChainCheck builds it).
    @Test("after a key rotation, today's visits still sign out and earlier agreements are still found")
    func afterKeyRotation() throws {
        try visit("Ann Lee", code: "7KQ4M9TZ")
        try visit("Bob Roe", code: "2YKV4JQK")
        let newKey = TerminalKey.generate()
        _ = try book.changeKey(to: newKey, reason: "rotated", at: Self.start + 60)
        let now = Self.start + 600
        #expect(desk.carryOut(.signOut(typed: "7KQ4M9TZ"), now: now) == .signedOut(at: now), "Ann cannot sign out after the key changed")
        #expect(desk.carryOut(.findAgreement(code: "2YKV4JQK", name: "Bob Roe"), now: now) != .notFound, "Bob's agreement is not found after the key changed")
    }

    // MARK: - What held

    @Test("held: a record signed by a key not trusted for its terminal, or a symlink or FIFO in the collected books, is never used and never hangs")
    func collectedAbuseHeld() throws {
        let office = scratch.path + "/office"
        let realKey = TerminalKey.generate(), rogueKey = TerminalKey.generate()
        // A rogue book in the collected folder, named for a trusted terminal, signed with another key.
        let rogue = try RecordBook.open(records: office, terminal: "staffroom-1", school: "Redhill", key: rogueKey)
        var session = SaveSchedulerTests.session("Ann Lee")
        session.passCodeHash = PassCode.hash("7KQ4M9TZ", iterations: 1_000)
        _ = try rogue.commit(session)
        _ = try rogue.commit(session)
        rogue.close()
        desk.collected = (office, ["staffroom-1": [realKey.publicKey]])
        #expect(desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Ann Lee"), now: Self.start + 60) == .notFound)
        // Record 2 replaced by a FIFO, record 1 by a symlink to a real record elsewhere.
        let layout = RecordLayout(records: office, terminal: "staffroom-1")
        unlink(layout.record(seq: 2))
        #expect(mkfifo(layout.record(seq: 2), 0o600) == 0)
        let elsewhere = scratch.path + "/elsewhere.json"
        try FileManager.default.moveItem(atPath: layout.record(seq: 1), toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: layout.record(seq: 1), withDestinationPath: elsewhere)
        desk.collected = (office, ["staffroom-1": [rogueKey.publicKey]])
        #expect(desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Ann Lee"), now: Self.start + 60) == .notFound)
    }

    @Test("held: a sign-out twice, a sign-out of a staff visit by its code, and nothing typed into the log")
    func signOutHeld() throws {
        try visit("Ann Lee", code: "7KQ4M9TZ")
        let now = Self.start + 600
        #expect(desk.carryOut(.signOut(typed: "7KQ4-M9TZ"), now: now) == .signedOut(at: now))
        #expect(desk.carryOut(.signOut(typed: "7KQ4-M9TZ"), now: now + 1) == .notFound)
        #expect(book.lastSeq == 2)
        let all = log.lines.joined(separator: "\n").uppercased()
        #expect(!all.contains("7KQ4") && !all.contains("M9TZ"))
    }
}
