import ArgumentParser
import Foundation
import KioskContent
import KioskStore

/// Commits sessions one after another and writes "committed SEQ" after each
/// commit returns: the process the crash test kills with SIGKILL.
struct CommitLoop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit-loop", abstract: "Commit sessions in a loop (for the crash test).", shouldDisplay: false)

    @Option var records: String
    @Option var key: String
    @Option var root: String
    @Option var count: Int = 1_000_000
    @Option var terminal: String = "crash-test"
    @Option(help: "Where the kiosk notes what it last wrote (beside its key), as the kiosk does.") var state: String?

    func run() throws {
        let (library, role) = try SampleSession.shipped(root: root)
        let key = try TerminalKey.load(path: key)
        let book = try RecordBook.open(records: records, terminal: terminal, school: "Crash School", key: key, state: state)
        for i in 0..<count {
            let receipt = try book.commit(SampleSession.make(library: library, role: role, name: "Person \(i)", at: Date().addingTimeInterval(-600)))
            let line = Array("committed \(receipt.seq)\n".utf8)
            _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        }
    }
}
