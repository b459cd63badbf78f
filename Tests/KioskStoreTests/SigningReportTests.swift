import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing

/// The report's judgement of each person: the clauses their role agrees
/// to (a visitor's part of a document is the whole of what it needs), and
/// whether the agreement is still in date by the role's rule.
@Suite("Signing report: roles' parts and agreements that last")
struct SigningReportTests {
    let config: KioskConfig = {
        let result = Lint.check(configPath: repositoryRoot + "/kiosk.conf", checkPIN: false)
        precondition(result.errors.isEmpty, "\(result.errors)")
        return result.config!
    }()

    func day(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// A record of `name` signing everything `role` reads, as the kiosk writes it.
    func record(_ name: String, as roleID: String, at completed: String, seq: Int) -> CheckedRecord {
        let role = config.role(roleID)!
        let documents = shippedLibrary.documents(for: role)
        let at = day(completed)
        let session = CompletedSession(
            id: UUID().uuidString.lowercased(), role: role, name: name, answers: [],
            readings: documents.map { .init(document: $0, sectionsSeenAt: $0.sections.map { _ in at }) },
            acknowledgements: documents.flatMap { d in d.clauses.map { .init(documentID: d.id, clause: $0, acknowledgedAt: at) } },
            consent: CompletedSession.consentStatement, typedSignature: name, startedAt: at.addingTimeInterval(-120), completedAt: at)
        let file = RecordFile(session: session, seq: seq, terminal: "reception-1", school: "S", prev: String(repeating: "0", count: 64))
        return CheckedRecord(terminal: "reception-1", seq: seq, path: "", sha256: String(repeating: "a", count: 64), intact: true, record: file)
    }

    func report(_ roster: String, _ records: [CheckedRecord], now: String, dueWithin: Int? = nil) throws -> [String: SigningReport.Entry] {
        let (parsed, problems) = Roster.parse("name,role\n" + roster, path: "roster.csv", roles: config.roles)
        #expect(problems.isEmpty)
        var report = SigningReport(roster: try #require(parsed), roles: config.roles, library: shippedLibrary, now: day(now), dueWithinDays: dueWithin)
        for record in records { report.add(record) }
        return Dictionary(uniqueKeysWithValues: report.entries.map { ($0.person.name, $0) })
    }

    @Test("a visitor's 5 clauses make a visitor current; the same 5 leave a member of staff 15 short")
    func partsByRole() throws {
        let entries = try report("Val Visitor,visitor\nSam Staff,staff\n", [
            record("Val Visitor", as: "visitor", at: "2026-11-20T10:00:00Z", seq: 1),
            record("Sam Staff", as: "visitor", at: "2026-11-20T11:00:00Z", seq: 2),
        ], now: "2026-11-25T12:00:00Z")
        let val = try #require(entries["Val Visitor"])
        #expect(val.overall == .current)
        #expect(val.renewal == .until(day("2026-11-20T10:00:00Z").addingTimeInterval(365 * 86_400)))
        let sam = try #require(entries["Sam Staff"])
        guard case .olderOnly(_, let changed) = sam.overall else {
            Issue.record("a member of staff who agreed to a visitor's clauses only is not current: \(sam.overall)")
            return
        }
        #expect(changed.count == 15)
        #expect(sam.renewal == nil)
    }

    @Test("staff renew each 1 September: until, due within the days asked about, expired since")
    func renewOn() throws {
        let records = [record("Sam Staff", as: "staff", at: "2026-08-20T10:00:00Z", seq: 1)]
        let before = try #require(try report("Sam Staff,staff\n", records, now: "2026-08-25T12:00:00Z")["Sam Staff"])
        #expect(before.renewal == .until(day("2026-09-01T00:00:00Z")))
        #expect(before.isInDate)
        let due = try #require(try report("Sam Staff,staff\n", records, now: "2026-08-25T12:00:00Z", dueWithin: 30)["Sam Staff"])
        #expect(due.renewal == .due(day("2026-09-01T00:00:00Z")))
        #expect(!due.isInDate)
        let after = try #require(try report("Sam Staff,staff\n", records, now: "2026-09-02T08:00:00Z", dueWithin: 30)["Sam Staff"])
        #expect(after.renewal == .expired(since: day("2026-09-01T00:00:00Z")))
        #expect(after.overall == .current, "by its clauses it is the current version; it is out of date")
        #expect(after.agreedAt == "2026-08-20T10:00:00Z")
    }

    @Test("a new agreement renews it; a visitor's agreement since does not renew a member of staff's whole one")
    func latestPerClause() throws {
        let renewed = try report("Sam Staff,staff\n", [
            record("Sam Staff", as: "staff", at: "2026-08-20T10:00:00Z", seq: 1),
            record("Sam Staff", as: "staff", at: "2026-09-05T10:00:00Z", seq: 2),
        ], now: "2026-11-25T12:00:00Z")["Sam Staff"]
        #expect(renewed?.renewal == .until(day("2027-09-01T00:00:00Z")))
        let partly = try report("Sam Staff,staff\n", [
            record("Sam Staff", as: "staff", at: "2026-08-20T10:00:00Z", seq: 1),
            record("Sam Staff", as: "visitor", at: "2026-09-05T10:00:00Z", seq: 2),
        ], now: "2026-11-25T12:00:00Z")["Sam Staff"]
        #expect(partly?.renewal == .expired(since: day("2026-09-01T00:00:00Z")))
        #expect(partly?.agreedAt == "2026-08-20T10:00:00Z")
    }

    @Test("a visitor's agreement lasts 365 days from the moment of signing")
    func visitorDays() throws {
        let records = [record("Val Visitor", as: "visitor", at: "2026-01-10T10:00:00Z", seq: 1)]
        let entry = try report("Val Visitor,visitor\n", records, now: "2027-01-10T10:00:01Z")["Val Visitor"]
        #expect(entry?.renewal == .expired(since: day("2027-01-10T10:00:00Z")))
        let earlier = try report("Val Visitor,visitor\n", records, now: "2027-01-01T10:00:00Z", dueWithin: 7)["Val Visitor"]
        #expect(earlier?.renewal == .until(day("2027-01-10T10:00:00Z")), "more than 7 days away")
    }

    @Test("a governor agrees to 16 clauses and reads the social media policy whole")
    func governor() throws {
        let entries = try report("Gill Governor,Governor\n", [record("Gill Governor", as: "governor", at: "2026-10-01T10:00:00Z", seq: 1)],
                                 now: "2026-11-25T12:00:00Z")
        let gill = try #require(entries["Gill Governor"])
        #expect(gill.overall == .current)
        #expect(gill.documents.map(\.id) == ["social-media-policy", "ict-code-of-conduct"])
        #expect(gill.renewal == .until(day("2027-09-01T00:00:00Z")))
        #expect(record("Gill Governor", as: "governor", at: "2026-10-01T10:00:00Z", seq: 1).record?.session?.clauses.count == 16)
    }
}
