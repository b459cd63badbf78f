import Foundation
import KioskContent

/// The chain of one terminal's book, checked as a pure piece: record
/// verdicts go in in seq order, problems come out. It knows which key may
/// sign at each point (the trusted key, then each key a key-change record
/// hands over to), the hash each record must name as `prev`, the signed
/// head, and the heads the office witnessed before.
public struct ChainCheck: Sendable {
    public let terminal: String
    /// Keys the office trusts for this terminal.
    public let trusted: [Minisign.PublicKey]
    /// The key that signs the book from here on (nil before the first record).
    public private(set) var activeKey: Minisign.PublicKey?
    /// Every key this terminal has used, in order: what verify prints.
    public private(set) var lineage: [Minisign.PublicKey] = []
    public private(set) var expected = 1
    public private(set) var lastHash = RecordFile.genesis
    /// The hash of the record before the last: an interrupted head update
    /// leaves the head naming it.
    private var hashBefore: String?
    private var prevKnown = true
    private var lastTime: String?
    private var witnessed: [Int: WitnessLog.Entry]
    private var wrongTerminalReported = false
    public private(set) var notes: [String] = []
    /// Sessions that build on a record of another terminal's book
    /// (`previous`): checked once every book has been read
    /// (`RecordVerifier.checkReferences`).
    public private(set) var foreignReferences: [ForeignReference] = []
    /// The intact session records among the last `recentLimit` records
    /// (seq -> hash and the person's name key), so a sign-out or a
    /// `previous` is matched without reading its session again; older ones
    /// are asked of `earlier`. Bounded: memory stays flat.
    private var recentSessions: [Int: (sha256: String, nameKey: String)] = [:]
    public var recentLimit = 10_000
    /// Records of this book that did not verify (few: each is a problem
    /// already), so a sign-out or `previous` naming one far back is not
    /// matched on its hash alone.
    private var failed = Set<Int>()
    /// Sessions of this book signed out so far -> the sign-out's seq: a
    /// second sign-out of one is no record the kiosk writes. One small
    /// entry per sign-out.
    private var signedOut: [Int: Int] = [:]
    /// Reads an earlier record of this book again (its hash, and the
    /// person's name when it is a session record), for a sign-out or
    /// `previous` naming one older than `recentLimit` records; nil when it
    /// cannot be read.
    public var earlier: (@Sendable (Int) -> EarlierRecord?)?

    /// Keys trusted for other terminals: a key change may not hand over to one.
    private let othersKeys: [Minisign.PublicKey]

    public init(terminal: String, trusted: [Minisign.PublicKey], othersKeys: [Minisign.PublicKey] = [], witnessed: [WitnessLog.Entry] = []) {
        self.terminal = terminal
        self.trusted = trusted
        self.othersKeys = othersKeys
        // The newest witness of each seq is enough: all must agree anyway.
        var bySeq: [Int: WitnessLog.Entry] = [:]
        for entry in witnessed where entry.terminal == terminal { bySeq[entry.seq] = entry }
        self.witnessed = bySeq
    }

    /// The keys a record may be checked against before its place in the
    /// chain is known: the trusted ones and any handed over to so far.
    public var candidateKeys: [Minisign.PublicKey] {
        var keys = trusted
        for key in lineage where !keys.contains(key) { keys.append(key) }
        return keys
    }

    /// What became of one record.
    public struct Outcome: Sendable {
        public var intact: Bool
        public var problems: [VerificationProblem]
    }

    /// Takes the next record file found (in seq order). `seq` is the one
    /// its canonical file name gives; `file` is relative to the terminal's
    /// folder.
    public mutating func add(seq: Int, file: String, verdict: RecordCheck.Verdict) -> Outcome {
        var problems: [VerificationProblem] = []
        func problem(_ kind: VerificationProblem.Kind, _ at: Int?, _ file: String, _ detail: String) {
            problems.append(VerificationProblem(kind: kind, terminal: terminal, seq: at, file: file, detail: detail))
        }
        if seq > expected {
            let range = seq - expected == 1 ? "record \(expected) is" : "records \(expected) to \(seq - 1) are"
            // A book started again after its folder was lost begins after
            // the lost records: they are with the office, not missing here.
            // Still a problem (they were not checked), but named for what it is.
            if expected == 1, verdict.problem == nil, let resumed = verdict.record?.bookResumed, resumed.lostSeq == seq - 1 {
                problem(.missing, expected, RecordLayout.relativeRecordPath(seq: expected),
                        "\(range) not in this folder: the book was started again at record \(seq) after they were lost (\(ControlCharacters.replacing(resumed.reason))); check the office's copy, which holds them, with this folder's records merged into it")
                lastHash = verdict.record!.prev
            } else {
                problem(.missing, expected, RecordLayout.relativeRecordPath(seq: expected), "\(range) not in the book (deleted?)")
                prevKnown = false
            }
            for witnessedSeq in witnessed.keys.sorted() where witnessedSeq >= expected && witnessedSeq < seq {
                problem(.rewritten, witnessedSeq, RecordLayout.relativeRecordPath(seq: witnessedSeq),
                        "record \(witnessedSeq) was witnessed on \(witnessed[witnessedSeq]!.seenAt) and is not in the book now")
                witnessed[witnessedSeq] = nil
            }
        }
        var intact = false
        if let found = verdict.problem {
            problem(found.kind, seq, file, found.detail)
        } else if let record = verdict.record {
            if record.seq != seq {
                problem(.reordered, seq, file, "this file holds record \(record.seq): records were reordered or renamed")
            } else if record.terminal != terminal {
                problem(.inserted, seq, file, "this record belongs to terminal \(ControlCharacters.replacing(record.terminal)), not \(terminal)")
            } else if let keyProblem = checkKey(verdict.keyID, seq: seq) {
                problem(.forged, seq, file, keyProblem)
            } else if prevKnown && record.prev != lastHash {
                problem(.chainBroken, seq, file, "its prev hash does not match record \(seq - 1): a record before it was replaced, inserted or removed")
            } else if let key = record.newPublicKey, lineage.contains(key) {
                problem(.forged, seq, file, "a key change back to key \(key.keyIDText), which this terminal has used before: a retired key never signs again")
            } else if let key = record.newPublicKey, othersKeys.contains(key) {
                problem(.forged, seq, file, "a key change to key \(key.keyIDText), which is trusted for another terminal: each terminal's key is its own")
            } else if let out = record.signOut, let wrong = closes(out.session, at: seq) {
                problem(.unmatched, seq, file, wrong)
            } else if let session = record.session, let previous = session.previous,
                      let wrong = buildsOn(previous, at: seq, name: session.person.name) {
                problem(.unmatchedPrevious, seq, file, wrong)
            } else {
                intact = true
            }
            if intact, let out = record.signOut { signedOut[out.session.seq] = seq }
            if intact, let session = record.session {
                recentSessions[seq] = (verdict.sha256, SigningReport.nameKey(session.person.name))
                // Forget those more than `recentLimit` records back (now and then, not each time).
                if recentSessions.count > 2 * recentLimit { recentSessions = recentSessions.filter { $0.key > seq - recentLimit } }
            }
            if intact, let key = record.newPublicKey {
                activeKey = key
                lineage.append(key)
            }
            if intact {
                if let last = lastTime, record.completedAt < last {
                    notes.append("\(terminal): record \(seq) was completed at \(record.completedAt), before record \(seq - 1) (\(last)): the terminal's clock went back")
                }
                lastTime = record.completedAt
            }
        }
        if let seen = witnessed[seq], seen.sha256 != verdict.sha256 {
            problem(.rewritten, seq, file,
                    "record \(seq) is not the one witnessed on \(seen.seenAt) (its hash was \(seen.sha256.prefix(16))…): the book was rewritten since it was witnessed")
            witnessed[seq] = nil
        }
        if !intact { failed.insert(seq) }
        // After a bad record the chain resumes from the next good one, so
        // one tampered file is reported once.
        prevKnown = intact
        hashBefore = lastHash
        lastHash = verdict.sha256
        expected = seq + 1
        return Outcome(intact: intact, problems: problems)
    }

    /// Why a sign-out at `seq` does not close a session record of this
    /// book that stands before it, or nil when it does. The kiosk signs out
    /// only a session of its own book (S searches nothing else), so one
    /// naming another terminal's record is no sign-out it writes: another
    /// terminal's key may not take this terminal's visitor off the list.
    private func closes(_ link: RecordLink, at seq: Int) -> String? {
        let what = "it signs out record \(link.seq) · \(SignedRecord.reference(sha256: link.sha256))"
        guard link.terminal == terminal else {
            return "\(what) of terminal \(ControlCharacters.replacing(link.terminal)): a sign-out closes a session of its own terminal's book only, so it takes nobody off the list; find out which program wrote it"
        }
        if let wrong = session(link, at: seq, what: what) { return wrong }
        if let before = signedOut[link.seq] {
            return "\(what), which record \(before) signed out already: the kiosk signs a session out once; find out which program wrote this one"
        }
        return nil
    }

    /// Why `previous` of the session at `seq` (of `name`) does not name an
    /// earlier, intact session record of the same person, or nil when it
    /// does. One naming another terminal's book is kept to be checked
    /// against that book once it is read.
    private mutating func buildsOn(_ link: RecordLink, at seq: Int, name: String) -> String? {
        let nameKey = SigningReport.nameKey(name)
        guard link.terminal == terminal else {
            foreignReferences.append(ForeignReference(terminal: terminal, seq: seq, names: link, nameKey: nameKey))
            return nil
        }
        let what = "it builds on record \(link.seq) · \(SignedRecord.reference(sha256: link.sha256)) (previous)"
        if let wrong = session(link, at: seq, what: what, nameKey: nameKey) {
            return wrong + "; the clauses this person was not asked again are agreed nowhere: have them sign in again in full (not with R)"
        }
        return nil
    }

    /// Why `link` is not an intact session record of this book standing
    /// before `seq` (of the person `nameKey`, when given), or nil.
    private func session(_ link: RecordLink, at seq: Int, what: String, nameKey: String? = nil) -> String? {
        guard link.seq < seq else { return "\(what), which does not stand before it" }
        let found: EarlierRecord
        if let recent = recentSessions[link.seq] {
            found = EarlierRecord(sha256: recent.sha256, name: nil, nameKey: recent.nameKey)
        } else if seq - link.seq <= recentLimit || earlier == nil {
            return "\(what), which is not an intact session record of this book"
        } else if let read = earlier?(link.seq) {
            found = read
        } else {
            return "\(what), which cannot be read in this book"
        }
        guard found.sha256 == link.sha256 else {
            return "\(what), but record \(link.seq) of this book has another hash (\(found.sha256.prefix(16))…)"
        }
        guard let foundKey = found.nameKey else { return "\(what), which is not a session record" }
        guard !failed.contains(link.seq) else { return "\(what), which does not verify" }
        if let nameKey, foundKey != nameKey { return "\(what), which is another person's agreement" }
        return nil
    }

    /// The first record's key must be one the office trusts for this
    /// terminal; after that, every record is signed by the key in force.
    private mutating func checkKey(_ keyID: [UInt8]?, seq: Int) -> String? {
        guard let keyID else { return "its signature names no key" }
        if let active = activeKey {
            if active.keyID == keyID { return nil }
            return "signed by key \(Minisign.keyIDText(keyID)), but from this point terminal \(terminal) signs with key \(active.keyIDText)"
        }
        guard let key = trusted.first(where: { $0.keyID == keyID }) else {
            return "signed by key \(Minisign.keyIDText(keyID)), which is not a trusted key of terminal \(terminal)"
        }
        activeKey = key
        lineage.append(key)
        return nil
    }

    /// After the last record: the signed head, and the heads witnessed
    /// before. `head` and `signature` are the head files as read.
    public mutating func finish(head: BoundedFile.Result, signature: BoundedFile.Result) -> [VerificationProblem] {
        var problems: [VerificationProblem] = []
        func problem(_ kind: VerificationProblem.Kind, _ at: Int?, _ file: String, _ detail: String) {
            problems.append(VerificationProblem(kind: kind, terminal: terminal, seq: at, file: file, detail: detail))
        }
        let last = expected - 1
        if let (seq, entry) = witnessed.filter({ $0.key > last }).max(by: { $0.key < $1.key }) {
            problem(.rolledBack, last + 1, RecordLayout.relativeRecordPath(seq: last + 1),
                    "the book ends at record \(last), but record \(seq) was witnessed on \(entry.seenAt): it was rolled back or truncated since")
        }
        guard case .bytes(let headBytes) = head else {
            let why = if case .refused(let reason) = head { "head.json cannot be used: \(reason)" } else { "head.json is missing" }
            problem(.missing, nil, "head.json", "\(why); every record book has a signed head from the moment it is made")
            return problems
        }
        guard case .bytes(let sigBytes) = signature else {
            let why = if case .refused(let reason) = signature { "cannot be used: \(reason)" } else { "is missing" }
            problem(.unsigned, nil, "head.json.minisig", "head.json's signature file \(why)")
            return problems
        }
        guard let sig = try? Minisign.Signature(fileText: String(decoding: sigBytes, as: UTF8.self)) else {
            problem(.malformed, nil, "head.json.minisig", "not a minisign signature")
            return problems
        }
        // The head is signed by the key in force at its record; with no
        // records yet, by a trusted key (the head written when the book was made).
        let keys = activeKey.map { [$0] } ?? trusted
        switch Minisign.verify(headBytes, signature: sig, keys: keys) {
        case .valid: break
        case .unknownKey(let id):
            problem(.forged, nil, "head.json", "signed by key \(id), which is not the key terminal \(terminal) signs with")
            return problems
        case .badSignature, .badTrustedComment:
            problem(.modified, nil, "head.json", "head.json does not match its signature")
            return problems
        }
        guard let parsed = HeadFile(bytes: headBytes), sig.trustedComment == parsed.trustedComment else {
            problem(.malformed, nil, "head.json", "head.json is signed but not a head this kiosk writes")
            return problems
        }
        var exact = sig
        exact.untrustedComment = HeadFile.untrustedComment(terminal: parsed.terminal)
        guard Array(exact.fileText.utf8) == sigBytes else {
            problem(.modified, nil, "head.json.minisig", "the head's signature file is not as the kiosk wrote it (its untrusted comment or its lines were changed)")
            return problems
        }
        if parsed.terminal != terminal {
            problem(.inserted, nil, "head.json", "head.json is the head of terminal \(ControlCharacters.replacing(parsed.terminal)), not \(terminal)")
            return problems
        }
        if parsed.seq > last {
            let range = parsed.seq - last == 1 ? "record \(parsed.seq) is" : "records \(last + 1) to \(parsed.seq) are"
            problem(.missing, last + 1, RecordLayout.relativeRecordPath(seq: last + 1), "\(range) named by the signed head but not in the book (tail truncated)")
        } else if parsed.seq == last {
            if parsed.sha256 != lastHash {
                problem(.headMismatch, parsed.seq, "head.json", "head.json names a hash for record \(parsed.seq) that is not the record's hash")
            }
        } else if parsed.seq == last - 1 && parsed.sha256 == hashBefore {
            notes.append("\(terminal): head.json names record \(parsed.seq) but record \(last) follows it: an interrupted save; the kiosk brings the head up to date")
        } else {
            problem(.headMismatch, parsed.seq, "head.json",
                    "head.json names record \(parsed.seq) but the book holds records up to \(last): an older head was put back, or records were added without the key's kiosk")
        }
        return problems
    }

    /// The head as verify found it: for the witness log.
    public var endsAt: (seq: Int, sha256: String) { (expected - 1, lastHash) }
}

/// A session in one terminal's book that builds on (`previous`) a record
/// of another terminal's book.
public struct ForeignReference: Equatable, Sendable {
    /// The terminal and seq of the session record.
    public var terminal: String
    public var seq: Int
    /// The earlier agreement it names.
    public var names: RecordLink
    /// `SigningReport.nameKey` of the person: the earlier one must be theirs.
    public var nameKey: String
}

/// An earlier record read again: its hash, and for a session record the
/// person's name key (nil for any other record).
public struct EarlierRecord: Equatable, Sendable {
    public var sha256: String
    public var nameKey: String?

    public init(sha256: String, name: String?, nameKey: String? = nil) {
        self.sha256 = sha256
        self.nameKey = nameKey ?? name.map(SigningReport.nameKey)
    }

    public var isSession: Bool { nameKey != nil }
}
