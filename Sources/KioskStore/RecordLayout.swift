import Foundation
import KioskContent

/// Where each file of one terminal's record book lives:
///
///     <records>/<terminal>/terminal.pub, terminal.pem
///     <records>/<terminal>/head.json (+ .minisig)
///     <records>/<terminal>/content/<sha256>.md
///     <records>/<terminal>/000000/00000001.json (+ .minisig)
///
/// Records go 10,000 to a shard folder so no folder grows without bound.
public struct RecordLayout: Sendable {
    public static let recordsPerShard = 10_000

    /// The terminal's folder.
    public var root: String

    public init(root: String) {
        self.root = root
    }

    public init(records: String, terminal: String) {
        self.root = TextFile.path(records, terminal)
    }

    public var publicKey: String { root + "/terminal.pub" }
    public var pem: String { root + "/terminal.pem" }
    public var head: String { root + "/head.json" }
    public var lock: String { root + "/.lock" }
    public var contentFolder: String { root + "/content" }

    public func content(sha256: String) -> String { contentFolder + "/" + sha256 + ".md" }

    public static func shardName(seq: Int) -> String { pad((seq - 1) / recordsPerShard, 6) }
    public static func recordName(seq: Int) -> String { pad(seq, 8) + ".json" }

    public func shard(seq: Int) -> String { root + "/" + Self.shardName(seq: seq) }
    public func record(seq: Int) -> String { shard(seq: seq) + "/" + Self.recordName(seq: seq) }

    /// A record's path relative to its terminal's folder ("000000/00000042.json").
    public static func relativeRecordPath(seq: Int) -> String { shardName(seq: seq) + "/" + recordName(seq: seq) }

    /// The path relative to the terminal folder, as messages show it.
    public func relative(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }

    /// Reads a record file name back to its seq ("00000042.json" -> 42);
    /// nil for any name the kiosk would not write for that seq ("42.json",
    /// "+0000042.json", "٤٢.json"), so one record has exactly one name.
    public static func seq(fromRecordName name: String) -> Int? {
        guard name.hasSuffix(".json") else { return nil }
        let digits = name.utf8.dropLast(5)
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ (0x30...0x39).contains($0) }),
              let seq = Int(String(decoding: digits, as: UTF8.self)), seq >= 1, recordName(seq: seq) == name else { return nil }
        return seq
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
