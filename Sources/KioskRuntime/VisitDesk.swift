import Foundation
import KioskContent
import KioskStore
import KioskUI
import Logging

/// Carries out what the sign-out and "signed here before" screens ask:
/// finds the record a pass code (or reference) belongs to in this
/// terminal's book (and, for a returning person, in the office's collected
/// books copied to the terminal), and writes sign-outs to the book.
///
/// Only records whose signature holds with the key trusted for their
/// terminal are used (the book's own key; `collected` keys for the others).
/// Nothing typed is logged: not the code, not the name.
public final class VisitDesk {
    public let book: RecordBook
    private let logger: Logger
    /// A folder of other terminals' books (the office's collection, copied
    /// here), and the key trusted for each terminal there.
    public var collected: (folder: String, keys: [String: [Minisign.PublicKey]])?
    /// How far back a sign-out looks: today's visits, and a night shift's.
    public var signOutWindow: TimeInterval = 86_400
    /// An agreement older than this many days is not current (nil: only
    /// `lookbackDays` bounds it).
    public var validForDays: Int?
    /// How far back a lookup looks at most: the oldest agreement that can
    /// still be current (400 days: a year's agreement and a summer's gap).
    public var lookbackDays = 400
    /// `sign_out_by` (minutes after local midnight), for the on-site list.
    public var signOutBy: Int?
    /// The roles in kiosk.conf's order: how the on-site list is grouped.
    public var roles: [Role] = []
    /// The system's unless set (looked up when first used, see `KioskSettings.timeZone`).
    public var timeZone: TimeZone {
        get { fixedTimeZone ?? .current }
        set { fixedTimeZone = newValue }
    }
    public var fixedTimeZone: TimeZone?

    public init(book: RecordBook, logger: Logger) {
        self.book = book
        self.logger = logger
    }

    /// The keys of `trusted_keys` (terminal -> file); one that cannot be
    /// read is left out and logged (its terminal's books are not searched).
    public static func trustedKeys(_ files: [String: String], logger: Logger) -> [String: [Minisign.PublicKey]] {
        var keys: [String: [Minisign.PublicKey]] = [:]
        for (terminal, path) in files {
            guard case .bytes(let bytes) = BoundedFile.read(path, limit: BoundedFile.keyLimit),
                  let key = try? Minisign.PublicKey(fileText: String(decoding: bytes, as: UTF8.self)) else {
                logger.error("a trusted key cannot be read; that terminal's collected records are not searched", metadata: ["terminal": "\(terminal)", "file": "\(path)"])
                continue
            }
            keys[terminal, default: []].append(key)
        }
        return keys
    }

    public func carryOut(_ request: DeskRequest, now: Date) -> DeskResult {
        switch request {
        case .signOut(let typed): signOut(typed, now: now)
        case .findAgreement(let code, let name): findAgreement(code: code, name: name, now: now)
        case .onSiteToday: .onSite(onSite(now: now))
        }
    }

    // MARK: - Who is on site

    /// Today's list from this terminal's book, as `kiosk onsite` makes it:
    /// the records of today (and a day's margin), newest first, each checked.
    func onSite(now: Date) -> OnSiteToday {
        var list = OnSiteList(day: now, timeZone: timeZone, signOutBy: signOutBy)
        // From the start of the day before, as `kiosk onsite` reads: someone
        // there overnight is still on the list.
        let cutoff = list.carriedFrom
        Self.newestFirst(RecordLayout(root: book.layout.root), terminal: book.terminal, from: book.lastSeq, anchor: book.lastHash, keys: [book.publicKey]) { link, record in
            guard let time = Timestamp.parse(record.completedAt), time >= cutoff else { return false }
            list.add(CheckedRecord(terminal: link.terminal, seq: link.seq, path: "", sha256: link.sha256, intact: true, record: record))
            return true
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "HH:mm"
        let people = list.notSignedOut(roles: roles).flatMap(\.entries).map { entry in
            var status: String = switch list.standing(entry, now: now) {
            case .closed(let at): "not signed out (closed at \(at >= 24 * 60 ? "midnight" : KioskConfig.clock(at)))"
            case .notSignedOut: "not signed out"
            default: ""
            }
            formatter.dateFormat = "HH:mm"
            var time = formatter.string(from: entry.signedInAt)
            if list.carriedOver(entry) {
                formatter.dateFormat = "EEE d MMM HH:mm"
                time = formatter.string(from: entry.signedInAt)
                status = "since \(time); " + status
            }
            return OnSiteToday.Person(time: time, name: entry.name, roleLabel: entry.roleLabel,
                                      answers: entry.answersText, status: status)
        }
        formatter.dateFormat = "EEEE d MMMM yyyy"
        return OnSiteToday(people: people, day: "\(formatter.string(from: now)), \(timeZone.identifier)")
    }

    // MARK: - Sign-out

    /// This terminal's book, indexed (its records are checked by the chain
    /// from the book's last record, so those signed before a key change
    /// count too); the collected books' indexes, by terminal.
    private var ownIndex: BookIndex?
    private var collectedIndexes: [String: BookIndex] = [:]
    /// The pass codes this kiosk gave out in the last day (in memory only).
    public let issued = IssuedCodes()

    /// A visit just saved with `code` (from the done screen's receipt).
    public func issued(_ code: String, seq: Int, at now: Date) {
        issued.remember(code, seq: seq, at: now, keep: signOutWindow)
    }
    /// Records the desk has read into its indexes since it started.
    public var recordsRead: Int { (ownIndex?.recordsRead ?? 0) + collectedIndexes.values.map(\.recordsRead).reduce(0, +) }

    /// The oldest time a record can matter at `now`: the lookback (or
    /// `validForDays`, when shorter).
    func since(_ now: Date) -> Date {
        let days = min(validForDays ?? lookbackDays, lookbackDays)
        return now.addingTimeInterval(-Double(days) * 86_400)
    }

    func indexOwnBook(now: Date) -> BookIndex {
        let index: BookIndex
        if let ownIndex, ownIndex.layout.root == book.layout.root, ownIndex.keys == [book.publicKey] {
            index = ownIndex
        } else {
            index = BookIndex(layout: RecordLayout(root: book.layout.root), terminal: book.terminal, keys: [book.publicKey])
            ownIndex = index
        }
        index.update(last: book.lastSeq, anchor: book.lastHash, since: min(since(now), now - signOutWindow))
        return index
    }

    func signOut(_ typed: String, now: Date) -> DeskResult {
        let cutoff = now.addingTimeInterval(-signOutWindow)
        let index = indexOwnBook(now: now)
        // The last day's visits not yet signed out, newest first.
        let open = index.sessions.values.filter { $0.time >= cutoff && !index.closed.contains($0.seq) }.sorted { $0.seq > $1.seq }
        var found: [(BookIndex.Entry, String)] = []
        if let code = PassCode.normalised(typed) {
            // A code this kiosk gave out since it started names its visit;
            // one it did not can only be one of the others, each tried in
            // turn (a slow hash, ~30 ms: on every core at once).
            let candidates = issued.seq(of: code).map { seq in open.filter { $0.seq == seq } }
                ?? open.filter { !issued.remembered.contains($0.seq) }
            let hashes = candidates.map(\.passCodeHash)
            let hits = Hits(count: hashes.count)
            DispatchQueue.concurrentPerform(iterations: hashes.count) { i in
                if let hash = hashes[i], PassCode.matches(code, hash: hash) { hits.set(i) }
            }
            found = hits.indices.map { (candidates[$0], "pass-code") }
        }
        // The reference is public (the fire list, exports, the done
        // screen) and short: it signs out only a visit saved without a
        // pass code (before pass codes existed).
        if found.isEmpty, let reference = Self.reference(typed) {
            found = open.filter { $0.passCodeHash == nil && reference.matches(RecordLink(terminal: book.terminal, seq: $0.seq, sha256: $0.sha256)) }
                .map { ($0, "reference") }
        }
        guard found.count == 1, let (entry, method) = found.first, let record = index.read(entry) else { return .notFound }
        // A person who came back with R without signing out has an open
        // visit for each time: the one the code names and those its
        // `previous` chain holds (the same person's, as verify checks).
        // Leaving once closes them all, or the fire list counts them twice.
        var closing = [entry]
        var previous = record.session?.previous
        while let link = previous, link.terminal == book.terminal, closing.count < 100,
              let earlier = open.first(where: { $0.seq == link.seq && $0.sha256 == link.sha256 && $0.nameKey == entry.nameKey }) {
            closing.append(earlier)
            previous = index.read(earlier)?.session?.previous
        }
        do {
            for visit in closing {
                let link = RecordLink(terminal: book.terminal, seq: visit.seq, sha256: visit.sha256)
                let receipt = try book.signOut(closing: link, method: method, at: now)
                logger.info("signed out", metadata: ["seq": "\(receipt.seq)", "closes": "\(link.seq)", "method": "\(method)"])
            }
            return .signedOut(at: now, byReference: method == "reference")
        } catch {
            // Nothing retries a sign-out: the visitor is still on the list.
            logger.error("a sign-out could not be written: the visitor is not signed out, and nothing will retry it",
                         metadata: ["closes": "\(entry.seq)", "problem": "\(Self.problem(error))"])
            return .failed(Self.notSignedOut)
        }
    }

    /// What a visitor whose sign-out could not be written is told.
    public static let notSignedOut = "You are not signed out yet – please tell reception."

    /// A store error without the advice meant for a session ("kept and
    /// saved when there is room"), which is not true of a sign-out.
    static func problem(_ error: StoreError) -> String {
        if case .io(let operation, let path, let code) = error { return "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
        return error.description
    }

    /// A record's reference as the last screen showed it ("42 · 7F3A-9C21",
    /// "7F3A-9C21", "7f3a9c21").
    struct Reference {
        var seq: Int?
        var code: String

        func matches(_ link: RecordLink) -> Bool {
            link.sha256.prefix(8).uppercased() == code && (seq.map { $0 == link.seq } ?? true)
        }
    }

    static func reference(_ typed: String) -> Reference? {
        let tokens = typed.uppercased().split(whereSeparator: { $0 == " " || $0 == "·" })
        guard let last = tokens.last, tokens.count <= 2 else { return nil }
        let code = last.replacingOccurrences(of: "-", with: "")
        guard code.count == 8, code.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        if tokens.count == 2 {
            guard let seq = Int(tokens[0]), seq >= 1 else { return nil }
            return Reference(seq: seq, code: code)
        }
        return Reference(seq: nil, code: code)
    }

    // MARK: - A returning person

    /// Pass-code checks per lookup, whatever the name: the newest records
    /// of that name with a code (namesakes, an earlier visit's code), and
    /// dummies for the rest, so the time taken says nothing of the name.
    static let checksPerLookup = 3

    /// Every book to look in, indexed up to now: this terminal's first,
    /// then the collected ones.
    func indexes(now: Date) -> [(index: BookIndex, keys: [Minisign.PublicKey])] {
        var all = [(indexOwnBook(now: now), [book.publicKey])]
        if let collected {
            for folder in RecordCollection.find([collected.folder]).found.terminals {
                let terminal = (folder as NSString).lastPathComponent
                guard terminal != book.terminal, let keys = collected.keys[terminal], let last = RecordLayout(root: folder).headSeq else { continue }
                let known = collectedIndexes[folder].flatMap { $0.keys == keys ? $0 : nil }
                let index = known ?? BookIndex(layout: RecordLayout(root: folder), terminal: terminal, keys: keys)
                collectedIndexes[folder] = index
                index.update(last: last, anchor: nil, since: since(now))
                all.append((index, keys))
            }
        }
        return all
    }

    /// Indexes the books' recent records (at start, before anyone asks).
    public func prepare(now: Date) {
        _ = indexes(now: now)
        logger.info("the desk indexed the record books' recent records", metadata: ["records_read": "\(recordsRead)"])
    }

    func findAgreement(code typed: String, name: String, now: Date) -> DeskResult {
        let wanted = SigningReport.nameKey(name)
        let cutoff = since(now)
        let books = indexes(now: now)
        // The newest records of the name with a pass code, in any book.
        let candidates = books.enumerated().flatMap { b, book in
            (book.index.byName[wanted] ?? []).filter { $0.time >= cutoff && $0.passCodeHash != nil }.map { (book: b, entry: $0) }
        }.sorted { $0.entry.time > $1.entry.time }.prefix(Self.checksPerLookup)
        // Always the same number of checks, with the same rounds.
        let hashes = candidates.map { $0.entry.passCodeHash! }
            + Array(repeating: Self.dummyHash, count: Self.checksPerLookup - candidates.count)
        let code = PassCode.normalised(typed) ?? "22222222"
        let hits = Hits(count: hashes.count)
        DispatchQueue.concurrentPerform(iterations: hashes.count) { i in
            if PassCode.matches(code, hash: hashes[i]) { hits.set(i) }
        }
        guard PassCode.normalised(typed) != nil,
              let first = hits.indices.first(where: { $0 < candidates.count }) else { return .notFound }
        let hit = Array(candidates)[first]
        let index = books[hit.book].index
        guard let record = index.read(hit.entry), let session = record.session,
              SigningReport.nameKey(session.person.name) == wanted else { return .notFound }
        // What they agreed to: this record's clauses and those of the
        // agreements it builds on (a returning record holds only the new
        // ones), each of the same person.
        var clauses = Set(session.clauses.map(\.id))
        // The agreement dates from the oldest record it builds on, as
        // `kiosk report` dates it.
        var oldest = Timestamp.parse(session.completedAt) ?? now
        var previous = session.previous
        var steps = 0
        while let link = previous, steps < 100 {
            steps += 1
            guard let b = books.first(where: { $0.index.terminal == link.terminal }),
                  let earlier = Self.earlier(link, in: b.index, keys: b.keys), let s = earlier.session,
                  SigningReport.nameKey(s.person.name) == wanted else { break }
            clauses.formUnion(s.clauses.map(\.id))
            if let time = Timestamp.parse(s.completedAt) { oldest = min(oldest, time) }
            previous = s.previous
        }
        let link = RecordLink(terminal: index.terminal, seq: hit.entry.seq, sha256: hit.entry.sha256)
        // No longer current under its role's valid_for_days / renew_on:
        // found (code and name were right), but everything is asked again.
        let ended = roles.first(where: { $0.id == session.person.role })?.validity.map { $0.expiry(ofAgreementSignedAt: oldest) <= now } ?? false
        return .found(EarlierAgreement(record: link, role: session.person.role, name: session.person.name,
                                       agreedClauses: ended ? [] : clauses, answers: session.person.answers, ended: ended))
    }

    /// The record `link` names, if it is authentic and has that hash: from
    /// the index, or (older than it reaches) checked with `keys`.
    static func earlier(_ link: RecordLink, in index: BookIndex, keys: [Minisign.PublicKey]) -> RecordFile? {
        if let entry = index.entry(seq: link.seq) {
            return entry.sha256 == link.sha256 ? index.read(entry) : nil
        }
        guard let found = read(index.layout, seq: link.seq, terminal: link.terminal, keys: keys), found.sha256 == link.sha256 else { return nil }
        return found.record
    }

    /// A hash of no one's code, with the kiosk's rounds: for the checks a
    /// lookup makes beyond the records it found.
    static let dummyHash = PassCode.hash("22222222")

    // MARK: - Reading books

    /// One record, checked with `keys` as verify checks it; nil if it is
    /// missing or does not hold.
    static func read(_ layout: RecordLayout, seq: Int, terminal: String, keys: [Minisign.PublicKey]) -> (record: RecordFile, sha256: String)? {
        let path = layout.record(seq: seq)
        guard case .bytes(let bytes) = BoundedFile.read(path, limit: BoundedFile.recordLimit),
              case .bytes(let signature) = BoundedFile.read(path + ".minisig", limit: BoundedFile.signatureLimit) else { return nil }
        let verdict = RecordCheck.check(bytes, signatureFile: signature, keys: keys)
        guard verdict.problem == nil, let record = verdict.record, record.seq == seq, record.terminal == terminal else { return nil }
        return (record, verdict.sha256)
    }

    /// Records from `last` back to 1, until `body` returns false. A record
    /// counts when its hash is the `prev` of a counted record after it
    /// (from `anchor`, the hash of record `last`, which the kiosk knows),
    /// or its signature holds with `keys`: so a book's records from before
    /// a key change count too.
    static func newestFirst(
        _ layout: RecordLayout, terminal: String, from last: Int, anchor: String? = nil, keys: [Minisign.PublicKey],
        _ body: (RecordLink, RecordFile) -> Bool
    ) {
        var seq = last
        var expected = anchor
        while seq >= 1 {
            defer { seq -= 1 }
            var found: (record: RecordFile, sha256: String)?
            if let expected, case .bytes(let bytes) = BoundedFile.read(layout.record(seq: seq), limit: BoundedFile.recordLimit),
               Hex.sha256(bytes) == expected, let record = try? RecordFile(bytes: bytes), record.seq == seq, record.terminal == terminal {
                found = (record, expected)
            } else {
                found = read(layout, seq: seq, terminal: terminal, keys: keys)
            }
            expected = found?.record.prev
            guard let (record, sha) = found else { continue }
            if !body(RecordLink(terminal: terminal, seq: seq, sha256: sha), record) { return }
        }
    }
}

/// Which of a day's visits a pass code matched, written from several threads.
private final class Hits: @unchecked Sendable {
    private let lock = NSLock()
    private var hit: [Bool]
    init(count: Int) { hit = Array(repeating: false, count: count) }
    func set(_ i: Int) { lock.withLock { hit[i] = true } }
    var indices: [Int] { lock.withLock { hit.indices.filter { hit[$0] } } }
}
