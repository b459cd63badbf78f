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
            let (trusted, terminals) = try books.resolve(command: "records")
            let verifier = RecordVerifier(trustedKeys: trusted)
            // The newest `limit` matches, oldest first: memory stays flat.
            var kept: [RecordSummary] = []
            var matched = 0
            for folder in terminals {
                _ = verifier.verify(folder: folder, report: { _ in }, record: { record in
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
            }
            kept.sort { ($0.completedAt, $0.terminal, $0.seq) > ($1.completedAt, $1.terminal, $1.seq) }
            let rows = kept.map { s in
                [s.terminal, String(s.seq), String(s.completedAt.prefix(16)).replacingOccurrences(of: "T", with: " "), s.name,
                 s.roleLabel, s.documents, s.status == "verified" ? "verified" : "NOT VERIFIED"].map(Printable.text)
            }
            guard matched > 0 else {
                print("records: no records match")
                return
            }
            Printable.table(["terminal", "seq", "completed (UTC)", "name", "role", "documents", "status"], rows)
            print("\(kept.count) of \(matched) matching record\(matched == 1 ? "" : "s") shown\(matched > kept.count ? " (use --limit for more)" : "")")
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

        @Argument(help: "The record's seq (the first number of its reference).") var seq: Int
        @Option(help: "The terminal, when the records folder holds several.") var terminal: String?
        @OptionGroup var books: RecordBookOptions

        func run() throws {
            let (trusted, terminals) = try books.resolve(command: "records show")
            let names = terminals.map { ($0 as NSString).lastPathComponent }
            guard let folder = terminal.flatMap({ t in terminals.first { ($0 as NSString).lastPathComponent == t } })
                    ?? (terminals.count == 1 && terminal == nil ? terminals[0] : nil) else {
                let which = terminal.map { "there is no terminal \($0) here" } ?? "several terminals are here"
                Console.error("records show: \(which): give --terminal, one of: \(names.joined(separator: ", "))")
                throw ExitCode(1)
            }
            let layout = RecordLayout(root: folder)
            let name = (folder as NSString).lastPathComponent
            guard seq >= 1, let bytes = try AtomicFile.read(layout.record(seq: seq)) else {
                Console.error("records show: there is no record \(seq) in terminal \(name): see `kiosk records` for the seqs there")
                throw ExitCode(1)
            }
            let status = Self.status(seq: seq, bytes: bytes, layout: layout, keys: trusted)
            guard let json = try? CanonicalJSON.decode(bytes) else {
                print("Record \(seq) of terminal \(name): \(status)")
                Console.error("records show: record \(seq) cannot be read as a record (damaged): run `kiosk verify`")
                throw ExitCode(1)
            }
            print(Self.describe(json, seq: seq, terminal: name, sha256: Hex.sha256(bytes), status: status))
            if !status.hasPrefix("verified") { throw ExitCode(1) }
        }

        /// The record's own signature, and its link to the record before it.
        static func status(seq: Int, bytes: [UInt8], layout: RecordLayout, keys: [Minisign.PublicKey]) -> String {
            guard let sigBytes = try? AtomicFile.read(layout.record(seq: seq) + ".minisig"),
                  let signature = try? Minisign.Signature(fileText: String(decoding: sigBytes, as: UTF8.self)) else {
                return "NOT VERIFIED: its signature file is missing or damaged"
            }
            switch Minisign.verify(bytes, signature: signature, keys: keys) {
            case .valid: break
            case .unknownKey(let id): return "NOT VERIFIED: signed by key \(id), which is not a trusted key"
            case .badSignature, .badTrustedComment: return "NOT VERIFIED: it does not match its signature (modified)"
            }
            guard seq > 1 else { return "verified (signature good; the first record)" }
            let prev = (try? CanonicalJSON.decode(bytes))?["prev"]?.string
            guard let before = try? AtomicFile.read(layout.record(seq: seq - 1)) else {
                return "signature good, but record \(seq - 1) before it is missing"
            }
            return Hex.sha256(before) == prev ? "verified (signature good; follows record \(seq - 1))"
                : "signature good, but it does not follow record \(seq - 1): run `kiosk verify`"
        }

        static func describe(_ json: JSONValue, seq: Int, terminal: String, sha256: String, status: String) -> String {
            func text(_ value: JSONValue?) -> String { Printable.text(value?.string ?? "") }
            func time(_ value: JSONValue?) -> String { text(value).replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC") }
            let person = json["person"]
            var lines = [
                "Record \(seq) of terminal \(Printable.text(terminal)): \(status)",
                "Reference:  \(seq) · \(SignedRecord.reference(sha256: sha256))",
                "Name:       \(text(person?["name"]))",
                "Role:       \(text(person?["role_label"]))",
            ]
            let answers = person?["answers"]?.object ?? [:]
            let labels = person?["answer_labels"]?.object ?? [:]
            for id in answers.keys.sorted() {
                lines.append("\(text(labels[id] ?? .string(id))): \(text(answers[id]))")
            }
            lines += [
                "Started:    \(time(json["started_at"]))",
                "Signed:     \(time(json["signature"]?["signed_at"]))",
                "Signature:  typed \"\(text(json["signature"]?["typed_name"]))\"",
                "",
                "Documents read:",
            ]
            for document in json["documents"]?.array ?? [] {
                lines.append("  \(text(document["title"])), version \(document["version"]?.int ?? 0) (sha256 \(text(document["sha256"]).prefix(16))…)")
            }
            lines += ["", "Clauses agreed:"]
            for clause in json["clauses"]?.array ?? [] {
                let number = String(clause["number"]?.int ?? 0)
                let at = text(clause["acknowledged_at"]).dropFirst(11).prefix(8)
                lines.append("  \(String(repeating: " ", count: max(0, 3 - number.count)))\(number). \(at)  \(text(clause["text"]))")
            }
            lines += ["", "Declaration:"]
            for declaration in json["declarations"]?.array ?? [] { lines.append("  \(text(declaration["text"]))") }
            lines += ["", "Consent:    \(text(json["signature"]?["consent"]))"]
            return lines.joined(separator: "\n")
        }
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
