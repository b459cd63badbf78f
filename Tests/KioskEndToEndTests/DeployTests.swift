import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing

/// What of the deployment can be checked here: the unit file and the scripts.
@Suite("Deployment files")
struct DeployTests {
    @Test("the systemd unit is valid for an instance on tty1 (systemd-analyze verify)")
    func unit() throws {
        let analyze = try #require(which("systemd-analyze"), "systemd-analyze is not installed")
        let scratch = Scratch()
        let unit = try String(contentsOfFile: repositoryRoot + "/deploy/conduct-kiosk@.service", encoding: .utf8)
        #expect(unit.contains("Restart=on-failure"), "the admin PIN's exit 0 must not restart the kiosk")
        #expect(unit.contains("Conflicts=getty@%i.service"))
        // The binary it names must exist for verify: point it at the built one.
        let path = scratch.write("conduct-kiosk@tty1.service", unit.replacingOccurrences(of: "/usr/local/bin/kiosk", with: kioskBinary))
        let result = run(analyze, ["verify", path])
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("conduct-kiosk"), "\(result.output)")
    }

    @Test("the install and copy scripts are valid shell")
    func scripts() {
        for script in ["install.sh", "copy-records.sh"] {
            let result = run("/bin/bash", ["-n", repositoryRoot + "/deploy/" + script])
            #expect(result.status == 0, "\(script): \(result.output)")
        }
    }

    @Test("copy-records.sh takes each terminal's folder from its own host only: a kiosk's planted keys, witness log or other terminal's records never reach the office")
    func copyRecords() throws {
        let real = try #require(which("rsync"), "rsync is not installed")
        let scratch = Scratch()
        // Two kiosks, each with its records under hosts/<host>/srv/kiosk/records.
        var keys: [String: TerminalKey] = [:]
        func visitorSession() -> CompletedSession {
            let library = ContentLibrary.load(directory: repositoryRoot + "/content").library
            let document = library.document("ict-code-of-conduct")!
            return CompletedSession(
                id: "third", role: Role(id: "visitor", label: "Visitor", documents: [document.id], questions: [], nextSteps: nil),
                name: "Third", answers: [], readings: [.init(document: document, sectionsSeenAt: document.sections.map { _ in Date() })],
                acknowledgements: document.clauses.map { .init(documentID: document.id, clause: $0, acknowledgedAt: Date()) },
                consent: CompletedSession.consentStatement, typedSignature: "Third", startedAt: Date(), completedAt: Date())
        }
        for (host, terminal) in [("reception", "reception-1"), ("staffroom", "staffroom-1")] {
            keys[terminal] = try CommandTests.book(["\(terminal) A", "\(terminal) B"], at: scratch.path + "/hosts/\(host)/srv/kiosk/records", terminal: terminal)
        }
        // The reception kiosk is tampered with: it offers a key, a witness log and staffroom's record 3.
        scratch.write("hosts/reception/srv/kiosk/records/keys/evil-1.pub", TerminalKey.generate().publicKey.fileText)
        scratch.write("hosts/reception/srv/kiosk/records/witness.log", "")
        scratch.write("hosts/reception/srv/kiosk/records/staffroom-1/000000/00000003.json", "{}")
        // rsync as the script calls it, with HOST:/path read from hosts/HOST/path.
        scratch.writeProgram("bin/rsync", """
            #!/bin/sh
            for a in "$@"; do
              case "$a" in *:/*) h=${a%%:*}; set -- "$@" "\(scratch.path)/hosts/$h${a#*:}" ;; *) set -- "$@" "$a" ;; esac
              shift
            done
            exec \(real) "$@"
            """)
        for (terminal, key) in keys { scratch.write("office/keys/\(terminal).pub", key.publicKey.fileText) }
        let path = scratch.path + "/bin:" + (kioskBinary as NSString).deletingLastPathComponent + ":/usr/bin:/bin"
        func copy() -> (status: Int32, output: String) {
            run("/usr/bin/env", ["PATH=" + path, "bash", repositoryRoot + "/deploy/copy-records.sh", scratch.path + "/office",
                                 "reception-1=reception", "staffroom-1=staffroom"])
        }
        let first = copy()
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("verify: 2 terminals, 4 records, 4 intact, no problems"))
        #expect(first.output.contains("witness: 2 new heads"))
        let office = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path + "/office/records")) ?? []
        #expect(office.sorted() == ["reception-1", "staffroom-1"], "nothing but the two terminals' folders: \(office)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/office/keys/evil-1.pub"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/office/records/staffroom-1/000000/00000003.json"))
        // A crash on the kiosk left a signature without its record; a FIFO and a link are planted.
        let host = scratch.path + "/hosts/reception/srv/kiosk/records/reception-1/000000/"
        try FileManager.default.copyItem(atPath: host + "00000002.json.minisig", toPath: host + "00000003.json.minisig")
        mkfifo(host + "pipe", 0o644)
        symlink("/etc/passwd", host + "link")
        let second = copy()
        #expect(second.status == 0, "\(second.output)")
        let copied = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path + "/office/records/reception-1/000000")) ?? []
        #expect(!copied.contains("00000003.json.minisig"), "a signature without its record is not collected")
        #expect(!copied.contains("pipe") && !copied.contains("link"), "\(copied)")
        // The kiosk then saves a real record 3: it and its own signature arrive, and the book verifies.
        unlink(host + "00000003.json.minisig")
        unlink(host + "pipe")
        unlink(host + "link")
        let key = try #require(keys["reception-1"])
        let book = try RecordBook.open(records: scratch.path + "/hosts/reception/srv/kiosk/records", terminal: "reception-1", school: "S", key: key)
        _ = try book.commit(visitorSession())
        book.close()
        let third = copy()
        #expect(third.status == 0, "\(third.output)")
        #expect(third.output.contains("verify: 2 terminals, 5 records, 5 intact, no problems"))
        // A host that does not answer: the others are still copied and checked, and the run says so.
        let down = run("/usr/bin/env", ["PATH=" + path, "bash", repositoryRoot + "/deploy/copy-records.sh", scratch.path + "/office",
                                        "reception-1=reception", "staffroom-1=nohost"])
        #expect(down.status == 1)
        #expect(down.output.contains("could not copy staffroom-1 from nohost"))
        #expect(down.output.contains("verify: 2 terminals"))
        // A bad pair is refused before anything is copied.
        let bad = run("/usr/bin/env", ["PATH=" + path, "bash", repositoryRoot + "/deploy/copy-records.sh", scratch.path + "/office", "../x=reception"])
        #expect(bad.status == 2)
        #expect(bad.output.contains("is not TERMINAL=HOST"))
    }

    @Test("the manual pages and shell completion that install.sh makes come from the commands' own help")
    func manualAndCompletion() throws {
        // generate-manual reads this dump of every command's help.
        let dump = run(kioskBinary, ["--experimental-dump-help"])
        #expect(dump.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any])
        let commands = ((json["command"] as? [String: Any])?["subcommands"] as? [[String: Any]])?.compactMap { $0["commandName"] as? String } ?? []
        for name in ["run", "lint", "keygen", "verify", "records", "report", "export", "set-pin", "resume-book"] {
            #expect(commands.contains(name), "\(name) missing from the help dump")
        }
        for shell in ["bash", "zsh", "fish"] {
            let script = run(kioskBinary, ["--generate-completion-script", shell])
            #expect(script.status == 0 && script.output.contains("resume-book"), "\(shell)")
        }
        let install = try String(contentsOfFile: repositoryRoot + "/deploy/install.sh", encoding: .utf8)
        #expect(install.contains("generate-manual") && install.contains("--generate-completion-script bash"))
    }
}
