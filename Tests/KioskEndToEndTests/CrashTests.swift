import Foundation
import KioskContent
import KioskStore
import KioskTestSupport
import Testing

/// A writer killed with SIGKILL at random moments, again and again, must
/// leave a record book that verifies, with every commit it reported.
@Suite("Crash safety")
struct CrashTests {
    @Test("SIGKILL during hundreds of commits: no torn or partial record, chain intact, every reported commit present")
    func killedWriter() throws {
        let scratch = Scratch()
        let key = TerminalKey.generate()
        try key.save(path: scratch.path + "/terminal.key", terminal: "crash-test")
        let bench = builtProduct("kiosk-bench")
        var reported = Set<Int>()
        var rounds = 0
        var generator = SystemRandomNumberGenerator()
        while (reported.count < 300 || rounds < 25) && rounds < 80 {
            rounds += 1
            let output = scratch.path + "/round-\(rounds).txt"
            let pid = try #require(spawn(bench, ["commit-loop", "--records", scratch.path + "/records", "--key", scratch.path + "/terminal.key",
                                                 "--root", repositoryRoot], outputPath: output))
            usleep(UInt32.random(in: 80_000...400_000, using: &generator))
            kill(pid, SIGKILL)
            let status = wait(for: pid).status
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            #expect(status == 128 + SIGKILL || text.isEmpty == false, "the writer failed on its own: \(text)")
            for line in text.split(separator: "\n") where line.hasPrefix("committed ") {
                reported.insert(Int(line.dropFirst("committed ".count))!)
            }
        }
        #expect(reported.count >= 300, "only \(reported.count) commits in \(rounds) rounds")

        // The next writer to open the book tidies up after the last kill.
        let layout = RecordLayout(records: scratch.path + "/records", terminal: "crash-test")
        let book = try RecordBook.open(records: scratch.path + "/records", terminal: "crash-test", school: "Crash School", key: key)
        let last = book.lastSeq
        book.close()
        #expect(last >= reported.max() ?? 0)

        var problems: [VerificationProblem] = []
        let summary = RecordVerifier(keys: ["crash-test": [key.publicKey]]).verify(folder: layout.root, report: { problems.append($0) })
        #expect(problems == [])
        #expect(summary.records == last && summary.intact == last)
        for seq in reported {
            #expect(FileManager.default.fileExists(atPath: layout.record(seq: seq)), "reported commit \(seq) is missing")
        }
        let leftovers = (FileManager.default.enumerator(atPath: layout.root)?.allObjects as? [String] ?? []).filter { $0.contains(AtomicFile.temporaryPrefix) }
        #expect(leftovers == [], "temporary files left behind")
    }

    @Test("SIGKILL while the book is made and during its first commits: every start after finds a book it opens, and it verifies")
    func killedWhileMakingTheBook() throws {
        let scratch = Scratch()
        let key = TerminalKey.generate()
        let keyPath = scratch.path + "/keys/terminal.key"
        try key.save(path: keyPath, terminal: "t")
        let bench = builtProduct("kiosk-bench")
        var generator = SystemRandomNumberGenerator()
        var phases: [Int: Int] = [:]
        for round in 0..<40 {
            let terminal = "t-\(round)"
            let records = scratch.path + "/records"
            let state = scratch.path + "/keys/\(terminal).book.json"
            let output = scratch.path + "/round-\(round).txt"
            let pid = try #require(spawn(bench, ["commit-loop", "--records", records, "--key", keyPath, "--root", repositoryRoot,
                                                 "--terminal", terminal, "--state", state], outputPath: output))
            // From the process's start to its first few commits.
            usleep(UInt32.random(in: 0...120_000, using: &generator))
            kill(pid, SIGKILL)
            _ = wait(for: pid)
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let reported = text.split(separator: "\n").compactMap { $0.hasPrefix("committed ") ? Int($0.dropFirst(10)) : nil }.max() ?? 0
            let layout = RecordLayout(records: records, terminal: terminal)
            // The next start opens whatever the kill left.
            let book = try RecordBook.open(records: records, terminal: terminal, school: "Crash School", key: key, state: state)
            let last = book.lastSeq
            book.close()
            #expect(last >= reported)
            phases[min(last, 3), default: 0] += 1
            var problems: [VerificationProblem] = []
            _ = RecordVerifier(keys: [terminal: [key.publicKey]]).verify(folder: layout.root, report: { problems.append($0) })
            #expect(problems == [], "round \(round): \(problems)")
        }
        // The kills landed before the first record, and after it, in some rounds each.
        #expect(phases[0, default: 0] > 0 && phases.filter { $0.key > 0 }.values.reduce(0, +) > 0, "\(phases)")
    }
}
