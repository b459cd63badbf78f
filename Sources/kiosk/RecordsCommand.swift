import ArgumentParser
import Foundation
import KioskContent
import KioskStore
import KioskUI

/// `kiosk records`: who signed, newest first; `kiosk records show SEQ`: one record in full.
struct RecordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "List records newest first, or show one in full.",
        subcommands: [List.self, Show.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List records, newest first, with filters.")

        @Option(help: "Only this role (its id, e.g. visitor).") var role: String?
        @Option(help: "Only names containing this (any case).") var name: String?
        @Option(help: ArgumentHelp("Only records completed on or after this day.", valueName: "YYYY-MM-DD")) var since: String?
        @Option(help: ArgumentHelp("Only records completed on or before this day.", valueName: "YYYY-MM-DD")) var until: String?
        @Option(help: "Only records that include this document id.") var document: String?
        @Option(help: "How many to list at most.") var limit: Int = 50
        @OptionGroup var books: RecordBookOptions

        func run() throws {
            let from = try since.map { try Self.day($0, option: "--since") }
            let to = try until.map { try Self.day($0, option: "--until") + 86_400 }
            let selection = try books.resolve(command: "records")
            // The newest `limit` matches, oldest first: memory stays flat.
            var kept: [RecordSummary] = []
            var matched = 0
            var scan = BookScan(selection)
            scan.run(report: { Console.error($0.description) }, record: { record in
                    let summary = RecordSummary(record)
                    if let role, summary.role != role { return }
                    if let name, !summary.name.lowercased().contains(name.lowercased()) { return }
                    if let document, !summary.documentIDs.contains(document) { return }
                    let completed = Timestamp.parse(summary.completedAt)
                    if let from, (completed.map { $0 < from } ?? true) { return }
                    if let to, (completed.map { $0 >= to } ?? true) { return }
                    matched += 1
                    kept.append(summary)
                    if kept.count > limit { kept.removeFirst() }
            })
            kept.sort { ($0.completedAt, $0.terminal, $0.seq) > ($1.completedAt, $1.terminal, $1.seq) }
            // A column for each question the shown records answer.
            let questions = (access(books.options.config, F_OK) == 0 ? ExportCommand.questions(try Setup.config(books.options)) : [])
                .filter { q in kept.contains { !($0.answerValues[q.id] ?? "").isEmpty } }
            let rows = kept.map { s in
                ([s.terminal, String(s.seq), String(s.completedAt.prefix(16)).replacingOccurrences(of: "T", with: " "), s.name, s.roleLabel]
                 + questions.map { s.answerValues[$0.id] ?? "" }
                 + [s.durationSeconds.map(RecordSummary.duration) ?? "", s.documents, s.status == "verified" ? "verified" : "NOT VERIFIED"]).map(Printable.text)
            }
            if matched == 0 {
                print("records: no records match")
            } else {
                Printable.table(["terminal", "seq", "completed (UTC)", "name", "role"] + questions.map { Printable.text($0.label) } + ["took", "documents", "status"], rows)
                print("\(kept.count) of \(matched) matching record\(matched == 1 ? "" : "s") shown\(matched > kept.count ? " (use --limit for more)" : "")")
            }
            try Output.finishStandardOutput("records")
            try scan.failIfProblems("records")
        }

        /// Midnight UTC of a YYYY-MM-DD day, or a clear error.
        static func day(_ text: String, option: String) throws -> Date {
            guard let date = Timestamp.parse(text + "T00:00:00Z") else {
                Console.error("records: \(option) \(text) is not a date: write it as YYYY-MM-DD, for example 2026-09-01")
                throw ExitCode(1)
            }
            return date
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one record as a person reads it, with its verification status.")

        @Argument(help: ArgumentHelp("The record's reference as the kiosk showed it (`42 · 7F3A-9C21`, or `7F3A-9C21` alone), or its seq (42).",
                                     valueName: "reference"))
        var reference: String
        @Option(help: "The terminal, when the records folder holds several.") var terminal: String?
        @OptionGroup var books: RecordBookOptions

        func run() throws {
            guard let wanted = RecordReference(reference) else {
                Console.error("records show: \(Printable.text(reference)) is not a reference: give it as the kiosk showed it, `42 · 7F3A-9C21` or `7F3A-9C21`, or the record's number")
                throw ExitCode(1)
            }
            var selection = try books.resolve(command: "records show")
            let names = selection.terminals.map { ($0 as NSString).lastPathComponent }
            var folders = selection.terminals
            if let terminal {
                guard let folder = selection.terminals.first(where: { ($0 as NSString).lastPathComponent == terminal }) else {
                    Console.error("records show: there is no terminal \(Printable.text(terminal)) here: give --terminal, one of: \(names.joined(separator: ", "))")
                    throw ExitCode(1)
                }
                folders = [folder]
            } else if wanted.seq != nil && wanted.code == nil && folders.count > 1 {
                Console.error("records show: several terminals are here: give --terminal, one of: \(names.joined(separator: ", ")) (or the reference's code, which names one record)")
                throw ExitCode(1)
            }
            // The record is judged exactly as verify judges it: the same
            // check of its file, and the chain from the first record to it.
            // A code alone is looked for in every terminal's book.
            selection.terminals = folders
            selection.problems = []
            var scan = BookScan(selection)
            var matches: [CheckedRecord] = []
            var problems: [VerificationProblem] = []
            scan.run(report: { problems.append($0) }, through: wanted.seq, record: { record in
                if wanted.matches(seq: record.seq, sha256: record.sha256) { matches.append(record) }
            })
            guard let found = matches.first else {
                let whereText = folders.count == 1 ? "terminal \(Printable.text((folders[0] as NSString).lastPathComponent))" : "these terminals"
                let seqHere = wanted.seq.flatMap { seq in wanted.code == nil ? nil : seq }
                Console.error("records show: no record of \(whereText) has the reference \(Printable.text(reference))"
                    + (seqHere != nil ? " (record \(seqHere!) has another code: check both halves)" : "") + ": see `kiosk records` for the references there")
                throw ExitCode(1)
            }
            guard matches.count == 1 else {
                Console.error("records show: \(matches.count) records have the code \(wanted.code ?? ""): " +
                              matches.map { "\($0.terminal) \($0.seq)" }.joined(separator: ", ") + "; give the number too (`\(matches[0].seq) · \(wanted.code ?? "")`)")
                throw ExitCode(1)
            }
            let seq = found.seq
            let name = found.terminal
            // Every problem verify names at this seq counts, its stored documents' included.
            let documents = Set((found.record?.session?.storedSHA256s ?? []).map { "content/\($0).md" })
            let mine = problems.filter { $0.terminal == name && ($0.seq == seq || documents.contains($0.file)) }
            let trusted = found.intact && mine.isEmpty
            let status = trusted ? "verified (signature good\(seq == 1 ? "; the first record" : "; follows record \(seq - 1)"))"
                : "NOT VERIFIED: " + (mine.map { "\($0.kind.rawValue): \($0.detail)" }.first ?? "records before it have problems: run `kiosk verify`")
            guard let record = found.record else {
                print("Record \(seq) of terminal \(Printable.text(name)): \(status)")
                Console.error("records show: record \(seq) cannot be shown: its signature does not hold, so its text cannot be trusted. Run `kiosk verify`")
                throw ExitCode(1)
            }
            print(Self.describe(record, seq: seq, terminal: name, sha256: found.sha256, status: status))
            try Output.finishStandardOutput("records show")
            if !trusted { throw ExitCode(1) }
        }

        /// "4 min 10 s: Rules 1 min 5 s; Use of ICT 40 s; ..."
        static func took(_ session: RecordFile.Session) -> String {
            let (seconds, sections) = RecordSummary.timing(of: session)
            let total = seconds.map(RecordSummary.duration) ?? "?"
            return Printable.text(sections.isEmpty ? total : "\(total), reading \(sections)")
        }

        static func describe(_ record: RecordFile, seq: Int, terminal: String, sha256: String, status: String) -> String {
            func text(_ value: String) -> String { Printable.text(value) }
            func time(_ value: String) -> String { text(value).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC") }
            var lines = [
                "Record \(seq) of terminal \(Printable.text(terminal)): \(status)",
                "Reference:  \(seq) · \(SignedRecord.reference(sha256: sha256))",
            ]
            switch record.body {
            case .keyChange(let change):
                lines += [
                    "Key change: the terminal's signing key was handed over to key \(text(change.newKeyID))",
                    "When:       \(time(change.changedAt))",
                    "Reason:     \(text(change.reason))",
                ]
            case .bookResumed(let resumed):
                lines += [
                    "Book started again: records 1 to \(resumed.lostSeq) were lost from this terminal's folder; this record follows the last of them",
                    "When:       \(time(resumed.resumedAt))",
                    "Reason:     \(text(resumed.reason))",
                ]
            case .signOut(let out):
                lines += [
                    "Sign-out:   closes record \(out.session.seq) · \(SignedRecord.reference(sha256: out.session.sha256)) of terminal \(text(out.session.terminal))",
                    "When:       \(time(out.signedOutAt))",
                    "How:        with the \(out.method == "pass-code" ? "pass code" : "record's reference")",
                ]
            case .session(let session):
                let person = session.person
                lines += ["Name:       \(text(person.name))", "Role:       \(text(person.roleLabel))"]
                for id in person.answers.keys.sorted() {
                    lines.append("\(text(person.answerLabels[id] ?? id)): \(text(person.answers[id] ?? ""))")
                }
                if let language = session.language {
                    lines.append("Language:   \(text(language)) (read and agreed in translation; each clause below shows the text shown, then the authoritative text it translates)")
                }
                lines += [
                    "Started:    \(time(session.startedAt))",
                    "Signed:     \(time(session.signature.signedAt))",
                    "Took:       \(Self.took(session))",
                    "Signature:  typed \"\(text(session.signature.typedName))\"",
                ] + (session.previous.map { p in
                    ["Builds on:  record \(p.seq) · \(SignedRecord.reference(sha256: p.sha256)) of terminal \(text(p.terminal)) (signed here before: only the clauses new since were asked)"]
                } ?? []) + [
                    "",
                    "Documents read:",
                ]
                for document in session.documents {
                    lines.append("  \(text(document.title)), version \(document.version) (sha256 \(document.sha256.prefix(16))…)")
                    if let t = document.translation {
                        lines.append("    shown in translation (\(text(t.language))): \(text(t.title)) (sha256 \(t.sha256.prefix(16))…)")
                    }
                }
                lines += ["", "Clauses agreed:"]
                if session.clauses.isEmpty {
                    // A returning person asked nothing new: say so, not an empty list.
                    lines.append(session.previous.map { "  none new this time: the clauses agreed are those of record \($0.seq) it builds on (above)" }
                                 ?? "  none (the documents read have no clauses)")
                }
                for clause in session.clauses {
                    let number = String(clause.number)
                    let at = clause.acknowledgedAt.dropFirst(11).prefix(8)
                    let lead = "  \(String(repeating: " ", count: max(0, 3 - number.count)))\(number). \(at)  "
                    if let shown = clause.shownText {
                        lines.append(lead + "shown:         \(text(shown))")
                        lines.append(String(repeating: " ", count: lead.count) + "authoritative: \(text(clause.text)) (id \(clause.id.prefix(16))…)")
                    } else {
                        lines.append(lead + text(clause.text))
                    }
                }
                lines += ["", "Declaration:"]
                for declaration in session.declarations {
                    if let shown = declaration.shownText {
                        lines.append("  shown:         \(text(shown))")
                        lines.append("  authoritative: \(text(declaration.text))")
                    } else {
                        lines.append("  \(text(declaration.text))")
                    }
                }
                lines += ["", "Consent:    \(text(session.signature.consent))"]
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// A record's reference as a person reads it off the kiosk's last screen
/// or a receipt: "42 · 7F3A-9C21", "42 7f3a9c21", "7F3A-9C21", or "42".
struct RecordReference {
    var seq: Int?
    /// Eight upper-case hex digits, without the hyphen.
    var code: String?

    init?(_ text: String) {
        // The code is the last eight hex digits (7F3A-9C21 or 7f3a9c21);
        // a number before it is the seq. Eight digits alone are a code.
        let spaced = String(text.uppercased().map { (c: Character) -> Character in c == "·" || c == "," || c == "#" ? " " : c })
        var tokens = spaced.split(separator: " ").map(String.init)
        func isHex(_ t: String) -> Bool { !t.isEmpty && t.allSatisfy { $0.isASCII && $0.isHexDigit } }
        var code: String?
        if let last = tokens.last {
            let joined = last.replacingOccurrences(of: "-", with: "")
            let halves = last.split(separator: "-", omittingEmptySubsequences: false)
            if joined.count == 8, isHex(joined), halves.count == 1 || (halves.count == 2 && halves.allSatisfy { $0.count == 4 }) {
                code = joined
                tokens.removeLast()
            } else if tokens.count >= 2, last.count == 4, isHex(last), tokens[tokens.count - 2].count == 4, isHex(tokens[tokens.count - 2]) {
                code = tokens[tokens.count - 2] + last
                tokens.removeLast(2)
            }
        }
        var seq: Int?
        if tokens.count == 1, tokens[0].allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(tokens[0]), n >= 1 {
            seq = n
            tokens.removeLast()
        }
        guard tokens.isEmpty, seq != nil || code != nil else { return nil }
        self.seq = seq
        self.code = code
    }

    func matches(seq: Int, sha256: String) -> Bool {
        if let wanted = self.seq, wanted != seq { return false }
        if let code, sha256.prefix(8).uppercased() != code { return false }
        return true
    }
}

/// Text from records made safe to print on a terminal: a name holding an
/// escape sequence is shown, never obeyed.
enum Printable {
    static func text(_ value: String) -> String {
        String(value.map(Screen.printable))
    }

    /// Columns padded to their widest cell, in terminal cells (a CJK
    /// character takes two).
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        for row in all {
            let line = row.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - DisplayWidth.of($1)) }.joined(separator: "  ")
            print(String(line.reversed().drop(while: { $0 == " " }).reversed()))
        }
    }
}
