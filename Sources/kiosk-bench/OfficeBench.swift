import ArgumentParser
import ChildProcess
import Foundation

/// `kiosk report` and `kiosk export` over large record books: time and peak
/// memory at two sizes, to see that memory stays flat as records grow.
struct OfficeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "office", abstract: "kiosk report and kiosk export over many records: time and peak memory.")

    @OptionGroup var place: BenchOptions
    var root: String { place.root }
    var dir: String { place.dir }

    @Option(help: "The larger record book (the smaller is a tenth of it).")
    var records: Int = 100_000

    func run() throws {
        let kiosk = sibling("kiosk")
        let work = dir + "/kiosk-office-bench-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: work) }
        var table = Table()
        var rss: [Int: (Int, Int)] = [:]
        for count in [max(1, records / 10), records] {
            let folder = try UIBench.kioskFolder(root: root, at: work + "/\(count)")
            try FillBook.fill(records: folder + "/records", keyPath: folder + "/keys/terminal.key", terminal: "reception-1", count: count, root: root)
            // The book just written is on disk before any timing: the
            // kernel's write-back of it would compete for the two cores.
            sync()
            let roster = (["name,role"] + (0..<200).map { "Person \($0),staff" } + ["Sam Lee,visitor"]).joined(separator: "\n")
            try roster.write(toFile: folder + "/roster.csv", atomically: true, encoding: .utf8)
            let config = folder + "/kiosk.conf"
            // A cache of its own, empty at first: the first run verifies every
            // record in full, the second finds them in the cache.
            let cache = ["--cache", folder + "/cache"]
            let export = timed(kiosk, ["export", "--config", config, "-o", folder + "/export.csv"] + cache)
            // Every run after the first is a second run: the median of three.
            let exportAgain = median((0..<3).map { _ in timed(kiosk, ["export", "--config", config, "-o", folder + "/export.csv"] + cache) })
            let report = median((0..<3).map { _ in timed(kiosk, ["report", "--roster", folder + "/roster.csv", "--config", config] + cache) })
            table.add("kiosk export, \(count) records, first run", ours: String(format: "%.2f s, %d MB", export.seconds, export.maxRSSKiB / 1024),
                      reference: "-", ratio: nil, goal: "verify's speed")
            table.add("kiosk export, \(count) records, second run", ours: String(format: "%.2f s, %d MB", exportAgain.seconds, exportAgain.maxRSSKiB / 1024),
                      reference: String(format: "%.2f s first run", export.seconds), ratio: exportAgain.seconds / export.seconds, goal: "< 3 s")
            table.add("kiosk report, \(count) records, second run", ours: String(format: "%.2f s, %d MB", report.seconds, report.maxRSSKiB / 1024),
                      reference: "-", ratio: nil, goal: "< 3 s")
            rss[count] = (export.maxRSSKiB, report.maxRSSKiB)
            try? FileManager.default.removeItem(atPath: folder)
        }
        if let small = rss[max(1, records / 10)], let large = rss[records] {
            table.add("peak memory, \(records) vs \(records / 10) records", ours: "export \(large.0 / 1024) vs \(small.0 / 1024) MB, report \(large.1 / 1024) vs \(small.1 / 1024) MB",
                      reference: "flat", ratio: Double(large.0) / Double(small.0), goal: "~1.0")
        }
        table.print()
    }

    /// The run of median time (its memory with it).
    func median(_ runs: [(seconds: Double, maxRSSKiB: Int)]) -> (seconds: Double, maxRSSKiB: Int) {
        runs.sorted { $0.seconds < $1.seconds }[runs.count / 2]
    }

    func timed(_ executable: String, _ arguments: [String]) -> (seconds: Double, maxRSSKiB: Int) {
        let start = now()
        let result = measure(executable, arguments)
        if result.status != 0 { Swift.print(result.output) }
        return (now() - start, result.maxRSSKiB)
    }
}
