import Foundation
import KioskContent
import KioskStore
import KioskUI

/// What each fuzz target feeds its input to. None may crash, hang or trap,
/// whatever the bytes: they are the parsers that read files and keys a
/// school, an attacker or a damaged disk can hand the kiosk.
enum FuzzTargets {
    static let names = ["content", "config", "record", "roster", "editor"]

    static func run(_ target: String, _ bytes: [UInt8]) {
        switch target {
        case "content":
            // A policy document (only UTF-8 reaches the parser: TextFile refuses the rest).
            guard let text = try? TextFile.decode(Data(bytes), file: "fuzz.md") else { return }
            let result = DocumentParser.parse(text, path: "fuzz.md")
            if let document = result.document {
                for index in document.sections.indices { _ = Layout.section(document, index, width: 40) }
            }
        case "config":
            guard let text = try? TextFile.decode(Data(bytes), file: "kiosk.conf") else { return }
            _ = ConfigParser.parse(text, path: "/fuzz/kiosk.conf")
        case "record":
            // A record, its signature file and a public key, as verify and
            // the office tools read them. The input is split at its first
            // NUL: record bytes, then a signature file. The record is also
            // checked with a good signature made here, so the checks after
            // the signature (JSON, seq, chain fields) are reached too.
            let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
            let record = Array(parts[0])
            let signatureFile = parts.count > 1 ? Array(parts[1]) : nil
            var chain = ChainCheck(terminal: "t", trusted: [fuzzKey.publicKey])
            _ = chain.add(seq: 1, file: "r", verdict: RecordCheck.check(record, signatureFile: signatureFile, keys: [fuzzKey.publicKey]))
            if let signed = try? Minisign.sign(record, with: fuzzKey, trustedComment: "seq:1", untrustedComment: "fuzz") {
                let verdict = RecordCheck.check(record, signatureFile: Array(signed.fileText.utf8), keys: [fuzzKey.publicKey])
                _ = chain.add(seq: 2, file: "r", verdict: verdict)
                _ = RecordSummary(CheckedRecord(terminal: "t", seq: 1, path: "p", sha256: "", intact: true, record: verdict.record))
            }
            if let decoded = try? RecordFile(bytes: record) {
                _ = RecordSummary(CheckedRecord(terminal: "t", seq: 1, path: "p", sha256: "", intact: true, record: decoded))
            }
            _ = chain.finish(head: .bytes(record), signature: signatureFile.map { .bytes($0) } ?? .missing)
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? Minisign.Signature(fileText: text)
            _ = try? Minisign.PublicKey(fileText: text)
        case "roster":
            guard let text = try? TextFile.decode(Data(bytes), file: "roster.csv") else { return }
            _ = Roster.parse(text, path: "roster.csv", roles: [Role(id: "staff", label: "New staff", documents: [], questions: [], nextSteps: nil)])
        case "editor":
            // Bytes as the terminal sends them, decoded as the adapter does
            // (UTF-8, controls, escape sequences), typed into a field and drawn.
            var state = KioskState(settings: editorSettings, size: Size(width: 40, height: 12), now: Date(timeIntervalSince1970: 0))
            _ = Kiosk.update(&state, .key(.enter), now: state.now)
            _ = Kiosk.update(&state, .key(.character("1")), now: state.now)
            var decoder = InputDecoder()
            for byte in bytes {
                for key in decoder.feed(byte) { _ = Kiosk.update(&state, .key(key), now: state.now) }
            }
            for key in decoder.quiet() { _ = Kiosk.update(&state, .key(key), now: state.now) }
            _ = Kiosk.render(state)
        default:
            fatalError("unknown fuzz target \(target); one of: \(names.joined(separator: ", "))")
        }
    }

    /// Signs the fuzzed records (which key does not change what is checked).
    static let fuzzKey = TerminalKey.generate()

    static let editorSettings: KioskSettings = {
        let text = "+++\nid = \"code\"\ntitle = \"Code\"\nversion = 1\ndeclaration = \"I agree.\"\n+++\n## Rules\n\n- [ ] I will be kind.\n"
        let document = DocumentParser.parse(text, path: "code.md").document!
        let role = Role(id: "visitor", label: "Visitor", documents: ["code"], questions: [Question(id: "org", label: "Organisation")], nextSteps: nil)
        return KioskSettings(school: "S", terminal: "t", roles: [role], library: ContentLibrary(documents: [document]),
                             idleTimeout: 120, idleWarning: 30, minClauseSeconds: 0, adminPinHash: nil)
    }()
}
