import Foundation
import KioskContent
import KioskTestSupport
import Testing
@testable import KioskStore

/// Red team of pass codes, sign-out records, `previous` and the fire list
/// (store level). Each test asserts the behaviour the product promises: a
/// failing test is a finding; a passing one is an attack that held.
@Suite("Red team: returning people, sign-outs and the fire list (store)")
struct RedTeamReturnTests {
    static let london = TimeZone(identifier: "Europe/London")!

    static func link(_ receipt: RecordBook.Receipt, terminal: String = "reception-1") -> RecordLink {
        RecordLink(terminal: terminal, seq: receipt.seq, sha256: receipt.sha256)
    }

    // MARK: - `previous` is never checked

    /// FINDING: verify never looks at a session's `previous`. A session
    /// (signed by the terminal's key: a kiosk bug or a key holder) may
    /// claim to build on a record that is not there, has another hash, is
    /// a sign-out, is someone else's, or stands after it, and verify says
    /// "no problems". The office cannot tell a returning person's record
    /// (a few clauses, no sections read) from a broken one.
    @Test("verify names a session whose `previous` is missing, another hash, not a session, someone else's, itself or later")
    func previousIsChecked() throws {
        let book = Book()
        let store = try book.open()
        let ann = try store.commit(visitorSession(name: "Ann Lee"))                       // 1
        let out = try store.signOut(closing: Self.link(ann), method: "pass-code")            // 2
        let cases: [(String, String, RecordLink)] = [
            ("a later record (seq 99)", "Ann Lee", RecordLink(terminal: "reception-1", seq: 99, sha256: ann.sha256)),
            ("record 1 with another hash", "Ann Lee", RecordLink(terminal: "reception-1", seq: 1, sha256: String(repeating: "ab", count: 32))),
            ("a sign-out record", "Ann Lee", Self.link(out)),
            ("another person's agreement", "Bob Roe", Self.link(ann)),
            ("itself (seq 7)", "Ann Lee", RecordLink(terminal: "reception-1", seq: 7, sha256: String(repeating: "cd", count: 32))),
        ]
        for (_, name, previous) in cases {
            var session = visitorSession(name: name)
            session.previous = previous
            _ = try store.commit(session)                                                    // 3...7
        }
        store.close()
        let (summary, problems) = book.verify()
        for (offset, (what, _, _)) in cases.enumerated() {
            #expect(problems.contains { $0.seq == 3 + offset }, "a session whose previous is \(what) passes verify: \(problems)")
        }
        #expect(summary.intact < 7, "every record counted intact")
    }

    /// FINDING (lesser): two sign-outs of one session pass verify. The
    /// kiosk never writes a second one (it skips closed visits), so one in
    /// a book was made by something else; the fire list is unharmed (the
    /// earlier time wins), but "no problems" is said of a book the kiosk
    /// could not have written.
    @Test("a second sign-out of a session already signed out is named by verify")
    func doubleSignOut() throws {
        let book = Book()
        let store = try book.open()
        let ann = try store.commit(visitorSession(name: "Ann Lee"))
        _ = try store.signOut(closing: Self.link(ann), method: "pass-code")
        _ = try store.signOut(closing: Self.link(ann), method: "reference")
        store.close()
        let (_, problems) = book.verify()
        #expect(problems.contains { $0.seq == 3 }, "a second sign-out of record 1 passes: \(problems)")
    }

    // MARK: - The fire list drops people whose record does not verify

    /// Writes today's session of `name` (now) and returns its receipt.
    static func today(_ store: RecordBook, _ name: String) throws -> RecordBook.Receipt {
        var session = visitorSession(name: name, at: Date().addingTimeInterval(-600))
        session.completedAt = Date().addingTimeInterval(-300)
        return try store.commit(session)
    }

    /// FINDING (breaks the fire list): `OnSiteList.add` returns at once
    /// for a record the verifier gives with `record == nil`, and
    /// `RecordCheck` gives nil for every record whose signature does not
    /// hold (a lost .minisig, one changed byte, a copy cut short). Such a
    /// person is not on the list at all, not "listed, marked" as OnSite.swift
    /// and `kiosk onsite --help` promise; the printed list gives no hint.
    @Test("a person whose record's signature is lost or whose record has a changed byte is still on the fire list, marked")
    func fireListKeepsUnverified() throws {
        let book = Book()
        let store = try book.open()
        let ann = try Self.today(store, "Ann Lee")
        let bob = try Self.today(store, "Bob Roe")
        _ = try Self.today(store, "Cat Poe")
        store.close()
        // Ann's signature file is lost (a copy to the office share cut short).
        unlink(ann.path + ".minisig")
        // One byte of Bob's record changed (the record still parses).
        let text = String(decoding: book.bytes(bob.path), as: UTF8.self).replacingOccurrences(of: "Acme", with: "Acmf")
        book.write(bob.path, Array(text.utf8))

        var list = OnSiteList(day: Date(), timeZone: .current, signOutBy: nil)
        var problems: [VerificationProblem] = []
        _ = RecordVerifier(keys: ["reception-1": [book.key.publicKey]]).verify(
            folder: book.layout.root, report: { problems.append($0) }, record: { list.add($0) })
        #expect(problems.contains { $0.seq == 1 } && problems.contains { $0.seq == 2 })
        let names = list.everyone.map(\.name)
        #expect(names.contains("Cat Poe"))
        #expect(names.contains("Ann Lee"), "Ann (signature file lost) is missing from the fire list: \(names)")
        #expect(names.contains("Bob Roe"), "Bob (one byte changed) is missing from the fire list: \(names)")
        #expect(list.everyone.filter { $0.name != "Cat Poe" }.allSatisfy { !$0.verified })
    }

    // MARK: - Daylight saving

    /// FINDING (misleads the office): `closingTime` is `dayStart + minutes`,
    /// so on the day the clocks change `sign_out_by = "18:00"` falls at
    /// 19:00 (spring) or 17:00 (autumn) local time, while the list says
    /// "closed at 18:00".
    @Test("sign_out_by is the local hour on the days the clocks change", arguments: [(2027, 3, 28), (2026, 10, 25)])
    func closingTimeAcrossDST(date: (Int, Int, Int)) throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.london
        let noon = try #require(calendar.date(from: DateComponents(year: date.0, month: date.1, day: date.2, hour: 12)))
        let six = try #require(calendar.date(from: DateComponents(year: date.0, month: date.1, day: date.2, hour: 18)))
        let list = OnSiteList(day: noon, timeZone: Self.london, signOutBy: 18 * 60)
        #expect(list.closingTime == six, "closing at \(list.closingTime.map { calendar.component(.hour, from: $0) } ?? -1):00 local, not 18:00")
    }

    /// FINDING (breaks the fire list): the list for a day holds only the
    /// sessions completed on that day. Someone who signed in at 23:50 and
    /// is still in the building at 00:30 (a caretaker, a late event, a
    /// boarding school's night staff) is on nobody's list at 00:30:
    /// `kiosk onsite` (today) says "Nobody is signed in and not signed
    /// out". The kiosk's own sign-out window is 24 hours ("a night
    /// shift's"), so the product knows such visits exist. Without
    /// sign_out_by nothing ever closes them, and with it they are closed
    /// at midnight unseen.
    @Test("at 00:30, someone who signed in at 23:50 and has not signed out is on today's fire list")
    func overnightVisitorListed() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.london
        let lateEvening = try #require(calendar.date(from: DateComponents(year: 2026, month: 11, day: 24, hour: 23, minute: 50)))
        let halfPastMidnight = lateEvening.addingTimeInterval(40 * 60)
        var session = visitorSession(name: "Night Caretaker", at: lateEvening.addingTimeInterval(-120))
        session.completedAt = lateEvening
        let record = RecordFile(session: session, seq: 1, terminal: "reception-1", school: "S", prev: RecordFile.genesis)
        let checked = CheckedRecord(terminal: "reception-1", seq: 1, path: "", sha256: Hex.sha256(record.bytes), intact: true, record: record)
        var list = OnSiteList(day: halfPastMidnight, timeZone: Self.london, signOutBy: nil)
        list.add(checked)
        let names = list.notSignedOut(roles: [visitorRole]).flatMap(\.entries).map(\.name)
        #expect(names == ["Night Caretaker"], "the fire list at 00:30 is empty: \(names)")
    }

    // MARK: - What held

    @Test("held: a sign-out of itself, of a later record, of a record the book does not hold, or a spliced foreign one, is refused or named")
    func signOutAbuseHeld() throws {
        let book = Book()
        let store = try book.open()
        let ann = try store.commit(visitorSession(name: "Ann Lee"))
        #expect(throws: StoreError.self) { try store.signOut(closing: RecordLink(terminal: "reception-1", seq: 5, sha256: ann.sha256), method: "pass-code") }
        // A sign-out naming itself, written by hand with the right chain but never signed by the kiosk's key.
        let own = RecordFile(seq: 2, id: "x", terminal: "reception-1", school: "S", prev: ann.sha256, body: .signOut(.init(
            signedOutAt: Timestamp.format(Date()), session: RecordLink(terminal: "reception-1", seq: 2, sha256: ann.sha256), method: "pass-code")))
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: own.bytes) }
        // A sign-out signed by another terminal's key, spliced in as record 2.
        let other = Book()
        let otherStore = try other.open()
        _ = try otherStore.commit(visitorSession(name: "Someone"))
        let spliced = try otherStore.signOut(closing: RecordLink(terminal: "reception-1", seq: 1, sha256: ann.sha256), method: "pass-code")
        otherStore.close()
        store.close()
        try FileManager.default.copyItem(atPath: spliced.path, toPath: book.layout.record(seq: 2))
        try FileManager.default.copyItem(atPath: spliced.path + ".minisig", toPath: book.layout.record(seq: 2) + ".minisig")
        var list = OnSiteList(day: Date(timeIntervalSince1970: 1_790_000_000), timeZone: TimeZone(identifier: "UTC")!, signOutBy: nil)
        var problems: [VerificationProblem] = []
        _ = RecordVerifier(keys: ["reception-1": [book.key.publicKey]]).verify(
            folder: book.layout.root, report: { problems.append($0) }, record: { list.add($0) })
        #expect(problems.contains { $0.seq == 2 }, "\(problems)")
        #expect(list.notSignedOut(roles: [visitorRole]).flatMap(\.entries).map(\.name) == ["Ann Lee"], "a spliced sign-out takes nobody off")
    }

    @Test("held: pass_code_hash with rounds out of range, a non-canonical hash, or `previous` with unknown or missing fields is refused")
    func newFieldFormsHeld() throws {
        let base = RecordFile(session: visitorSession(), seq: 2, terminal: "reception-1", school: "S", prev: RecordFile.genesis)
        let good = String(decoding: base.bytes, as: UTF8.self)
        let hash = PassCode.hash("7KQ4M9TZ", iterations: 1_000)
        let link = #"{"seq":1,"sha256":"\#(RecordFile.genesis)","terminal":"reception-1"}"#
        func with(_ insert: String) -> [UInt8] {
            var json = try! CanonicalJSON.decode(Array(good.utf8))
            guard case .object(var object) = json else { return [] }
            let extra = try! CanonicalJSON.decode(Array("{\(insert)}".utf8))
            if case .object(let members) = extra { for (k, v) in members { object[k] = v } }
            json = .object(object)
            return CanonicalJSON.encode(json)
        }
        #expect((try? RecordFile(bytes: with(#""pass_code_hash":"\#(hash)""#)))?.session?.passCodeHash == hash, "the well-formed one reads")
        for bad in [
            #""pass_code_hash":"\#(hash.replacingOccurrences(of: "$1000$", with: "$0$"))""#,
            #""pass_code_hash":"\#(hash.replacingOccurrences(of: "$1000$", with: "$99999999999$"))""#,
            #""pass_code_hash":"\#(hash.replacingOccurrences(of: "$1000$", with: "$01000$"))""#,
            #""pass_code_hash":7"#,
            #""previous":{"seq":1,"sha256":"\#(RecordFile.genesis)"}"#,
            #""previous":{"extra":"x","seq":1,"sha256":"\#(RecordFile.genesis)","terminal":"reception-1"}"#,
            #""previous":{"seq":1000000000000,"sha256":"\#(RecordFile.genesis)","terminal":"reception-1"}"#,
            #""previous":{"seq":"1","sha256":"\#(RecordFile.genesis)","terminal":"reception-1"}"#,
            #""previous":[\#(link)]"#,
        ] {
            #expect(throws: RecordFile.DecodeError.self, "\(bad)") { try RecordFile(bytes: with(bad)) }
        }
        // A key written twice is no JSON the kiosk reads.
        let once = String(decoding: with(#""pass_code_hash":"\#(hash)""#), as: UTF8.self)
        let member = try #require(once.range(of: #"\n *"pass_code_hash": "[^"]*","#, options: .regularExpression))
        let twice = once.replacingCharacters(in: member, with: String(once[member]) + String(once[member]))
        #expect(throws: Never.self) { _ = try RecordFile(bytes: Array(once.utf8)) }
        #expect((try? RecordFile(bytes: Array(twice.utf8))) == nil)
    }
}
