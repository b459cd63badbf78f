import ArgumentParser
import Foundation
import KioskContent
import KioskStore

/// `kiosk report`: for a roster of expected people, who has signed what.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "For a roster (CSV: name,role[,staff_id]), who signed the current documents, who an older version only, who never.",
        discussion: """
            The current documents are the ones in the content folder of kiosk.conf. A person is current when
            every clause of the current version is among the clauses they agreed to (a re-wrapped clause is
            the same clause). Names match without case or extra spaces. Records that do not verify are left
            out of "signed" and listed at the end. Works over several terminals' folders at once.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv, json
    }

    @Option(help: ArgumentHelp("The roster CSV.", valueName: "roster.csv")) var roster: String
    @Option(help: "text, csv or json.") var format: Format = .text
    @OptionGroup var books: RecordBookOptions

    func run() throws {
        let (config, library) = try Setup.configAndContent(books.options)
        let text: String
        do {
            text = try TextFile.read(roster, kind: .roster)
        } catch {
            Console.error(error.description)
            throw ExitCode(1)
        }
        let (parsed, problems) = Roster.parse(text, path: roster, roles: config.roles)
        for problem in problems { Console.error(problem.description) }
        guard let parsed else { throw ExitCode(1) }
        let selection = try books.resolve(command: "report")
        var report = SigningReport(roster: parsed, roles: config.roles, library: library)
        var scan = BookScan(selection)
        scan.run(report: { Console.error($0.description) }, record: { report.add($0) })
        let terminals = selection.terminals
        switch format {
        case .text: try Output.standard("report").write(Self.text(report, terminals: terminals.count) + "\n")
        case .csv:
            var out = CSV.byteOrderMark + CSV.row(["name", "role", "staff_id", "status", "documents", "last_signed", "reference"])
            for entry in report.entries {
                out += CSV.row([entry.person.name, entry.roleLabel, entry.person.staffID, Self.word(entry.overall),
                                entry.documents.map { "\($0.id): \(Self.word($0.standing))" }.joined(separator: "; "),
                                entry.lastSigned?.completedAt ?? "", entry.lastSigned.map { "\($0.terminal) \($0.reference)" } ?? ""])
            }
            try Output.standard("report").write(out)
        case .json:
            let rows: [JSONValue] = report.entries.map { entry in
                .object([
                    "name": .string(entry.person.name), "role": .string(entry.person.role), "staff_id": .string(entry.person.staffID),
                    "status": .string(Self.word(entry.overall)),
                    "last_signed": .string(entry.lastSigned?.completedAt ?? ""),
                    "reference": .string(entry.lastSigned.map { "\($0.terminal) \($0.reference)" } ?? ""),
                    "documents": .array(entry.documents.map { doc in
                        var object: [String: JSONValue] = ["id": .string(doc.id), "status": .string(Self.word(doc.standing))]
                        if case .olderOnly(let version, let changed) = doc.standing {
                            object["signed_version"] = .int(version)
                            object["changed_clauses"] = .array(changed.map { .string($0.text) })
                        }
                        return .object(object)
                    }),
                ])
            }
            let untrusted: [JSONValue] = report.untrusted.map { .object(["terminal": .string($0.terminal), "seq": .int($0.seq)]) }
            let unmatched: [JSONValue] = report.unmatched.map {
                .object(["name": .string($0.name), "role": .string($0.roleLabel), "records": .int($0.records),
                         "last_signed": .string($0.lastCompletedAt), "reference": .string($0.lastReference)])
            }
            try Output.standard("report").write(String(decoding: CanonicalJSON.encode(.object([
                "people": .array(rows), "untrusted_records": .array(untrusted), "not_on_roster": .array(unmatched)])), as: UTF8.self))
        }
        try scan.failIfProblems("report")
        // Rows of the roster that were left out: the report is not the whole roster.
        if !problems.isEmpty {
            Console.error("report: \(problems.count) roster row\(problems.count == 1 ? " was" : "s were") left out (above); fix the roster and run the report again")
            throw ExitCode(1)
        }
    }

    static func word(_ standing: SigningReport.Standing) -> String {
        switch standing {
        case .current: "current"
        case .olderOnly: "older version only"
        case .never: "never signed"
        }
    }

    static func text(_ report: SigningReport, terminals: Int) -> String {
        let entries = report.entries
        var lines = ["Report: \(entries.count) people on the roster, \(report.recordsRead) records from \(terminals) terminal\(terminals == 1 ? "" : "s").", "Current documents:"]
        for document in report.library.documents {
            lines.append("  \(document.title), version \(document.version) (\(document.clauses.count) clauses)")
        }
        func section(_ title: String, _ members: [SigningReport.Entry], detail: (SigningReport.Entry) -> [String]) {
            lines += ["", "\(title) (\(members.count))"]
            for entry in members {
                let id = entry.person.staffID.isEmpty ? "" : " [\(Printable.text(entry.person.staffID))]"
                let last = entry.lastSigned.map { ", last signed \(Printable.text(String($0.completedAt.prefix(10)))) (\(Printable.text($0.terminal)) \($0.reference))" } ?? ""
                lines.append("  \(Printable.text(entry.person.name))\(id), \(entry.roleLabel)\(last)")
                lines += detail(entry).map { "      " + $0 }
            }
        }
        let current = entries.filter { $0.overall == .current }
        let older = entries.filter { if case .olderOnly = $0.overall { true } else { false } }
        let never = entries.filter { $0.overall == .never }
        section("Signed the current version of every document", current) { _ in [] }
        section("Signed an older version only: to sign again", older) { entry in
            entry.documents.flatMap { doc -> [String] in
                let title = report.library.document(doc.id)?.shortTitle ?? doc.id
                switch doc.standing {
                case .current: return ["\(title): current"]
                case .never: return ["\(title): never signed"]
                case .olderOnly(let version, let changed):
                    let head = "\(title): signed version \(version); \(changed.count) clause\(changed.count == 1 ? "" : "s") new or changed since:"
                    return [head] + changed.map { "  - " + Printable.text($0.rich.plain) }
                }
            }
        }
        section("Never signed", never) { _ in [] }
        lines += ["", "Totals by role"]
        for role in report.roles {
            let mine = entries.filter { $0.person.role == role.id }
            guard !mine.isEmpty else { continue }
            let c = mine.filter { $0.overall == .current }.count
            let n = mine.filter { $0.overall == .never }.count
            lines.append("  \(role.label): \(c) of \(mine.count) current, \(mine.count - c - n) older version only, \(n) never signed")
        }
        let unmatched = report.unmatched
        if !unmatched.isEmpty {
            lines += ["", "Signed, but on no line of the roster (\(unmatched.count)): a visitor, a misspelt name, or someone to add"]
            for entry in unmatched {
                let times = entry.records == 1 ? "" : ", \(entry.records) records"
                lines.append("  \(Printable.text(entry.name)), \(Printable.text(entry.roleLabel)), last signed \(Printable.text(String(entry.lastCompletedAt.prefix(10)))) (\(entry.lastReference))\(times)")
            }
        }
        if !report.untrusted.isEmpty {
            lines += ["", "Records that could not be trusted, left out of the above (\(report.untrusted.count)); run kiosk verify:"]
            for record in report.untrusted {
                lines.append("  \(record.terminal) seq \(record.seq)\(record.name.isEmpty ? "" : " (\(Printable.text(record.name)))")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
