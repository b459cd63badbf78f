import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing

/// The office commands as a person runs them at a shell.
@Suite("kiosk commands")
struct CommandTests {
    @Test("kiosk --help lists every command, run is the default")
    func help() {
        let result = run(kioskBinary, ["--help"])
        #expect(result.status == 0)
        for command in ["run (default)", "lint", "keygen", "verify", "set-pin"] {
            #expect(result.output.contains(command), "\(command) missing from --help")
        }
    }

    @Test("kiosk lint passes on the shipped content and fails with file:line:column on a broken one")
    func lint() throws {
        let ok = run(kioskBinary, ["lint", "--config", repositoryRoot + "/kiosk.conf"])
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("lint: ok: 2 documents, 20 clauses, 4 roles (New staff, Visitor, Supply teacher, Governor)"))
        let scratch = Scratch()
        try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: scratch.path + "/content")
        scratch.write("kiosk.conf", try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8)
            .replacingOccurrences(of: "documents = [\"ict-code-of-conduct\"]", with: "documents = [\"ict-code-of-condcut\"]"))
        let bad = run(kioskBinary, ["lint", "--config", scratch.path + "/kiosk.conf"])
        #expect(bad.status == 1)
        // The visitor's documents line of the shipped kiosk.conf, wherever it is.
        let shipped = try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(shipped.firstIndex(of: "documents = [\"ict-code-of-conduct\"]")) + 1
        #expect(bad.output.contains("kiosk.conf:\(line):14: error: role `visitor` reads unknown document `ict-code-of-condcut`"))
        #expect(bad.output.contains("lint: 1 problem found"))
    }

    @Test("kiosk set-pin replaces the PIN's hash and nothing else in kiosk.conf")
    func setPIN() throws {
        let scratch = Scratch()
        let original = try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8)
        scratch.write("kiosk.conf", original)
        let result = run(kioskBinary, ["set-pin", "--config", scratch.path + "/kiosk.conf"], input: "8642\n8642\n")
        #expect(result.status == 0, "\(result.output)")
        let updated = try String(contentsOfFile: scratch.path + "/kiosk.conf", encoding: .utf8)
        let config = try #require(ConfigParser.parse(updated, path: "kiosk.conf").config)
        #expect(AdminPIN.verify("8642", against: try #require(config.adminPinHash)))
        #expect(!AdminPIN.verify(Lint.shippedPIN, against: config.adminPinHash!))
        let changed = zip(original.split(separator: "\n"), updated.split(separator: "\n")).filter { $0 != $1 }
        #expect(changed.count == 1 && changed[0].0.hasPrefix("admin_pin_hash"))
        let mismatch = run(kioskBinary, ["set-pin", "--config", scratch.path + "/kiosk.conf"], input: "5827\n5828\n")
        #expect(mismatch.status == 1)
        #expect(mismatch.output.contains("the two PINs differ; nothing was changed"))
    }

    @Test("kiosk keygen makes a 0600 key and publishes it, and will not replace it silently")
    func keygen() throws {
        let scratch = Scratch()
        scratch.write("kiosk.conf", "[kiosk]\nschool = \"S\"\nterminal = \"t-1\"\n[roles.v]\nlabel = \"V\"\ndocuments = [\"x\"]\n")
        let first = run(kioskBinary, ["keygen", "--config", scratch.path + "/kiosk.conf"])
        #expect(first.status == 0, "\(first.output)")
        var info = stat()
        stat(scratch.path + "/keys/terminal.key", &info)
        #expect(info.st_mode & 0o777 == 0o600)
        let key = try TerminalKey.load(path: scratch.path + "/keys/terminal.key")
        let published = try Minisign.PublicKey(fileText: String(contentsOfFile: scratch.path + "/records/t-1/terminal.pub", encoding: .utf8))
        #expect(published == key.publicKey)
        #expect(first.output.contains(key.publicKey.keyIDText))
        let again = run(kioskBinary, ["keygen", "--config", scratch.path + "/kiosk.conf"])
        #expect(again.status == 1)
        #expect(try TerminalKey.load(path: scratch.path + "/keys/terminal.key").publicKey == key.publicKey)
    }

    @Test("kiosk verify over two terminals' collected folders names a tampered record and exits 1")
    func verifyCollected() throws {
        let scratch = Scratch()
        var keys: [String] = []
        for terminal in ["reception-1", "staffroom"] {
            let key = try Self.book(["Person 0", "Person 1", "Person 2"], at: scratch.path + "/collected", terminal: terminal)
            // The office keeps its own copy of each terminal's public key.
            keys += ["--key", "\(terminal)=" + scratch.write("\(terminal).pub", key.publicKey.fileText)]
        }
        let intact = run(kioskBinary, ["verify", scratch.path + "/collected", "--config", "/nonexistent"] + keys)
        #expect(intact.status == 0, "\(intact.output)")
        #expect(intact.output.contains("verify: 2 terminals, 6 records, 6 intact, no problems"))
        // A key names its terminal: a bare key is refused where two terminals are checked.
        let bare = run(kioskBinary, ["verify", scratch.path + "/collected", "--config", "/nonexistent", "--key", scratch.path + "/staffroom.pub"])
        #expect(bare.status == 1)
        #expect(bare.output.contains("does not say which terminal it is for, and 2 terminals are checked: write it as --key TERMINAL="))
        // Keys swapped between the terminals: every record of both is forged.
        let swapped = run(kioskBinary, ["verify", scratch.path + "/collected", "--config", "/nonexistent",
                                        "--key", "reception-1=" + scratch.path + "/staffroom.pub", "--key", "staffroom=" + scratch.path + "/reception-1.pub"])
        #expect(swapped.status == 1)
        #expect(swapped.output.contains("reception-1: seq 1 (000000/00000001.json): forged: signed by key"))
        #expect(swapped.output.contains("which is terminal staffroom's key, not a key of terminal reception-1"))

        let path = RecordLayout(records: scratch.path + "/collected", terminal: "staffroom").record(seq: 2)
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "Person 1", with: "Person X")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let tampered = run(kioskBinary, ["verify", scratch.path + "/collected", "--config", "/nonexistent"] + keys)
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("staffroom: seq 2 (000000/00000002.json): modified: the record's bytes do not match its signature"))
        #expect(tampered.output.contains("verify: 2 terminals, 6 records, 5 intact, 1 problem (1 modified)"))

        let untrusted = run(kioskBinary, ["verify", scratch.path + "/collected", "--config", "/nonexistent"])
        #expect(untrusted.status == 1)
        #expect(untrusted.output.contains("no trusted keys"))
    }

    /// A record book with one record per name.
    static func book(_ names: [String], at records: String, terminal: String = "reception-1") throws -> TerminalKey {
        let library = ContentLibrary.load(directory: repositoryRoot + "/content").library
        let document = try #require(library.document("ict-code-of-conduct"))
        let key = TerminalKey.generate()
        let book = try RecordBook.open(records: records, terminal: terminal, school: "S", key: key)
        for (i, name) in names.enumerated() {
            _ = try book.commit(CompletedSession(
                id: "\(terminal)-\(i)",
                role: Role(id: "visitor", label: "Visitor", documents: [document.id], questions: [Question(id: "organisation", label: "Organisation")], nextSteps: nil),
                name: name, answers: [.init(id: "organisation", label: "Organisation", value: "Acme, \"Ltd\"")],
                readings: [.init(document: document, sectionsSeenAt: document.sections.map { _ in Date() })],
                acknowledgements: document.clauses.map { .init(documentID: document.id, clause: $0, acknowledgedAt: Date()) },
                consent: CompletedSession.consentStatement, typedSignature: name, startedAt: Date(), completedAt: Date()))
        }
        book.close()
        return key
    }

    @Test("kiosk export --format csv: RFC 4180 that Python's csv module reads back, formulas neutralised, a tampered record marked")
    func exportCSV() throws {
        let python = try #require(which("python3"))
        let scratch = Scratch()
        let names = ["Smith, \"Jo\"", "=HYPERLINK(\"http://x\")", "Line one\nLine two", "李小龍", "محمد علي", "-5+3", "@SUM(A1)", "\tTab", "Zoë Ångström"]
        let key = try Self.book(names, at: scratch.path + "/records")
        let pub = scratch.write("t.pub", key.publicKey.fileText)
        let layout = RecordLayout(records: scratch.path + "/records", terminal: "reception-1")
        let tampered = layout.record(seq: 4)
        try String(contentsOfFile: tampered, encoding: .utf8).replacingOccurrences(of: "Organisation", with: "Organisatiom")
            .write(toFile: tampered, atomically: false, encoding: .utf8)
        let csvPath = scratch.path + "/export.csv"
        let export = run(kioskBinary, ["export", scratch.path + "/records", "--key", pub, "--config", "/nonexistent", "-o", csvPath])
        // Every row is written, and the tampered record makes the export fail: never taken as clean.
        #expect(export.status == 1, "\(export.output)")
        #expect(export.output.contains("reception-1: seq 4 (000000/00000004.json): modified"))
        #expect(export.output.contains("export: the record books have problems"))
        let script = scratch.write("read.py", """
            import csv, json, sys
            with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
                rows = list(csv.reader(f))
            print(json.dumps(rows))
            """)
        let parsed = run(python, [script, csvPath])
        #expect(parsed.status == 0, "\(parsed.output)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(parsed.output.utf8)) as? [[String]])
        #expect(rows.first == RecordSummary.columns)
        #expect(rows.count == 1 + names.count)
        let nameColumn = RecordSummary.columns.firstIndex(of: "name")!
        let statusColumn = RecordSummary.columns.firstIndex(of: "status")!
        // A line break and a tab are control characters: shown as U+FFFD, never raw.
        let expected = ["Smith, \"Jo\"", "'=HYPERLINK(\"http://x\")", "Line one\u{FFFD}Line two", "李小龍", "محمد علي", "'-5+3", "'@SUM(A1)", "'\u{FFFD}Tab", "Zoë Ångström"]
        for (i, row) in rows.dropFirst().enumerated() {
            if i == 3 {
                #expect(row[statusColumn].hasPrefix("NOT VERIFIED"), "the tampered record is marked")
            } else {
                #expect(row[statusColumn] == "verified")
                #expect(row[nameColumn] == expected[i])
                #expect(row[RecordSummary.columns.firstIndex(of: "answers")!] == "Organisation: Acme, \"Ltd\"")
            }
        }
        let raw = try Data(contentsOf: URL(fileURLWithPath: csvPath))
        #expect(raw.starts(with: [0xEF, 0xBB, 0xBF]), "a byte-order mark so spreadsheets read UTF-8")
    }

    @Test("kiosk export --format json: one object per record, names kept exactly")
    func exportJSON() throws {
        let scratch = Scratch()
        let key = try Self.book(["Ana María", "李小龍"], at: scratch.path + "/records")
        let pub = scratch.write("t.pub", key.publicKey.fileText)
        let export = run(kioskBinary, ["export", "--format", "json", scratch.path + "/records", "--key", pub, "--config", "/nonexistent"])
        #expect(export.status == 0)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(export.output.utf8)) as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["Ana María", "李小龍"])
        #expect(rows.map { $0["seq"] as? Int } == [1, 2])
        #expect(rows.allSatisfy { $0["status"] as? String == "verified" })
    }

    @Test("kiosk records lists newest first across terminals, filters, and marks a tampered record; show prints one in full")
    func records() throws {
        let scratch = Scratch()
        let a = try Self.book(["Ana María", "Ben \u{1B}[31mRed", "李小龍"], at: scratch.path + "/records", terminal: "reception-1")
        let b = try Self.book(["Cara Lee"], at: scratch.path + "/records", terminal: "staffroom")
        let keys = ["--key", "reception-1=" + scratch.write("a.pub", a.publicKey.fileText), "--key", "staffroom=" + scratch.write("b.pub", b.publicKey.fileText), "--config", "/nonexistent"]
        let path = RecordLayout(records: scratch.path + "/records", terminal: "reception-1").record(seq: 1)
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "Acme", with: "Acne").write(toFile: path, atomically: false, encoding: .utf8)

        let list = run(kioskBinary, ["records", scratch.path + "/records"] + keys)
        #expect(list.status == 1, "the tampered record fails the listing: \(list.output)")
        let lines = list.output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("reception-1: seq 1") && !$0.hasPrefix("records: the record books have problems") }
        #expect(lines[0].hasPrefix("terminal     seq  completed (UTC)"))
        #expect(lines.count == 6)
        #expect(lines.contains { $0.hasPrefix("reception-1  3") && $0.contains("李小龍") && $0.hasSuffix("verified") })
        #expect(lines.contains { $0.hasPrefix("reception-1  1") && $0.hasSuffix("NOT VERIFIED") })
        #expect(lines.contains { $0.contains("Ben \u{FFFD}[31mRed") }, "an escape sequence in a name is shown, not obeyed")
        #expect(!list.output.contains("\u{1B}"))
        #expect(lines.last == "4 of 4 matching records shown")

        let filtered = run(kioskBinary, ["records", scratch.path + "/records", "--name", "LEE", "--role", "visitor"] + keys)
        #expect(filtered.output.contains("staffroom  1") && filtered.output.contains("Cara Lee"))
        #expect(filtered.output.contains("1 of 1 matching record shown"))
        let none = run(kioskBinary, ["records", scratch.path + "/records", "--since", "2099-01-01"] + keys)
        #expect(none.output.contains("records: no records match"))
        let badDate = run(kioskBinary, ["records", scratch.path + "/records", "--until", "25/11/2026"] + keys)
        #expect(badDate.status == 1)
        #expect(badDate.output.contains("--until 25/11/2026 is not a date: write it as YYYY-MM-DD"))

        let show = run(kioskBinary, ["records", "show", "3", "--terminal", "reception-1", scratch.path + "/records"] + keys)
        #expect(show.status == 0, "\(show.output)")
        #expect(show.output.contains("Record 3 of terminal reception-1: verified (signature good; follows record 2)"))
        #expect(show.output.contains("Name:       李小龍"))
        #expect(show.output.contains("Organisation: Acme, \"Ltd\""))
        #expect(show.output.contains("  20. "))
        #expect(show.output.contains("I agree to follow this Code of Conduct"))
        let tampered = run(kioskBinary, ["records", "show", "1", "--terminal", "reception-1", scratch.path + "/records"] + keys)
        #expect(tampered.status == 1)
        #expect(tampered.output.contains("NOT VERIFIED: modified: the record's bytes do not match its signature"))
        #expect(tampered.output.contains("its text cannot be trusted"), "the text of a record whose signature fails is not shown as if it were the record")
        let unknown = run(kioskBinary, ["records", "show", "9", "--terminal", "staffroom", scratch.path + "/records"] + keys)
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("no record of terminal staffroom has the reference 9"))
        // The reference as the kiosk showed it, or its code alone, finds the record in any terminal.
        let code = try #require(show.output.split(separator: "\n").first { $0.hasPrefix("Reference:") }).split(separator: "·").last!.trimmingCharacters(in: .whitespaces)
        for form in ["3 · \(code)", code, code.lowercased().replacingOccurrences(of: "-", with: "")] {
            let byReference = run(kioskBinary, ["records", "show", form, scratch.path + "/records"] + keys)
            #expect(byReference.output.contains("Record 3 of terminal reception-1: verified"), "\(form): \(byReference.output)")
        }
        let wrongHalf = run(kioskBinary, ["records", "show", "2 · \(code)", scratch.path + "/records"] + keys)
        #expect(wrongHalf.status == 1)
        #expect(wrongHalf.output.contains("record 2 has another code: check both halves"), "\(wrongHalf.output)")
        #expect(run(kioskBinary, ["records", "show", "x7", scratch.path + "/records"] + keys).output.contains("is not a reference"))
        let ambiguous = run(kioskBinary, ["records", "show", "1", scratch.path + "/records"] + keys)
        #expect(ambiguous.status == 1)
        #expect(ambiguous.output.contains("give --terminal, one of: reception-1, staffroom"))
    }
}
