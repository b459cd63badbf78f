import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing

/// `kiosk onsite` on record books built by the real store.
@Suite("kiosk onsite")
struct OnsiteTests {
    static let london = TimeZone(identifier: "Europe/London")!

    /// Yesterday at `hour` o'clock in London.
    static func yesterday(_ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = london
        let today = calendar.startOfDay(for: Date())
        return calendar.date(byAdding: .day, value: -1, to: today)!.addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    static func session(_ name: String, role: Role, answers: [String], at time: Date, library: ContentLibrary) -> CompletedSession {
        let documents = library.documents(for: role)
        return CompletedSession(
            id: UUID().uuidString, role: role, name: name,
            answers: zip(role.questions, answers).map { .init(id: $0.id, label: $0.label, value: $1) },
            readings: documents.map { .init(document: $0, sectionsSeenAt: $0.sections.map { _ in time }) },
            acknowledgements: documents.flatMap { d in d.clauses.map { .init(documentID: d.id, clause: $0, acknowledgedAt: time) } },
            consent: CompletedSession.consentStatement, typedSignature: name, startedAt: time.addingTimeInterval(-120), completedAt: time)
    }

    @Test("a past day: who never signed out is listed by role as closed at sign_out_by; CSV too; a tampered book still prints the list and exits 1")
    func pastDay() throws {
        let office = try ReportTests.Office()
        let conf = office.scratch.path + "/kiosk.conf"
        let text = try String(contentsOfFile: conf, encoding: .utf8).replacingOccurrences(of: "[kiosk]\n", with: "[kiosk]\nsign_out_by = \"18:00\"\n")
        try text.write(toFile: conf, atomically: true, encoding: .utf8)
        let key = TerminalKey.generate()
        try key.save(path: office.scratch.path + "/keys/terminal.key", terminal: "reception-1")
        let book = try RecordBook.open(records: office.scratch.path + "/records", terminal: "reception-1", school: "S", key: key)
        let visitor = try #require(office.config.role("visitor")), staff = try #require(office.config.role("staff"))
        let library = office.library
        let ann = try book.commit(Self.session("Ann Lee", role: visitor, answers: ["Acme Ltd", "Mrs Patel"], at: Self.yesterday(9), library: library))
        _ = try book.commit(Self.session("Bob Roe", role: visitor, answers: ["Roe & Co", "Mr Khan"], at: Self.yesterday(9, 30), library: library))
        _ = try book.commit(Self.session("Cat Poe", role: staff, answers: [], at: Self.yesterday(10), library: library))
        _ = try book.signOut(closing: RecordLink(terminal: "reception-1", seq: ann.seq, sha256: ann.sha256), method: "pass-code", at: Self.yesterday(12))
        book.close()
        let day = { () -> String in
            let f = DateFormatter()
            f.timeZone = Self.london
            f.dateFormat = "yyyy-MM-dd"
            return f.string(from: Self.yesterday(12))
        }()
        let result = run("/usr/bin/env", ["TZ=Europe/London", kioskBinary, "onsite", "--config", conf, "--day", day])
        #expect(result.status == 0, "\(result.output)")
        let out = result.output
        #expect(out.contains("Redhill Primary School: on site "), "\(out)")
        #expect(out.contains("(time zone Europe/London)"), "\(out)")
        #expect(out.contains("2 people signed in and not signed out, expected to sign out by 18:00"), "\(out)")
        // Roles in kiosk.conf's order; Ann signed out and is not listed.
        let staffAt = try #require(out.range(of: "New staff (1)")), visitorsAt = try #require(out.range(of: "Visitor (1)"))
        #expect(staffAt.lowerBound < visitorsAt.lowerBound)
        #expect(!out.contains("Ann Lee"))
        #expect(out.range(of: #"\[ \]  09:30  Bob Roe  Organisation: Roe & Co; Visiting whom: Mr Khan  not signed out \(closed at 18:00\)  reception-1 2 · [0-9A-F]{4}-[0-9A-F]{4}"#, options: .regularExpression) != nil, "\(out)")
        #expect(out.contains("10:00  Cat Poe"))

        let all = run("/usr/bin/env", ["TZ=Europe/London", kioskBinary, "onsite", "--config", conf, "--day", day, "--all"])
        #expect(all.output.contains("Ann Lee") && all.output.contains("signed out at 12:00"), "\(all.output)")

        let csv = run("/usr/bin/env", ["TZ=Europe/London", kioskBinary, "onsite", "--config", conf, "--day", day, "--csv"])
        #expect(csv.status == 0)
        #expect(csv.output.contains("\"day\",\"role\",\"signed_in\",\"name\",\"Organisation\",\"Visiting whom\""), "\(csv.output)")
        #expect(csv.output.contains("\"\(day)\",\"Visitor\",\"09:30\",\"Bob Roe\",\"Roe & Co\",\"Mr Khan\""), "\(csv.output)")
        #expect(csv.output.contains("\"not signed out (closed at 18:00)\""))

        // A tampered sign-out: Ann is listed again, and the command fails.
        let out1 = RecordLayout(records: office.scratch.path + "/records", terminal: "reception-1").record(seq: 4)
        try String(contentsOfFile: out1, encoding: .utf8).replacingOccurrences(of: "pass-code", with: "reference").write(toFile: out1, atomically: false, encoding: .utf8)
        let tampered = run("/usr/bin/env", ["TZ=Europe/London", kioskBinary, "onsite", "--config", conf, "--day", day])
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("Ann Lee"), "a sign-out that does not verify takes nobody off the list")
        #expect(tampered.output.contains("reception-1: seq 4 (000000/00000004.json): modified"))
    }

    @Test("the printed list says at its top how many problems there are; a record that cannot be read, an unreadable recovery file, someone there since last night and a session not yet saved are all on it (text and CSV)")
    func failsClosed() throws {
        let office = try ReportTests.Office()
        let conf = office.scratch.path + "/kiosk.conf"
        let key = TerminalKey.generate()
        try key.save(path: office.scratch.path + "/keys/terminal.key", terminal: "reception-1")
        let book = try RecordBook.open(records: office.scratch.path + "/records", terminal: "reception-1", school: "S", key: key)
        let visitor = try #require(office.config.role("visitor"))
        let library = office.library
        _ = try book.commit(Self.session("Night Caretaker", role: visitor, answers: ["Acme Ltd", "Mrs Patel"], at: Self.yesterday(23, 50), library: library))
        _ = try book.commit(Self.session("Ann Lee", role: visitor, answers: ["Acme Ltd", "Mrs Patel"], at: Date().addingTimeInterval(-60), library: library))
        let cut = try book.commit(Self.session("Bob Roe", role: visitor, answers: ["Acme Ltd", "Mrs Patel"], at: Date().addingTimeInterval(-30), library: library))
        book.close()
        // Bob's record cut short (a copy interrupted): it does not read at all.
        truncate(cut.path, 40)
        let folder = office.config.recoveryDirectory
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let waiting = Self.session("Dan Waits", role: visitor, answers: ["Acme Ltd", "Mrs Patel"], at: Date().addingTimeInterval(-20), library: library)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(waiting).write(to: URL(fileURLWithPath: folder + "/2026-01-01T000000Z-a.session.json"))
        try Data("{ half a session".utf8).write(to: URL(fileURLWithPath: folder + "/2026-01-01T000001Z-b.session.json"))

        let result = run("/usr/bin/env", ["TZ=Europe/London", kioskBinary, "onsite", "--config", conf])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        let top = try #require(lines.firstIndex { $0.contains("on site ") })
        #expect(lines[top + 1].hasPrefix("WARNING: 3 problems reading the records: someone may be missing from this list"), "\(result.output)")
        #expect(result.output.contains("3 people signed in and not signed out, and 2 records that cannot be read (a person may be missing)"), "\(result.output)")
        #expect(result.output.contains("record reception-1 3 cannot be read – a person may be missing"), "\(result.output)")
        #expect(result.output.contains("b.session.json cannot be read – a person may be missing"), "\(result.output)")
        #expect(result.output.range(of: #"Night Caretaker .*since [A-Z][a-z]{2} [0-9]+ [A-Z][a-z]{2} 23:50"#, options: .regularExpression) != nil, "\(result.output)")
        #expect(result.output.contains("Dan Waits") && result.output.contains("NOT YET SAVED (waiting in "), "\(result.output)")
        #expect(result.output.contains("Ann Lee"))

        let csv = run("/usr/bin/env", ["TZ=Europe/London", kioskBinary, "onsite", "--config", conf, "--csv"])
        #expect(csv.status == 1)
        // Standard error comes first in the output read here; the warning is the row after the header.
        let rows = csv.output.split(whereSeparator: \.isNewline).map(String.init)
        let header = try #require(rows.firstIndex { $0.contains("\"day\",\"role\"") })
        #expect(rows.count > header + 1 && rows[header + 1].contains("\"PROBLEMS\"") && rows[header + 1].contains("someone may be missing"), "\(csv.output)")
        #expect(csv.output.contains("record reception-1 3 cannot be read – a person may be missing"))
        #expect(csv.output.contains("\"Dan Waits\"") && csv.output.contains("NOT YET SAVED"))
    }

    @Test("a day that is not a date is refused with what to write")
    func badDay() throws {
        let office = try ReportTests.Office()
        let result = run(kioskBinary, ["onsite", "--config", office.scratch.path + "/kiosk.conf", "--day", "2026-02-30"])
        #expect(result.status == 1)
        #expect(result.output.contains("onsite: --day 2026-02-30 is not a date: write it as YYYY-MM-DD"))
    }
}
