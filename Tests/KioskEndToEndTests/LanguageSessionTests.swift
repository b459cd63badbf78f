import Foundation
import KioskTestSupport
import KioskContent
import KioskStore
import Testing

/// A visitor who reads and signs in Polish (in the same serialized suite:
/// one tmux kiosk at a time keeps the timings calm).
extension KioskSessionTests {
    @Test("a visitor chooses Polski on the welcome screen, reads and agrees in Polish, signs; the record verifies, names pl and holds both texts")
    func polishVisitor() throws {
        let minisign = try #require(which("minisign"), "minisign is not installed")
        let folder = try Self.kioskFolder()
        let kiosk = try TmuxKiosk(directory: folder.path)
        var screen = try kiosk.waitFor("Press Enter to begin")
        #expect(screen.contains("1 English · 2 Polski"))
        kiosk.keys("2")
        screen = try kiosk.waitFor("Who are you?")
        #expect(screen.contains("Polski"))
        kiosk.keys("2")
        try kiosk.waitFor("Your details: Visitor")
        kiosk.type("Anna Kowalska")
        kiosk.keys("Enter")
        kiosk.type("Budimex")
        kiosk.keys("Enter")
        kiosk.type("Pani Patel")
        kiosk.keys("Enter")
        screen = try kiosk.waitFor("Kodeks postępowania ICT, section 1 of 2: Kodeks postępowania")
        #expect(screen.contains("Polski: a translation not yet reviewed by the school."))
        try Self.readAndAgree(kiosk, clauses: 5)
        screen = try kiosk.waitFor("Sign: Anna Kowalska")
        #expect(screen.contains("Zobowiązuję się przestrzegać niniejszego Kodeksu postępowania"))
        kiosk.type("Anna Kowalska")
        kiosk.keys("Enter")
        try kiosk.waitFor("Reference: 1 ·")
        kiosk.keys("Enter")
        screen = try kiosk.waitFor("Press Enter to begin")

        let layout = RecordLayout(records: folder.path + "/records", terminal: "reception-1")
        let path = layout.record(seq: 1)
        let verified = run(minisign, ["-Vm", path, "-p", layout.publicKey])
        #expect(verified.status == 0, "\(verified.output)")
        let record = try RecordFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        let session = try #require(record.session)
        #expect(session.language == "pl")
        #expect(session.clauses.count == 5)
        #expect(session.clauses.allSatisfy { $0.shownText != nil && $0.id == ClauseIdentity.hash($0.text) })
        #expect(session.clauses[0].text.hasPrefix("I will not give out my own personal details"))
        #expect(session.clauses[0].shownText?.hasPrefix("Nie będę przekazywać uczniom") == true)
        #expect(session.documents[0].translation?.language == "pl")
        let verify = run(kioskBinary, ["verify", "--config", folder.path + "/kiosk.conf"])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("1 record, 1 intact, no problems"), "\(verify.output)")
        let show = run(kioskBinary, ["records", "show", "1", "--config", folder.path + "/kiosk.conf"])
        #expect(show.status == 0, "\(show.output)")
        #expect(show.output.contains("Language:   pl"))
        #expect(show.output.contains("shown:         Nie będę przekazywać uczniom"))
        #expect(show.output.contains("authoritative: I will not give out my own personal details"))
    }
}
