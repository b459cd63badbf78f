import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing
@testable import kiosk

/// What the kiosk refuses to start on, before its first screen: each says
/// what is wrong and what to do, and writes nothing.
@Suite("Start-up refusals")
struct StartUpTests {
    /// The shipped kiosk.conf and content in a scratch folder, with a record book of one record.
    struct Terminal {
        let scratch = Scratch()
        var conf: String { scratch.path + "/kiosk.conf" }
        var records: String { scratch.path + "/records" }

        init() throws {
            try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: scratch.path + "/content")
            scratch.write("kiosk.conf", try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8))
            let keygen = run(kioskBinary, ["keygen", "--config", conf])
            precondition(keygen.status == 0, keygen.output)
            let key = try TerminalKey.load(path: scratch.path + "/keys/terminal.key")
            let library = ContentLibrary.load(directory: scratch.path + "/content").library
            let document = library.document("ict-code-of-conduct")!
            let book = try RecordBook.open(records: records, terminal: "reception-1", school: "S", key: key,
                                           state: BookState.path(forKey: scratch.path + "/keys/terminal.key"))
            let role = Role(id: "visitor", label: "Visitor", documents: [document.id], questions: [], nextSteps: nil)
            _ = try book.commit(CompletedSession(
                id: "one", role: role, name: "Ana", answers: [], readings: [.init(document: document, sectionsSeenAt: document.sections.map { _ in Date() })],
                acknowledgements: document.clauses.map { .init(documentID: document.id, clause: $0, acknowledgedAt: Date()) },
                consent: CompletedSession.consentStatement, typedSignature: "Ana", startedAt: Date(), completedAt: Date()))
            book.close()
        }

        func start() -> (status: Int32, output: String) {
            // No terminal: a refusal comes before ncurses starts, a start would fail after.
            run(kioskBinary, ["--config", conf])
        }

        /// The ICT code reworded, its version left as it was.
        func rewordWithoutNewVersion() throws {
            let path = scratch.path + "/content/ict-code-of-conduct.md"
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "without permission of Lend Lease.", with: "without permission.")
                .write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test("a document reworded without raising its version is refused, naming the version to raise to")
    func rewordedSameVersion() throws {
        let t = try Terminal()
        try t.rewordWithoutNewVersion()
        let result = t.start()
        #expect(result.status == 1)
        #expect(result.output.contains("ict-code-of-conduct.md:"), "\(result.output)")
        #expect(result.output.contains("raise `version` to 3"), "\(result.output)")
    }

    @Test("`kiosk` alone (run without the argument parser) reads ./kiosk.conf and refuses as `kiosk run` does")
    func aloneAsRun() throws {
        let t = try Terminal()
        try t.rewordWithoutNewVersion()
        let alone = run("/bin/sh", ["-c", "cd '\(t.scratch.path)' && exec '\(kioskBinary)'"])
        let parsed = run("/bin/sh", ["-c", "cd '\(t.scratch.path)' && exec '\(kioskBinary)' run"])
        #expect(alone.status == 1 && parsed.status == 1)
        #expect(alone.output == parsed.output, "\(alone.output)")
        #expect(alone.output.contains("raise `version` to 3"), "\(alone.output)")
        // The defaults `kiosk` alone starts with are the parser's.
        let defaults = try RunCommand.parse([])
        #expect(defaults.options.config == ConfigOptions.defaultPath && !defaults.clockIsRight)
    }

    @Test("a records folder missing after records were written is refused with what to do; nothing is made")
    func missingBook() throws {
        let t = try Terminal()
        try FileManager.default.removeItem(atPath: t.records)
        let result = t.start()
        #expect(result.status == 1)
        #expect(result.output.contains("is missing, but this kiosk has written 1 records to it"), "\(result.output)")
        #expect(result.output.contains("kiosk resume-book"))
        #expect(!FileManager.default.fileExists(atPath: t.records))
        // resume-book will not make the records folder itself (its disk may be unmounted) ...
        let unmounted = run(kioskBinary, ["resume-book", "--config", t.conf, "--reason", "disk replaced"])
        #expect(unmounted.status == 1)
        #expect(unmounted.output.contains("check that the records folder exists and is mounted"), "\(unmounted.output)")
        // ... and on the new disk's records folder starts the book again after record 1.
        mkdir(t.records, 0o755)
        let resumed = run(kioskBinary, ["resume-book", "--config", t.conf, "--reason", "disk replaced"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("goes on from record 2"))
        let second = run(kioskBinary, ["resume-book", "--config", t.conf, "--reason", "again"])
        #expect(second.status == 1)
        #expect(second.output.contains("the folder is there"))
    }

    @Test("keygen --force on a terminal with records is refused and changes nothing, even with the note beside the key deleted")
    func keygenForce() throws {
        let t = try Terminal()
        let keyPath = t.scratch.path + "/keys/terminal.key"
        let before = try Data(contentsOf: URL(fileURLWithPath: keyPath))
        unlink(BookState.path(forKey: keyPath))
        let result = run(kioskBinary, ["keygen", "--force", "--config", t.conf])
        #expect(result.status == 1)
        #expect(result.output.contains("has records signed with its current key"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyPath)) == before)
    }
}
