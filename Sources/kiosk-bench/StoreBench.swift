import ArgumentParser
import ChildProcess
import Foundation
import KioskContent
import KioskStore
import Logging

/// The record store: commit latency against a bare durable write, verify
/// throughput against `openssl speed ed25519`, verify's growth and memory.
struct StoreBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Commit latency, verify throughput, growth and memory.")

    @OptionGroup var place: BenchOptions
    var root: String { place.root }
    var dir: String { place.dir }

    @Option(help: "Commits to time.")
    var commits: Int = 300

    @Option(help: "The larger record book for verify (the smaller is a tenth of it).")
    var records: Int = 100_000

    func run() throws {
        let (library, role) = try SampleSession.shipped(root: root)
        let work = dir + "/kiosk-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        var table = Table()
        let key = TerminalKey.generate()

        // Commit latency, and the bare durable write of the same bytes.
        let book = try RecordBook.open(records: work + "/commit", terminal: "bench", school: "Bench School", key: key, logger: quietLogger)
        var ours: [Double] = []
        for i in 0..<commits {
            let session = SampleSession.make(library: library, role: role, name: "Person \(i)", at: Date().addingTimeInterval(-600))
            let t = now()
            _ = try book.commit(session)
            ours.append(now() - t)
        }
        book.close()
        let sample = try AtomicFile.read(RecordLayout(records: work + "/commit", terminal: "bench").record(seq: 1)) ?? []
        try FileManager.default.createDirectory(atPath: work + "/bare", withIntermediateDirectories: true)
        var bare: [Double] = []
        for i in 0..<commits {
            let t = now()
            try AtomicFile.write(sample, to: work + "/bare/\(i).json")
            bare.append(now() - t)
        }
        let ourMedian = Stats.percentile(ours, 50), bareMedian = Stats.percentile(bare, 50)
        table.add("commit latency, median (\(sample.count)-byte record)", ours: Stats.ms(ourMedian), reference: "\(Stats.ms(bareMedian)) bare durable write",
                  ratio: ourMedian / bareMedian, goal: "<= 2.5")
        let ourP99 = Stats.percentile(ours, 99), bareP99 = Stats.percentile(bare, 99)
        table.add("commit latency, p99", ours: Stats.ms(ourP99), reference: "\(Stats.ms(bareP99)) bare durable write",
                  ratio: ourP99 / bareP99, goal: "<= 2.5")

        // Verify: a book of N/10 and one of N records, written without
        // fsync to save time (the files are the same).
        let small = max(1, records / 10)
        let openssl = opensslVerifyRate()
        var timings: [Int: Double] = [:]
        for count in [small, records] {
            let folder = work + "/verify-\(count)"
            let keyPath = work + "/bench.key"
            if access(keyPath, F_OK) != 0 { try key.save(path: keyPath, terminal: "bench") }
            try FillBook.fill(records: folder, keyPath: keyPath, terminal: "bench", count: count, root: root)
            let verifier = RecordVerifier(keys: ["bench": [key.publicKey]])
            let t = now()
            var problems = 0
            let summary = verifier.verify(folder: folder + "/bench", report: { _ in problems += 1 })
            let seconds = now() - t
            timings[count] = seconds
            guard problems == 0, summary.intact == count else { throw BenchError("verify found problems in a fresh book") }
            let rate = Double(count) / seconds
            table.add("verify records/s, \(count) records", ours: String(format: "%.0f/s", rate),
                      reference: openssl.map { String(format: "%.0f/s openssl ed25519 verify", $0) } ?? "openssl not found",
                      ratio: openssl.map { rate / $0 }, goal: ">= 1.0")
            // Each record carries two signatures (the file's, and the trusted
            // comment's), both checked, as minisign -V does.
            table.add("  Ed25519 signatures checked/s", ours: String(format: "%.0f/s", 2 * rate),
                      reference: openssl.map { String(format: "%.0f/s openssl ed25519 verify", $0) } ?? "openssl not found",
                      ratio: openssl.map { 2 * rate / $0 }, goal: "-")
            if count == records {
                let kiosk = sibling("kiosk")
                let run = measure(kiosk, ["verify", folder + "/bench", "--key", folder + "/bench/terminal.pub", "--config", "/nonexistent"])
                table.add("verify peak memory, \(count) records", ours: "\(run.maxRSSKiB / 1024) MB (kiosk verify)", reference: "-", ratio: nil, goal: "<= 50 MB")
                if run.status != 0 { Swift.print(run.output) }
            }
            try? FileManager.default.removeItem(atPath: folder)
        }
        if let a = timings[small], let b = timings[records] {
            table.add("verify growth, \(records) vs \(small) records", ours: String(format: "%.2f s vs %.2f s", b, a), reference: "linear: \(records / small)x",
                      ratio: b / a, goal: "<= \(Double(records / small) * 1.1)")
        }
        table.print()
    }

    /// `openssl speed ed25519`'s verifications per second on this machine.
    func opensslVerifyRate() -> Double? {
        guard let openssl = which("openssl") else { return nil }
        let result = measure(openssl, ["speed", "-seconds", "3", "ed25519"])
        // "253 bits EdDSA (Ed25519)   0.0000s   0.0001s  48000.0  16000.0"
        for line in result.output.split(separator: "\n") where line.contains("bits EdDSA (Ed25519)") {
            let numbers = line.split(separator: " ").compactMap { Double($0) }
            if numbers.count >= 3 { return numbers.last }
        }
        return nil
    }
}
