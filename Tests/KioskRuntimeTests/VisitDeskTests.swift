import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import KioskUI
import Logging
import Testing
@testable import KioskRuntime

/// The run loop's side of signing out and coming back, against real books.
@Suite("Visit desk: sign-out and returning lookups")
struct VisitDeskTests {
    static let document = SaveSchedulerTests.document
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

    func record(_ seq: Int) throws -> RecordFile {
        try RecordFile(bytes: try #require(try AtomicFile.read(book.layout.record(seq: seq))))
    }

    @Test("a pass code signs out its own visit, in any case and grouping: a sign-out record naming it; the same code again finds nothing")
    func signOutByCode() throws {
        try visit("Ann Lee", code: "7KQ4M9TZ")
        let bob = try visit("Bob Roe", code: "2YKV4JQK")
        let now = Self.start + 3600
        #expect(desk.carryOut(.signOut(typed: "2ykv-4jqk"), now: now) == .signedOut(at: now))
        let out = try record(3).signOut
        #expect(out?.session == RecordLink(terminal: "reception-1", seq: 2, sha256: bob.sha256))
        #expect(out?.method == "pass-code")
        #expect(desk.carryOut(.signOut(typed: "2YKV4JQK"), now: now + 60) == .notFound, "already signed out")
        #expect(book.lastSeq == 3)
        #expect(!log.lines.joined().contains("2YKV") && !log.lines.joined().lowercased().contains("2ykv"), "the code is never logged: \(log.lines)")
    }

    @Test("the reference from the last screen signs out too; a wrong code, yesterday's visit, or nothing typed finds nothing")
    func signOutByReferenceAndMisses() throws {
        let old = try visit("Old Visit", code: "33333333", at: Self.start)
        let ann = try visit("Ann Lee", code: nil, at: Self.start + 2 * 86_400)
        let now = Self.start + 2 * 86_400 + 600
        #expect(desk.carryOut(.signOut(typed: "22222222"), now: now) == .notFound)
        #expect(desk.carryOut(.signOut(typed: "33333333"), now: now) == .notFound, "a visit more than a day ago is not today's")
        #expect(desk.carryOut(.signOut(typed: old.reference), now: now) == .notFound)
        #expect(desk.carryOut(.signOut(typed: ""), now: now) == .notFound)
        #expect(book.lastSeq == 2, "nothing written for a miss")
        #expect(desk.carryOut(.signOut(typed: "\(ann.seq) · \(ann.reference.lowercased())"), now: now) == .signedOut(at: now, byReference: true))
        #expect(try record(3).signOut?.method == "reference")
        var problems: [VerificationProblem] = []
        _ = RecordVerifier(keys: ["reception-1": [book.publicKey]]).verify(folder: book.layout.root, report: { problems.append($0) })
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("a returning person is found by code and name (case, accents and spaces aside); a wrong name or code gives the same answer")
    func findAgreement() throws {
        let first = try visit("Siobhán O'Neil", code: "7KQ4M9TZ")
        try visit("Someone Else", code: "2YKV4JQK")
        let now = Self.start + 86_400 * 30
        let found = desk.carryOut(.findAgreement(code: "7kq4 m9tz", name: "  SIOBHAN  o'neil "), now: now)
        #expect(found == .found(EarlierAgreement(record: RecordLink(terminal: "reception-1", seq: 1, sha256: first.sha256), role: "visitor",
                                                 name: "Siobhán O'Neil", agreedClauses: Set(Self.document.clauses.map(\.id)), answers: [:])))
        #expect(desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Someone Else"), now: now) == .notFound, "another person's name")
        #expect(desk.carryOut(.findAgreement(code: "2YKV4JQK", name: "Siobhán O'Neil"), now: now) == .notFound, "another person's code")
        #expect(desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Nobody"), now: now) == .notFound)
        desk.validForDays = 10
        #expect(desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Siobhán O'Neil"), now: now) == .notFound, "an agreement past its days is not current")
    }

    @Test("an agreement past its role's renewal date is found (code and name were right) but marked ended, and every clause is asked again")
    func endedAgreement() throws {
        try visit("Ann Lee", code: "7KQ4M9TZ")
        var visitor = Role(id: "visitor", label: "Visitor", documents: ["code"], questions: [], nextSteps: nil)
        visitor.validity = AgreementValidity(renewOn: MonthDay("09-01"))
        desk.roles = [visitor]
        // Signed on 21 September 2026: current until 1 September 2027.
        guard case .found(let current) = desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Ann Lee"), now: Self.start + 86_400 * 30) else {
            Issue.record("not found"); return
        }
        #expect(!current.ended)
        #expect(current.agreedClauses == Set(Self.document.clauses.map(\.id)))
        guard case .found(let ended) = desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Ann Lee"), now: Self.start + 86_400 * 346) else {
            Issue.record("not found after the renewal date"); return
        }
        #expect(ended.ended, "past 1 September 2027")
        #expect(ended.agreedClauses.isEmpty, "nothing of it counts: every clause is asked again")
    }

    @Test("a returning record holds only the new clauses: the next lookup adds those of the records it builds on")
    func followsPrevious() throws {
        let first = try visit("Ann Lee", code: "7KQ4M9TZ", clauses: [Self.document.clauses[0]])
        let extra = Clause(text: "I will lock my screen.", line: 1)
        let second = try visit("Ann Lee", code: "2YKV4JQK", at: Self.start + 60,
                               previous: RecordLink(terminal: "reception-1", seq: first.seq, sha256: first.sha256), clauses: [extra])
        guard case .found(let earlier) = desk.carryOut(.findAgreement(code: "2YKV4JQK", name: "ann lee"), now: Self.start + 120) else {
            Issue.record("not found"); return
        }
        #expect(earlier.record.seq == second.seq)
        #expect(earlier.agreedClauses == Set([Self.document.clauses[0].id, extra.id]))
    }

    @Test("a returning person who signed at another terminal is found in the office's collected books, with that terminal's trusted key only")
    func collectedBooks() throws {
        let office = scratch.path + "/office"
        let otherKey = TerminalKey.generate()
        let other = try RecordBook.open(records: office, terminal: "staffroom-1", school: "Redhill", key: otherKey)
        var session = SaveSchedulerTests.session("Ann Lee")
        session.passCodeHash = PassCode.hash("7KQ4M9TZ", iterations: 1_000)
        let saved = try other.commit(session)
        other.close()
        let now = Self.start + 600
        #expect(desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Ann Lee"), now: now) == .notFound, "no collected books configured")
        desk.collected = (office, ["staffroom-1": [TerminalKey.generate().publicKey]])
        #expect(desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Ann Lee"), now: now) == .notFound, "a key not trusted for it")
        desk.collected = (office, ["staffroom-1": [otherKey.publicKey]])
        guard case .found(let earlier) = desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Ann Lee"), now: now) else {
            Issue.record("not found in the collected books"); return
        }
        #expect(earlier.record == RecordLink(terminal: "staffroom-1", seq: 1, sha256: saved.sha256))
    }

    @Test("the admin screen's on-site list: today's visits not signed out, from this terminal's book, closed after sign_out_by")
    func onSiteToday() throws {
        desk.timeZone = TimeZone(identifier: "Europe/Lisbon")!
        desk.signOutBy = 18 * 60
        // 1_790_000_000 is 2026-09-21 14:13 UTC, 15:13 in Lisbon (summer time).
        try visit("Yesterday", code: nil, at: Self.start - 86_400)
        try visit("Ann Lee", code: "7KQ4M9TZ", at: Self.start)
        try visit("Bob Roe", code: nil, at: Self.start + 60)
        #expect(desk.carryOut(.signOut(typed: "7KQ4M9TZ"), now: Self.start + 120) == .signedOut(at: Self.start + 120))
        guard case .onSite(let list) = desk.carryOut(.onSiteToday, now: Self.start + 600) else { Issue.record("no list"); return }
        #expect(list.people.map(\.name) == ["Bob Roe"])
        #expect(list.people.first?.time == "15:14")
        #expect(list.people.first?.status == "")
        #expect(list.day == "Monday 21 September 2026, Europe/Lisbon")
        guard case .onSite(let evening) = desk.carryOut(.onSiteToday, now: Self.start + 5 * 3600) else { Issue.record("no list"); return }
        #expect(evening.people.first?.status == "not signed out (closed at 18:00)")
    }

    @Test("the admin screen's on-site list keeps someone there overnight, marked since when, as kiosk onsite does")
    func onSiteOvernight() throws {
        desk.timeZone = TimeZone(identifier: "Europe/London")!
        // 23:50 on Sunday 20 September (BST), and the list asked for at 00:30.
        let lateNight = Date(timeIntervalSince1970: 1_789_944_600)
        try visit("Night Porter", code: nil, at: lateNight)
        guard case .onSite(let list) = desk.carryOut(.onSiteToday, now: lateNight + 40 * 60) else { Issue.record("no list"); return }
        #expect(list.people.map(\.name) == ["Night Porter"])
        #expect(list.people.first?.status.hasPrefix("since Sun 20 Sep 23:50") == true, "\(list.people)")
    }

    @Test("someone who came back with R without signing out leaves once: the sign-out closes the visit its code names and the open ones it builds on")
    func signOutClosesTheChain() throws {
        let first = try visit("Ann Lee", code: "7KQ4M9TZ")
        try visit("Bob Roe", code: "2YKV4JQK", at: Self.start + 30)
        try visit("Ann Lee", code: "3MNP4QRS", at: Self.start + 60, previous: RecordLink(terminal: "reception-1", seq: first.seq, sha256: first.sha256))
        #expect(desk.carryOut(.signOut(typed: "3MNP4QRS"), now: Self.start + 120) == .signedOut(at: Self.start + 120))
        guard case .onSite(let list) = desk.carryOut(.onSiteToday, now: Self.start + 600) else { Issue.record("no list"); return }
        #expect(list.people.map(\.name) == ["Bob Roe"], "Ann is off the list once, both visits closed; Bob is still there")
        #expect(desk.carryOut(.signOut(typed: "7KQ4M9TZ"), now: Self.start + 700) == .notFound, "her first visit is closed already")
    }

    @Test("a tampered record is never used: its pass code finds nothing")
    func tamperedIgnored() throws {
        let ann = try visit("Ann Lee", code: "7KQ4M9TZ")
        let path = ann.path
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "Ann Lee", with: "Ann Lea")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(desk.carryOut(.findAgreement(code: "7KQ4M9TZ", name: "Ann Lea"), now: Self.start + 60) == .notFound)
        #expect(desk.carryOut(.signOut(typed: "7KQ4M9TZ"), now: Self.start + 60) == .notFound)
    }
}

@Suite("Pass codes at save time")
struct PassCodeSaveTests {
    @Test("a saved session's receipt carries a new pass code; the record holds only a hash that matches it; a session kept for later gets none on screen")
    func passCodeAtSave() throws {
        let scratch = Scratch()
        let book = try RecordBook.open(records: scratch.path + "/records", terminal: "reception-1", school: "Redhill", key: TerminalKey.generate())
        let log = LogLines()
        let scheduler = SaveScheduler(saver: SessionSaver(book: book, recoveryFolder: scratch.path + "/recovery", logger: log.logger), logger: log.logger)
        scheduler.passCodeIterations = 1_000
        let events = scheduler.submit(SaveSchedulerTests.session("Ann Lee"), now: Date())
        guard case .saved(_, let receipt) = events.first, let code = receipt.passCode else { Issue.record("no pass code: \(events)"); return }
        #expect(PassCode.normalised(code) == code)
        let record = try RecordFile(bytes: try #require(try AtomicFile.read(book.layout.record(seq: 1))))
        let hash = try #require(record.session?.passCodeHash)
        #expect(PassCode.matches(code, hash: hash))
        #expect(!log.lines.joined().contains(code))

        // The records folder gone: the session waits in a recovery file, which holds the hash, never a code.
        try FileManager.default.removeItem(atPath: book.layout.root)
        let failed = scheduler.submit(SaveSchedulerTests.session("Bob Roe"), now: Date())
        #expect(!failed.contains { if case .saved = $0 { true } else { false } })
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/recovery")
        #expect(files.count == 1)
        let kept = try String(contentsOfFile: scratch.path + "/recovery/" + files[0], encoding: .utf8)
        #expect(kept.contains("passCodeHash") && kept.contains("pbkdf2-sha256$1000$"))
    }
}
