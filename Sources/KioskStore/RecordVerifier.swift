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
    }

    public var kind: Kind
    public var terminal: String
    public var seq: Int?
    /// Relative to the terminal folder.
    public var file: String
    public var detail: String

    public var description: String {
        let at = seq.map { "seq \($0) " } ?? ""
        return "\(terminal): \(at)(\(file)): \(kind.rawValue): \(detail)"
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

    public var problemCount: Int { problems.values.reduce(0, +) }

    public init(terminal: String) {
        self.terminal = terminal
    }
}

/// Checks a terminal's record book: every signature against keys the
/// caller trusts, the chain of hashes, the signed head and the stored
/// content. It streams: records are read in batches and forgotten, so
/// memory stays flat however many there are; signatures in a batch are
/// checked on every core.
public struct RecordVerifier: Sendable {
    public var trustedKeys: [Minisign.PublicKey]
    public var batchSize = 512

    public init(trustedKeys: [Minisign.PublicKey]) {
        self.trustedKeys = trustedKeys
    }

    /// Result of checking one record file on its own.
    struct Checked: Sendable {
        var seq: Int
        var path: String
        var sha256 = ""
        var problem: (VerificationProblem.Kind, String)?
        var recordSeq: Int?
        var prev: String?
        var terminal: String?
        var contentHashes: [String] = []
        var json: JSONValue?
    }

    /// Verifies one terminal folder. `report` is called for each problem as
    /// it is found; `progress` with (records done, records expected).
    public func verify(
        folder: String,
        report: (VerificationProblem) -> Void,
        progress: (Int, Int) -> Void = { _, _ in },
        record: ((CheckedRecord) -> Void)? = nil
    ) -> VerificationSummary {
        let keepJSON = record != nil
        let layout = RecordLayout(root: folder)
        let terminal = (folder as NSString).lastPathComponent
        var summary = VerificationSummary(terminal: terminal)
        func problem(_ kind: VerificationProblem.Kind, _ seq: Int?, _ file: String, _ detail: String) {
            summary.problems[kind, default: 0] += 1
            report(VerificationProblem(kind: kind, terminal: terminal, seq: seq, file: layout.relative(file), detail: detail))
        }

        // The head first: it says how many records to expect.
        let head = readHead(layout, problem: problem)
        var headRecordHash: String?

        var expected = 1
        var prevHash = SignedRecord.genesis
        var prevKnown = true
        var checkedContent: [String: Bool] = [:]
        var batch: [(Int, String)] = []
        let total = max(head?.seq ?? 0, 1)

        func flush() {
            let keys = trustedKeys
            let items = batch
            var results = [Checked?](repeating: nil, count: items.count)
            results.withUnsafeMutableBufferPointer { buffer in
                let out = UnsafeMutableSendablePointer(buffer.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: items.count) { i in
                    out.pointer[i] = Self.check(seq: items[i].0, path: items[i].1, keys: keys, keepJSON: keepJSON)
                }
            }
            for case let checked? in results {
                let s = checked.seq
                if s > expected {
                    let range = s - expected == 1 ? "record \(expected) is" : "records \(expected) to \(s - 1) are"
                    problem(.missing, expected, layout.record(seq: expected), "\(range) not in the book (deleted?)")
                    prevKnown = false
                }
                summary.records += 1
                var ok = true
                if let (kind, detail) = checked.problem {
                    problem(kind, s, checked.path, detail)
                    ok = false
                } else if checked.recordSeq != s {
                    problem(.reordered, s, checked.path, "this file holds record seq \(checked.recordSeq.map(String.init) ?? "?"): records were reordered or renamed")
                    ok = false
                } else if checked.terminal != terminal {
                    problem(.inserted, s, checked.path, "this record belongs to terminal \(checked.terminal ?? "?"), not \(terminal)")
                    ok = false
                } else if prevKnown && checked.prev != prevHash {
                    problem(.chainBroken, s, checked.path, "its prev hash does not match record \(s - 1): a record before it was replaced, inserted or removed")
                    ok = false
                }
                if ok {
                    for sha in checked.contentHashes where checkedContent[sha] == nil {
                        let path = layout.content(sha256: sha)
                        switch (try? AtomicFile.read(path)) ?? nil {
                        case .some(let bytes):
                            let good = Hex.sha256(bytes) == sha
                            checkedContent[sha] = good
                            if !good { problem(.contentModified, s, path, "the stored document text does not match the hash its records name") }
                        case nil:
                            checkedContent[sha] = false
                            problem(.contentMissing, s, path, "the document text this record names is not stored")
                        }
                    }
                    summary.intact += 1
                }
                record?(CheckedRecord(terminal: terminal, seq: s, path: checked.path, sha256: checked.sha256, intact: ok, json: checked.json))
                // After a bad record the chain resumes from the next good one,
                // so one tampered file is reported once.
                prevKnown = ok
                prevHash = checked.sha256
                if s == head?.seq { headRecordHash = checked.sha256 }
                expected = s + 1
            }
            batch.removeAll(keepingCapacity: true)
            progress(summary.records, total)
        }

        for shard in shardFolders(layout) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: shard.path)) ?? []
            var seqs: [Int] = []
            for name in names {
                if name.hasSuffix(".minisig") || name.hasPrefix(".") { continue }
                guard let seq = RecordLayout.seq(fromRecordName: name) else {
                    problem(.inserted, nil, shard.path + "/" + name, "a file that is not a record is in a records folder")
                    continue
                }
                guard RecordLayout.shardName(seq: seq) == shard.name else {
                    problem(.inserted, seq, shard.path + "/" + name, "record \(seq) belongs in folder \(RecordLayout.shardName(seq: seq))")
                    continue
                }
                seqs.append(seq)
            }
            for seq in seqs.sorted() {
                batch.append((seq, shard.path + "/" + RecordLayout.recordName(seq: seq)))
                if batch.count >= batchSize { flush() }
            }
        }
        flush()

        let last = expected - 1
        if let head {
            if head.seq > last {
                let range = head.seq - last == 1 ? "record \(head.seq) is" : "records \(last + 1) to \(head.seq) are"
                problem(.missing, last + 1, layout.record(seq: last + 1), "\(range) named by the signed head but not in the book (tail truncated)")
            } else if head.seq > 0 && headRecordHash != nil && headRecordHash != head.sha256 {
                problem(.headMismatch, head.seq, layout.head, "head.json names a hash for record \(head.seq) that is not the record's hash")
            } else if head.seq == last - 1 {
                summary.notes.append("\(terminal): head.json names record \(head.seq) but record \(last) follows it: an interrupted save; the kiosk brings the head up to date when it next starts")
            } else if head.seq < last {
                problem(.headMismatch, head.seq, layout.head, "head.json names record \(head.seq) but the book holds records up to \(last): an older head was put back, or records were added without the key's kiosk")
            }
        }
        return summary
    }

    private func readHead(_ layout: RecordLayout, problem: (VerificationProblem.Kind, Int?, String, String) -> Void) -> HeadFile? {
        guard let bytes = try? AtomicFile.read(layout.head) else {
            if FileManager.default.fileExists(atPath: layout.shard(seq: 1)) {
                problem(.missing, nil, layout.head, "head.json is missing, so a truncated tail cannot be found")
            }
            return nil
        }
        guard let sigBytes = try? AtomicFile.read(layout.head + ".minisig") else {
            problem(.unsigned, nil, layout.head, "head.json.minisig is missing")
            return nil
        }
        guard let signature = try? Minisign.Signature(fileText: String(decoding: sigBytes, as: UTF8.self)) else {
            problem(.malformed, nil, layout.head + ".minisig", "not a minisign signature")
            return nil
        }
        switch Minisign.verify(bytes, signature: signature, keys: trustedKeys) {
        case .valid: break
        case .unknownKey(let id):
            problem(.forged, nil, layout.head, "signed by key \(id), which is not a trusted key")
            return nil
        case .badSignature, .badTrustedComment:
            problem(.modified, nil, layout.head, "head.json does not match its signature")
            return nil
        }
        guard let head = HeadFile(bytes: bytes), signature.trustedComment == head.trustedComment else {
            problem(.malformed, nil, layout.head, "head.json is signed but not a head this kiosk writes")
            return nil
        }
        return head
    }

    private func shardFolders(_ layout: RecordLayout) -> [(name: String, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.root)) ?? []
        return names.filter { $0.count == 6 && $0.allSatisfy(\.isNumber) }.sorted().map { ($0, layout.root + "/" + $0) }
    }

    /// Reads and checks one record and its signature, apart from the chain.
    private static func check(seq: Int, path: String, keys: [Minisign.PublicKey], keepJSON: Bool) -> Checked {
        guard let bytes = try? AtomicFile.read(path) else {
            var result = Checked(seq: seq, path: path)
            result.problem = (.unreadable, "the record file cannot be read")
            return result
        }
        return check(seq: seq, path: path, bytes: bytes, signatureFile: try? AtomicFile.read(path + ".minisig"), keys: keys, keepJSON: keepJSON)
    }

    /// One record's bytes and its signature file's bytes (nil when missing)
    /// checked as verify checks them, apart from the chain: the problem,
    /// or nil when intact, and the record as JSON when it could be read.
    /// Whatever the bytes, it reports a problem rather than failing (the
    /// fuzzer's `record` target holds it to that).
    public static func check(_ bytes: [UInt8], signatureFile: [UInt8]?, keys: [Minisign.PublicKey])
        -> (problem: (kind: VerificationProblem.Kind, detail: String)?, json: JSONValue?) {
        let checked = check(seq: 1, path: "record", bytes: bytes, signatureFile: signatureFile, keys: keys, keepJSON: true)
        return (checked.problem.map { (kind: $0.0, detail: $0.1) }, checked.json)
    }

    static func check(seq: Int, path: String, bytes: [UInt8], signatureFile: [UInt8]?, keys: [Minisign.PublicKey], keepJSON: Bool) -> Checked {
        var result = Checked(seq: seq, path: path)
        result.sha256 = Hex.sha256(bytes)
        guard let sigBytes = signatureFile else {
            result.problem = (.unsigned, "its signature file \(RecordLayout.recordName(seq: seq)).minisig is missing")
            return result
        }
        let signature: Minisign.Signature
        do {
            signature = try Minisign.Signature(fileText: String(decoding: sigBytes, as: UTF8.self))
        } catch {
            result.problem = (.malformed, "the signature file is damaged: \(error)")
            return result
        }
        switch Minisign.verify(bytes, signature: signature, keys: keys) {
        case .valid: break
        case .unknownKey(let id):
            result.problem = (.forged, "signed by key \(id), which is not a trusted key")
            return result
        case .badSignature:
            result.problem = (.modified, "the record's bytes do not match its signature")
            return result
        case .badTrustedComment:
            result.problem = (.modified, "the trusted comment of its signature was changed")
            return result
        }
        guard let json = try? CanonicalJSON.decode(bytes), json["schema"]?.string == SignedRecord.schema,
              let recordSeq = json["seq"]?.int, let prev = json["prev"]?.string, let terminal = json["terminal"]?.string
        else {
            result.problem = (.malformed, "signed, but not a record this kiosk writes")
            return result
        }
        result.recordSeq = recordSeq
        result.prev = prev
        result.terminal = terminal
        result.contentHashes = (json["documents"]?.array ?? []).compactMap { $0["sha256"]?.string }
        if keepJSON { result.json = json }
        let expectedComment = SignedRecord.trustedComment(seq: recordSeq, sha256: result.sha256, prev: prev, terminal: terminal)
        if signature.trustedComment != expectedComment {
            result.problem = (.malformed, "the trusted comment does not describe this record")
        }
        return result
    }
}

/// One record as verify saw it, in seq order: what the office tools list.
/// `intact` is false for a record with any problem (its JSON, if it could
/// be read, is still given, so a report can say what it could not trust).
public struct CheckedRecord: Sendable {
    public var terminal: String
    public var seq: Int
    public var path: String
    public var sha256: String
    public var intact: Bool
    public var json: JSONValue?

    public init(terminal: String, seq: Int, path: String, sha256: String, intact: Bool, json: JSONValue?) {
        self.terminal = terminal
        self.seq = seq
        self.path = path
        self.sha256 = sha256
        self.intact = intact
        self.json = json
    }
}

/// Lets `concurrentPerform` write each result into its own slot.
private struct UnsafeMutableSendablePointer<T>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<T>
    init(_ pointer: UnsafeMutablePointer<T>) { self.pointer = pointer }
}
