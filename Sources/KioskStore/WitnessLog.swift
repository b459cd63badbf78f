import Foundation

/// The office's log of every signed head it has seen, one line a head, in
/// the spirit of C2SP's tlog-checkpoint: the terminal (origin), the seq
/// (size), the last record's hash, the key that signed it and when it was
/// seen. A later book must still hold, at each witnessed seq, the record
/// with the witnessed hash: someone holding a terminal's key can rewrite
/// its book, but not the office's memory of it.
///
///     witness/1 reception-1 42 <sha256> <key id> 2026-11-25T08:14:03Z
public struct WitnessLog: Sendable {
    public struct Entry: Equatable, Sendable {
        public var terminal: String
        public var seq: Int
        public var sha256: String
        public var keyID: String
        public var seenAt: String

        public init(terminal: String, seq: Int, sha256: String, keyID: String, seenAt: String) {
            self.terminal = terminal
            self.seq = seq
            self.sha256 = sha256
            self.keyID = keyID
            self.seenAt = seenAt
        }

        var line: String { "\(WitnessLog.tag) \(terminal) \(seq) \(sha256) \(keyID) \(seenAt)\n" }
    }

    static let tag = "witness/1"
    public static let sizeLimit = 64 << 20

    public var path: String
    public private(set) var entries: [Entry]

    /// A log that cannot be read, or has a line it does not understand.
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the log at `path`; a missing file is an empty log (the first
    /// run). Any line it does not understand is an error: a witness log
    /// that cannot be read whole must not be taken as "nothing witnessed".
    public static func load(_ path: String) throws(ReadError) -> WitnessLog {
        switch BoundedFile.read(path, limit: sizeLimit) {
        case .missing:
            return WitnessLog(path: path, entries: [])
        case .refused(let why):
            throw ReadError(description: "witness log \(path) cannot be read: \(why)")
        case .bytes(let bytes):
            var entries: [Entry] = []
            let text = String(decoding: bytes, as: UTF8.self)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
                let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 6, parts[0] == tag, !parts[1].isEmpty, let seq = Int(parts[2]), seq >= 0,
                      RecordFile.isSHA256(parts[3]), Timestamp.parse(parts[5]) != nil else {
                    throw ReadError(description: "\(path):\(index + 1): not a witness line (`\(tag) TERMINAL SEQ SHA256 KEYID TIME`); the log may have been edited: restore it from its backup")
                }
                entries.append(Entry(terminal: parts[1], seq: seq, sha256: parts[3], keyID: parts[4], seenAt: parts[5]))
            }
            if !text.isEmpty && !text.hasSuffix("\n") {
                throw ReadError(description: "\(path): the last line is cut short; the log may have been edited: restore it from its backup")
            }
            return WitnessLog(path: path, entries: entries)
        }
    }

    /// The newest head witnessed for each terminal.
    public var latest: [String: Entry] {
        var out: [String: Entry] = [:]
        for entry in entries where (out[entry.terminal]?.seq ?? -1) <= entry.seq { out[entry.terminal] = entry }
        return out
    }

    /// Appends the heads not witnessed yet, durably; how many were new.
    @discardableResult
    public mutating func append(_ new: [Entry]) throws(StoreError) -> Int {
        let known = Set(entries.map { "\($0.terminal) \($0.seq) \($0.sha256)" })
        let fresh = new.filter { !known.contains("\($0.terminal) \($0.seq) \($0.sha256)") }
        guard !fresh.isEmpty else { return 0 }
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(operation: "open the witness log", path: path, errno: errno) }
        defer { close(fd) }
        let bytes = Array(fresh.map(\.line).joined().utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(operation: "write the witness log", path: path, errno: errno)
            }
            offset += n
        }
        if fsync(fd) != 0 { throw StoreError.io(operation: "flush the witness log", path: path, errno: errno) }
        entries += fresh
        return fresh.count
    }
}
