import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

/// A 50 MB document took 13.8 s and 530 MB to start: documents and
/// kiosk.conf over 1 MiB are refused before they are read.
@Suite("Size limits of the files the kiosk reads")
struct SizeLimitTests {
    /// A valid document padded with a comment to `size` bytes.
    func document(size: Int) -> String {
        let padding = "<!-- " + String(repeating: "x", count: max(0, size - minimalDocument.utf8.count - 10)) + " -->\n"
        return minimalDocument.replacingOccurrences(of: "## Rules", with: padding + "## Rules")
    }

    @Test("a document over 1 MiB is refused with its size, the limit and what to do; one of 1 MiB is read")
    func largeDocument() throws {
        let scratch = Scratch()
        scratch.write("kiosk.conf", minimalConfig)
        let large = document(size: (1 << 20) + 1)
        #expect(large.utf8.count == (1 << 20) + 1)
        scratch.write("content/code.md", large)
        let result = Lint.check(configPath: scratch.path + "/kiosk.conf")
        #expect(result.errors.first?.description
            == "\(scratch.path)/content/code.md:1:1: error: too large: 1,048,577 bytes, more than the 1 MiB (1,048,576 bytes) a policy document may have; split it into several documents, or take out what is not policy text (pictures, pasted formatting)")
        let fits = document(size: 1 << 20)
        #expect(fits.utf8.count == 1 << 20)
        scratch.write("content/code.md", fits)
        #expect(Lint.check(configPath: scratch.path + "/kiosk.conf").errors == [])
    }

    @Test("a kiosk.conf over 1 MiB is refused")
    func largeConfig() {
        let scratch = Scratch()
        let path = scratch.write("kiosk.conf", minimalConfig + "\n#" + String(repeating: "x", count: 1 << 20))
        #expect(ConfigParser.load(path: path).diagnostics.map(\.description) == [
            "\(path):1:1: error: too large: 1,048,743 bytes, more than the 1 MiB (1,048,576 bytes) kiosk.conf may have; it holds a few settings and roles: is this the right file?",
        ])
    }

    @Test("the size is checked before the file is read: an 8 GiB sparse file is refused at once")
    func checkedBeforeReading() throws {
        let scratch = Scratch()
        let path = scratch.write("content/huge.md", "")
        #expect(truncate(path, 8 << 30) == 0)
        #expect(throws: Diagnostic.self) { try TextFile.read(path) }
    }

    @Test("a file with no size of its own (a device, a pipe) is read only up to the limit")
    func unboundedFile() throws {
        do {
            _ = try TextFile.read("/dev/zero", kind: .roster)
            Issue.record("/dev/zero was read")
        } catch {
            #expect(error.message.hasPrefix("too large: more than the 16 MiB (16,777,216 bytes) a roster may have"))
        }
    }

    @Test("a roster may be up to 16 MiB")
    func rosterLimit() throws {
        let scratch = Scratch()
        let row = "Person Name,visitor,12345\n"
        let text = "name,role,staff_id\n" + String(repeating: row, count: (2 << 20) / row.utf8.count)
        let path = scratch.write("roster.csv", text)
        #expect(try TextFile.read(path, kind: .roster) == text)
        #expect(throws: Diagnostic.self) { try TextFile.read(path) }
    }
}
