import Foundation
import Testing
@testable import KioskContent

@Suite("kiosk.conf: sign_out_by and collected_records")
struct VisitSettingsTests {
    func parse(_ line: String) -> ConfigParser.Result {
        ConfigParser.parse(minimalConfig.replacingOccurrences(of: "terminal = \"t-1\"", with: "terminal = \"t-1\"\n" + line), path: "/srv/kiosk/kiosk.conf")
    }

    @Test("sign_out_by is a 24-hour time of day; collected_records a path beside kiosk.conf; both optional")
    func reads() throws {
        let config = try #require(parse("sign_out_by = \"18:00\"\ncollected_records = \"office\"").config)
        #expect(config.signOutBy == 18 * 60)
        #expect(config.collectedRecordsDirectory == "/srv/kiosk/office")
        let plain = try #require(parse("").config)
        #expect(plain.signOutBy == nil && plain.collectedRecordsDirectory == nil)
        #expect(KioskConfig.clock(18 * 60 + 5) == "18:05")
        #expect(KioskConfig.minutes("00:00") == 0 && KioskConfig.minutes("23:59") == 1439)
    }

    @Test("a sign_out_by that is not HH:MM is named with its line and column and what to write")
    func refusesBadTimes() {
        for bad in ["\"6pm\"", "\"24:00\"", "\"18:60\"", "\"8:00\"", "18"] {
            let result = parse("sign_out_by = \(bad)")
            #expect(result.config == nil, "\(bad)")
            let message = result.diagnostics.map(\.description).joined()
            #expect(message.contains("kiosk.conf:4:"), "\(bad): \(message)")
            #expect(message.contains("sign_out_by"), "\(bad): \(message)")
        }
    }
}
