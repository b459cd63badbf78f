import Foundation
import KioskContent
import Testing
@testable import KioskStore

/// The fire list: who signed in on a day and has not signed out.
@Suite("Who is on site")
struct OnSiteTests {
    static let london = TimeZone(identifier: "Europe/London")!
    /// 2026-11-25 09:00 in London (GMT in November).
    static let morning = Date(timeIntervalSince1970: 1_795_597_200)
    static let roles = [Role(id: "staff", label: "New staff", documents: [], questions: [], nextSteps: nil), visitorRole]

    /// A checked session record of `name` completed at `time`.
    static func session(_ name: String, role: Role = visitorRole, at time: Date, seq: Int, terminal: String = "reception-1", intact: Bool = true) -> CheckedRecord {
        var completed = visitorSession(name: name, at: time.addingTimeInterval(-200))
        completed.role = role
        let record = RecordFile(session: completed, seq: seq, terminal: terminal, school: "S", prev: RecordFile.genesis)
        return CheckedRecord(terminal: terminal, seq: seq, path: "", sha256: Hex.sha256(record.bytes), intact: intact, record: record)
    }

    static func signOut(_ closed: CheckedRecord, at time: Date, seq: Int, terminal: String = "reception-1", intact: Bool = true) -> CheckedRecord {
        let record = RecordFile(seq: seq, id: "x", terminal: terminal, school: "S", prev: RecordFile.genesis, body: .signOut(.init(
            signedOutAt: Timestamp.format(time), session: RecordLink(terminal: closed.terminal, seq: closed.seq, sha256: closed.sha256), method: "pass-code")))
        return CheckedRecord(terminal: terminal, seq: seq, path: "", sha256: Hex.sha256(record.bytes), intact: intact, record: record)
    }

    @Test("today's sessions not signed out are listed by role in kiosk.conf's order, with time, name and answers")
    func listsToday() {
        var list = OnSiteList(day: Self.morning, timeZone: Self.london, signOutBy: 18 * 60)
        let yesterday = Self.session("Old Visit", at: Self.morning.addingTimeInterval(-86_400), seq: 1)
        let ann = Self.session("Ann Lee", at: Self.morning, seq: 2)
        let bob = Self.session("Bob Roe", role: Self.roles[0], at: Self.morning.addingTimeInterval(600), seq: 3)
        let cat = Self.session("Cat Poe", at: Self.morning.addingTimeInterval(1200), seq: 4)
        for record in [yesterday, ann, bob, cat, Self.signOut(ann, at: Self.morning.addingTimeInterval(3600), seq: 5)] { list.add(record) }
        let groups = list.notSignedOut(roles: Self.roles)
        #expect(groups.map(\.roleLabel) == ["New staff", "Visitor"])
        #expect(groups.map { $0.entries.map(\.name) } == [["Bob Roe"], ["Cat Poe"]], "Ann signed out; yesterday's visit is not today's")
        #expect(groups[1].entries[0].answersText == "Organisation: Acme, \"Plumbing\" & Sons")
        #expect(groups[1].entries[0].reference == SignedRecord.reference(sha256: cat.sha256))
        #expect(list.standing(groups[1].entries[0], now: Self.morning.addingTimeInterval(3 * 3600)) == .onSite)
        #expect(list.everyone.count == 3)
        #expect(list.everyone.first { $0.name == "Ann Lee" }?.signedOutAt == Self.morning.addingTimeInterval(3600))
    }

    @Test("after sign_out_by, and on a past day, people not signed out are closed at that hour, never dropped")
    func closedAtHour() {
        var list = OnSiteList(day: Self.morning, timeZone: Self.london, signOutBy: 18 * 60)
        list.add(Self.session("Ann Lee", at: Self.morning, seq: 1))
        let ann = list.notSignedOut(roles: Self.roles)[0].entries[0]
        #expect(list.closingTime == Self.morning.addingTimeInterval(9 * 3600))
        #expect(list.standing(ann, now: Self.morning.addingTimeInterval(9 * 3600 - 1)) == .onSite)
        #expect(list.standing(ann, now: Self.morning.addingTimeInterval(9 * 3600)) == .closed(at: 1080))
        #expect(list.standing(ann, now: Self.morning.addingTimeInterval(3 * 86_400)) == .closed(at: 1080))
        // Someone who came after the hour is closed at midnight, not before they came.
        list.add(Self.session("Eve Late", at: Self.morning.addingTimeInterval(10 * 3600), seq: 2))
        let eve = list.notSignedOut(roles: Self.roles)[0].entries[1]
        #expect(list.standing(eve, now: Self.morning.addingTimeInterval(11 * 3600)) == .onSite)
        #expect(list.standing(eve, now: Self.morning.addingTimeInterval(15 * 3600)) == .closed(at: 1440))
        var noHour = OnSiteList(day: Self.morning, timeZone: Self.london, signOutBy: nil)
        noHour.add(Self.session("Ann Lee", at: Self.morning, seq: 1))
        #expect(noHour.standing(ann, now: Self.morning.addingTimeInterval(14 * 3600)) == .onSite)
        #expect(noHour.standing(ann, now: Self.morning.addingTimeInterval(3 * 86_400)) == .notSignedOut, "a past day says so, without an hour")
    }

    @Test("a sign-out that does not verify takes nobody off the list; a session that does not verify is listed, marked")
    func errsOnTheSideOfListing() {
        var list = OnSiteList(day: Self.morning, timeZone: Self.london, signOutBy: nil)
        let ann = Self.session("Ann Lee", at: Self.morning, seq: 1)
        let bob = Self.session("Bob Roe", at: Self.morning, seq: 2, intact: false)
        list.add(ann)
        list.add(bob)
        list.add(Self.signOut(ann, at: Self.morning.addingTimeInterval(60), seq: 3, intact: false))
        let entries = list.notSignedOut(roles: Self.roles).flatMap(\.entries)
        #expect(entries.map(\.name) == ["Ann Lee", "Bob Roe"])
        #expect(entries.map(\.verified) == [true, false])
    }

    @Test("a sign-out closes a visit of its own book; one in another terminal's book, or naming another hash, does not")
    func acrossTerminals() {
        var list = OnSiteList(day: Self.morning, timeZone: Self.london, signOutBy: nil)
        let ann = Self.session("Ann Lee", at: Self.morning, seq: 1)
        let bob = Self.session("Bob Roe", at: Self.morning, seq: 2)
        let cat = Self.session("Cat Poe", at: Self.morning, seq: 3)
        var wrong = bob
        wrong.sha256 = String(repeating: "ab", count: 32)
        list.add(Self.signOut(ann, at: Self.morning.addingTimeInterval(60), seq: 7))
        list.add(Self.signOut(wrong, at: Self.morning.addingTimeInterval(60), seq: 8))
        // Another terminal's trusted key does not take this terminal's visitor off (verify names such a sign-out).
        list.add(Self.signOut(cat, at: Self.morning.addingTimeInterval(60), seq: 9, terminal: "staffroom-1"))
        list.add(ann)
        list.add(bob)
        list.add(cat)
        #expect(list.notSignedOut(roles: Self.roles).flatMap(\.entries).map(\.name) == ["Bob Roe", "Cat Poe"])
    }

    @Test("someone signed in the day before and not signed out is still listed (after yesterday's closing hour, with sign_out_by), marked; one signed out, or closed yesterday, is not")
    func carriedOver() {
        let yesterday = Self.morning.addingTimeInterval(-86_400)
        for signOutBy in [nil, 18 * 60] as [Int?] {
            var list = OnSiteList(day: Self.morning, timeZone: Self.london, signOutBy: signOutBy)
            let early = Self.session("Early Yesterday", at: yesterday, seq: 1)                               // 09:00 yesterday
            let late = Self.session("Night Caretaker", at: yesterday.addingTimeInterval(14 * 3600), seq: 2)   // 23:00 yesterday
            let left = Self.session("Left Last Night", at: yesterday.addingTimeInterval(13 * 3600), seq: 3)
            let older = Self.session("Two Days Ago", at: yesterday.addingTimeInterval(-86_400 + 14 * 3600), seq: 4)
            for record in [older, early, late, left] { list.add(record) }
            list.add(Self.signOut(left, at: yesterday.addingTimeInterval(13.5 * 3600), seq: 5))
            let names = list.notSignedOut(roles: Self.roles).flatMap(\.entries).map(\.name)
            let expected = signOutBy == nil ? ["Early Yesterday", "Night Caretaker"] : ["Night Caretaker"]
            #expect(names == expected, "sign_out_by \(String(describing: signOutBy)): \(names)")
            #expect(list.everyone.allSatisfy(list.carriedOver))
            let caretaker = list.everyone.first { $0.name == "Night Caretaker" }!
            #expect(list.standing(caretaker, now: Self.morning) == .onSite)
        }
    }

    @Test("a record that cannot be read is named (a person may be missing); one whose signature fails but whose bytes read is listed, NOT VERIFIED; a waiting session is listed as not yet saved")
    func unreadableAndWaiting() {
        var list = OnSiteList(day: Self.morning, timeZone: Self.london, signOutBy: nil)
        let ann = Self.session("Ann Lee", at: Self.morning, seq: 1)
        list.add(CheckedRecord(terminal: "reception-1", seq: 1, path: "", sha256: ann.sha256, intact: false, record: nil, unverified: ann.record))
        list.add(CheckedRecord(terminal: "reception-1", seq: 2, path: "", sha256: "", intact: false, record: nil))
        // An unverified sign-out takes nobody off, even if its bytes read.
        let out = Self.signOut(ann, at: Self.morning.addingTimeInterval(60), seq: 3)
        list.add(CheckedRecord(terminal: "reception-1", seq: 3, path: "", sha256: out.sha256, intact: false, record: nil, unverified: out.record))
        var waiting = visitorSession(name: "Dan Waits", at: Self.morning)
        waiting.completedAt = Self.morning.addingTimeInterval(300)
        list.addWaiting(waiting, file: "/var/lib/kiosk/recovery/x.session.json")
        let entries = list.notSignedOut(roles: Self.roles).flatMap(\.entries)
        #expect(entries.map(\.name) == ["Ann Lee", "Dan Waits"])
        #expect(entries.map(\.verified) == [false, false])
        #expect(entries.last?.waitingIn == "/var/lib/kiosk/recovery/x.session.json")
        #expect(list.unreadable == ["record reception-1 2"])
    }

    @Test("the day is the local one: a visit at 23:30 in London is on that day, not the next")
    func localDay() {
        let lateEvening = Self.morning.addingTimeInterval(14.5 * 3600)
        let summer = TimeZone(identifier: "Asia/Tokyo")!
        var london = OnSiteList(day: Self.morning, timeZone: Self.london, signOutBy: nil)
        var tokyo = OnSiteList(day: Self.morning, timeZone: summer, signOutBy: nil)
        london.add(Self.session("Late", at: lateEvening, seq: 1))
        tokyo.add(Self.session("Late", at: lateEvening, seq: 1))
        #expect(london.everyone.count == 1)
        #expect(tokyo.everyone.isEmpty, "23:30 in London is the next morning in Tokyo")
    }
}
