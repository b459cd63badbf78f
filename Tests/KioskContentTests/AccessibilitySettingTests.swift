import Foundation
import Testing
@testable import KioskContent

/// kiosk.conf's settings for people who need the kiosk drawn or timed
/// differently: `display` and a role's own `min_clause_seconds`.
@Suite("kiosk.conf: display and time limits")
struct AccessibilitySettingTests {
    func parse(_ text: String) -> ConfigParser.Result {
        ConfigParser.parse(text, path: "kiosk.conf")
    }

    func withKiosk(_ line: String) -> String {
        minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"\n", with: "terminal = \"t-1\"\n\(line)\n")
    }

    @Test("display is colour unless kiosk.conf says plain (\"color\" is read as colour)")
    func display() throws {
        #expect(try #require(parse(minimalConfig).config).display == .colour)
        #expect(try #require(parse(withKiosk("display = \"plain\"")).config).display == .plain)
        #expect(try #require(parse(withKiosk("display = \"colour\"")).config).display == .colour)
        #expect(try #require(parse(withKiosk("display = \"color\"")).config).display == .colour)
    }

    @Test("an unknown display, or one not in quotes, is an error at its line and column that lists the choices")
    func badDisplay() {
        let result = parse(withKiosk("display = \"mono\""))
        #expect(result.config == nil)
        #expect(result.diagnostics.map(\.description) == [
            "kiosk.conf:4:11: error: `display` must be \"colour\" (the high-contrast theme) or \"plain\" (no colour, box drawing or symbols, for braille and speech), found \"mono\"",
        ])
        let unquoted = parse(withKiosk("display = 1"))
        #expect(unquoted.config == nil)
        #expect(unquoted.diagnostics.first?.description.hasPrefix("kiosk.conf:4:11: error: `display`") == true, "\(unquoted.diagnostics)")
    }

    @Test("NO_COLOR set to anything but empty makes the display plain, whatever kiosk.conf says (no-color.org)")
    func noColor() {
        #expect(DisplayMode.effective(setting: .colour, environment: [:]) == .colour)
        #expect(DisplayMode.effective(setting: .colour, environment: ["NO_COLOR": ""]) == .colour)
        #expect(DisplayMode.effective(setting: .colour, environment: ["NO_COLOR": "1"]) == .plain)
        #expect(DisplayMode.effective(setting: .colour, environment: ["NO_COLOR": "0"]) == .plain)
        #expect(DisplayMode.effective(setting: .plain, environment: [:]) == .plain)
    }

    @Test("a role's own min_clause_seconds; roles without one take the kiosk's")
    func roleDwell() throws {
        let text = minimalConfig + """

            min_clause_seconds = 10

            [roles.staff]
            label = "Staff"
            documents = ["code"]
            """
        let config = try #require(parse(text).config, "\(parse(text).diagnostics)")
        #expect(config.role("visitor")?.minClauseSeconds == 10)
        #expect(config.role("staff")?.minClauseSeconds == nil)
        #expect(config.minClauseSeconds == 3)
    }

    @Test("a role's min_clause_seconds out of range, or not a number, is an error at its line and column naming the role")
    func badRoleDwell() {
        let result = parse(minimalConfig + "\nmin_clause_seconds = 900")
        #expect(result.config == nil)
        #expect(result.diagnostics.map(\.description) == [
            "kiosk.conf:9:22: error: `min_clause_seconds` in [roles.visitor] must be from 0 to 600, found 900",
        ])
        let text = parse(minimalConfig + "\nmin_clause_seconds = \"5\"")
        #expect(text.diagnostics.first?.description.hasPrefix("kiosk.conf:9:22: error: `min_clause_seconds` in [roles.visitor] must be a whole number") == true,
                "\(text.diagnostics)")
    }

    @Test("a recovery file written before roles had their own dwell still reads")
    func oldRecoveryRole() throws {
        let json = #"{"id":"visitor","label":"Visitor","documents":["code"],"questions":[],"nextSteps":"Wait."}"#
        let role = try JSONDecoder().decode(Role.self, from: Data(json.utf8))
        #expect(role == Role(id: "visitor", label: "Visitor", documents: ["code"], questions: [], nextSteps: "Wait."))
        #expect(role.minClauseSeconds == nil)
    }
}
