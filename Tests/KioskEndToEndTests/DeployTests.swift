import Foundation
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
}
