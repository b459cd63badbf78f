import Dispatch
import Foundation
import KioskContent

/// One thing `kiosk verify` found wrong, named by terminal, seq and file.
public struct VerificationProblem: Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        case modified
        case forged
        case unsigned
        case missing
        case reordered
        case inserted
        case chainBroken = "chain broken"
        case headMismatch = "head mismatch"
        case malformed
        case contentMissing = "content missing"
        case contentModified = "content modified"
        case unreadable
        /// A file or folder that is no part of a record book.
        case stray
        /// A terminal folder with no key to check it against.
        case untrusted
        /// A book that no longer holds a record the office witnessed.
        case rewritten
        /// A book that ends before a head the office witnessed.
        case rolledBack = "rolled back"
        /// A sign-out that closes no intact session record standing before
        /// it in its own book, or one signed out already.
        case unmatched = "unmatched sign-out"
        /// A returning person's session whose `previous` names no intact,
        /// earlier agreement of the same person.
        case unmatchedPrevious = "unmatched previous"
    }

    public var kind: Kind
    public var terminal: String
    public var seq: Int?
    /// Relative to the terminal folder (or the collection, for a stray
    /// file beside the terminal folders).
    public var file: String
    public var detail: String

    public init(kind: Kind, terminal: String, seq: Int?, file: String, detail: String) {
        self.kind = kind
        self.terminal = terminal
        self.seq = seq
        self.file = file
        self.detail = detail
    }

    /// One line, whatever a file's name holds: control characters are shown as U+FFFD.
    public var description: String {
        let at = seq.map { "seq \($0) " } ?? ""
        return ControlCharacters.replacing("\(terminal): \(at)(\(file)): \(kind.rawValue): \(detail)")
    }
}

/// What verifying one terminal folder found.
public struct VerificationSummary: Equatable, Sendable {
    public var terminal: String
    public var records = 0
    public var intact = 0
    public var problems: [VerificationProblem.Kind: Int] = [:]
    /// Not problems, but worth saying (an interrupted head update).
    public var notes: [String] = []
    /// The keys that signed the book, oldest first (more than one after a key change).
    public var keyIDs: [String] = []
    /// The last record found and its hash: the head a witness records.
    public var endsAt: (seq: Int, sha256: String) = (0, RecordFile.genesis)
    /// Records whose signatures were checked in full and held (for the
    /// others the cache of records verified before vouched, or they failed).
    public var checkedInFull = 0
    /// Sessions building on a record of another terminal's book: for
    /// `RecordVerifier.checkReferences` once every book is read.
    public var foreignReferences: [ForeignReference] = []

    public var problemCount: Int { problems.values.reduce(0, +) }

    public init(terminal: String) {
        self.terminal = terminal
    }

    public static func == (a: VerificationSummary, b: VerificationSummary) -> Bool {
        a.terminal == b.terminal && a.records == b.records && a.intact == b.intact && a.problems == b.problems
            && a.notes == b.notes && a.keyIDs == b.keyIDs && a.endsAt == b.endsAt && a.checkedInFull == b.checkedInFull
            && a.foreignReferences == b.foreignReferences
    }
}

/// Checks a terminal's record book: every signature against the keys the
/// caller trusts for that terminal, the chain of hashes, the signed head,
/// the stored content, the heads witnessed before, and every file in the
/// folder (anything it does not understand is a problem, never skipped).
/// It streams: records are read in batches and forgotten, so memory stays
/// flat however many there are; signatures in a batch are checked on
/// every core. Every file is read with a size limit, never through a
/// symlink, never blocking.
public struct RecordVerifier: Sendable {
    /// Terminal id -> the keys trusted for it. A key vouches for its own terminal only.
    public var keys: [String: [Minisign.PublicKey]]
    public var witnessed: [WitnessLog.Entry]
    public var batchSize = 128
    /// Records verified before: read by the office tools, written by all
    /// (verify itself always checks every signature in full).
    public var cache: VerifiedCache?
    public var readsCache = false

    public init(keys: [String: [Minisign.PublicKey]], witnessed: [WitnessLog.Entry] = [], cache: VerifiedCache? = nil, readsCache: Bool = false) {
        self.keys = keys
        self.witnessed = witnessed
        self.cache = cache
        self.readsCache = readsCache
    }

    /// Verifies one terminal folder; the terminal id is the folder's name.
    /// `report` is called for each problem as it is found; `progress` with
    /// (records done, records expected); `record` with each record in seq
    /// order. With `through`, records after that seq are not read (what
    /// `records show` uses to judge one record as verify would).
    public func verify(
        folder: String,
        through: Int? = nil,
        report: (VerificationProblem) -> Void,
        progress: (Int, Int) -> Void = { _, _ in },
        record: ((CheckedRecord) -> Void)? = nil
    ) -> VerificationSummary {
        let layout = RecordLayout(root: folder)
        let terminal = (folder as NSString).lastPathComponent
        var summary = VerificationSummary(terminal: terminal)
        func problem(_ p: VerificationProblem) {
            summary.problems[p.kind, default: 0] += 1
            report(p)
        }
        func problem(_ kind: VerificationProblem.Kind, _ seq: Int?, _ file: String, _ detail: String) {
            problem(VerificationProblem(kind: kind, terminal: terminal, seq: seq, file: layout.relative(file), detail: detail))
        }
        let trusted = keys[terminal] ?? []
        if trusted.isEmpty {
            problem(.untrusted, nil, ".", "no trusted key for terminal \(terminal), so none of its records can be checked: give --key \(terminal)=FILE with the terminal.pub from the school's register")
        }
        guard let entries = BoundedFile.entries(folder) else {
            problem(.unreadable, nil, ".", "the terminal's folder cannot be read")
            return summary
        }

        // Sort out the folder: every entry is understood or reported.
        var shards: [String] = []
        var hasContent = false
        for (name, mode) in entries {
            let path = folder + "/" + name
            switch name {
            case "terminal.pub", "terminal.pem", "head.json", "head.json.minisig":
                if !BoundedFile.isFile(mode) { problem(.stray, nil, path, "\(name) is \(BoundedFile.describe(mode)), not a file") }
            case ".lock":
                // Holds the writing kiosk's pid, nothing else.
                if !BoundedFile.isFile(mode) || Self.size(path) > 32 { problem(.stray, nil, path, ".lock is \(BoundedFile.describe(mode)) of \(Self.size(path)) bytes, not the pid the kiosk writes there") }
            case "content" where BoundedFile.isFolder(mode):
                hasContent = true
            case _ where name.count == 6 && name.utf8.allSatisfy({ (0x30...0x39).contains($0) }) && BoundedFile.isFolder(mode):
                shards.append(name)
            case _ where name.hasPrefix(AtomicFile.temporaryPrefix) && BoundedFile.isFile(mode):
                temporary(path)
            default:
                problem(.stray, nil, path, "\(BoundedFile.describe(mode)) that is no part of a record book: remove it, or find out who put it there")
            }
        }

        // What an interrupted save may leave; whether each is that is known
        // only once the book's end is known.
        var orphanSignatures: [(seq: Int, path: String)] = []
        var emptyShards: [String] = []
        var referenced = Set<String>()
        // Records whose text could not be trusted: what they name is unknown.
        var unread = 0
        func temporary(_ path: String) {
            if Self.size(path) <= BoundedFile.recordLimit {
                summary.notes.append("\(terminal): \(layout.relative(path)) is a temporary file left by an interrupted save")
            } else {
                problem(.stray, nil, path, "a temporary file of \(Self.size(path)) bytes, larger than any save writes: it is no part of the book")
            }
        }

        var chain = ChainCheck(terminal: terminal, trusted: trusted, othersKeys: keys.filter { $0.key != terminal }.flatMap(\.value), witnessed: witnessed)
        // A sign-out or `previous` naming a session long before it: that
        // record is read again (its own check was made in seq order).
        chain.earlier = { seq in Self.readSession(layout.record(seq: seq)) }
        // For the progress bar only: the head is checked at the end.
        let total: Int = if case .bytes(let b) = BoundedFile.read(layout.head, limit: BoundedFile.headLimit) { HeadFile(bytes: b)?.seq ?? 0 } else { 0 }
        var checkedContent: [String: Bool] = [:]
        var batch: [Item] = []
        var stopped = false

        // Batches are pipelined: while this thread takes one batch's
        // verdicts into the chain (and the caller's rows), the next batch
        // is read and checked on the other cores.
        var pending: [BatchCheck] = []
        let interners = TextInterners()
        func take(_ checked: BatchCheck) {
            checked.wait()
            let candidates = checked.candidates
            for (item, result) in zip(checked.items, checked.results) {
                guard var verdict = result else { continue }
                // A key handed over in an earlier batch still being taken,
                // or within this one, was not a candidate when this batch
                // was checked: check again with it.
                if verdict.problem?.kind == .forged, let active = chain.activeKey, verdict.keyID == active.keyID,
                   !candidates.contains(active) {
                    verdict = Self.check(item, keys: [active], terminal: terminal, cache: cache, readsCache: readsCache)
                }
                if verdict.problem?.kind == .forged, let id = verdict.keyID, let owner = owner(of: id, other: terminal) {
                    verdict.problem?.detail = "signed by key \(Minisign.keyIDText(id)), which is terminal \(owner)'s key, not a key of terminal \(terminal)"
                }
                let outcome = chain.add(seq: item.seq, file: layout.relative(item.path), verdict: verdict)
                outcome.problems.forEach(problem)
                summary.records += 1
                if verdict.checkedWith != nil { summary.checkedInFull += 1 }
                if let session = verdict.record?.session { referenced.formUnion(session.storedSHA256s) }
                if verdict.record == nil { unread += 1 }
                if outcome.intact, let r = verdict.record, case .session(let session) = r.body {
                    for sha in session.storedSHA256s where checkedContent[sha] == nil {
                        let good = checkContent(layout.content(sha256: sha), sha256: sha, seq: item.seq, problem: problem)
                        checkedContent[sha] = good
                    }
                }
                if outcome.intact { summary.intact += 1 }
                record?(CheckedRecord(terminal: terminal, seq: item.seq, path: item.path, sha256: verdict.sha256,
                                      intact: outcome.intact, record: verdict.record, unverified: verdict.unverified))
            }
            progress(summary.records, max(total, summary.records, 1))
        }
        func flush(last: Bool = false) {
            if !batch.isEmpty {
                pending.append(BatchCheck(items: batch, candidates: chain.candidateKeys, terminal: terminal, cache: cache, readsCache: readsCache, interners: interners))
                batch.removeAll(keepingCapacity: true)
            }
            // Two batches ahead, so the cores never wait for this thread.
            while pending.count > (last ? 0 : 2) {
                let checked = pending.removeFirst()
                take(checked)
                // Freed where it was made: a thread freeing another's
                // memory waits on that thread's allocator lock.
                DispatchQueue.global().async { withExtendedLifetime(checked) {} }
            }
        }

        shardLoop: for shard in shards {
            let shardPath = folder + "/" + shard
            guard let names = BoundedFile.entries(shardPath) else {
                problem(.unreadable, nil, shardPath, "the records folder cannot be read")
                continue
            }
            let present = Set(names.map(\.name))
            let open = BoundedFile.Folder(shardPath)
            var records: [Item] = []
            for (name, mode) in names {
                let path = shardPath + "/" + name
                if let seq = RecordLayout.seq(fromRecordName: name), RecordLayout.shardName(seq: seq) == shard {
                    // Read by name in the open folder; by its whole path if it would not open.
                    records.append(Item(seq: seq, path: path, name: open == nil ? path : name, folder: open))
                } else if name.hasSuffix(".json.minisig"), let seq = RecordLayout.seq(fromRecordName: String(name.dropLast(8))),
                          RecordLayout.shardName(seq: seq) == shard, BoundedFile.isFile(mode) {
                    // A signature beside its record is read with it; one
                    // alone is left by a save interrupted before its record.
                    if !present.contains(String(name.dropLast(8))) { orphanSignatures.append((seq, path)) }
                } else if name.hasPrefix(AtomicFile.temporaryPrefix) && BoundedFile.isFile(mode) {
                    temporary(path)
                } else if let seq = RecordLayout.seq(fromRecordName: name) {
                    problem(.stray, seq, path, "record \(seq) belongs in folder \(RecordLayout.shardName(seq: seq)), not \(shard)")
                } else {
                    problem(.stray, nil, path, "\(BoundedFile.describe(mode)) whose name is not a record's (records are named like 00000042.json): it is not part of the book")
                }
            }
            if names.isEmpty { emptyShards.append(shard) }
            for item in records.sorted(by: { $0.seq < $1.seq }) {
                if let through, item.seq > through {
                    stopped = true
                    break
                }
                batch.append(item)
                if batch.count >= batchSize { flush() }
            }
            if stopped { break shardLoop }
        }
        flush(last: true)

        if hasContent {
            for (name, mode) in BoundedFile.entries(layout.contentFolder) ?? [] {
                let path = layout.contentFolder + "/" + name
                let sha = name.hasSuffix(".md") ? String(name.dropLast(3)) : ""
                if RecordFile.isSHA256(sha) && BoundedFile.isFile(mode) {
                    guard through == nil else { continue }
                    if checkedContent[sha] == nil {
                        checkedContent[sha] = checkContent(path, sha256: sha, seq: nil, problem: problem)
                    }
                    // A save stores the documents before its record, so a kill
                    // in between leaves one that no record names: said, since
                    // the kiosk reads stored versions to mark what changed.
                    if !referenced.contains(sha) && unread == 0 && checkedContent[sha] == true {
                        summary.notes.append("\(terminal): content/\(name) is a stored document that no record names (left by a save interrupted before its record, or put there)")
                    }
                } else if name.hasPrefix(AtomicFile.temporaryPrefix) && BoundedFile.isFile(mode) {
                    temporary(path)
                } else {
                    problem(.stray, nil, path, "\(BoundedFile.describe(mode)) that is not a stored document (named by its SHA-256, like <64 hex digits>.md)")
                }
            }
        }

        summary.keyIDs = chain.lineage.map(\.keyIDText)
        summary.endsAt = chain.endsAt
        if through == nil {
            let next = chain.endsAt.seq + 1
            for (seq, path) in orphanSignatures {
                if seq == next {
                    summary.notes.append("\(terminal): \(layout.relative(path)) is the signature of a record whose save was interrupted")
                } else {
                    problem(.stray, seq, path, "a signature with no record, not where an interrupted save leaves one: it is not part of the book")
                }
            }
            for shard in emptyShards where shard != RecordLayout.shardName(seq: next) {
                problem(.stray, nil, folder + "/" + shard, "an empty records folder, not the one the next record goes in")
            }
        }
        if through == nil {
            chain.finish(head: BoundedFile.read(layout.head, limit: BoundedFile.headLimit),
                         signature: BoundedFile.read(layout.head + ".minisig", limit: BoundedFile.signatureLimit)).forEach(problem)
            checkPublishedKey(layout, chain: chain, problem: problem)
        }
        summary.notes += chain.notes
        summary.foreignReferences = chain.foreignReferences
        return summary
    }

    /// The hash of a record file and, for a session record, the person's name.
    public static func readSession(_ path: String) -> EarlierRecord? {
        guard case .bytes(let bytes) = BoundedFile.read(path, limit: BoundedFile.recordLimit) else { return nil }
        return EarlierRecord(sha256: Hex.sha256(bytes), name: (try? RecordFile(bytes: bytes))?.session?.person.name)
    }

    /// After every book is read: each session that builds on (`previous`)
    /// a record of another terminal must name an intact session record of
    /// the same person in that terminal's book, if that book was read
    /// (`folders`); if it was not, a note says so (it cannot be matched
    /// here, which is no tampering). `intact` says whether a record of a
    /// book read verified; `read` whether it was read at all (one after
    /// `--through` was not: a note says it was not checked, and it never
    /// counts as intact).
    public static func checkReferences(
        _ references: [ForeignReference], folders: [String], intact: (RecordLink) -> Bool, read: (RecordLink) -> Bool = { _ in true }
    ) -> (problems: [VerificationProblem], notes: [String]) {
        var problems: [VerificationProblem] = []
        var notes: [String] = []
        let byTerminal = Dictionary(folders.map { (($0 as NSString).lastPathComponent, $0) }, uniquingKeysWith: { a, _ in a })
        for reference in references {
            let link = reference.names
            let terminal = ControlCharacters.replacing(link.terminal)
            let what = "it builds on record \(link.seq) · \(SignedRecord.reference(sha256: link.sha256)) of terminal \(terminal) (previous)"
            guard let folder = byTerminal[link.terminal] else {
                notes.append("\(reference.terminal): record \(reference.seq) builds on record \(link.seq) of terminal \(terminal), whose book is not among the folders read: it is checked when that book is read with this one")
                continue
            }
            guard read(link) else {
                notes.append("\(reference.terminal): record \(reference.seq) builds on record \(link.seq) of terminal \(terminal), which was not read (the books were read only so far): it is checked when the whole book is read")
                continue
            }
            let found = readSession(RecordLayout(root: folder).record(seq: link.seq))
            let wrong: String? = switch found {
            case nil: "\(what), which is not in that book"
            case .some(let f) where f.sha256 != link.sha256: "\(what), but that record has another hash (\(f.sha256.prefix(16))…)"
            case .some(let f) where !f.isSession: "\(what), which is not a session record"
            case .some where !intact(link): "\(what), which does not verify"
            case .some(let f) where f.nameKey != reference.nameKey: "\(what), which is another person's agreement"
            default: nil
            }
            if let wrong {
                problems.append(VerificationProblem(kind: .unmatchedPrevious, terminal: reference.terminal, seq: reference.seq,
                                                    file: RecordLayout.relativeRecordPath(seq: reference.seq),
                                                    detail: wrong + "; the clauses this person was not asked again are agreed nowhere: have them sign in again in full (not with R)"))
            }
        }
        return (problems, notes)
    }

    /// The terminal other than `terminal` that a key id is trusted for.
    private func owner(of keyID: [UInt8], other terminal: String) -> String? {
        keys.first { $0.key != terminal && $0.value.contains { $0.keyID == keyID } }?.key
    }

    /// A file's size, without following a link (0 when it cannot be read).
    static func size(_ path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// terminal.pub and terminal.pem must name the key the book signs with
    /// now: an inspector checks records with them.
    private func checkPublishedKey(_ layout: RecordLayout, chain: ChainCheck, problem: (VerificationProblem.Kind, Int?, String, String) -> Void) {
        guard let expected = chain.activeKey ?? (chain.trusted.count == 1 ? chain.trusted[0] : nil) else { return }
        switch BoundedFile.read(layout.publicKey, limit: BoundedFile.keyLimit) {
        case .missing:
            problem(.missing, nil, layout.publicKey, "terminal.pub is missing: an inspector needs it to check records with minisign")
        case .refused(let why):
            problem(.stray, nil, layout.publicKey, "terminal.pub cannot be used: \(why)")
        case .bytes(let bytes):
            let published = try? Minisign.PublicKey(fileText: String(decoding: bytes, as: UTF8.self))
            if published != expected {
                problem(.forged, nil, layout.publicKey, "terminal.pub does not name key \(expected.keyIDText), the key this book is signed with")
            }
        }
        switch BoundedFile.read(layout.pem, limit: BoundedFile.keyLimit) {
        case .missing:
            problem(.missing, nil, layout.pem, "terminal.pem is missing: an inspector needs it to check records with openssl")
        case .refused(let why):
            problem(.stray, nil, layout.pem, "terminal.pem cannot be used: \(why)")
        case .bytes(let bytes):
            if bytes != Array(expected.pemText.utf8) {
                problem(.forged, nil, layout.pem, "terminal.pem is not key \(expected.keyIDText), the key this book is signed with")
            }
        }
    }

    private func checkContent(_ path: String, sha256: String, seq: Int?, problem: (VerificationProblem.Kind, Int?, String, String) -> Void) -> Bool {
        switch BoundedFile.read(path, limit: BoundedFile.contentLimit) {
        case .bytes(let bytes):
            if Hex.sha256(bytes) == sha256 { return true }
            problem(.contentModified, seq, path, "the stored document text does not match the hash it is named by")
        case .missing:
            problem(.contentMissing, seq, path, "the document text this record names is not stored")
        case .refused(let why):
            problem(.contentModified, seq, path, "the stored document text cannot be used: \(why)")
        }
        return false
    }

    /// Reads one record and its signature (each with its limit) and checks
    /// them; a record whose signatures were checked in full and hold goes
    /// into the cache.
    static func check(path: String, keys: [Minisign.PublicKey], terminal: String = "", seq: Int = 0,
                      cache: VerifiedCache? = nil, readsCache: Bool = false) -> RecordCheck.Verdict {
        check(Item(seq: seq, path: path, name: path, folder: nil), keys: keys, terminal: terminal, cache: cache, readsCache: readsCache)
    }

    /// A record file found in a shard: its seq, its path (for messages),
    /// and its name in the open shard folder (for reading).
    struct Item: Sendable {
        var seq: Int
        var path: String
        var name: String
        var folder: BoundedFile.Folder?
    }

    static func check(_ item: Item, keys: [Minisign.PublicKey], terminal: String,
                      cache: VerifiedCache?, readsCache: Bool, shared: TextInterner? = nil) -> RecordCheck.Verdict {
        let seq = item.seq
        let bytes: [UInt8]
        switch BoundedFile.read(item.name, limit: BoundedFile.recordLimit, in: item.folder) {
        case .bytes(let b): bytes = b
        case .missing:
            return RecordCheck.Verdict(sha256: "", problem: RecordCheck.Problem(.unreadable, "the record file vanished while it was read"))
        case .refused(let why):
            return RecordCheck.Verdict(sha256: "", problem: RecordCheck.Problem(.unreadable, "the record file cannot be used: \(why)"))
        }
        switch BoundedFile.read(item.name + ".minisig", limit: BoundedFile.signatureLimit, in: item.folder) {
        case .bytes(let signature):
            let known: ((String, Minisign.PublicKey) -> Bool)? = readsCache ? { sha, key in
                cache?.knows(terminal: terminal, seq: seq, recordSHA256: sha, signature: signature, key: key) ?? false
            } : nil
            let verdict = RecordCheck.check(bytes, signatureFile: signature, keys: keys, verifiedBefore: known, shared: shared)
            if let cache, verdict.problem == nil, let key = verdict.checkedWith {
                cache.remember(terminal: terminal, seq: seq, recordSHA256: verdict.sha256, signature: signature, key: key)
            }
            return verdict
        case .missing: return RecordCheck.check(bytes, signatureFile: nil, keys: keys, verifiedBefore: nil, shared: shared)
        case .refused(let why):
            var verdict = RecordCheck.Verdict(sha256: Hex.sha256(bytes), problem: RecordCheck.Problem(.unsigned, "its signature file cannot be used: \(why)"))
            verdict.unverified = try? RecordFile(bytes: bytes, checkCanonical: false, shared: shared)
            return verdict
        }
    }
}

/// One record as verify saw it, in seq order: what the office tools list.
/// `intact` is false for a record with any problem; its content is given
/// only when its signature was good (an untrusted record's text is never
/// shown as if it were the record).
public struct CheckedRecord: Sendable {
    public var terminal: String
    public var seq: Int
    public var path: String
    public var sha256: String
    public var intact: Bool
    public var record: RecordFile?
    /// When the signature does not hold but the bytes still read as a
    /// record: what they say, untrusted. Only the fire list uses it, to
    /// keep listing the person (marked); nothing shows it as the record.
    public var unverified: RecordFile?

    public init(terminal: String, seq: Int, path: String, sha256: String, intact: Bool, record: RecordFile?, unverified: RecordFile? = nil) {
        self.terminal = terminal
        self.seq = seq
        self.path = path
        self.sha256 = sha256
        self.intact = intact
        self.record = record
        self.unverified = unverified
    }
}

/// One batch of records read and checked on every core, in the
/// background; `wait` before reading `results`.
private final class BatchCheck: @unchecked Sendable {
    let items: [RecordVerifier.Item]
    let candidates: [Minisign.PublicKey]
    /// One slot per item, each written by one worker, read after `wait`.
    private let slots: UnsafeMutableBufferPointer<RecordCheck.Verdict?>
    private let done = DispatchGroup()

    /// Records are taken 16 at a time, each run with one of `interners`.
    static let chunk = 16

    init(items: [RecordVerifier.Item], candidates: [Minisign.PublicKey], terminal: String, cache: VerifiedCache?, readsCache: Bool,
         interners: TextInterners) {
        self.items = items
        self.candidates = candidates
        slots = .allocate(capacity: items.count)
        slots.initialize(repeating: nil)
        let out = UnsafeMutableSendablePointer(slots.baseAddress!)
        DispatchQueue.global().async(group: done) { [items, candidates] in
            DispatchQueue.concurrentPerform(iterations: (items.count + Self.chunk - 1) / Self.chunk) { c in
                let shared = interners.borrow()
                defer { interners.giveBack(shared) }
                for i in c * Self.chunk..<min(items.count, (c + 1) * Self.chunk) {
                    out.pointer[i] = RecordVerifier.check(items[i], keys: candidates, terminal: terminal, cache: cache, readsCache: readsCache,
                                                          shared: shared)
                }
            }
        }
    }

    var results: UnsafeMutableBufferPointer<RecordCheck.Verdict?> { slots }

    func wait() {
        done.wait()
    }

    deinit {
        done.wait()
        slots.deinitialize()
        slots.deallocate()
    }
}

/// Lets `concurrentPerform` write each result into its own slot.
private struct UnsafeMutableSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}

/// Interners lent to the threads reading records, each to one at a time,
/// kept for the next batch.
final class TextInterners: @unchecked Sendable {
    private var idle: [TextInterner] = []
    private let lock = NSLock()

    func borrow() -> TextInterner {
        lock.withLock { idle.popLast() } ?? TextInterner()
    }

    func giveBack(_ interner: TextInterner) {
        lock.withLock { idle.append(interner) }
    }
}
