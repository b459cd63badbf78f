import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

/// `trusted_keys` binds each public key to the one terminal it vouches for.
@Suite("kiosk.conf: trusted_keys")
struct TrustedKeysTests {
    func parse(_ trusted: String, path: String = "/srv/kiosk/kiosk.conf") -> ConfigParser.Result {
        ConfigParser.parse(minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"\n", with: "terminal = \"t-1\"\n\(trusted)\n"), path: path)
    }

    @Test("an inline table maps terminal ids to key files, relative to kiosk.conf")
    func inlineTable() throws {
        let result = parse("trusted_keys = { \"staffroom-1\" = \"keys/staffroom-1.pub\", reception_2 = \"/etc/kiosk/r2.pub\" }")
        #expect(result.diagnostics == [])
        let config = try #require(result.config)
        #expect(config.trustedKeys == ["staffroom-1": "/srv/kiosk/keys/staffroom-1.pub", "reception_2": "/etc/kiosk/r2.pub"])
    }

    @Test("a [kiosk.trusted_keys] sub-table reads the same")
    func subTable() throws {
        let text = minimalConfig.replacingOccurrences(of: "\n[roles.visitor]",
            with: "\n[kiosk.trusted_keys]\n\"staffroom-1\" = \"keys/staffroom-1.pub\"\nhall = \"../hall.pub\"\n\n[roles.visitor]")
        let result = ConfigParser.parse(text, path: "/srv/kiosk/kiosk.conf")
        #expect(result.diagnostics == [])
        #expect(result.config?.trustedKeys == ["staffroom-1": "/srv/kiosk/keys/staffroom-1.pub", "hall": "/srv/hall.pub"])
    }

    @Test("an empty list (the old form) and no setting at all trust no other terminal")
    func emptyList() throws {
        #expect(try #require(parse("trusted_keys = []").config).trustedKeys.isEmpty)
        #expect(try #require(parse("trusted_keys = {}").config).trustedKeys.isEmpty)
        #expect(try #require(parse("").config).trustedKeys.isEmpty)
    }

    @Test("a non-empty list of key files is an error: a key vouches for one terminal only")
    func nonEmptyList() {
        let result = parse("trusted_keys = [\"a.pub\", \"b.pub\"]", path: "kiosk.conf")
        #expect(result.config == nil)
        #expect(result.diagnostics.map(\.description) == [
            "kiosk.conf:4:16: error: `trusted_keys` in [kiosk] must say which terminal each key vouches for, because a key vouches for one terminal only: write `trusted_keys = { \"<terminal>\" = \"<file>\" }`, e.g. trusted_keys = { \"staffroom-1\" = \"keys/staffroom-1.pub\" }",
        ])
    }

    @Test("terminal ids in trusted_keys follow the rule of `terminal`; every value is a file name")
    func badEntries() {
        let inline = parse("trusted_keys = { \"staff.room\" = \"a.pub\", ok = 3 }", path: "kiosk.conf")
        #expect(inline.config == nil)
        #expect(inline.diagnostics.map(\.description).sorted() == [
            "kiosk.conf:4:16: error: the key file for terminal `ok` in `trusted_keys` must be a string in quotes, found integer",
            "kiosk.conf:4:18: error: terminal id `staff.room` in `trusted_keys` may use only letters, digits, '_' and '-', at most 64 of them (it names the terminal's records folder)",
        ])
        let table = ConfigParser.parse(minimalConfig.replacingOccurrences(of: "\n[roles.visitor]",
            with: "\n[kiosk.trusted_keys]\n\"../escape\" = \"a.pub\"\n\n[roles.visitor]"), path: "kiosk.conf")
        #expect(table.diagnostics.map(\.description) == [
            "kiosk.conf:6:1: error: terminal id `../escape` in `trusted_keys` may use only letters, digits, '_' and '-', at most 64 of them (it names the terminal's records folder)",
        ])
        let string = parse("trusted_keys = \"a.pub\"", path: "kiosk.conf")
        #expect(string.diagnostics.map(\.description) == [
            "kiosk.conf:4:16: error: `trusted_keys` in [kiosk] must be a table of terminal ids and their key files: write `trusted_keys = { \"<terminal>\" = \"<file>\" }`, found string",
        ])
    }

    @Test("the shipped kiosk.conf trusts no other terminal")
    func shipped() throws {
        let config = try #require(ConfigParser.load(path: repositoryRoot + "/kiosk.conf").config)
        #expect(config.trustedKeys.isEmpty)
        let text = try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8)
        #expect(text.contains("\ntrusted_keys = {}\n"))
    }
}
