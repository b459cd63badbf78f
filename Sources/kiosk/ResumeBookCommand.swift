import ArgumentParser
import Foundation
import KioskContent
import KioskStore
import Logging

/// `kiosk resume-book`: after a terminal's records folder is lost for good.
struct ResumeBookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume-book",
        abstract: "Start this terminal's record book again after its folder was lost for good.",
        discussion: """
            The kiosk notes beside its key the last record it wrote. When the records folder is lost
            (a dead disk, a deletion) and cannot be put back, this starts a new folder whose first
            record follows that last record: its `prev` is the lost record's hash. The office's copy
            of the lost records and the new records then make one chain, under the same terminal id
            and key, and `kiosk verify` on the office's collection finds nothing missing. Stop the
            kiosk first. The lost folder must not be in place (put what is left of it aside).
            """)

    @OptionGroup var options: ConfigOptions

    @Option(help: "Why the book is started again, in a few words; it is signed into the first record.")
    var reason: String

    func run() throws {
        let config = try Setup.config(options)
        do {
            let key = try TerminalKey.load(path: config.keyPath)
            let book = try RecordBook.startAgain(records: config.recordsDirectory, terminal: config.terminal, school: config.school,
                                                 key: key, state: BookState.path(forKey: config.keyPath), reason: reason,
                                                 logger: Console.quietLogger)
            defer { book.close() }
            print("""
                resume-book: terminal \(config.terminal) has a record book again; it goes on from record \(book.lastSeq) (\(SignedRecord.reference(sha256: book.lastHash))),
                  which follows record \(book.lastSeq - 1) of the lost folder. Collect the records to the office as before:
                  with the office's copy of records 1 to \(book.lastSeq - 1), the chain is whole.
                """)
        } catch {
            Console.error("resume-book: \(error)")
            throw ExitCode(1)
        }
    }
}
