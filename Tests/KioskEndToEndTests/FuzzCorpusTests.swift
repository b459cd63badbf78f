import Foundation
import KioskTestSupport
import Testing

/// Every input in Tests/FuzzCorpus (seeds, and any crash scripts/fuzz ever
/// found) goes through its parser again on every test run.
@Suite("Fuzz corpus")
struct FuzzCorpusTests {
    @Test("the corpus replays without a crash", arguments: ["content", "config", "record", "roster", "editor"])
    func replay(target: String) throws {
        let folder = repositoryRoot + "/Tests/FuzzCorpus/" + target
        let inputs = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(!inputs.isEmpty)
        let result = run(builtProduct("kiosk-fuzz"), ["target=" + target, folder])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("kiosk-fuzz \(target): \(inputs.count) inputs replayed, no crash"))
    }
}
