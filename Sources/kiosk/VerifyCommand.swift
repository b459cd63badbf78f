import ArgumentParser
import Foundation
import KioskContent
import KioskStore

/// `kiosk verify`: is the record book intact?
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check signatures, the chain of records, the signed head and the stored documents.",
        discussion: """
            Each FOLDER is one terminal's records folder, or a folder of them (records/). With none,
            all terminals under `records` in kiosk.conf are checked. Keys are trusted only when they
            come from --key, from `trusted_keys` in kiosk.conf, or from this terminal's own secret
            key, never from the folder being checked. Exit status 1 when anything is wrong.
            """)

    @OptionGroup var books: RecordBookOptions

    func run() throws {
        let (trusted, terminals) = try books.resolve(command: "verify")
        let verifier = RecordVerifier(trustedKeys: trusted)
        let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
        var totals = VerificationSummary(terminal: "")
        for folder in terminals {
            let name = (folder as NSString).lastPathComponent
            let summary = verifier.verify(
                folder: folder,
                report: { problem in
                    bar.clear()
                    print(problem.description)
                },
                progress: { done, total in bar.show("verifying \(name)", done: done, total: total) })
            bar.clear()
            for note in summary.notes { print("note: \(note)") }
            totals.records += summary.records
            totals.intact += summary.intact
            totals.problems.merge(summary.problems, uniquingKeysWith: +)
        }
        let kinds = totals.problems.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
        let problemText = totals.problemCount == 0 ? "no problems" : "\(totals.problemCount) problem\(totals.problemCount == 1 ? "" : "s") (\(kinds.joined(separator: ", ")))"
        print("verify: \(terminals.count) terminal\(terminals.count == 1 ? "" : "s"), \(totals.records) record\(totals.records == 1 ? "" : "s"), \(totals.intact) intact, \(problemText)")
        if totals.problemCount > 0 { throw ExitCode(1) }
    }
}

/// A one-line progress bar on standard error, for long checks at a terminal.
final class ProgressBar {
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private let started = Date()
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ label: String, done: Int, total: Int) {
        // Only when the work is long enough to wonder about, and at most 10 times a second.
        guard enabled, Date().timeIntervalSince(started) > 0.5, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        let fraction = min(1, Double(done) / Double(max(total, 1)))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)\u{1B}[K".utf8))
        drawn = true
    }

    func clear() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
