import ArgumentParser
import Foundation
import KioskContent
import KioskStore

/// `kiosk export`: every record as a row, for a spreadsheet or a program.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write one row per record as CSV (for a spreadsheet) or JSON, with its verification status.",
        discussion: """
            CSV is RFC 4180 in UTF-8 with a byte-order mark, so LibreOffice and Excel open it as it is.
            Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
            Records that do not verify are still listed, with status "NOT VERIFIED".
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, json
    }

    @Option(help: "csv or json.") var format: Format = .csv
    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?
    @OptionGroup var books: RecordBookOptions

    func run() throws {
        let selection = try books.resolve(command: "export")
        // A column for each question the roles ask (Organisation, Visiting whom).
        let questions = access(books.options.config, F_OK) == 0 ? Self.questions(try Setup.config(books.options)) : []
        let sink = try output.map { try Output.file($0, command: "export") } ?? Output.standard("export")
        var buffer = ""
        var failure: Error?
        // What `append` adds to the buffer, written out every 64 KiB.
        func emit(_ append: (inout String) -> Void) {
            guard failure == nil else { return }
            append(&buffer)
            if buffer.utf8.count > 1 << 16 {
                do { try sink.write(buffer) } catch { failure = error }
                buffer = ""
            }
        }
        func emit(_ text: String) { emit { $0 += text } }
        var count = 0
        switch format {
        case .csv: emit(CSV.byteOrderMark + CSV.row(RecordSummary.columns(questions: questions)))
        case .json: emit("[")
        }
        var scan = BookScan(selection)
        scan.run(report: { Console.error($0.description) }, record: { record in
            let summary = RecordSummary(record)
            switch format {
            case .csv: emit { CSV.appendRow(summary.cells(questions: questions), to: &$0) }
            case .json:
                emit((count == 0 ? "\n" : ",\n") + String(decoding: CanonicalJSON.encode(summary.json).dropLast(), as: UTF8.self))
            }
            count += 1
        })
        if format == .json { emit("\n]\n") }
        if let failure { throw failure }
        try sink.write(buffer)
        try sink.finish()
        if let output { Console.error("export: \(count) records written to \(output)") }
        try scan.failIfProblems("export")
    }

    /// Every role's questions, each once, in the order kiosk.conf lists them.
    static func questions(_ config: KioskConfig) -> [Question] {
        var seen = Set<String>()
        return config.roles.flatMap(\.questions).filter { seen.insert($0.id).inserted }
    }
}
