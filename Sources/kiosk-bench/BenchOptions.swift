import ArgumentParser
import Foundation

/// Where a benchmark finds the shipped content and writes its scratch records.
struct BenchOptions: ParsableArguments {
    @Option(help: "The repository (for the shipped content and kiosk.conf).")
    var root: String = FileManager.default.currentDirectoryPath

    @Option(help: "A folder on the disk to measure (scratch records are written there, then removed).")
    var dir: String = "/var/tmp"
}
