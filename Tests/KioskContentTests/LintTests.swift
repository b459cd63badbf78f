import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

@Suite("Lint: config and content together")
struct LintTests {
    @Test("the shipped content passes: two documents, twenty clauses, the declaration from the source")
    func shipped() throws {
        let result = Lint.check(configPath: repositoryRoot + "/kiosk.conf")
        #expect(result.errors == [])
        let library = try #require(result.library)
        let policy = try #require(library.document("social-media-policy"))
        #expect(policy.sections.map(\.title) == ["Purpose", "Scope", "Policy", "Guidance", "Discipline"])
        #expect(policy.clauses.isEmpty)
        let code = try #require(library.document("ict-code-of-conduct"))
        #expect(code.clauses.count == 20)
        #expect(code.declaration == "I agree to follow this Code of Conduct and to support the safe and secure use of ICT throughout the school.")
        // The source repeats two rules; each is kept once.
        #expect(code.clauses.filter { $0.text.contains("inappropriate text messages") }.count == 1)
        #expect(code.clauses.filter { $0.text.hasPrefix("Permission must be sought") }.count == 1)
        #expect(code.clauses.contains { $0.text.contains("without permission of Lend Lease.") })
        // Emphasis from the source is kept.
        guard case .bullet(let first) = policy.sections[2].blocks[1] else {
            Issue.record("expected the first bullet of section 3")
            return
        }
        #expect(first.spans.first == .init("Never", bold: true))
        #expect(result.diagnostics.map(\.message).contains { $0.contains("still the shipped 1234") })
    }

    func setup(config: String = minimalConfig, documents: [String: String] = ["code.md": minimalDocument]) -> (Scratch, Lint.Result) {
        let scratch = Scratch()
        scratch.write("kiosk.conf", config)
        for (name, text) in documents { scratch.write("content/" + name, text) }
        return (scratch, Lint.check(configPath: scratch.path + "/kiosk.conf"))
    }

    @Test("a role naming an unknown document points at the name in kiosk.conf")
    func unknownDocument() {
        let (scratch, result) = setup(config: minimalConfig.replacingOccurrences(of: "documents = [\"code\"]", with: "documents = [\"code\", \"polcy\"]"))
        #expect(result.errors.map(\.description) == ["\(scratch.path)/kiosk.conf:7:22: error: role `visitor` reads unknown document `polcy`; the content folder has: code"])
    }

    @Test("a document no role reads")
    func unread() {
        let other = minimalDocument.replacingOccurrences(of: "id = \"code\"", with: "id = \"other\"").replacingOccurrences(of: "kind", with: "fair").replacingOccurrences(of: "careful", with: "prompt")
        let (_, result) = setup(documents: ["code.md": minimalDocument, "other.md": other])
        #expect(result.errors.map(\.message) == ["no role reads document `other`: add it to a role's `documents` in kiosk.conf, or remove the file"])
        #expect(result.errors.first?.file.hasSuffix("content/other.md") == true)
    }

    @Test("the same clause in two documents is reported at the second, naming the first")
    func duplicateClause() {
        let other = minimalDocument.replacingOccurrences(of: "id = \"code\"", with: "id = \"other\"").replacingOccurrences(of: "careful", with: "prompt")
        let config = minimalConfig.replacingOccurrences(of: "documents = [\"code\"]", with: "documents = [\"code\", \"other\"]")
        let (scratch, result) = setup(config: config, documents: ["code.md": minimalDocument, "other.md": other])
        #expect(result.errors.map(\.description) == ["\(scratch.path)/content/other.md:10:1: error: duplicate clause: the same text is already at \(scratch.path)/content/code.md:10; keep one"])
    }

    @Test("two documents with one id")
    func duplicateID() {
        let other = minimalDocument.replacingOccurrences(of: "kind", with: "fair").replacingOccurrences(of: "careful", with: "prompt")
        let (_, result) = setup(documents: ["a.md": minimalDocument, "b.md": other])
        #expect(result.errors.map(\.message).contains { $0.hasPrefix("document id `code` is also used by") })
    }

    @Test("a role whose documents have nothing to sign")
    func nothingToSign() {
        let readOnly = "+++\nid = \"code\"\ntitle = \"P\"\nversion = 1\n+++\n## S\n\nJust read this."
        let (_, result) = setup(documents: ["code.md": readOnly])
        #expect(result.errors.map(\.message) == ["role `visitor` reads no document with a declaration, so there is nothing to sign; add one that has `declaration = \"...\"`"])
    }

    @Test("every problem in every file is listed, not just the first")
    func listsAll() {
        let broken = minimalDocument.replacingOccurrences(of: "version = 2", with: "version = \"2\"") + "\n\n## Empty\n"
        // kiosk.conf's error does not stop the content being checked.
        let (_, result) = setup(config: minimalConfig + "\ncolour = 1\n", documents: ["code.md": broken])
        #expect(result.errors.map(\.message) == [
            "unknown setting `colour` in [roles.visitor]; expected one of: audience, documents, label, min_clause_seconds, next_steps, questions, renew_on, valid_for_days",
            "`version` must be a whole number, found string",
            "empty section \"Empty\": add its text or remove the heading",
        ])
        // Three mistakes, three errors: the role still knows the document `code`.
        let (_, result2) = setup(documents: ["code.md": broken, "bad.md": "no front matter"])
        #expect(result2.errors.count == 3)
    }

    @Test("a missing content folder says which setting to fix")
    func noContent() {
        let scratch = Scratch()
        scratch.write("kiosk.conf", minimalConfig)
        let result = Lint.check(configPath: scratch.path + "/kiosk.conf")
        #expect(result.errors.first?.message.hasPrefix("content folder not found: set `content` in [kiosk]") == true)
    }

    @Test("the shipped PIN's warning points at admin_pin_hash in kiosk.conf, found by the hash's text")
    func shippedPINWarning() throws {
        let shipped = try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8)
        let line = try #require(shipped.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("admin_pin_hash = ") }) + 1
        let (scratch, result) = setup(config: minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"\n", with: "terminal = \"t-1\"\n  admin_pin_hash = \"\(AdminPIN.shippedHash)\"\n"))
        #expect(result.diagnostics.map(\.description) == ["\(scratch.path)/kiosk.conf:4:3: warning: the admin PIN is still the shipped 1234: run `kiosk set-pin` before the kiosk goes into a school"])
        let real = Lint.check(configPath: repositoryRoot + "/kiosk.conf")
        #expect(real.diagnostics.filter { $0.message.contains("still the shipped 1234") }.map { "\($0.line):\($0.column)" } == ["\(line):1"])
        // Any other hash is taken as set: lint derives nothing.
        let (_, other) = setup(config: minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"\n", with: "terminal = \"t-1\"\nadmin_pin_hash = \"\(AdminPIN.hash("8642", iterations: 10))\"\n"))
        #expect(other.diagnostics == [])
    }

    @Test("no admin PIN points at the empty setting, or at [kiosk]")
    func noPINPosition() {
        let (scratch, result) = setup(config: "# top\n" + minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"\n", with: "terminal = \"t-1\"\nadmin_pin_hash = \"\"\n"))
        #expect(result.diagnostics.map(\.description) == ["\(scratch.path)/kiosk.conf:5:1: warning: no admin PIN is set, so the kiosk can only be left by stopping its process: run `kiosk set-pin`"])
        let (_, unset) = setup(config: "# top\n" + minimalConfig)
        #expect(unset.diagnostics.map { "\($0.line):\($0.column)" } == ["2:1"])
    }

    @Test("no admin PIN is a warning, not an error")
    func noPIN() {
        let (_, result) = setup()
        #expect(result.isUsable)
        #expect(result.diagnostics.map(\.severity) == [.warning])
    }
}

/// The signing key must never travel with the records (they are collected
/// and copied to the office), and the kiosk refuses a key reached through a
/// symbolic link.
@Suite("Lint: where the signing key is")
struct KeyPlacementTests {
    func lint(_ scratch: Scratch, key: String, records: String = "records") -> [String] {
        let config = minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"\n", with: "terminal = \"t-1\"\nkey = \"\(key)\"\nrecords = \"\(records)\"\n")
        scratch.write("kiosk.conf", config)
        scratch.write("content/code.md", minimalDocument)
        return Lint.check(configPath: scratch.path + "/kiosk.conf").errors.map(\.description)
    }

    func inside(_ scratch: Scratch, _ key: String) -> String {
        "\(scratch.path)/kiosk.conf:4:7: error: the signing key \(key) is inside the records folder \(scratch.path)/records, which is collected and copied to the office: move the key outside it (e.g. keys/terminal.key) and set `key` in kiosk.conf to where it is"
    }

    @Test("a key inside the records folder is an error")
    func insideRecords() {
        let scratch = Scratch()
        #expect(lint(scratch, key: "records/t-1/terminal.key") == [inside(scratch, "\(scratch.path)/records/t-1/terminal.key")])
        #expect(lint(scratch, key: "records/terminal.key") == [inside(scratch, "\(scratch.path)/records/terminal.key")])
        // `..` is resolved first.
        #expect(lint(scratch, key: "keys/../records/terminal.key") == [inside(scratch, "\(scratch.path)/records/terminal.key")])
        // Beside the records, not in them: fine.
        #expect(lint(scratch, key: "records-keys/terminal.key") == [])
        #expect(lint(scratch, key: "keys/terminal.key") == [])
    }

    @Test("a key inside the content folder (copied to every terminal) is an error too")
    func insideContent() {
        let scratch = Scratch()
        #expect(lint(scratch, key: "content/terminal.key") == [
            "\(scratch.path)/kiosk.conf:4:7: error: the signing key \(scratch.path)/content/terminal.key is inside the content folder \(scratch.path)/content, which is copied to every terminal: move the key outside it (e.g. keys/terminal.key) and set `key` in kiosk.conf to where it is",
        ])
    }

    @Test("a key whose folder is a symbolic link into the records folder is an error")
    func linkedParent() throws {
        let scratch = Scratch()
        try FileManager.default.createDirectory(atPath: scratch.path + "/records/t-1", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/keys", withDestinationPath: scratch.path + "/records/t-1")
        #expect(lint(scratch, key: "keys/terminal.key") == [inside(scratch, "\(scratch.path)/records/t-1/terminal.key")])
        // And the records folder reached through a link of its own.
        let other = Scratch()
        try FileManager.default.createDirectory(atPath: other.path + "/data/keys", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: other.path + "/records", withDestinationPath: other.path + "/data")
        #expect(lint(other, key: "data/keys/terminal.key") == [
            "\(other.path)/kiosk.conf:4:7: error: the signing key \(other.path)/data/keys/terminal.key is inside the records folder \(other.path)/data, which is collected and copied to the office: move the key outside it (e.g. keys/terminal.key) and set `key` in kiosk.conf to where it is",
        ])
    }

    @Test("a key that is a symbolic link is an error")
    func linkedKey() throws {
        let scratch = Scratch()
        scratch.write("secret/terminal.key", "x")
        try FileManager.default.createDirectory(atPath: scratch.path + "/keys", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/keys/terminal.key", withDestinationPath: "../secret/terminal.key")
        #expect(lint(scratch, key: "keys/terminal.key") == [
            "\(scratch.path)/kiosk.conf:4:7: error: the signing key \(scratch.path)/keys/terminal.key is a symbolic link (to ../secret/terminal.key), and the kiosk refuses a key it reaches through a link: set `key` in kiosk.conf to the key file itself",
        ])
    }
}
