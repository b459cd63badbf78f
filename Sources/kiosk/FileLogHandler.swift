import Foundation
import KioskStore
import Logging

/// swift-log to a file: the kiosk's screen is never written to by logging,
/// and logging never stops the kiosk. A full or failing disk drops lines
/// (counted) instead of trapping as FileHandle.write does; once the log
/// can be written again, one line says how many were lost. A log that
/// cannot be opened at start is tried again at each line.
struct FileLogHandler: LogHandler {
    private let sink: Sink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    private let label: String

    /// The calls the sink makes, a seam so tests can fail them.
    struct Calls: Sendable {
        var open: @Sendable (String) -> Int32
        var write: @Sendable (Int32, UnsafeRawPointer, Int) -> Int

        static let posix = Calls(
            open: { path in Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640) },
            write: { fd, buffer, count in Glibc.write(fd, buffer, count) })
    }

    /// Appends lines to one file with write(2), serialised by a lock.
    final class Sink: @unchecked Sendable {
        let path: String
        private let calls: Calls
        private let lock = NSLock()
        private var fd: Int32 = -1
        /// Lines dropped since the last line written.
        private var lost = 0
        /// Why the last line was dropped (an errno).
        private var lastError: Int32 = 0
        /// A line was cut short: the next write starts on a new line.
        private var torn = false

        /// Opens the log if it can; if not, the sink still takes lines
        /// (dropped and counted) and opens the log when it can.
        init(path: String, calls: Calls = .posix) {
            self.path = path
            self.calls = calls
            _ = lock.withLock { open() }
        }

        deinit {
            if fd >= 0 { close(fd) }
        }

        /// Whether the log file is open.
        var isOpen: Bool { lock.withLock { fd >= 0 } }

        /// Lines dropped and not yet reported in the log.
        var lostLines: Int { lock.withLock { lost } }

        /// Why the log could not be opened or written, if it could not.
        var problem: String? {
            lock.withLock { lastError == 0 ? nil : String(cString: strerror(lastError)) }
        }

        private func open() -> Bool {
            if fd >= 0 { return true }
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty && access(directory, F_OK) != 0 {
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            fd = calls.open(path)
            if fd < 0 { lastError = errno }
            return fd >= 0
        }

        /// Writes one line, or counts it lost. Never throws, never traps.
        func write(_ line: String) {
            lock.withLock {
                guard open() else {
                    lost += 1
                    return
                }
                if lost > 0 {
                    let note = "\(Timestamp.format(Date())) warning kiosk.log: \(lost) log line\(lost == 1 ? " was" : "s were") lost while the log could not be written (\(String(cString: strerror(lastError))))\n"
                    guard writeAll(note) else {
                        lost += 1
                        return
                    }
                    lost = 0
                }
                if !writeAll(line) { lost += 1 }
            }
        }

        /// The whole text, or false. A part written before a failure is
        /// ended with a newline by the next write, so lines stay whole.
        private func writeAll(_ text: String) -> Bool {
            var bytes = Array(text.utf8)
            let newline = torn ? 1 : 0
            if torn { bytes.insert(UInt8(ascii: "\n"), at: 0) }
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { calls.write(fd, $0.baseAddress! + done, bytes.count - done) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    lastError = n < 0 ? errno : ENOSPC
                    // Part of the text went out: that line is torn (or,
                    // if only the newline did, the earlier one is mended).
                    if done > 0 { torn = done > newline }
                    return false
                }
                done += n
            }
            torn = false
            return true
        }
    }

    init(label: String, sink: Sink) {
        self.label = label
        self.sink = sink
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.write("\(Timestamp.format(Date())) \(event.level) \(label): \(event.message)\(extra)\n")
    }
}
