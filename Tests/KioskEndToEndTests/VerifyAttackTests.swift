import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing

/// The reproductions of the attacks on `kiosk verify`, as the office runs it.
@Suite("kiosk verify under attack")
struct VerifyAttackTests {
    /// Two terminals' books collected in one folder, and the office's keys.
    struct Office {
        let scratch = Scratch()
        var keys: [String] = []
        var collected: String { scratch.path + "/collected" }

        init() throws {
            for terminal in ["reception-1", "staffroom-1"] {
                let key = try CommandTests.book(["Person 0", "Person 1", "Person 2"], at: scratch.path + "/collected", terminal: terminal)
                keys += ["--key", "\(terminal)=" + scratch.write("\(terminal).pub", key.publicKey.fileText)]
            }
        }

        func verify(_ extra: [String] = []) -> (status: Int32, output: String) {
            run(kioskBinary, ["verify", collected, "--config", "/nonexistent"] + keys + extra)
        }

        func modify(_ terminal: String, seq: Int) throws {
            let path = RecordLayout(records: collected, terminal: terminal).record(seq: seq)
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "Person \(seq - 1)", with: "Person X")
                .write(toFile: path, atomically: false, encoding: .utf8)
        }
    }

    @Test("a stray file at the collection root hides nothing: the tampered record is still found, and the stray is named")
    func strayRoot() throws {
        let office = try Office()
        try office.modify("reception-1", seq: 2)
        office.scratch.write("collected/terminal.pub", "")
        mkdir(office.collected + "/head.json", 0o755)
        let result = office.verify()
        #expect(result.status == 1)
        #expect(result.output.contains("reception-1: seq 2 (000000/00000002.json): modified"))
        #expect(result.output.contains("collected: (terminal.pub): stray"))
        #expect(result.output.contains("collected: (head.json): stray"))
        #expect(result.output.contains("verify: 2 terminals, 6 records, 5 intact, 3 problems"))
        let records = run(kioskBinary, ["records", office.collected, "--config", "/nonexistent"] + office.keys)
        #expect(records.status == 1)
        #expect(records.output.contains("6 of 6 matching records shown"))
    }

    @Test("a terminal folder stripped of terminal.pub and its head, with a record changed, is still checked")
    func strippedTerminal() throws {
        let office = try Office()
        let layout = RecordLayout(records: office.collected, terminal: "reception-1")
        for file in [layout.publicKey, layout.head, layout.head + ".minisig"] { unlink(file) }
        try office.modify("reception-1", seq: 2)
        let result = office.verify()
        #expect(result.status == 1)
        #expect(result.output.contains("reception-1: seq 2 (000000/00000002.json): modified"))
        #expect(result.output.contains("reception-1: (head.json): missing"))
        #expect(result.output.contains("reception-1: (terminal.pub): missing"))
    }

    @Test("a record that is a link to /dev/zero, a FIFO, or a head that is one: verify answers at once")
    func specialFiles() throws {
        for kind in ["zero", "fifo", "head"] {
            let office = try Office()
            let layout = RecordLayout(records: office.collected, terminal: "reception-1")
            switch kind {
            case "zero": unlink(layout.record(seq: 3)); symlink("/dev/zero", layout.record(seq: 3))
            case "fifo": unlink(layout.record(seq: 3)); mkfifo(layout.record(seq: 3), 0o644)
            default: unlink(layout.head); symlink("/dev/zero", layout.head)
            }
            let result = office.verify()
            #expect(result.status == 1, "\(kind): \(result.output)")
            #expect(result.output.contains(kind == "head" ? "reception-1: (head.json)" : "reception-1: seq 3 (000000/00000003.json): unreadable"), "\(kind): \(result.output)")
        }
    }

    @Test("a copy of a record under another name is stray; the genuine record is not blamed and not listed twice")
    func copiedRecord() throws {
        let office = try Office()
        let layout = RecordLayout(records: office.collected, terminal: "reception-1")
        try FileManager.default.copyItem(atPath: layout.record(seq: 3), toPath: layout.shard(seq: 3) + "/3.json")
        try FileManager.default.copyItem(atPath: layout.record(seq: 3) + ".minisig", toPath: layout.shard(seq: 3) + "/3.json.minisig")
        let result = office.verify()
        #expect(result.status == 1)
        #expect(result.output.contains("reception-1: (000000/3.json): stray"))
        #expect(!result.output.contains("seq 3 (000000/00000003.json)"))
        let records = run(kioskBinary, ["records", office.collected, "--config", "/nonexistent"] + office.keys)
        #expect(records.output.contains("6 of 6 matching records shown"))
        let show = run(kioskBinary, ["records", "show", "3", "--terminal", "reception-1", office.collected, "--config", "/nonexistent"] + office.keys)
        #expect(show.output.contains("Record 3 of terminal reception-1: verified"))
    }

    @Test("a witnessed terminal whose folder and key are both gone is missing")
    func witnessedTerminalGone() throws {
        let office = try Office()
        let log = office.scratch.path + "/witness.log"
        #expect(office.verify(["--witness", log]).status == 0)
        try FileManager.default.removeItem(atPath: office.collected + "/staffroom-1")
        let result = run(kioskBinary, ["verify", office.collected, "--config", "/nonexistent", "--witness", log, "--key", office.keys[1]])
        #expect(result.status == 1)
        #expect(result.output.contains("staffroom-1: (.): missing: terminal staffroom-1 was witnessed at record 3"), "\(result.output)")
    }

    @Test("the witness log remembers each head; a book rewritten with its own key is named on the next run")
    func witness() throws {
        let office = try Office()
        let log = office.scratch.path + "/witness.log"
        let first = office.verify(["--witness", log])
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("witness: 2 new heads in \(log) (2 in all)"))
        #expect(first.output.contains("reception-1: key "))
        // Rewritten by someone holding staffroom-1's key: a new book under the same key.
        let layout = RecordLayout(records: office.collected, terminal: "staffroom-1")
        try FileManager.default.removeItem(atPath: layout.root)
        let keys = office.keys
        let forgedKey = try CommandTests.book(["Someone", "Else", "Entirely"], at: office.collected, terminal: "staffroom-1")
        // The office trusts the rewriter's key as staffroom-1's (it holds the terminal's key).
        var rewritten = keys
        rewritten[3] = "staffroom-1=" + office.scratch.write("staffroom-1.pub", forgedKey.publicKey.fileText)
        let second = run(kioskBinary, ["verify", office.collected, "--config", "/nonexistent", "--witness", log] + rewritten)
        #expect(second.status == 1)
        #expect(second.output.contains("staffroom-1: seq 3 (000000/00000003.json): rewritten: record 3 is not the one witnessed on"))
        #expect(second.output.contains("witness: 0 new heads"), "the rewritten book's head is not witnessed")
    }

    @Test("records show agrees with verify about a record whose stored document was changed")
    func showContentModified() throws {
        let office = try Office()
        let content = office.collected + "/reception-1/content"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: content).first)
        try String(contentsOfFile: content + "/" + name, encoding: .utf8).replacingOccurrences(of: "I will", with: "I may")
            .write(toFile: content + "/" + name, atomically: false, encoding: .utf8)
        #expect(office.verify().output.contains("content modified"))
        let show = run(kioskBinary, ["records", "show", "1", "--terminal", "reception-1", office.collected, "--config", "/nonexistent"] + office.keys)
        #expect(show.status == 1)
        #expect(show.output.contains("NOT VERIFIED: content modified"), "\(show.output)")
        // Record 3 names the same document: it is not verified either.
        let third = run(kioskBinary, ["records", "show", "3", "--terminal", "reception-1", office.collected, "--config", "/nonexistent"] + office.keys)
        #expect(third.status == 1)
        #expect(third.output.contains("NOT VERIFIED: content modified"), "\(third.output)")
    }

    @Test("a file name holding escape sequences is printed as text, never obeyed")
    func escapeInName() throws {
        let office = try Office()
        office.scratch.write("collected/reception-1/000000/.tmp-\u{1B}[1A\u{1B}[Jverify: no problems", "x")
        office.scratch.write("collected/reception-1/\u{1B}[31mred", "x")
        let result = office.verify()
        #expect(result.status == 1)
        #expect(!result.output.contains("\u{1B}"), "\(result.output)")
    }

    @Test("an office tool whose output cannot be written says so and exits 1, never a crash or a silent success",
          .enabled(if: { var info = stat(); return stat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR }()))
    func fullOutput() throws {
        let office = try Office()
        let keys = office.keys.map { "'\($0)'" }.joined(separator: " ")
        for command in ["verify", "records", "export", "records show 1 --terminal reception-1"] {
            let result = run("/bin/sh", ["-c", "'\(kioskBinary)' \(command) '\(office.collected)' --config /nonexistent \(keys) > /dev/full"])
            #expect(result.status == 1, "\(command): \(result.output)")
            #expect(result.output.contains("cannot write standard output: No space left on device"), "\(command): \(result.output)")
        }
        let file = run(kioskBinary, ["export", office.collected, "--config", "/nonexistent", "-o", "/dev/full"] + office.keys)
        #expect(file.status == 1)
        #expect(file.output.contains("export: cannot write /dev/full") && !file.output.contains("records written"))
    }
}
