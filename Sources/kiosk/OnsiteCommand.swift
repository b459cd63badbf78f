import ArgumentParser
import Foundation
import KioskContent
import KioskStore
import KioskUI

/// `kiosk onsite`: who signed in today and has not signed out, by role,
/// for printing in an evacuation (or as CSV).
struct OnsiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onsite",
        abstract: "List who signed in today and has not signed out, by role: the list to print in an evacuation.",
        discussion: """
            Days and times are the local time zone's (TZ), which the list names. With `sign_out_by = "18:00"` \
            in kiosk.conf, people not signed out by then are listed as "not signed out (closed at 18:00)", never left out. \
            A sign-out that does not verify takes nobody off the list; a session that does not verify is listed, marked. \
            The books are read as verify reads them: any problem is printed on standard error after the list, and the command exits 1.
            """)

    @Option(help: ArgumentHelp("The day to list (default: today).", valueName: "YYYY-MM-DD")) var day: String?
    @Flag(help: "CSV (UTF-8 with a byte-order mark) instead of the printable list.") var csv = false
    @Flag(help: "Everyone who signed in that day, those who signed out too.") var all = false
    @OptionGroup var books: RecordBookOptions

    func run() throws {
        let timeZone = TimeZone.current
        let now = Date()
        let config = access(books.options.config, F_OK) == 0 ? try Setup.config(books.options) : nil
        let date = try day.map { try Self.parse($0, timeZone: timeZone) } ?? now
        let selection = try books.resolve(command: "onsite")
        var list = OnSiteList(day: date, timeZone: timeZone, signOutBy: config?.signOutBy)
        var scan = BookScan(selection)
        scan.run(report: { Console.error($0.description) }, record: { list.add($0) })
        let roles = config?.roles ?? []
        if csv {
            let questions = config.map(ExportCommand.questions) ?? []
            print(Self.csv(list, roles: roles, questions: questions, now: now, timeZone: timeZone, all: all), terminator: "")
        } else {
            print(Self.text(list, school: config?.school, roles: roles, now: now, timeZone: timeZone, all: all))
        }
        try Output.finishStandardOutput("onsite")
        try scan.failIfProblems("onsite")
    }

    /// A YYYY-MM-DD day in `timeZone` (noon, safely inside the day).
    static func parse(_ text: String, timeZone: TimeZone) throws -> Date {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard parts.count == 3, text.count == 10,
              let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12)),
              calendar.component(.day, from: date) == parts[2] else {
            Console.error("onsite: --day \(Printable.text(text)) is not a date: write it as YYYY-MM-DD, for example 2026-09-01")
            throw ExitCode(1)
        }
        return date
    }

    static func format(_ date: Date, _ pattern: String, _ timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    static func status(_ entry: OnSiteList.Entry, _ list: OnSiteList, now: Date, timeZone: TimeZone) -> String {
        switch list.standing(entry, now: now) {
        case .onSite: "on site"
        case .closed(let at): "not signed out (closed at \(at >= 24 * 60 ? "midnight" : KioskConfig.clock(at)))"
        case .notSignedOut: "not signed out"
        case .signedOut: "signed out at \(format(entry.signedOutAt!, "HH:mm", timeZone))"
        }
    }

    /// The printable list: a tick box, the time, the name, the answers.
    static func text(_ list: OnSiteList, school: String?, roles: [Role], now: Date, timeZone: TimeZone, all: Bool) -> String {
        let today = now >= list.dayStart && now < list.dayEnd
        let dayText = format(list.dayStart, "EEEE d MMMM yyyy", timeZone)
        let asOf = today ? ", as of \(format(now, "HH:mm", timeZone))" : ""
        var lines = ["\(school.map { "\(Printable.text($0)): " } ?? "")on site \(dayText) (time zone \(timeZone.identifier))\(asOf)"]
        let groups: [(roleLabel: String, entries: [OnSiteList.Entry])]
        if all {
            var byRole: [String: [OnSiteList.Entry]] = [:]
            for entry in list.everyone { byRole[entry.roleLabel, default: []].append(entry) }
            groups = byRole.keys.sorted().map { ($0, byRole[$0]!) }
        } else {
            groups = list.notSignedOut(roles: roles)
        }
        let count = groups.reduce(0) { $0 + $1.entries.count }
        let who = all ? "signed in" : "signed in and not signed out"
        lines.append("\(count) \(count == 1 ? "person" : "people") \(who)"
            + (list.closingTime.map { _ in ", expected to sign out by \(KioskConfig.clock(list.signOutBy!))" } ?? ""))
        for group in groups {
            lines += ["", "\(Printable.text(group.roleLabel)) (\(group.entries.count))"]
            var rows: [[String]] = []
            for entry in group.entries {
                let status = status(entry, list, now: now, timeZone: timeZone)
                rows.append(["[ ]", format(entry.signedInAt, "HH:mm", timeZone), Printable.text(entry.name), Printable.text(entry.answersText),
                             status == "on site" ? "" : status,
                             "\(entry.terminal) \(entry.seq) · \(entry.reference)" + (entry.verified ? "" : " NOT VERIFIED")])
            }
            lines += table(rows).map { "  " + $0 }
        }
        if count == 0 { lines += ["", all ? "Nobody signed in that day." : "Nobody is signed in and not signed out."] }
        return lines.joined(separator: "\n")
    }

    /// Columns padded to their widest cell (in terminal cells).
    static func table(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        // A column empty in every row (no one closed yet) takes no room.
        let kept = first.indices.filter { c in rows.contains { !$0[c].isEmpty } }
        let rows = rows.map { row in kept.map { row[$0] } }
        let widths = kept.indices.map { c in rows.map { DisplayWidth.of($0[c]) }.max() ?? 0 }
        return rows.map { row in
            let line = row.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - DisplayWidth.of($1)) }.joined(separator: "  ")
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
    }

    static func csv(_ list: OnSiteList, roles: [Role], questions: [Question], now: Date, timeZone: TimeZone, all: Bool) -> String {
        var out = CSV.byteOrderMark + CSV.row(["day", "role", "signed_in", "name"] + questions.map(\.label)
            + ["answers", "status", "terminal", "seq", "reference", "verified", "time_zone"])
        let entries = all ? list.everyone : list.notSignedOut(roles: roles).flatMap(\.entries)
        let day = format(list.dayStart, "yyyy-MM-dd", timeZone)
        for entry in entries {
            out += CSV.row([day, entry.roleLabel, format(entry.signedInAt, "HH:mm", timeZone), entry.name]
                + questions.map { entry.answers[$0.id] ?? "" }
                + [entry.answersText, status(entry, list, now: now, timeZone: timeZone), entry.terminal, String(entry.seq), entry.reference,
                   entry.verified ? "yes" : "NOT VERIFIED", timeZone.identifier])
        }
        return out
    }
}
