import ArgumentParser
import Foundation
import KioskContent
import KioskStore
import Logging

/// Writes a record book of N records quickly (real records and signatures,
/// no fsync): the large books the benchmarks verify and start up against.
struct FillBook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fill", abstract: "Write a record book of N records (no fsync) for benchmarks.")

    @Option(help: "The records folder.") var records: String
    @Option(help: "The signing key (created if missing).") var key: String
    @Option var terminal: String = "bench"
    @Option var count: Int = 100_000
    @Option(help: "The repository (for the shipped content).") var root: String = FileManager.default.currentDirectoryPath

    func run() throws {
        try Self.fill(records: records, keyPath: key, terminal: terminal, count: count, root: root)
    }

    static let noSync = FileSystemCalls(open: FileSystemCalls.posix.open, write: FileSystemCalls.posix.write, fsync: { _ in 0 },
                                        rename: FileSystemCalls.posix.rename)

    static func fill(records: String, keyPath: String, terminal: String, count: Int, root: String) throws {
        let (library, role) = try SampleSession.shipped(root: root)
        let key: TerminalKey
        if access(keyPath, F_OK) == 0 {
            key = try TerminalKey.load(path: keyPath)
        } else {
            key = TerminalKey.generate()
            try key.save(path: keyPath, terminal: terminal)
        }
        let book = try RecordBook.open(records: records, terminal: terminal, school: "Bench School", key: key, calls: noSync,
                                       logger: quietLogger)
        let session = SampleSession.make(library: library, role: role, name: "Sam Lee", at: Date().addingTimeInterval(-600))
        for _ in 0..<count { _ = try book.commit(session) }
        book.close()
        // Written without fsync for speed; flush it all now, or the kernel
        // writes a gigabyte back while the timed runs that follow are
        // measured (it made start-up with 100,000 records look 20-45%
        // slower than with none; with the disk settled they are equal).
        sync()
    }
}

/// The store's log lines are not the benchmark's output.
let quietLogger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
