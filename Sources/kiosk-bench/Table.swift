import ChildProcess
import Foundation

/// The benchmark table: figure, ours, reference, ratio, goal.
struct Table {
    struct Row {
        var figure: String
        var ours: String
        var reference: String
        var ratio: String
        var goal: String
    }

    var rows: [Row] = []

    mutating func add(_ figure: String, ours: String, reference: String, ratio: Double?, goal: String) {
        rows.append(Row(figure: figure, ours: ours, reference: reference, ratio: ratio.map { String(format: "%.2f", $0) } ?? "-", goal: goal))
    }

    func print() {
        let header = Row(figure: "figure", ours: "ours", reference: "reference", ratio: "ratio", goal: "goal")
        let all = [header] + rows
        func width(_ key: KeyPath<Row, String>) -> Int { all.map { $0[keyPath: key].count }.max() ?? 0 }
        let w = [width(\.figure), width(\.ours), width(\.reference), width(\.ratio), width(\.goal)]
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        for (i, row) in all.enumerated() {
            Swift.print("| \(pad(row.figure, w[0])) | \(pad(row.ours, w[1])) | \(pad(row.reference, w[2])) | \(pad(row.ratio, w[3])) | \(pad(row.goal, w[4])) |")
            if i == 0 { Swift.print("|" + w.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|") }
        }
    }
}

enum Stats {
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let index = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return sorted[index]
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
}

/// Monotonic seconds.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Runs a program, returning its output, status and peak resident memory (KiB).
func measure(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String, maxRSSKiB: Int) {
    let outputPath = NSTemporaryDirectory() + "kiosk-bench-" + UUID().uuidString
    defer { unlink(outputPath) }
    guard let pid = spawn(executable, arguments, outputPath: outputPath) else { return (127, "cannot run \(executable)", 0) }
    let (status, maxRSS) = wait(for: pid)
    return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "", maxRSS)
}

/// A built product next to this one (kiosk beside kiosk-bench).
func sibling(_ name: String) -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path
}
