import ArgumentParser
import ChildProcess
import Foundation
import KioskContent
import KioskUI

/// The kiosk through a pseudo-terminal, against `dialog` doing the same job.
struct UIBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "First paint, page turns, start-up with many records, memory of a session; against dialog.")

    @OptionGroup var place: BenchOptions
    var root: String { place.root }
    var dir: String { place.dir }

    @Option(help: "Records on disk for the start-up comparison.")
    var startupRecords: Int = 100_000

    @Option(help: "Repetitions of each timing.")
    var repeats: Int = 7

    @Flag(help: "Print each page turn's time and bytes.")
    var verbose = false

    func run() throws {
        let kiosk = sibling("kiosk")
        let dialog = which("dialog")
        if dialog == nil { Swift.print("dialog is not installed (apt-get install dialog): its columns stay empty") }
        let work = dir + "/kiosk-ui-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        let folder = try Self.kioskFolder(root: root, at: work + "/kiosk")
        var table = Table()

        // A first run makes the key and the records folder, so the timed runs do not.
        let warm = try PseudoTerminal(kiosk, [], directory: folder)
        _ = try warm.waitFor("Press Enter to begin")
        warm.stop()

        // 1. First paint of the welcome screen, against dialog --msgbox.
        // Three times the repeats, taken in turns with dialog: a start is a
        // few milliseconds, and this machine's speed drifts.
        var ours: [Double] = []
        var theirs: [Double] = []
        for _ in 0..<repeats * 3 {
            let t = try PseudoTerminal(kiosk, [], directory: folder)
            ours.append(try t.waitFor("Press Enter to begin") - t.started)
            t.stop()
            if let dialog {
                let d = try PseudoTerminal(dialog, ["--msgbox", "Welcome to Redhill Primary School. Press Enter to begin.", "10", "60"], directory: folder)
                theirs.append(try d.waitFor("Redhill Primary") - d.started)
            }
        }
        add(&table, "first paint of the welcome screen", ours, theirs, reference: "dialog --msgbox", goal: "<= 2.0")

        // 2. Page turns in a long section, against dialog --textbox on the same text.
        let (ourTurns, ourBytes) = try kioskPageTurns(kiosk, folder: folder)
        var dialogTurns: [Double] = [], dialogBytes: [Int] = []
        if let dialog {
            let text = work + "/policy.txt"
            try Self.plainText(root: root).write(toFile: text, atomically: true, encoding: .utf8)
            let t = try PseudoTerminal(dialog, ["--textbox", text, "24", "80"], directory: folder)
            _ = try t.waitFor("Social")
            _ = t.settle()
            (dialogTurns, dialogBytes) = turns(t, count: repeats * 2)
        }
        add(&table, "PgDn/PgUp to the next page painted", ourTurns, dialogTurns, reference: "dialog --textbox", goal: "<= 1.0")
        let ourMedianBytes = Stats.percentile(ourBytes.map(Double.init), 50)
        let dialogMedianBytes = Stats.percentile(dialogBytes.map(Double.init), 50)
        table.add("bytes to the terminal per page turn (median)", ours: String(format: "%.0f B", ourMedianBytes),
                  reference: dialog == nil ? "-" : String(format: "%.0f B dialog --textbox", dialogMedianBytes),
                  ratio: dialog == nil ? nil : ourMedianBytes / dialogMedianBytes, goal: "<= 1.0")

        // 3. Start-up with many records on disk, against none.
        let empty = try Self.kioskFolder(root: root, at: work + "/empty")
        let full = try Self.kioskFolder(root: root, at: work + "/full")
        try FillBook.fill(records: full + "/records", keyPath: full + "/keys/terminal.key", terminal: "reception-1", count: startupRecords, root: root)
        var withNone: [Double] = [], withMany: [Double] = []
        for folder in [empty, full] {
            let first = try PseudoTerminal(kiosk, [], directory: folder)
            _ = try first.waitFor("Press Enter to begin")
            first.stop()
        }
        // Taken in turns, so that whatever else the machine does at the
        // time falls on both alike.
        for _ in 0..<repeats {
            for (folder, many) in [(empty, false), (full, true)] {
                let t = try PseudoTerminal(kiosk, [], directory: folder)
                let seconds = try t.waitFor("Press Enter to begin") - t.started
                if many { withMany.append(seconds) } else { withNone.append(seconds) }
            }
        }
        add(&table, "start-up with \(startupRecords) records", withMany, withNone, reference: "with none", goal: "~1.0 (noise)")

        // 4. Peak memory of a whole visitor session, ended with the admin PIN.
        let session = try PseudoTerminal(kiosk, [], directory: folder)
        try Self.begin(session, role: "2", details: "Zoë Ångström 李小龍\rAcme Plumbing\rMrs Patel\r")
        var mark = session.output.count
        for _ in 0..<200 {
            session.send("\r")
            if (try? session.waitFor("Sign:", from: mark, timeout: 0.05)) != nil { break }
        }
        _ = session.settle()
        session.send("Zoë Ångström 李小龍\r")
        mark = session.output.count
        _ = try session.waitFor("Reference:", from: mark)
        session.send("\r")
        _ = session.settle()
        session.send("\u{1B}[21~")
        _ = try session.waitFor("Admin PIN")
        session.send("\(Lint.shippedPIN)\r")
        guard let ended = session.finish() else { throw BenchError("the kiosk did not leave with the admin PIN") }
        table.add("peak memory of a whole visitor session", ours: "\(ended.maxRSSKiB / 1024) MB", reference: "-", ratio: nil, goal: "<= 30 MB")

        // 5. kiosk lint on the shipped content, against the program doing nothing (--help).
        var lintTimes: [Double] = [], helpTimes: [Double] = []
        for _ in 0..<repeats {
            for (arguments, into) in [(["lint", "--config", root + "/kiosk.conf"], 0), (["--help"], 1)] {
                let start = now()
                let result = measure(kiosk, arguments)
                guard result.status == 0 else { throw BenchError("kiosk \(arguments[0]) failed: \(result.output)") }
                if into == 0 { lintTimes.append(now() - start) } else { helpTimes.append(now() - start) }
            }
        }
        add(&table, "kiosk lint, shipped content", lintTimes, helpTimes, reference: "kiosk --help", goal: "< 50 ms")

        // 6. The binary as deployed (Swift runtime and Foundation linked in).
        var info = stat()
        if stat(kiosk, &info) == 0 {
            table.add("size of the static kiosk binary", ours: String(format: "%.1f MB", Double(info.st_size) / 1_000_000), reference: "-", ratio: nil, goal: "-")
        }

        table.print()
    }

    func add(_ table: inout Table, _ figure: String, _ ours: [Double], _ theirs: [Double], reference: String, goal: String) {
        let a = Stats.percentile(ours, 50)
        let b = Stats.percentile(theirs, 50)
        table.add(figure + " (median)", ours: Stats.ms(a), reference: theirs.isEmpty ? "-" : "\(Stats.ms(b)) \(reference)",
                  ratio: theirs.isEmpty ? nil : a / b, goal: goal)
    }

    /// Opens the long Guidance section (section 4 of the policy), then turns pages.
    func kioskPageTurns(_ kiosk: String, folder: String) throws -> ([Double], [Int]) {
        let enters = try Self.entersToGuidance(root: root)
        let t = try PseudoTerminal(kiosk, [], directory: folder)
        defer { t.stop() }
        try Self.begin(t, role: "1", details: "Sam Lee\r")
        _ = try t.waitFor("section 1 of 5")
        for _ in 0..<enters {
            t.send("\r")
            _ = t.settle(quiet: 0.1)
        }
        return turns(t, count: repeats * 2)
    }

    /// From the welcome screen through the details of the role with `role`'s number key.
    static func begin(_ t: PseudoTerminal, role: String, details: String) throws {
        _ = try t.waitFor("Press Enter to begin")
        t.send("\r")
        _ = try t.waitFor("Who are you?")
        t.send(role)
        _ = try t.waitFor("Full name")
        t.send(details)
    }

    /// How many Enters take a new member of staff from the top of the
    /// policy's first section to the top of its fourth, at 80x24: asked of
    /// the kiosk's own reducer, since the screen only repaints what changed.
    static func entersToGuidance(root: String) throws -> Int {
        let lint = Lint.check(configPath: root + "/kiosk.conf", checkPIN: false)
        guard let config = lint.config, let library = lint.library, let staff = config.role("staff") else {
            throw BenchError("cannot read the shipped kiosk.conf")
        }
        var state = KioskState(settings: KioskSettings(config: config, library: library), size: Size(width: 80, height: 24), now: Date())
        let start = Date()
        _ = Kiosk.update(&state, .key(.enter), now: start)
        _ = Kiosk.update(&state, .key(.character(Character(String(config.roles.firstIndex(of: staff)! + 1)))), now: start)
        for c in "Sam Lee" { _ = Kiosk.update(&state, .key(.character(c)), now: start) }
        _ = Kiosk.update(&state, .key(.enter), now: start)
        var count = 0
        while state.phase != .reading(document: 0, section: 3, scroll: 0) && count < 100 {
            _ = Kiosk.update(&state, .key(.enter), now: start)
            count += 1
        }
        return count
    }

    /// Alternates PgDn and PgUp, timing each from the key to the last byte painted.
    func turns(_ t: PseudoTerminal, count: Int) -> ([Double], [Int]) {
        var times: [Double] = [], bytes: [Int] = []
        for i in 0..<count {
            let mark = t.output.count
            let start = now()
            t.send(i % 2 == 0 ? "\u{1B}[6~" : "\u{1B}[5~")
            let end = t.settle(quiet: 0.2)
            let written = t.output.count - mark
            if written > 0 {
                times.append(end - start)
                bytes.append(written)
            }
            if verbose { Swift.print("turn \(i): \(written) bytes in \(Stats.ms(end - start))") }
        }
        return (times, bytes)
    }

    /// A kiosk folder: the shipped content and kiosk.conf, clauses agreeable at once.
    static func kioskFolder(root: String, at path: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: root + "/content", toPath: path + "/content")
        let config = try String(contentsOfFile: root + "/kiosk.conf", encoding: .utf8)
            .replacingOccurrences(of: "min_clause_seconds = 3", with: "min_clause_seconds = 0")
        try config.write(toFile: path + "/kiosk.conf", atomically: true, encoding: .utf8)
        return path
    }

    /// The policy as plain text for dialog: the same words the kiosk shows.
    static func plainText(root: String) throws -> String {
        let library = ContentLibrary.load(directory: root + "/content").library
        guard let policy = library.document("social-media-policy") else { throw BenchError("no social-media-policy document") }
        var lines: [String] = [policy.title, ""]
        for section in policy.sections {
            lines += [section.title, ""]
            for block in section.blocks {
                switch block {
                case .paragraph(let t), .subheading(let t): lines += [t.plain, ""]
                case .bullet(let t): lines.append("- " + t.plain)
                case .clause(let c): lines.append("- " + c.rich.plain)
                }
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
