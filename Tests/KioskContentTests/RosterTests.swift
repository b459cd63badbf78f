import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

@Suite("Roster")
struct RosterTests {
    let roles = [Role(id: "staff", label: "New staff", documents: [], questions: [], nextSteps: nil)]

    @Test("a cell holding a control character is an error naming its line and column")
    func controlCharacters() {
        let text = "name,role,staff_id\nAnn Lee,staff,1\nBob\u{1B}[2J Ray,staff,2\n\"Cy\nDee\",staff,3\nEd Fox,staff,\u{0}4\nFay Gee,st\u{202E}aff,5\n"
        let (roster, problems) = Roster.parse(text, path: "roster.csv", roles: roles)
        #expect(roster == nil)
        #expect(problems.map(\.description) == [
            "roster.csv:3:4: error: the name cell holds the control character U+001B: remove it",
            "roster.csv:4:4: error: the name cell holds a line break: write it on one line",
            "roster.csv:6:14: error: the staff_id cell holds the control character U+0000: remove it",
            "roster.csv:7:11: error: the role cell holds the control character U+202E: remove it",
        ])
    }

    @Test("control characters in columns the report does not use are left alone")
    func otherColumns() throws {
        let text = "name,role,notes\nAnn Lee,staff,\"two\nlines\u{7}\"\n"
        let (roster, problems) = Roster.parse(text, path: "roster.csv", roles: roles)
        #expect(problems == [])
        #expect(try #require(roster).people.map(\.name) == ["Ann Lee"])
    }
}
