import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

/// Clauses tagged for an audience (`- [ ] ... {visitor}`), the roles that
/// take only those, and lint's checks of both.
@Suite("Audiences: a proportionate part of a document per role")
struct AudienceTests {
    static let tagged = """
        +++
        id = "code"
        title = "Code of Conduct"
        version = 2
        declaration = "I agree to follow this code."
        +++

        For everyone who works here.

        ## Rules

        Read these first.

        - [ ] I will be kind. {visitor governor}
        - [ ] I will keep my password to myself. {governor}
        - [ ] I will lock the
          laptop. {governor}

        ## Staff laptops

        ### Taking one home

        - [ ] I will bring the laptop back.

        ## Phones

        ### At school

        - [ ] I will keep my phone in my bag. {visitor}

        ### On trips

        - [ ] I will use the school's phone on trips.
        """

    static let config = """
        [kiosk]
        school = "Test School"
        terminal = "t-1"

        [roles.staff]
        label = "Staff"
        documents = ["code"]

        [roles.visitor]
        label = "Visitor"
        documents = ["code"]
        audience = "visitor"

        [roles.governor]
        label = "Governor"
        documents = ["code"]
        audience = "governor"
        """

    func parse(_ text: String) -> DocumentParser.Result { DocumentParser.parse(text, path: "code.md") }

    @Test("a tag is no part of the clause: the text, and so its identity, is the untagged clause's")
    func identity() throws {
        let document = try #require(parse(Self.tagged).document)
        let untagged = try #require(parse(Self.tagged.replacingOccurrences(of: " {visitor governor}", with: "")
            .replacingOccurrences(of: " {governor}", with: "").replacingOccurrences(of: " {visitor}", with: "")).document)
        #expect(document.clauses.map(\.text) == untagged.clauses.map(\.text))
        #expect(document.clauses.map(\.id) == untagged.clauses.map(\.id))
        #expect(document.clauses[0].text == "I will be kind.")
        #expect(document.clauses[0].audiences == ["visitor", "governor"])
        // A clause wrapped over two lines, its tag on the second.
        #expect(document.clauses[2].text == "I will lock the laptop.")
        #expect(document.clauses[2].audiences == ["governor"])
        #expect(document.clauses[3].audiences == [])
        #expect(parse(Self.tagged).diagnostics == [])
    }

    @Test("the shipped code of conduct: every clause keeps the identity it had before it was tagged, so no record or comparison changes")
    func shippedIdentity() throws {
        let path = repositoryRoot + "/content/ict-code-of-conduct.md"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let document = try #require(parse(text).document)
        let untaggedText = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("- [ ] ") ? String(line).replacingOccurrences(of: #" \{[a-z ]+\}$"#, with: "", options: .regularExpression) : String(line)
        }.joined(separator: "\n")
        #expect(untaggedText != text)
        let untagged = try #require(parse(untaggedText).document)
        #expect(document.clauses.count == 20)
        #expect(document.clauses.map(\.id) == untagged.clauses.map(\.id))
        // The hash a version 1 record holds for this clause.
        #expect(document.clauses.first { $0.text == "I will respect copyright and intellectual property rights." }?.id
            == "36e14cd59d72e5b2d6efe5b16a680e5f5ef8d17e6dfdb3f547357c4c39f984a0")
        #expect(!document.clauses.contains { $0.text.contains("{") || $0.text.contains("}") })
    }

    @Test("tagging is no change: the kiosk marks no clause \"new or changed since version 1\" when the tagged version 2 follows the untagged one")
    func taggingIsNoChange() throws {
        let tagged = try #require(parse(Self.tagged).document)
        let untagged = Self.tagged.replacingOccurrences(of: " {visitor governor}", with: "").replacingOccurrences(of: " {governor}", with: "")
            .replacingOccurrences(of: " {visitor}", with: "").replacingOccurrences(of: "version = 2", with: "version = 1")
        let earlier = try #require(parse(untagged).document)
        #expect(DocumentChange.compute(current: ContentLibrary(documents: [tagged]), earlier: [earlier]) == [:])
    }

    @Test("a visitor reads only the sections holding its clauses, and agrees to those; staff read and agree to all")
    func reading() throws {
        let document = try #require(parse(Self.tagged).document)
        let visitor = document.reading(for: "visitor")
        #expect(visitor.sections.map(\.title) == ["Rules", "Phones"])
        #expect(visitor.clauses.map(\.text) == ["I will be kind.", "I will keep my phone in my bag."])
        // The reading text of a section it reads is kept; a subheading over none of its clauses goes.
        #expect(visitor.sections[0].blocks.first == .paragraph(RichText(markdown: "Read these first.")))
        #expect(visitor.sections[1].blocks == [.subheading(RichText(markdown: "At school")), .clause(document.clauses[4])])
        // What the record stores is the document as written.
        #expect(visitor.source == document.source && visitor.sha256 == document.sha256 && visitor.version == document.version)
        #expect(visitor.preamble == document.preamble && visitor.declaration == document.declaration)
        let governor = document.reading(for: "governor")
        #expect(governor.sections.map(\.title) == ["Rules"])
        #expect(governor.clauses.count == 3)
        #expect(document.reading(for: nil) == document)
    }

    @Test("ContentLibrary gives each role its part: the shipped visitor 5 clauses in 2 sections, governor 16, staff and supply all 20")
    func shippedRoles() throws {
        let result = Lint.check(configPath: repositoryRoot + "/kiosk.conf", checkPIN: false)
        #expect(result.errors == [])
        let config = try #require(result.config)
        let library = try #require(result.library)
        func clauses(_ role: String) throws -> Int { library.documents(for: try #require(config.role(role))).reduce(0) { $0 + $1.clauses.count } }
        #expect(try clauses("staff") == 20)
        #expect(try clauses("supply") == 20)
        #expect(try clauses("visitor") == 5)
        #expect(try clauses("governor") == 16)
        let visitor = try #require(config.role("visitor"))
        #expect(library.documents(for: visitor).map { $0.sections.map(\.title) } == [["Code of Conduct", "Personal Mobile Devices (including phones)"]])
        // Every visitor clause is one a governor agrees to as well.
        let code = try #require(library.document("ict-code-of-conduct"))
        #expect(code.clauses.filter { $0.audiences.contains("visitor") }.allSatisfy { $0.audiences.contains("governor") })
        // The disciplinary policy is for employees: governors and visitors are not asked.
        #expect(code.clauses.first { $0.text.contains("Disciplinary Policy") }?.audiences == [])
        #expect(config.roles.map(\.label) == ["New staff", "Visitor", "Supply teacher", "Governor"])
    }

    @Test("a malformed tag is an error where the tag is, with what to write", arguments: [
        ("- [ ] I will be kind. {}", "code.md:9:23: error: empty audience tag: name the audiences the clause is for, e.g. {visitor}, or remove the braces"),
        ("- [ ] I will be kind. {Visitor}", "code.md:9:23: error: audience `Visitor` may use only a-z, 0-9 and '-' (write `visitor`): it is the `audience` of a role in kiosk.conf"),
        ("- [ ] I will be kind. {visitor", "code.md:9:23: error: audience tag is not closed: write `}` after the last audience; end the clause with its audiences in braces, e.g. `- [ ] I will ... {visitor governor}`"),
        ("- [ ] I will {visitor} be kind.", "code.md:9:22: error: an audience tag goes at the very end of the clause: move `{...}` there; end the clause with its audiences in braces, e.g. `- [ ] I will ... {visitor governor}`"),
        ("- [ ] I will be kind. visitor}", "code.md:9:30: error: `}` without its `{`: end the clause with its audiences in braces, e.g. `- [ ] I will ... {visitor governor}`"),
        ("- [ ] I will be kind.\n  {visitor_x}", "code.md:10:3: error: audience `visitor_x` may use only a-z, 0-9 and '-': it is the `audience` of a role in kiosk.conf"),
        ("- [ ] I will be kind.\n- [ ] {visitor}", "code.md:10:1: error: empty clause: write the statement after '- [ ] '"),
    ])
    func malformed(line: String, expected: String) {
        let text = "+++\nid = \"code\"\ntitle = \"C\"\nversion = 1\ndeclaration = \"I agree.\"\n+++\n\n## Rules\n\(line)\n"
        let result = parse(text)
        #expect(result.diagnostics.map(\.description) == [expected])
        #expect(result.document == nil, "a tag that cannot be read never gives the clause to every role")
    }

    @Test("lint: a tag no role uses, and a role with an audience its documents never tag, are found in one run with file:line:column")
    func lint() throws {
        let scratch = Scratch()
        let document = Self.tagged.replacingOccurrences(of: "bag. {visitor}", with: "bag. {vistor}")
        scratch.write("content/code.md", document)
        scratch.write("kiosk.conf", Self.config + """


            [roles.volunteer]
            label = "Volunteer"
            documents = ["code"]
            audience = "volunteer"
            """)
        let result = Lint.check(configPath: scratch.path + "/kiosk.conf", checkPIN: false)
        #expect(result.errors.map(\.description) == [
            "\(scratch.path)/content/code.md:29:39: error: no role in kiosk.conf has `audience = \"vistor\"`, so the tag gives this clause to no one as `vistor` (the roles' audiences are: governor, visitor, volunteer): correct the tag, or give the role it is meant for `audience = \"vistor\"`",
            "\(scratch.path)/kiosk.conf:21:14: error: role `volunteer` has `audience = \"volunteer\"` and reads `code`, but none of its 6 clauses is tagged for `volunteer`, so the role would agree to none of them: end each clause that applies with `{volunteer}` in \(scratch.path)/content/code.md, take `code` out of the role's `documents`, or remove `audience` so the role agrees to every clause",
        ])
        #expect(!result.isUsable)
    }

    @Test("lint: a tag is checked even when kiosk.conf has another error; an unreadable audience makes no guesses")
    func lintWithConfigErrors() throws {
        let scratch = Scratch()
        scratch.write("content/code.md", Self.tagged)
        scratch.write("kiosk.conf", Self.config.replacingOccurrences(of: "school = \"Test School\"", with: "school = 3"))
        let result = Lint.check(configPath: scratch.path + "/kiosk.conf", checkPIN: false)
        #expect(result.errors.map(\.message) == ["`school` in [kiosk] must be a string in quotes, found integer"])
        // kiosk.conf that is not TOML at all: the tags are not all said to be for no role.
        scratch.write("kiosk.conf", Self.config + "\n[roles.x\n")
        let unreadable = Lint.check(configPath: scratch.path + "/kiosk.conf", checkPIN: false)
        #expect(unreadable.errors.count == 1 && unreadable.errors[0].message.hasPrefix("not valid TOML"), "\(unreadable.errors)")
        scratch.write("kiosk.conf", Self.config.replacingOccurrences(of: "audience = \"visitor\"", with: "audience = \"Visitors!\""))
        let bad = Lint.check(configPath: scratch.path + "/kiosk.conf", checkPIN: false)
        #expect(bad.errors.map(\.description) == ["\(scratch.path)/kiosk.conf:12:12: error: audience `Visitors!` of role `visitor` may use only a-z, 0-9 and '-': it is the word in the tags of the clauses the role agrees to, e.g. `audience = \"visitor\"` and `- [ ] ... {visitor}`"])
    }

    @Test("a role reading a document with no clauses reads all of it")
    func readOnlyDocument() throws {
        let document = try #require(parse("+++\nid = \"p\"\ntitle = \"P\"\nversion = 1\n+++\n\n## One\n\nText.\n\n## Two\n\nMore.\n").document)
        #expect(document.reading(for: "visitor") == document)
    }

    @Test("a clause from a recovery file written before audiences existed still reads")
    func oldRecoveryClause() throws {
        let json = #"{"text":"I will be kind.","id":"\#(ClauseIdentity.hash("I will be kind."))","line":12}"#
        let clause = try JSONDecoder().decode(Clause.self, from: Data(json.utf8))
        #expect(clause == Clause(text: "I will be kind.", line: 12))
        let role = try JSONDecoder().decode(Role.self, from: Data(#"{"id":"visitor","label":"Visitor","documents":["code"],"questions":[]}"#.utf8))
        #expect(role.audience == nil && role.validity == nil)
        let again = try JSONDecoder().decode(Clause.self, from: try JSONEncoder().encode(Clause(text: "x", line: 1, audiences: ["visitor"])))
        #expect(again.audiences == ["visitor"])
    }
}
