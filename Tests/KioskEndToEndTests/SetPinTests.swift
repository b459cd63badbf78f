import Foundation
import KioskContent
import KioskTestSupport
import Testing

/// `kiosk set-pin` refuses a PIN a passer-by would guess, says why, and
/// leaves kiosk.conf as it was.
@Suite("kiosk set-pin refuses weak PINs")
struct SetPinTests {
    @Test("0000, 1234, 4321, the shipped PIN, too short, not digits: refused with the reason, kiosk.conf unchanged")
    func weak() throws {
        let scratch = Scratch()
        let original = try String(contentsOfFile: repositoryRoot + "/kiosk.conf", encoding: .utf8)
        scratch.write("kiosk.conf", original)
        for (pin, reason) in [("0000", "every digit is the same"), ("1234", "it is the shipped PIN 1234"),
                              ("4321", "its digits count up or down one at a time"), ("987", "it has 3 digits: a PIN has at least 4"),
                              ("12a4", "it holds `a`: the kiosk's PIN screen takes the digits 0 to 9 only")] {
            // The same PIN twice: refused for what it is, not for a mismatch.
            let result = run(kioskBinary, ["set-pin", "--config", scratch.path + "/kiosk.conf"], input: "\(pin)\n\(pin)\n")
            #expect(result.status == 1, "\(pin): \(result.output)")
            #expect(result.output.contains("set-pin: that PIN is refused: "), "\(pin): \(result.output)")
            #expect(result.output.contains(reason), "\(pin): \(result.output)")
            #expect(result.output.contains("nothing was changed"), "\(pin): \(result.output)")
            #expect(try String(contentsOfFile: scratch.path + "/kiosk.conf", encoding: .utf8) == original)
        }
        let good = run(kioskBinary, ["set-pin", "--config", scratch.path + "/kiosk.conf"], input: "8642\n8642\n")
        #expect(good.status == 0, "\(good.output)")
    }
}
