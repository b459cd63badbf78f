import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing

/// `kiosk report` on record books built by the real store.
@Suite("kiosk report")
struct ReportTests {
    /// A kiosk folder with the shipped content and config, and a writer for its books.
    struct Office {
        let scratch = Scratch()
        let config: KioskConfig

        init() throws {
            try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: scratch.path + "/content")
            scratch.write("kiosk.conf", try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8))
            config = try #require(Lint.check(configPath: scratch.path + "/kiosk.conf", checkPIN: false).config)
        }

        /// The content as it is now (tests edit it between sessions).
        var library: ContentLibrary { ContentLibrary.load(directory: scratch.path + "/content").library }

        /// Signs sessions on one terminal: (name, role id), completed at `at`.
        func sign(_ people: [(String, String)], terminal: String, key: TerminalKey, at: Date = Date()) throws {
            let book = try RecordBook.open(records: scratch.path + "/records", terminal: terminal, school: "S", key: key)
            for (name, roleID) in people {
                let role = try #require(config.role(roleID))
                let documents = library.documents(for: role)
                precondition(!documents.isEmpty)
                _ = try book.commit(CompletedSession(
                    id: UUID().uuidString, role: role, name: name, answers: [],
                    readings: documents.map { .init(document: $0, sectionsSeenAt: $0.sections.map { _ in at }) },
                    acknowledgements: documents.flatMap { d in d.clauses.map { .init(documentID: d.id, clause: $0, acknowledgedAt: at) } },
                    consent: CompletedSession.consentStatement, typedSignature: name, startedAt: at, completedAt: at))
            }
            book.close()
        }

        func edit(_ change: (String) -> String) throws {
            let path = scratch.path + "/content/ict-code-of-conduct.md"
            try change(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test("current, older version only with the changed clause, never signed, totals, and a tampered record left out")
    func report() throws {
        let office = try Office()
        let own = TerminalKey.generate()
        try own.save(path: office.scratch.path + "/keys/terminal.key", terminal: "reception-1")
        let other = TerminalKey.generate()
        try office.sign([("Ana María", "staff"), ("ben  LEE", "visitor")], terminal: "reception-1", key: own)
        try office.sign([("Dan Ode", "supply")], terminal: "staffroom", key: other)
        // Version 3 rewords one clause (a governor's, not a visitor's); the others keep their hashes.
        try office.edit {
            $0.replacingOccurrences(of: "version = 2", with: "version = 3")
                .replacingOccurrences(of: "without permission of Lend Lease.", with: "without permission of the school's IT manager.")
        }
        try office.sign([("Eve Stone", "staff")], terminal: "reception-1", key: own)
        // Dan's record is tampered with.
        let dan = RecordLayout(records: office.scratch.path + "/records", terminal: "staffroom").record(seq: 1)
        try String(contentsOfFile: dan, encoding: .utf8).replacingOccurrences(of: "Dan Ode", with: "Dan Odd").write(toFile: dan, atomically: false, encoding: .utf8)
        let roster = office.scratch.write("roster.csv", "name,role,staff_id\r\n\"María, Ana\",staff,S1\r\nAna María,New staff,S2\r\nBen Lee,visitor,\r\nCara Smith,supply,S3\r\nDan Ode,supply,S4\r\nEve Stone,staff,S5\r\n")
        let pub = office.scratch.write("staffroom.pub", other.publicKey.fileText)
        let result = run(kioskBinary, ["report", "--roster", roster, "--config", office.scratch.path + "/kiosk.conf", "--key", "staffroom=" + pub])
        // The report is printed, and the tampered record makes it fail: never taken as clean.
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("staffroom: seq 1 (000000/00000001.json): modified"))
        let text = result.output
        #expect(text.contains("Report: 6 people on the roster, 4 records from 2 terminals."))
        #expect(text.contains("ICT and Social Interaction Code of Conduct, version 3 (20 clauses; Visitor 5, Governor 16)"))
        // Ben agreed to a visitor's part, which the reworded clause is not in: he is current.
        #expect(text.contains("Signed the current version of every document (2)\n  Ben Lee, Visitor, last signed 20"), "\(text)")
        #expect(text.contains("\n  Eve Stone [S5], New staff, last signed 20"))
        // Each person's latest record, by its reference, for the office to find it.
        #expect(text.range(of: #"Eve Stone \[S5\], New staff, last signed \d{4}-\d\d-\d\d \(reception-1 3 · [0-9A-F]{4}-[0-9A-F]{4}\)"#, options: .regularExpression) != nil)
        #expect(text.contains("Signed an older version only: to sign again (1)"))
        #expect(text.contains("  Ana María [S2], New staff, last signed "))
        #expect(text.contains(")\n      Social Media Policy: current\n      ICT Code of Conduct: signed version 2; 1 clause new or changed since:\n        - I will not install any hardware or software without permission of the school's IT manager."))
        #expect(text.contains("Never signed (3)"))
        #expect(text.contains("  María, Ana [S1], New staff"))
        #expect(text.contains("  Dan Ode [S4], Supply teacher"), "an untrusted record does not count as signed")
        #expect(text.contains("  New staff: 1 of 3 current, 0 expired, 1 older version only, 1 never signed"))
        #expect(text.contains("  Visitor: 1 of 1 current, 0 expired, 0 older version only, 0 never signed"))
        #expect(text.contains("Records that could not be trusted, left out of the above (1); run kiosk verify:\n  staffroom seq 1"))

        let csv = run(kioskBinary, ["report", "--roster", roster, "--format", "csv", "--config", office.scratch.path + "/kiosk.conf", "--key", "staffroom=" + pub])
        #expect(csv.output.contains("\"Eve Stone\",\"New staff\",\"S5\",\"current\""))
        let json = run("/bin/sh", ["-c", "'\(kioskBinary)' report --roster '\(roster)' --format json --config '\(office.scratch.path)/kiosk.conf' --key 'staffroom=\(pub)' 2>/dev/null"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((parsed["people"] as? [Any])?.count == 6)
        #expect((parsed["untrusted_records"] as? [Any])?.count == 1)
    }

    @Test("a whitespace-only edit is not a change: everyone stays current")
    func whitespaceOnly() throws {
        let office = try Office()
        let own = TerminalKey.generate()
        try own.save(path: office.scratch.path + "/keys/terminal.key", terminal: "reception-1")
        try office.sign([("Ana María", "governor")], terminal: "reception-1", key: own)
        try office.edit {
            $0.replacingOccurrences(of: "version = 2", with: "version = 3")
                .replacingOccurrences(of: "I will respect copyright and intellectual property rights. {governor}", with: "I will respect copyright\n  and   intellectual property rights. {governor}")
        }
        let roster = office.scratch.write("roster.csv", "name,role\nAna María,governor\n")
        let result = run(kioskBinary, ["report", "--roster", roster, "--config", office.scratch.path + "/kiosk.conf"])
        #expect(result.output.contains("Signed the current version of every document (1)\n  Ana María, Governor"), "\(result.output)")
    }

    @Test("agreements that last: expired since the renewal day, due within --due-within days, current until; --needs-action as CSV for a mail merge")
    func renewals() throws {
        let office = try Office()
        let own = TerminalKey.generate()
        try own.save(path: office.scratch.path + "/keys/terminal.key", terminal: "reception-1")
        let now = Date()
        func ago(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }
        func monthDay(_ date: Date) -> String { String(Timestamp.format(date).dropFirst(5).prefix(5)) }
        func day(_ date: Date) -> String { String(Timestamp.format(date).prefix(10)) }
        // Renewal days around today, so the test means the same whenever it runs.
        var staffRenewal = ago(10)
        if monthDay(staffRenewal) == "02-29" { staffRenewal = ago(11) }
        var supplyRenewal = ago(-20)
        if monthDay(supplyRenewal) == "02-29" { supplyRenewal = ago(-21) }
        let conf = office.scratch.path + "/kiosk.conf"
        var text = try String(contentsOfFile: conf, encoding: .utf8)
        text = text.replacingOccurrences(of: "questions = []\n# Every clause. Staff sign again each school year, after Keeping Children\n# Safe in Education changes on 1 September.\nrenew_on = \"09-01\"",
                                         with: "questions = []\nrenew_on = \"\(monthDay(staffRenewal))\"")
        text = text.replacingOccurrences(of: "# Every clause, like staff, renewed each 1 September.\nrenew_on = \"09-01\"", with: "renew_on = \"\(monthDay(supplyRenewal))\"")
        try text.write(toFile: conf, atomically: true, encoding: .utf8)
        #expect(text.contains("renew_on = \"\(monthDay(staffRenewal))\"") && text.contains("renew_on = \"\(monthDay(supplyRenewal))\""))
        // Signed before the staff renewal day: expired since it. Supply: ends in 20 days. Visitor: a year from yesterday.
        try office.sign([("Eve Stone", "staff")], terminal: "reception-1", key: own, at: ago(20))
        try office.sign([("Sue Supply", "supply")], terminal: "reception-1", key: own, at: ago(5))
        try office.sign([("Val Visitor", "visitor")], terminal: "reception-1", key: own, at: ago(1))
        let roster = office.scratch.write("roster.csv", "name,role,staff_id\nEve Stone,staff,S1\nSue Supply,supply,S2\nVal Visitor,visitor,\nNed Never,staff,S3\n")
        let start = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: supplyRenewal)
        let supplyEnds = day(Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "UTC")!, year: start.year, month: start.month, day: start.day))!)

        let result = run(kioskBinary, ["report", "--roster", roster, "--config", conf, "--due-within", "30"])
        #expect(result.status == 0, "\(result.output)")
        let out = result.output
        #expect(out.contains("Signed the current version of every document (1)\n  Val Visitor, Visitor, last signed \(day(ago(1)))"), "\(out)")
        #expect(out.contains(", current until \(day(ago(1 - 365)))"))
        #expect(out.contains("Current, but ending within 30 days: to sign again soon (1)\n  Sue Supply [S2], Supply teacher, last signed \(day(ago(5)))"))
        #expect(out.contains(", ends \(supplyEnds)"))
        #expect(out.contains("Expired: signed the current version, but longer ago than the role allows; to sign again (1)\n  Eve Stone [S1], New staff, last signed \(day(ago(20)))"))
        #expect(out.contains(", expired \(day(staffRenewal))"))
        #expect(out.contains("Never signed (1)\n  Ned Never [S3], New staff"))
        #expect(out.contains("  New staff: 0 of 2 current, 0 ending within 30 days, 1 expired, 0 older version only, 1 never signed"))
        #expect(out.contains("  Supply teacher: 0 of 1 current, 1 ending within 30 days, 0 expired, 0 older version only, 0 never signed"))

        // Without --due-within, Sue is current until the day.
        let plain = run(kioskBinary, ["report", "--roster", roster, "--config", conf])
        #expect(plain.output.contains("  Sue Supply [S2], Supply teacher, last signed \(day(ago(5))) (reception-1 2 · "), "\(plain.output)")
        #expect(plain.output.contains(", current until \(supplyEnds)"))
        #expect(!plain.output.contains("ending within"))

        // For a mail merge: only the people who must sign, with the day their agreement ends.
        let csv = run("/bin/sh", ["-c", "'\(kioskBinary)' report --roster '\(roster)' --config '\(conf)' --due-within 30 --needs-action --format csv 2>&1"])
        #expect(csv.status == 0, "\(csv.output)")
        let rows = csv.output.split(separator: "\r\n").map(String.init)
        #expect(rows.count == 4, "\(rows)")
        #expect(rows.first?.hasSuffix("\"name\",\"role\",\"staff_id\",\"status\",\"documents\",\"last_signed\",\"reference\",\"valid_until\"") == true)
        #expect(rows.contains { $0.hasPrefix("\"Eve Stone\",\"New staff\",\"S1\",\"expired\",") && $0.hasSuffix(",\"\(day(staffRenewal))\"") })
        #expect(rows.contains { $0.hasPrefix("\"Sue Supply\",\"Supply teacher\",\"S2\",\"due\",") && $0.hasSuffix(",\"\(supplyEnds)\"") })
        #expect(rows.contains { $0.hasPrefix("\"Ned Never\",\"New staff\",\"S3\",\"never signed\",") && $0.hasSuffix(",\"\"") })
        #expect(!csv.output.contains("Val Visitor"))

        let bad = run(kioskBinary, ["report", "--roster", roster, "--config", conf, "--due-within", "0"])
        #expect(bad.status != 0)
        #expect(bad.output.contains("--due-within must be a number of days from 1 to 3660"))
    }

    @Test("a book written before the tags (version 1, a visitor agreeing to all 20): lint and verify are clean on version 2, and its people stay current")
    func upgradeFromUntagged() throws {
        let office = try Office()
        let own = TerminalKey.generate()
        try own.save(path: office.scratch.path + "/keys/terminal.key", terminal: "reception-1")
        let shipped = try String(contentsOfFile: office.scratch.path + "/content/ict-code-of-conduct.md", encoding: .utf8)
        // Version 1 as it shipped: the same clauses, no tags; every role agreed to every clause.
        let untagged = shipped.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("- [ ] ") ? String(line).replacingOccurrences(of: #" \{[a-z ]+\}$"#, with: "", options: .regularExpression) : String(line)
        }.joined(separator: "\n").replacingOccurrences(of: "version = 2", with: "version = 1")
        try office.edit { _ in untagged }
        let oldVisitor = Role(id: "visitor", label: "Visitor", documents: ["ict-code-of-conduct"], questions: [], nextSteps: nil)
        let book = try RecordBook.open(records: office.scratch.path + "/records", terminal: "reception-1", school: "S", key: own)
        for (name, role) in [("Val Visitor", oldVisitor), ("Sam Staff", try #require(office.config.role("staff")))] {
            let documents = office.library.documents(for: Role(id: role.id, label: role.label, documents: role.documents, questions: [], nextSteps: nil))
            #expect(documents.last?.clauses.count == 20)
            _ = try book.commit(CompletedSession(
                id: UUID().uuidString, role: role, name: name, answers: [],
                readings: documents.map { .init(document: $0, sectionsSeenAt: $0.sections.map { _ in Date() }) },
                acknowledgements: documents.flatMap { d in d.clauses.map { .init(documentID: d.id, clause: $0, acknowledgedAt: Date()) } },
                consent: CompletedSession.consentStatement, typedSignature: name, startedAt: Date(), completedAt: Date()))
        }
        book.close()
        try office.edit { _ in shipped }
        let conf = office.scratch.path + "/kiosk.conf"
        let lint = run(kioskBinary, ["lint", "--config", conf])
        #expect(lint.status == 0, "\(lint.output)")
        let verify = run(kioskBinary, ["verify", "--config", conf])
        #expect(verify.status == 0 && verify.output.contains("2 records, 2 intact, no problems"), "\(verify.output)")
        let roster = office.scratch.write("roster.csv", "name,role\nVal Visitor,visitor\nSam Staff,staff\n")
        let report = run(kioskBinary, ["report", "--roster", roster, "--config", conf])
        #expect(report.status == 0, "\(report.output)")
        #expect(report.output.contains("Signed the current version of every document (2)\n  Val Visitor, Visitor, last signed"), "\(report.output)")
        #expect(report.output.contains("\n  Sam Staff, New staff, last signed"))
    }

    @Test("a bad roster is refused with its line: missing column, unknown role, wrong cell count, unclosed quote")
    func badRoster() throws {
        let office = try Office()
        for (text, message) in [
            ("name,staff_id\nAna,1\n", "roster.csv:1:1: error: the roster has no role column"),
            ("name,role\nAna,staff\nBen,cook\n", "roster.csv:3:1: error: unknown role \"cook\" (this row is left out of the report); kiosk.conf has: staff (New staff), visitor (Visitor), supply (Supply teacher), governor (Governor)"),
            ("name,role\nAna,staff,extra\n", "roster.csv:2:1: error: this row has 3 cells where the header has 2"),
            ("name,role\n\"Ana,staff\n", "roster.csv:2:1: error: a quoted cell is never closed with \""),
        ] {
            office.scratch.write("roster.csv", text)
            let result = run("/bin/sh", ["-c", "cd '\(office.scratch.path)' && '\(kioskBinary)' report --roster roster.csv"])
            #expect(result.status == 1)
            #expect(result.output.contains(message), "\(result.output)")
        }
    }

    @Test("names match without accents; people who signed but are on no roster line are listed; a row with an unknown role is left out, not the roster")
    func matching() throws {
        let office = try Office()
        let own = TerminalKey.generate()
        try own.save(path: office.scratch.path + "/keys/terminal.key", terminal: "reception-1")
        try office.sign([("Siobhán Ó Briain", "visitor"), ("Walk-in Visitor", "visitor")], terminal: "reception-1", key: own)
        let roster = office.scratch.write("roster.csv", "name,role\nSiobhan O Briain,visitor\nBen Lee,cook\nCara Smith,staff\n")
        let result = run(kioskBinary, ["report", "--roster", roster, "--config", office.scratch.path + "/kiosk.conf"])
        #expect(result.output.contains("Signed the current version of every document (1)\n  Siobhan O Briain, Visitor, last signed"), "\(result.output)")
        #expect(result.output.contains("Signed, but on no line of the roster (1)"))
        #expect(result.output.contains("  Walk-in Visitor, Visitor, last signed"))
        #expect(result.output.contains("roster.csv:3:1: error: unknown role \"cook\" (this row is left out of the report)"))
        #expect(result.output.contains("Never signed (1)\n  Cara Smith, New staff"), "the rest of the roster is reported")
        #expect(result.status == 1, "a roster row left out fails the report")
        // The export has a column for each question the roles ask, and how long each session took.
        let export = run(kioskBinary, ["export", "--config", office.scratch.path + "/kiosk.conf"])
        let header = try #require(export.output.split(separator: "\r\n").first)
        for column in ["Organisation", "Visiting whom", "Agency", "duration_seconds", "section_times"] {
            #expect(header.contains("\"\(column)\""), "\(column) missing from \(header)")
        }
        let list = run(kioskBinary, ["records", "--config", office.scratch.path + "/kiosk.conf"])
        #expect(list.output.contains("took"), "\(list.output)")
    }
}
