import ArgumentParser

/// Benchmarks, each printed side by side with a named reference measured in
/// the same run, as a ratio against a goal. Nothing here asserts a time.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-bench",
        abstract: "Measure the kiosk against named references and print a table.",
        subcommands: [StoreBench.self, UIBench.self, OfficeBench.self, DeskBench.self, FillBook.self, CommitLoop.self])
}
