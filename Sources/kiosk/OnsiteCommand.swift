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
            Someone who signed in the day before and never signed out (and, with sign_out_by, came after that day's closing hour) \
            is listed "since yesterday HH:MM". Sessions waiting in the recovery folder named in kiosk.conf (not yet saved, as after \
            a full disk) are listed "NOT YET SAVED". \
            A sign-out that does not verify takes nobody off the list; a session that does not verify is listed, marked \
            NOT VERIFIED; a record that cannot be read at all is named in the list ("a person may be missing"). \
            The books are read as verify reads them: the number of problems is printed at the top of the list, each problem \
            at its end and on standard error, and the command exits 1.
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
        // The recovery folder before the books: a session saved in between
        // is then listed twice, never not at all.
        let recoveryProblems = config.map { Self.readRecovery($0.recoveryDirectory, into: &list) } ?? []
        var scan = BookScan(selection)
        var problems: [String] = []
        scan.run(report: {
            Console.error($0.description)
            problems.append($0.description)
        }, record: { list.add($0) })
        problems += recoveryProblems
        recoveryProblems.forEach { Console.error("onsite: \($0)") }
        let roles = config?.roles ?? []
        if csv {
            let questions = config.map(ExportCommand.questions) ?? []
            print(Self.csv(list, roles: roles, questions: questions, now: now, timeZone: timeZone, all: all, problems: problems), terminator: "")
        } else {
            print(Self.text(list, school: config?.school, roles: roles, now: now, timeZone: timeZone, all: all, problems: problems))
        }
        try Output.finishStandardOutput("onsite")
        if !recoveryProblems.isEmpty && scan.totals.problemCount == 0 {
            Console.error("onsite: the recovery folder could not be read in full: a person may be missing from the list")
            throw ExitCode(1)
        }
        try scan.failIfProblems("onsite")
    }

    /// Lists the sessions waiting in the kiosk's recovery folder (and its
    /// set-aside folder) as not yet saved; returns what could not be read.
    /// A folder that is not there holds nothing waiting.
    static func readRecovery(_ folder: String, into list: inout OnSiteList) -> [String] {
        var problems: [String] = []
        for path in [folder, folder + "/set-aside"] {
            guard let entries = BoundedFile.entries(path) else {
                if access(path, F_OK) == 0 {
                    problems.append("the recovery folder \(Printable.text(path)) cannot be read (run onsite as the kiosk's user, or as root): sessions waiting there are not on the list")
                }
                continue
            }
            for (name, mode) in entries.sorted(by: { $0.name < $1.name }) where name.hasSuffix(".session.json") && !name.hasPrefix(".") {
                let file = path + "/" + name
                guard BoundedFile.isFile(mode), case .bytes(let bytes) = BoundedFile.read(file, limit: BoundedFile.recordLimit),
                      let session = try? JSONDecoder().decode(CompletedSession.self, from: Data(bytes)) else {
                    list.addUnreadable("recovery file \(Printable.text(file))")
                    problems.append("recovery file \(Printable.text(file)) cannot be read as a session: open it, or ask the kiosk's log; a person may be missing from the list")
                    continue
                }
                list.addWaiting(session, file: Printable.text(file))
            }
        }
        return problems
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
        let since = list.carriedOver(entry) ? "since \(sinceText(entry, timeZone))" : nil
        let standing: String = switch list.standing(entry, now: now) {
        case .onSite: "on site"
        case .closed(let at): "not signed out (closed at \(at >= 24 * 60 ? "midnight" : KioskConfig.clock(at)))"
        case .notSignedOut: "not signed out"
        case .signedOut: "signed out at \(format(entry.signedOutAt!, "HH:mm", timeZone))"
        }
        guard let since else { return standing }
        return standing == "on site" ? since : "\(since), \(standing)"
    }

    /// "Tue 24 Nov 23:50": the day (on paper "yesterday" may be read days later) and the time.
    static func sinceText(_ entry: OnSiteList.Entry, _ timeZone: TimeZone) -> String {
        "\(format(entry.signedInAt, "EEE d MMM", timeZone)) \(format(entry.signedInAt, "HH:mm", timeZone))"
    }

    /// Where the record is, and whether it verified or is saved at all.
    static func whereText(_ entry: OnSiteList.Entry) -> String {
        if let file = entry.waitingIn { return "NOT YET SAVED (waiting in \(file))" }
        return "\(entry.terminal) \(entry.seq) · \(entry.reference)" + (entry.verified ? "" : " NOT VERIFIED")
    }

    /// What the top of the list says when the books have problems.
    static func warning(_ list: OnSiteList, problems: [String]) -> String? {
        guard !problems.isEmpty || !list.unreadable.isEmpty else { return nil }
        let n = problems.count
        return "WARNING: \(n) problem\(n == 1 ? "" : "s") reading the records: someone may be missing from this list, "
            + "or listed who signed out (see the end of the list). Check the building as for anyone; then run `kiosk verify`."
    }

    /// The printable list: a tick box, the time, the name, the answers.
    static func text(_ list: OnSiteList, school: String?, roles: [Role], now: Date, timeZone: TimeZone, all: Bool, problems: [String] = []) -> String {
        let today = now >= list.dayStart && now < list.dayEnd
        let dayText = format(list.dayStart, "EEEE d MMMM yyyy", timeZone)
        let asOf = today ? ", as of \(format(now, "HH:mm", timeZone))" : ""
        var lines = ["\(school.map { "\(Printable.text($0)): " } ?? "")on site \(dayText) (time zone \(timeZone.identifier))\(asOf)"]
        if let warning = warning(list, problems: problems) { lines.append(warning) }
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
        let unreadable = list.unreadable.count
        lines.append("\(count) \(count == 1 ? "person" : "people") \(who)"
            + (unreadable == 0 ? "" : ", and \(unreadable) record\(unreadable == 1 ? "" : "s") that cannot be read (a person may be missing)")
            + (list.closingTime.map { _ in ", expected to sign out by \(KioskConfig.clock(list.signOutBy!))" } ?? ""))
        for group in groups {
            lines += ["", "\(Printable.text(group.roleLabel)) (\(group.entries.count))"]
            var rows: [[String]] = []
            for entry in group.entries {
                let status = status(entry, list, now: now, timeZone: timeZone)
                rows.append(["[ ]", format(entry.signedInAt, "HH:mm", timeZone), Printable.text(entry.name), Printable.text(entry.answersText),
                             status == "on site" ? "" : status, whereText(entry)])
            }
            lines += table(rows).map { "  " + $0 }
        }
        if unreadable > 0 {
            lines += ["", "Records that cannot be read (\(unreadable))"]
            lines += list.unreadable.map { "  [ ]  \(Printable.text($0)) cannot be read – a person may be missing" }
        }
        if count == 0 && unreadable == 0 { lines += ["", all ? "Nobody signed in that day." : "Nobody is signed in and not signed out."] }
        if !problems.isEmpty {
            lines += ["", "Problems reading the records (\(problems.count)):"] + problems.map { "  " + Printable.text($0) }
        }
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

    static func csv(_ list: OnSiteList, roles: [Role], questions: [Question], now: Date, timeZone: TimeZone, all: Bool, problems: [String] = []) -> String {
        var out = CSV.byteOrderMark + CSV.row(["day", "role", "signed_in", "name"] + questions.map(\.label)
            + ["answers", "status", "terminal", "seq", "reference", "verified", "time_zone"])
        let entries = all ? list.everyone : list.notSignedOut(roles: roles).flatMap(\.entries)
        let day = format(list.dayStart, "yyyy-MM-dd", timeZone)
        let blanks = [String](repeating: "", count: questions.count)
        // The warning first, where a reader (or a spreadsheet) sees it.
        if let warning = warning(list, problems: problems) {
            out += CSV.row([day, "PROBLEMS", "", ""] + blanks + [warning, "", "", "", "", "NOT VERIFIED", timeZone.identifier])
        }
        for entry in entries {
            out += CSV.row([day, entry.roleLabel, format(entry.signedInAt, "HH:mm", timeZone), entry.name]
                + questions.map { entry.answers[$0.id] ?? "" }
                + [entry.answersText, status(entry, list, now: now, timeZone: timeZone), entry.terminal, entry.waitingIn == nil ? String(entry.seq) : "",
                   entry.reference, entry.waitingIn.map { "NOT YET SAVED (waiting in \($0))" } ?? (entry.verified ? "yes" : "NOT VERIFIED"), timeZone.identifier])
        }
        for what in list.unreadable {
            out += CSV.row([day, "", "", ""] + blanks + ["", "\(what) cannot be read – a person may be missing", "", "", "", "NOT VERIFIED", timeZone.identifier])
        }
        for problem in problems {
            out += CSV.row([day, "PROBLEM", "", ""] + blanks + [problem, "", "", "", "", "NOT VERIFIED", timeZone.identifier])
        }
        return out
    }
}
