import Foundation
import KioskContent
import KioskStore

/// What the desk knows of one book's recent records, so that a lookup
/// reads only the records it needs: each name (as `SigningReport.nameKey`
/// folds it) to its session records, with their times and pass codes'
/// hashes, and which sessions were signed out. Kept in memory, built on
/// the first lookup from the newest record back to the oldest one that
/// can still matter (`since`), and brought up to date on each lookup with
/// the records written since: the cost of a lookup does not grow with
/// the book.
///
/// A record counts only once it is authentic: its hash is the `prev` of
/// an authentic record after it (from the book's last record, which the
/// kiosk wrote or checked itself: `anchor`), or its signature holds with
/// a trusted key, or with a key a key-change record trusted so hands over
/// to (for records after that one). Records signed by a key the kiosk no
/// longer holds (before `keygen --rotate`) are vouched for by the chain.
/// Whoever uses an entry reads the record again and compares its hash.
final class BookIndex {
    struct Entry {
        var seq: Int
        var time: Date
        var sha256: String
        var nameKey: String?
        var passCodeHash: String?
    }

    let layout: RecordLayout
    let terminal: String
    /// The keys trusted for this book's records (besides the chain).
    let keys: [Minisign.PublicKey]
    /// Session records, newest last, by name key.
    private(set) var byName: [String: [Entry]] = [:]
    /// Session records by seq (for sign-outs: the last day's).
    private(set) var sessions: [Int: Entry] = [:]
    /// Seqs of sessions an authentic sign-out closes.
    private(set) var closed = Set<Int>()
    /// The highest seq indexed; 0 before the first lookup.
    private(set) var through = 0
    /// Records read (to measure and test that a lookup reads only new ones).
    private(set) var recordsRead = 0

    init(layout: RecordLayout, terminal: String, keys: [Minisign.PublicKey]) {
        self.layout = layout
        self.terminal = terminal
        self.keys = keys
    }

    /// Reads the records after `through` up to `last` (newest first, back
    /// to the first older than `since` on the first build). `anchor` is
    /// the hash of record `last` when the kiosk knows it (its own book).
    func update(last: Int, anchor: String?, since: Date) {
        guard last > through else { return }
        let first = through == 0
        var expected = anchor
        var unverified: [(seq: Int, bytes: [UInt8], record: RecordFile, sha: String)] = []
        var handovers: [(seq: Int, key: Minisign.PublicKey)] = []
        var found: [Int: (RecordFile, String)] = [:]
        var seq = last
        while seq > through {
            defer { seq -= 1 }
            let path = layout.record(seq: seq)
            guard case .bytes(let bytes) = BoundedFile.read(path, limit: BoundedFile.recordLimit) else { expected = nil; continue }
            recordsRead += 1
            let sha = Hex.sha256(bytes)
            guard let record = try? RecordFile(bytes: bytes), record.seq == seq, record.terminal == terminal else { expected = nil; continue }
            var authentic = expected == sha
            if !authentic {
                let signature: [UInt8]? = if case .bytes(let s) = BoundedFile.read(path + ".minisig", limit: BoundedFile.signatureLimit) { s } else { nil }
                let verdict = RecordCheck.check(bytes, signatureFile: signature, keys: keys)
                authentic = verdict.problem == nil
                if !authentic { unverified.append((seq, bytes, record, sha)) }
            }
            expected = authentic ? record.prev : nil
            if authentic {
                found[seq] = (record, sha)
                if let key = record.newPublicKey { handovers.append((seq, key)) }
            }
            if first, let time = Timestamp.parse(record.completedAt), time < since, authentic { break }
        }
        // Records signed by a key a trusted key change handed over to
        // (another terminal's book after its key was changed).
        for (seq, bytes, record, sha) in unverified {
            let keys = handovers.filter { $0.seq < seq }.map(\.key)
            guard !keys.isEmpty else { continue }
            let signature: [UInt8]? = if case .bytes(let s) = BoundedFile.read(layout.record(seq: seq) + ".minisig", limit: BoundedFile.signatureLimit) { s } else { nil }
            if RecordCheck.check(bytes, signatureFile: signature, keys: keys).problem == nil { found[seq] = (record, sha) }
        }
        for seq in found.keys.sorted() {
            let (record, sha) = found[seq]!
            switch record.body {
            case .session(let session):
                let entry = Entry(seq: seq, time: Timestamp.parse(record.completedAt) ?? .distantPast, sha256: sha,
                                  nameKey: SigningReport.nameKey(session.person.name), passCodeHash: session.passCodeHash)
                sessions[seq] = entry
                byName[entry.nameKey!, default: []].append(entry)
            case .signOut(let out) where out.session.terminal == terminal:
                closed.insert(out.session.seq)
            default:
                break
            }
        }
        through = last
    }

    /// One record read again, if its file still has the hash the index
    /// holds for it.
    func read(_ entry: Entry) -> RecordFile? {
        guard case .bytes(let bytes) = BoundedFile.read(layout.record(seq: entry.seq), limit: BoundedFile.recordLimit),
              Hex.sha256(bytes) == entry.sha256 else { return nil }
        return try? RecordFile(bytes: bytes)
    }

    func entry(seq: Int) -> Entry? { sessions[seq] }
}
