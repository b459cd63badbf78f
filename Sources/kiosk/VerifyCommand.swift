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
            all terminals under `records` in kiosk.conf are checked. A key is trusted for one terminal
            only, and only when it comes from --key TERMINAL=FILE, from `trusted_keys` in kiosk.conf,
            or from this terminal's own secret key, never from the folder being checked. Every
            terminal with a trusted key must be there. Anything verify does not understand (a stray
            file, a special file, a name that is not a record's) is a problem. With --witness, every
            head witnessed before must still be in its book, and the heads found intact are added.
            Exit status 0 only when every expected terminal was checked and found intact.
            """)

    @OptionGroup var books: RecordBookOptions

    func run() throws {
        let selection = try books.resolve(command: "verify")
        let bar = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
        var scan = BookScan(selection)
        scan.run(
            readsCache: false,
            report: { problem in
                bar.clear()
                print(problem.description)
            },
            progress: { name, done, total in bar.show("verifying \(name)", done: done, total: total) })
        bar.clear()
        for note in scan.totals.notes { print("note: " + Printable.text(note)) }
        for summary in scan.summaries {
            let keys = summary.keyIDs.isEmpty ? "no records signed" : "key \(summary.keyIDs.joined(separator: " then "))"
            let head = "ends at record \(summary.endsAt.seq)" + (summary.endsAt.seq > 0 ? " · \(SignedRecord.reference(sha256: summary.endsAt.sha256))" : "")
            print(Printable.text("\(summary.terminal): \(keys); \(head)"))
        }
        if var log = selection.witness {
            // Only a book found intact is witnessed: a witness vouches for what it saw.
            let seen = Timestamp.format(Date())
            let heads = scan.summaries.filter { $0.problemCount == 0 && selection.keys[$0.terminal] != nil }.map {
                WitnessLog.Entry(terminal: $0.terminal, seq: $0.endsAt.seq, sha256: $0.endsAt.sha256, keyID: $0.keyIDs.last ?? "-", seenAt: seen)
            }
            let added: Int
            do {
                added = try log.append(heads)
            } catch {
                Console.error("verify: \(error)")
                throw ExitCode(1)
            }
            print("witness: \(added) new head\(added == 1 ? "" : "s") in \(log.path) (\(log.entries.count) in all)")
        }
        print("verify: \(scan.line)")
        try Output.finishStandardOutput("verify")
        if scan.totals.problemCount > 0 { throw ExitCode(1) }
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
