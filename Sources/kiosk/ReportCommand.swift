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

            A role with `valid_for_days` or `renew_on` in kiosk.conf has agreements that expire: the report
            says until when each is current, who has expired (and since when) and, with --due-within DAYS,
            whose agreement ends within that many days. --needs-action keeps only the people who must sign
            (again): with --format csv, a list for a mail merge.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, csv, json
    }

    @Option(help: ArgumentHelp("The roster CSV.", valueName: "roster.csv")) var roster: String
    @Option(help: "text, csv or json.") var format: Format = .text
    @Option(help: ArgumentHelp("Also list as due those whose agreement ends within this many days.", valueName: "days"))
    var dueWithin: Int?
    @Flag(help: "Only the people who must sign (again): never signed, an older version only, expired, or due.")
    var needsAction = false
    @OptionGroup var books: RecordBookOptions

    func validate() throws {
        if let dueWithin, dueWithin < 1 || dueWithin > 3_660 {
            throw ValidationError("--due-within must be a number of days from 1 to 3660, e.g. --due-within 30")
        }
    }

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
        var report = SigningReport(roster: parsed, roles: config.roles, library: library, dueWithinDays: dueWithin)
        var scan = BookScan(selection)
        scan.run(report: { Console.error($0.description) }, record: { report.add($0) })
        let terminals = selection.terminals
        let entries = report.entries.filter { !needsAction || !$0.isInDate }
        switch format {
        case .text: try Output.standard("report").write(Self.text(report, terminals: terminals.count, needsAction: needsAction) + "\n")
        case .csv:
            var out = CSV.byteOrderMark + CSV.row(["name", "role", "staff_id", "status", "documents", "last_signed", "reference", "valid_until"])
            for entry in entries {
                out += CSV.row([entry.person.name, entry.roleLabel, entry.person.staffID, Self.status(entry),
                                entry.documents.map { "\($0.id): \(Self.word($0.standing))" }.joined(separator: "; "),
                                entry.lastSigned?.completedAt ?? "", entry.lastSigned.map { "\($0.terminal) \($0.reference)" } ?? "",
                                Self.validUntil(entry)])
            }
            try Output.standard("report").write(out)
        case .json:
            let rows: [JSONValue] = entries.map { entry in
                .object([
                    "name": .string(entry.person.name), "role": .string(entry.person.role), "staff_id": .string(entry.person.staffID),
                    "status": .string(Self.status(entry)), "valid_until": .string(Self.validUntil(entry)),
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

    /// One word for a person: a current agreement that has expired or is
    /// due says so.
    static func status(_ entry: SigningReport.Entry) -> String {
        switch (entry.overall, entry.renewal) {
        case (.current, .expired?): "expired"
        case (.current, .due?): "due"
        default: word(entry.overall)
        }
    }

    /// The day a current agreement stops being current ("" when it lasts
    /// until the documents change, or is not current).
    static func validUntil(_ entry: SigningReport.Entry) -> String {
        switch entry.renewal {
        case .until(let end)?, .due(let end)?, .expired(since: let end)?: day(end)
        default: ""
        }
    }

    /// A day as the office reads it: the UTC day, as records are stamped.
    static func day(_ date: Date) -> String { String(Timestamp.format(date).prefix(10)) }

    static func word(_ standing: SigningReport.Standing) -> String {
        switch standing {
        case .current: "current"
        case .olderOnly: "older version only"
        case .never: "never signed"
        }
    }

    static func text(_ report: SigningReport, terminals: Int, needsAction: Bool = false) -> String {
        let entries = report.entries
        var lines = ["Report: \(entries.count) people on the roster, \(report.recordsRead) records from \(terminals) terminal\(terminals == 1 ? "" : "s").", "Current documents:"]
        for document in report.library.documents {
            // A role that agrees to part of it: how much.
            let parts = report.roles.compactMap { role -> String? in
                guard let audience = role.audience, role.documents.contains(document.id), !document.clauses.isEmpty else { return nil }
                return "\(role.label) \(document.reading(for: audience).clauses.count)"
            }
            lines.append("  \(document.title), version \(document.version) (\(document.clauses.count) clauses\(parts.isEmpty ? "" : "; " + parts.joined(separator: ", ")))")
        }
        func section(_ title: String, _ members: [SigningReport.Entry], detail: (SigningReport.Entry) -> [String]) {
            lines += ["", "\(title) (\(members.count))"]
            for entry in members {
                let id = entry.person.staffID.isEmpty ? "" : " [\(Printable.text(entry.person.staffID))]"
                let last = entry.lastSigned.map { ", last signed \(Printable.text(String($0.completedAt.prefix(10)))) (\(Printable.text($0.terminal)) \($0.reference))" } ?? ""
                var until = ""
                switch entry.renewal {
                case .until(let end)?: until = ", current until \(day(end))"
                case .due(let end)?: until = ", ends \(day(end))"
                case .expired(since: let end)?: until = ", expired \(day(end))"
                default: break
                }
                lines.append("  \(Printable.text(entry.person.name))\(id), \(entry.roleLabel)\(last)\(until)")
                lines += detail(entry).map { "      " + $0 }
            }
        }
        let current = entries.filter(\.isInDate)
        let due = entries.filter { if $0.overall == .current, case .due? = $0.renewal { true } else { false } }
        let expired = entries.filter { if $0.overall == .current, case .expired? = $0.renewal { true } else { false } }
        let older = entries.filter { if case .olderOnly = $0.overall { true } else { false } }
        let never = entries.filter { $0.overall == .never }
        if !needsAction {
            section("Signed the current version of every document", current) { _ in [] }
        }
        if let days = report.dueWithinDays {
            section("Current, but ending within \(days) day\(days == 1 ? "" : "s"): to sign again soon", due) { _ in [] }
        }
        if !expired.isEmpty || report.roles.contains(where: { $0.validity != nil }) {
            section("Expired: signed the current version, but longer ago than the role allows; to sign again", expired) { _ in [] }
        }
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
            let c = mine.filter(\.isInDate).count
            let d = mine.filter { m in due.contains { $0.person == m.person } }.count
            let e = mine.filter { m in expired.contains { $0.person == m.person } }.count
            let n = mine.filter { $0.overall == .never }.count
            let dueText = report.dueWithinDays.map { ", \(d) ending within \($0) day\($0 == 1 ? "" : "s")" } ?? ""
            let expiredText = role.validity == nil && e == 0 ? "" : ", \(e) expired"
            lines.append("  \(role.label): \(c) of \(mine.count) current\(dueText)\(expiredText), \(mine.count - c - d - e - n) older version only, \(n) never signed")
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
