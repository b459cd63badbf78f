import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

@Suite("kiosk.conf")
struct ConfigTests {
    func messages(_ text: String) -> [String] {
        ConfigParser.parse(text, path: "kiosk.conf").diagnostics.map(\.description)
    }

    @Test("the shipped kiosk.conf: four roles in the file's order, paths relative to the file")
    func shipped() throws {
        let result = ConfigParser.load(path: repositoryRoot + "/kiosk.conf")
        #expect(result.diagnostics == [])
        let config = try #require(result.config)
        #expect(config.school == "Redhill Primary School")
        #expect(config.roles.map(\.label) == ["New staff", "Visitor", "Supply teacher", "Governor"])
        #expect(config.role("visitor")?.questions.map(\.label) == ["Organisation", "Visiting whom"])
        #expect(config.contentDirectory == repositoryRoot + "/content")
        #expect(config.keyPath == repositoryRoot + "/keys/terminal.key")
        #expect(config.idleTimeoutSeconds == 120)
        #expect(config.minClauseSeconds == 3)
    }

    @Test("defaults fill what a minimal file leaves out")
    func defaults() throws {
        let config = try #require(ConfigParser.parse(minimalConfig, path: "/srv/kiosk/kiosk.conf").config)
        #expect(config.recordsDirectory == "/srv/kiosk/records")
        #expect(config.idleTimeoutSeconds == 120)
        #expect(config.adminPinHash == nil)
        #expect(config.roles == [Role(id: "visitor", label: "Visitor", documents: ["code"],
                                      questions: [Question(id: "organisation", label: "Organisation")], nextSteps: nil)])
    }

    @Test("questions as [[roles.x.questions]] tables read the same")
    func arrayOfTables() throws {
        let text = """
            [kiosk]
            school = "S"
            terminal = "t"
            [roles.visitor]
            label = "Visitor"
            documents = ["code"]
            [[roles.visitor.questions]]
            id = "organisation"
            label = "Organisation"
            required = false
            max_length = 40
            """
        let config = try #require(ConfigParser.parse(text, path: "k").config)
        #expect(config.roles[0].questions == [Question(id: "organisation", label: "Organisation", required: false, maxLength: 40)])
    }

    @Test("not TOML: line and column of the error")
    func notTOML() {
        let m = messages("[kiosk]\nschool = \"S\nterminal = \"t\"\n")
        #expect(m.count == 1)
        #expect(m[0].hasPrefix("kiosk.conf:2:"))
        #expect(m[0].contains("not valid TOML"))
    }

    @Test("a table header with no name is an error with its place, not a crash (toml++ asserts on it; found by fuzzing)")
    func unnamedTableHeader() {
        for (text, column) in [("[\n", 2), ("[kiosk]\nschool = \"S\"\n[[\n", 3), ("[ .roles]\n", 3), ("[=]\n", 2)] {
            let m = messages(text)
            let line = text.hasPrefix("[kiosk]") ? 3 : 1
            #expect(m == ["kiosk.conf:\(line):\(column): error: not valid TOML: a table header needs a name: write it as [name], e.g. [kiosk] or [roles.visitor]"], "\(text.debugDescription)")
        }
        // Brackets inside strings, comments and arrays are not headers.
        #expect(messages("a = [\n[{ b = 1 }],\n]\ns = \"\"\"\n[\n\"\"\"\n# [\n").allSatisfy { !$0.contains("table header") })
    }

    @Test("a list closed with } is an error with its place, not a crash (toml++ asserts on it; found by fuzzing)")
    func listClosedWithBrace() {
        #expect(messages("s=[}\n") == ["kiosk.conf:1:4: error: not valid TOML: a list opened with [ is closed with }: close it with ]"])
        #expect(messages("[kiosk]\ndocuments = [\"a\",\n  # note\n}\n") == ["kiosk.conf:4:1: error: not valid TOML: a list opened with [ is closed with }: close it with ]"])
        #expect(messages("q = [{ a = 1 }]\n").allSatisfy { !$0.contains("closed with") })
    }

    @Test("front matter with an unnamed table header is an error, not a crash")
    func frontMatterHeader() {
        let result = DocumentParser.parse("+++\n[\n+++\n## S\n\ntext", path: "doc.md")
        #expect(result.diagnostics.map(\.description) == ["doc.md:2:2: error: front matter is not valid TOML: a table header needs a name: write it as [name], e.g. [kiosk] or [roles.visitor]"])
    }

    @Test("no [kiosk] table") func noKiosk() {
        #expect(messages("[roles.a]\nlabel = \"A\"\ndocuments = [\"x\"]").contains(
            "kiosk.conf:1:1: error: missing the [kiosk] table: it names the school, the terminal and where files go"))
    }

    @Test("missing, mistyped, out of range and unknown settings, each at its line")
    func settings() {
        let m = messages("""
            [kiosk]
            terminal = "bad/id"
            idle_timeout_seconds = 2
            min_clause_seconds = "three"
            colour = "blue"

            [roles.visitor]
            label = "Visitor"
            documents = ["code"]
            """)
        #expect(m.contains("kiosk.conf:1:1: error: missing `school` in [kiosk]: add a line like `school = \"...\"`"))
        #expect(m.contains("kiosk.conf:2:12: error: terminal id `bad/id` may use only letters, digits, '_' and '-', at most 64 of them (it names this terminal's records folder)"))
        #expect(m.contains("kiosk.conf:3:24: error: `idle_timeout_seconds` in [kiosk] must be from 10 to 86400, found 2"))
        #expect(m.contains("kiosk.conf:4:22: error: `min_clause_seconds` in [kiosk] must be a whole number, found string"))
        #expect(m.contains { $0.hasPrefix("kiosk.conf:5:1: error: unknown setting `colour` in [kiosk]") })
    }

    @Test("roles: none, no label, no documents, bad questions")
    func roles() {
        #expect(messages("[kiosk]\nschool = \"S\"\nterminal = \"t\"\n").contains(
            "kiosk.conf:1:1: error: no roles: add at least one [roles.<id>] table with a label and the documents it reads"))
        let m = messages("""
            [kiosk]
            school = "S"
            terminal = "t"

            [roles.visitor]
            documents = []
            questions = [{ id = "org" }, { id = "org", label = "Again" }]
            """)
        #expect(m.contains("kiosk.conf:5:1: error: missing `label` in [roles.visitor]: add a line like `label = \"...\"`"))
        #expect(m.contains("kiosk.conf:6:13: error: role `visitor` reads no documents: list at least one document id"))
        #expect(m.contains { $0.contains("missing `label`") && $0.contains("roles.visitor") && $0.hasPrefix("kiosk.conf:7:") })
        #expect(m.contains { $0.contains("question id `org` is used twice in role `visitor`") })
    }

    @Test("a missing kiosk.conf says how to point at one")
    func missingFile() {
        #expect(ConfigParser.load(path: "/nonexistent/kiosk.conf").diagnostics.map(\.description) == [
            "/nonexistent/kiosk.conf:1:1: error: file not found: run the kiosk from the folder that holds kiosk.conf, or give --config PATH",
        ])
    }

    @Test("set-pin's edit changes one line and keeps the comments")
    func configEditor() {
        let text = "# top\n[kiosk]\nschool = \"S\" # ours\nadmin_pin_hash = \"old\"\n\n[roles.a]\nadmin_pin_hash = \"not this\"\n"
        let edited = ConfigEditor.setting("admin_pin_hash", to: "\"new\"", inTable: "kiosk", of: text)
        #expect(edited == "# top\n[kiosk]\nschool = \"S\" # ours\nadmin_pin_hash = \"new\"\n\n[roles.a]\nadmin_pin_hash = \"not this\"\n")
        let added = ConfigEditor.setting("admin_pin_hash", to: "\"new\"", inTable: "kiosk", of: "[kiosk]\nschool = \"S\"\n")
        #expect(added == "[kiosk]\nadmin_pin_hash = \"new\"\nschool = \"S\"\n")
    }
}

@Suite("Admin PIN")
struct AdminPINTests {
    @Test("PBKDF2-HMAC-SHA256 matches the published test vectors")
    func vectors() throws {
        let p = Array("password".utf8), s = Array("salt".utf8)
        #expect(Hex.encode(try AdminPIN.pbkdf2(password: p, salt: s, iterations: 1)) == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        #expect(Hex.encode(try AdminPIN.pbkdf2(password: p, salt: s, iterations: 2)) == "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")
        #expect(Hex.encode(try AdminPIN.pbkdf2(password: p, salt: s, iterations: 4096)) == "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a")
        // RFC 7914 section 11, both PBKDF2-HMAC-SHA256 vectors (64 bytes: two blocks).
        #expect(Hex.encode(try AdminPIN.pbkdf2(password: Array("passwd".utf8), salt: s, iterations: 1, byteCount: 64))
            == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783")
        #expect(Hex.encode(try AdminPIN.pbkdf2(password: Array("Password".utf8), salt: Array("NaCl".utf8), iterations: 80_000, byteCount: 64))
            == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d")
    }

    @Test("the shipped kiosk.conf's hash is the shipped PIN's, in the stored format exactly")
    func shippedHash() throws {
        let config = try #require(ConfigParser.load(path: repositoryRoot + "/kiosk.conf").config)
        #expect(config.adminPinHash == AdminPIN.shippedHash)
        #expect(AdminPIN.verify(AdminPIN.shippedPIN, against: AdminPIN.shippedHash))
        #expect(!AdminPIN.verify("1235", against: AdminPIN.shippedHash))
        #expect(AdminPIN.Hash(AdminPIN.shippedHash)?.text == AdminPIN.shippedHash)
        let fresh = AdminPIN.hash("8642", iterations: 1000)
        #expect(fresh.hasPrefix("pbkdf2-sha256$1000$") && fresh.split(separator: "$").count == 4)
        #expect(AdminPIN.Hash(fresh)?.text == fresh)
    }

    @Test("an empty PIN is refused without a crash; an iteration count past the limit is not a hash")
    func edges() {
        #expect(!AdminPIN.verify("", against: AdminPIN.shippedHash))
        let tail = "$BTztY2b1DfHU9IVbT/fCcQ==$Ck6UtH1Mnu9SsWhfchXZwU2/ciltv/ChEq3RHsdMNdY="
        // Before, any count parsed: 2^32 would have trapped in the C call, 10^9 hung the PIN screen.
        #expect(AdminPIN.Hash("pbkdf2-sha256$4294967296" + tail) == nil)
        #expect(AdminPIN.Hash("pbkdf2-sha256$1000000000" + tail) == nil)
        #expect(AdminPIN.Hash("pbkdf2-sha256$10000000" + tail) != nil)
        #expect(!AdminPIN.verify("1234", against: "pbkdf2-sha256$4294967296" + tail))
    }

    @Test("the right PIN opens, a wrong one does not, and each hash has its own salt")
    func roundTrip() {
        let stored = AdminPIN.hash("8642", iterations: 1000)
        #expect(AdminPIN.verify("8642", against: stored))
        #expect(!AdminPIN.verify("8643", against: stored))
        #expect(!AdminPIN.verify("8642", against: "garbage"))
        #expect(AdminPIN.hash("8642", iterations: 1000) != stored)
    }

    @Test("a PIN is 4 to 12 digits, and not one a passer-by would guess")
    func acceptable() {
        #expect(AdminPIN.isAcceptable("8642"))
        #expect(AdminPIN.isAcceptable("2580"))
        #expect(AdminPIN.isAcceptable("135792468013"))
        let refused: [(String, String)] = [
            ("1234", "it is the shipped PIN 1234, which everyone who has read the kiosk's instructions knows"),
            ("0000", "every digit is the same (like 0000 or 7777), the first PIN anyone tries"),
            ("999999", "every digit is the same (like 0000 or 7777), the first PIN anyone tries"),
            ("4321", "its digits count up or down one at a time (like 1234 or 4321), the first PIN anyone tries after 0000"),
            ("3456789", "its digits count up or down one at a time (like 1234 or 4321), the first PIN anyone tries after 0000"),
            ("7890", "its digits count up or down one at a time (like 1234 or 4321), the first PIN anyone tries after 0000"),
            ("0987", "its digits count up or down one at a time (like 1234 or 4321), the first PIN anyone tries after 0000"),
            ("123", "it has 3 digits: a PIN has at least 4"),
            ("", "it is empty: a PIN has 4 to 12 digits"),
            ("1234567890123", "it has 13 digits: the kiosk's PIN screen takes at most 12"),
            ("12a4", "it holds `a`: the kiosk's PIN screen takes the digits 0 to 9 only"),
            ("12 45", "it holds ` `: the kiosk's PIN screen takes the digits 0 to 9 only"),
            ("１２３４", "it holds `１`: the kiosk's PIN screen takes the digits 0 to 9 only"),
        ]
        for (pin, reason) in refused {
            #expect(AdminPIN.weakness(pin) == reason, "\(pin)")
            #expect(!AdminPIN.isAcceptable(pin), "\(pin)")
        }
    }
}
