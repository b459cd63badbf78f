import Foundation

/// head.json: the signed checkpoint naming the last record of a book. A
/// book has one from the moment it is made (seq 0 names no record yet), so
/// a book without a head is always a book something happened to.
struct HeadFile: Equatable {
    static let schema = "conduct-kiosk/head/1"
    var terminal: String
    var seq: Int
    var sha256: String
    var updatedAt: Date

    init(terminal: String, seq: Int, sha256: String, updatedAt: Date) {
        self.terminal = terminal
        self.seq = seq
        self.sha256 = sha256
        self.updatedAt = updatedAt
    }

    /// Reads a head exactly as the kiosk writes it (every field, no other,
    /// canonical bytes); nil for anything else.
    init?(bytes: [UInt8]) {
        guard let json = try? CanonicalJSON.decode(bytes), let members = json.object, members.count == 5,
              members["schema"]?.string == Self.schema,
              let terminal = members["terminal"]?.string, let seq = members["seq"]?.int, seq >= 0, seq <= RecordFile.maxSeq,
              let sha = members["sha256"]?.string, RecordFile.isSHA256(sha),
              let updated = members["updated_at"]?.string.flatMap(Timestamp.parse)
        else { return nil }
        self.init(terminal: terminal, seq: seq, sha256: sha, updatedAt: updated)
        guard CanonicalJSON.encode(self.json) == bytes else { return nil }
    }

    var json: JSONValue {
        .object([
            "schema": .string(Self.schema), "terminal": .string(terminal), "seq": .int(seq),
            "sha256": .string(sha256), "updated_at": .string(Timestamp.format(updatedAt)),
        ])
    }

    static func untrustedComment(terminal: String) -> String { "conduct kiosk head of terminal \(terminal)" }

    var trustedComment: String { "head\tseq:\(seq)\tsha256:\(sha256)\tterminal:\(terminal)" }
}
