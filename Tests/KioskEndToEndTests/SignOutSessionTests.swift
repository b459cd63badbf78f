import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing

/// The whole program in a real terminal: a visitor signs in, is given a
/// pass code, signs out with it, and comes back with it and their name.
@Suite("Sign-out and returning at the kiosk (tmux)")
struct SignOutSessionTests {
    @Test("pass code on the done screen; S and the code sign out; R with the code and name asks only the visit questions and the signature")
    func signOutAndReturn() throws {
        let minisign = try #require(which("minisign"), "minisign is not installed")
        let folder = try KioskSessionTests.kioskFolder()
        let kiosk = try TmuxKiosk(directory: folder.path)
        try kiosk.waitFor("Press Enter to begin")
        #expect(kiosk.screen().contains("S sign out"))
        try KioskSessionTests.visitorDetails(kiosk, name: "Ann Lee")
        try KioskSessionTests.readAndAgree(kiosk, clauses: 5)
        try kiosk.waitFor("Sign: Ann Lee")
        kiosk.type("Ann Lee")
        kiosk.keys("Enter")
        let done = try kiosk.waitFor("Your pass code: ")
        let match = try #require(done.range(of: #"Your pass code: [2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}"#, options: .regularExpression))
        let code = String(done[match].suffix(9))
        kiosk.keys("Enter")
        try kiosk.waitFor("Press Enter to begin")

        // A wrong code first: the neutral answer.
        kiosk.type("s")
        try kiosk.waitFor("Type the pass code from the screen")
        kiosk.type("2222-3333")
        kiosk.keys("Enter")
        try kiosk.waitFor("We could not find that. Check the code, or ask at reception.")
        kiosk.type(code.lowercased())
        kiosk.keys("Enter")
        try kiosk.waitFor("Signed out. Goodbye.")
        kiosk.keys("Enter")
        try kiosk.waitFor("Press Enter to begin")

        // Back another day: the code and the name, the visit questions, the signature.
        kiosk.type("r")
        try kiosk.waitFor("Signed here before")
        kiosk.type(code)
        kiosk.keys("Enter")
        kiosk.type("ann lee")
        kiosk.keys("Enter")
        let details = try kiosk.waitFor("Your details: Visitor")
        #expect(details.contains("Acme Plumbing") && details.contains("Mrs Patel"), "last time's answers are offered again")
        // The same organisation (Enter keeps it); someone else to see today.
        kiosk.keys("Enter")
        for _ in 0..<9 { kiosk.keys("BSpace") }
        kiosk.type("Mr Khan")
        kiosk.keys("Enter")
        try kiosk.waitFor("Sign: Ann Lee")
        kiosk.type("Ann Lee")
        kiosk.keys("Enter")
        let again = try kiosk.waitFor("Reference: 3 ·")
        #expect(again.contains("Your pass code: ") && !again.contains(code), "a new code for the new record")

        let layout = RecordLayout(records: folder.path + "/records", terminal: "reception-1")
        for seq in 1...3 {
            let verified = run(minisign, ["-Vm", layout.record(seq: seq), "-p", layout.publicKey])
            #expect(verified.status == 0, "\(verified.output)")
        }
        let out = try RecordFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: layout.record(seq: 2)))))
        #expect(out.signOut?.session.seq == 1 && out.signOut?.method == "pass-code")
        let back = try RecordFile(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: layout.record(seq: 3)))))
        #expect(back.session?.previous?.seq == 1)
        #expect(back.session?.clauses.isEmpty == true, "nothing changed since: no clause asked again")
        let bytes = try String(contentsOfFile: layout.record(seq: 1), encoding: .utf8) + (try String(contentsOfFile: folder.path + "/kiosk.log", encoding: .utf8))
        #expect(!bytes.contains(code) && !bytes.contains(code.replacingOccurrences(of: "-", with: "")), "the code is in no record and no log line")
        let verify = run(kioskBinary, ["verify", "--config", folder.path + "/kiosk.conf"])
        #expect(verify.status == 0, "\(verify.output)")
        // An inspector reading the returning record sees why no clause is listed.
        let show = run(kioskBinary, ["records", "show", "3", "--config", folder.path + "/kiosk.conf"])
        #expect(show.output.contains("none new this time: the clauses agreed are those of record 1 it builds on"), "\(show.output)")
        let onsite = run(kioskBinary, ["onsite", "--config", folder.path + "/kiosk.conf", "--all"])
        #expect(onsite.status == 0, "\(onsite.output)")
        #expect(onsite.output.contains("Ann Lee  Organisation: Acme Plumbing; Visiting whom: Mrs Patel  signed out at"), "\(onsite.output)")
        #expect(onsite.output.contains("Ann Lee  Organisation: Acme Plumbing; Visiting whom: Mr Khan"), "\(onsite.output)")
    }
}
