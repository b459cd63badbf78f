import ArgumentParser
import Foundation
import KioskContent
import KioskStore

/// Which record books an office command reads, and which keys it trusts
/// for which terminal: shared by verify, records, report and export.
struct RecordBookOptions: ParsableArguments {
    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("key"), help: ArgumentHelp(
        "TERMINAL=FILE: the trusted public key (terminal.pub) of one terminal; repeatable. A bare FILE only when one terminal is checked.",
        valueName: "terminal=terminal.pub"))
    var keys: [String] = []

    @Option(help: ArgumentHelp("The office's witness log: every signed head seen before must still be in the books; new heads are added.",
                               valueName: "witness.log"))
    var witness: String?

    @Argument(help: ArgumentHelp("Terminal folders, or folders of them (default: `records` in kiosk.conf).", valueName: "folder"))
    var folders: [String] = []

    @Option(help: ArgumentHelp("Where the office tools remember the records they have verified (default: ~/.cache/conduct-kiosk).", valueName: "folder"))
    var cache: String?

    @Flag(help: "Check every record's signatures in full, without the cache of records verified before.")
    var noCache = false

    /// Everything an office command needs to read the books.
    struct Selection {
        var keys: [String: [Minisign.PublicKey]]
        /// Terminals that must be there: every one a key was given for.
        var expected: Set<String>
        var terminals: [String]
        var problems: [VerificationProblem]
        var witness: WitnessLog?
        var cache: VerifiedCache?
    }

    /// Keys come from --key, `trusted_keys` in kiosk.conf, or this
    /// terminal's own secret key, never from the folder being read; each
    /// vouches for one terminal.
    func resolve(command: String) throws -> Selection {
        var keys: [String: [Minisign.PublicKey]] = [:]
        var expected = Set<String>()
        var roots = folders
        var bare: [String] = []
        func add(_ terminal: String, _ path: String) throws {
            keys[terminal, default: []].append(try Self.readKey(path, command: command))
            expected.insert(terminal)
        }
        let configExists = access(options.config, F_OK) == 0
        if configExists || (folders.isEmpty && keys.isEmpty) {
            let config = try Setup.config(options)
            for (terminal, path) in config.trustedKeys.sorted(by: { $0.key < $1.key }) { try add(terminal, path) }
            if roots.isEmpty { roots = [config.recordsDirectory] }
            if let own = try? TerminalKey.load(path: config.keyPath) {
                keys[config.terminal, default: []].append(own.publicKey)
                // This terminal's own book is expected where its records folder is read.
                if folders.isEmpty { expected.insert(config.terminal) }
            }
        }
        for argument in self.keys {
            if let equals = argument.firstIndex(of: "="), ConfigParser.isValidTerminalID(String(argument[..<equals])) {
                try add(String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
            } else {
                bare.append(argument)
            }
        }
        let (found, unreadable) = RecordCollection.find(roots)
        if let root = unreadable.first {
            Console.error("\(command): \(root) is not a folder that can be read: give a terminal's records folder or a folder of them")
            throw ExitCode(1)
        }
        var problems = found.problems
        let ids = found.terminals.map { ($0 as NSString).lastPathComponent }
        for id in Set(ids) where ids.filter({ $0 == id }).count > 1 {
            problems.append(VerificationProblem(kind: .stray, terminal: id, seq: nil, file: ".",
                                                detail: "two folders are named \(id): \(found.terminals.filter { ($0 as NSString).lastPathComponent == id }.joined(separator: ", ")); check one at a time"))
        }
        if !bare.isEmpty {
            guard ids.count == 1 else {
                Console.error("\(command): --key \(bare[0]) does not say which terminal it is for, and \(ids.count) terminals are checked: write it as --key TERMINAL=\(bare[0])")
                throw ExitCode(1)
            }
            for path in bare { try add(ids[0], path) }
        }
        guard !keys.isEmpty else {
            Console.error("\(command): no trusted keys: give --key TERMINAL=FILE (a copy of the terminal's terminal.pub you trust) or list them in `trusted_keys` in kiosk.conf")
            throw ExitCode(1)
        }
        var log: WitnessLog?
        if let witness {
            do {
                log = try WitnessLog.load(witness)
            } catch {
                Console.error("\(command): \(error)")
                throw ExitCode(1)
            }
        }
        for terminal in expected.sorted() where !ids.contains(terminal) {
            problems.append(VerificationProblem(kind: .missing, terminal: terminal, seq: nil, file: ".",
                                                detail: "terminal \(terminal) has a trusted key, but its records folder is not in \(roots.joined(separator: ", "))"))
        }
        // A terminal the office has witnessed must still be there, key or no key.
        for (terminal, entry) in (log?.latest ?? [:]).sorted(by: { $0.key < $1.key }) where !ids.contains(terminal) && !expected.contains(terminal) {
            problems.append(VerificationProblem(kind: .missing, terminal: terminal, seq: nil, file: ".",
                                                detail: "terminal \(terminal) was witnessed at record \(entry.seq) on \(entry.seenAt), but its records folder is not in \(roots.joined(separator: ", ")) (and no key is given for it)"))
        }
        // The cache only saves time: if it cannot be used, everything is verified in full.
        var verified: VerifiedCache?
        if !noCache, let folder = cache ?? VerifiedCache.defaultFolder {
            if cache == nil { try? FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true) }
            do {
                verified = try VerifiedCache(folder: folder)
            } catch {
                Console.error("\(command): the cache of verified records cannot be used, so every record is verified in full: \(error)")
            }
        }
        return Selection(keys: keys, expected: expected, terminals: found.terminals, problems: problems, witness: log, cache: verified)
    }

    static func readKey(_ path: String, command: String) throws -> Minisign.PublicKey {
        guard case .bytes(let bytes) = BoundedFile.read(path, limit: BoundedFile.keyLimit) else {
            Console.error("\(command): trusted key \(path) cannot be read")
            throw ExitCode(1)
        }
        do {
            return try Minisign.PublicKey(fileText: String(decoding: bytes, as: UTF8.self))
        } catch {
            Console.error("\(command): trusted key \(path): \(error)")
            throw ExitCode(1)
        }
    }

}

/// Reads every selected book once, as verify does, for any office command:
/// each record in seq order to `record`, each problem to `report`, and
/// the totals. The same reading gives the same verdict in every command.
struct BookScan {
    var selection: RecordBookOptions.Selection
    var totals = VerificationSummary(terminal: "")
    var summaries: [VerificationSummary] = []

    init(_ selection: RecordBookOptions.Selection) {
        self.selection = selection
    }

    /// `readsCache`: skip the signature arithmetic of records verified
    /// before (the office tools); verify passes false and checks in full.
    mutating func run(
        readsCache: Bool = true,
        report: (VerificationProblem) -> Void,
        progress: ((String, Int, Int) -> Void)? = nil,
        through: Int? = nil,
        record: ((CheckedRecord) -> Void)? = nil
    ) {
        for problem in selection.problems {
            totals.problems[problem.kind, default: 0] += 1
            report(problem)
        }
        let verifier = RecordVerifier(keys: selection.keys, witnessed: selection.witness?.entries ?? [], cache: selection.cache, readsCache: readsCache)
        // Records that did not verify: a session in another book may not build on one.
        var failed = Set<RecordLink>()
        // The last record read of each book (`through` stops before the end).
        var lastRead: [String: Int] = [:]
        for folder in selection.terminals {
            let name = (folder as NSString).lastPathComponent
            let summary = verifier.verify(folder: folder, through: through, report: report,
                                          progress: { progress?(name, $0, $1) }, record: { checked in
                if !checked.intact { failed.insert(RecordLink(terminal: checked.terminal, seq: checked.seq, sha256: checked.sha256)) }
                lastRead[checked.terminal] = checked.seq
                record?(checked)
            })
            totals.records += summary.records
            totals.intact += summary.intact
            totals.problems.merge(summary.problems, uniquingKeysWith: +)
            totals.notes += summary.notes
            summaries.append(summary)
        }
        let references = RecordVerifier.checkReferences(summaries.flatMap(\.foreignReferences), folders: selection.terminals,
                                                        intact: { !failed.contains($0) }, read: { $0.seq <= lastRead[$0.terminal] ?? 0 })
        for problem in references.problems {
            totals.problems[problem.kind, default: 0] += 1
            report(problem)
        }
        totals.notes += references.notes
    }

    /// "2 terminals, 40 records, 39 intact, 1 problem (1 modified)"
    var line: String {
        let t = selection.terminals.count
        let kinds = totals.problems.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
        let problemText = totals.problemCount == 0 ? "no problems"
            : "\(totals.problemCount) problem\(totals.problemCount == 1 ? "" : "s") (\(kinds.joined(separator: ", ")))"
        return "\(t) terminal\(t == 1 ? "" : "s"), \(totals.records) record\(totals.records == 1 ? "" : "s"), \(totals.intact) intact, \(problemText)"
    }

    /// For the tools that list records: problems go to standard error, and
    /// the command fails at the end, so a report is never taken as clean.
    func failIfProblems(_ command: String) throws {
        guard totals.problemCount > 0 else { return }
        Console.error("\(command): the record books have problems (\(line)); rows not verified are marked. Run `kiosk verify` for each problem.")
        throw ExitCode(1)
    }
}
