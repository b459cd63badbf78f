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
    /// An agreement older than this many days is not current (nil: any).
    public var validForDays: Int?
    /// `sign_out_by` (minutes after local midnight), for the on-site list.
    public var signOutBy: Int?
    /// The roles in kiosk.conf's order: how the on-site list is grouped.
    public var roles: [Role] = []
    public var timeZone: TimeZone = .current

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
        let cutoff = list.dayStart.addingTimeInterval(-86_400)
        Self.newestFirst(RecordLayout(root: book.layout.root), terminal: book.terminal, from: book.lastSeq, keys: [book.publicKey]) { link, record in
            guard let time = Timestamp.parse(record.completedAt), time >= cutoff else { return false }
            list.add(CheckedRecord(terminal: link.terminal, seq: link.seq, path: "", sha256: link.sha256, intact: true, record: record))
            return true
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "HH:mm"
        let people = list.notSignedOut(roles: roles).flatMap(\.entries).map { entry in
            let status: String = switch list.standing(entry, now: now) {
            case .closed(let at): "not signed out (closed at \(at >= 24 * 60 ? "midnight" : KioskConfig.clock(at)))"
            case .notSignedOut: "not signed out"
            default: ""
            }
            return OnSiteToday.Person(time: formatter.string(from: entry.signedInAt), name: entry.name, roleLabel: entry.roleLabel,
                                      answers: entry.answersText, status: status)
        }
        formatter.dateFormat = "EEEE d MMMM yyyy"
        return OnSiteToday(people: people, day: "\(formatter.string(from: now)), \(timeZone.identifier)")
    }

    // MARK: - Sign-out

    func signOut(_ typed: String, now: Date) -> DeskResult {
        let cutoff = now.addingTimeInterval(-signOutWindow)
        var closed = Set<RecordLink>()
        var open: [(link: RecordLink, session: RecordFile.Session)] = []
        Self.newestFirst(RecordLayout(root: book.layout.root), terminal: book.terminal, from: book.lastSeq, keys: [book.publicKey]) { link, record in
            guard let time = Timestamp.parse(record.completedAt), time >= cutoff else { return false }
            switch record.body {
            case .signOut(let out): closed.insert(out.session)
            case .session(let session) where !closed.contains(link): open.append((link, session))
            default: break
            }
            return true
        }
        var found: [(RecordLink, String)] = []
        if let code = PassCode.normalised(typed) {
            // Each try is a slow hash (~30 ms): on every core at once.
            let hashes = open.map { $0.session.passCodeHash }
            let hits = Hits(count: hashes.count)
            DispatchQueue.concurrentPerform(iterations: hashes.count) { i in
                if let hash = hashes[i], PassCode.matches(code, hash: hash) { hits.set(i) }
            }
            found = hits.indices.map { (open[$0].link, "pass-code") }
        }
        if found.isEmpty, let reference = Self.reference(typed) {
            found = open.filter { reference.matches($0.link) }.map { ($0.link, "reference") }
        }
        guard found.count == 1, let (link, method) = found.first else { return .notFound }
        do {
            let receipt = try book.signOut(closing: link, method: method, at: now)
            logger.info("signed out", metadata: ["seq": "\(receipt.seq)", "closes": "\(link.seq)", "method": "\(method)"])
            return .signedOut(at: now)
        } catch {
            logger.error("a sign-out could not be saved", metadata: ["error": "\(error)"])
            return .failed(error.description)
        }
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

    func findAgreement(code typed: String, name: String, now: Date) -> DeskResult {
        let wanted = SigningReport.nameKey(name)
        let cutoff = validForDays.map { now.addingTimeInterval(-Double($0) * 86_400) }
        // Every book to look in: this terminal's first, then the collected ones.
        var books: [(layout: RecordLayout, terminal: String, last: Int, keys: [Minisign.PublicKey])] = [
            (RecordLayout(root: book.layout.root), book.terminal, book.lastSeq, [book.publicKey]),
        ]
        if let collected {
            for folder in RecordCollection.find([collected.folder]).found.terminals {
                let terminal = (folder as NSString).lastPathComponent
                guard terminal != book.terminal, let keys = collected.keys[terminal], let last = RecordLayout(root: folder).headSeq else { continue }
                books.append((RecordLayout(root: folder), terminal, last, keys))
            }
        }
        var checked = 0
        var match: (link: RecordLink, record: RecordFile, book: Int)?
        if let code = PassCode.normalised(typed) {
            for (index, b) in books.enumerated() where match == nil {
                Self.newestFirst(b.layout, terminal: b.terminal, from: b.last, keys: b.keys, nameKey: wanted) { link, record in
                    if let cutoff, let time = Timestamp.parse(record.completedAt), time < cutoff { return false }
                    guard let session = record.session, let hash = session.passCodeHash else { return true }
                    checked += 1
                    if PassCode.matches(code, hash: hash) {
                        match = (link, record, index)
                        return false
                    }
                    return true
                }
            }
        }
        // The same work whether the name was unknown or the code wrong:
        // the time taken says nothing about which.
        if checked == 0 { _ = PassCode.matches("22222222", hash: Self.dummyHash) }
        guard let match, let session = match.record.session else { return .notFound }
        // What they agreed to: this record's clauses and those of the
        // agreements it builds on (a returning record holds only the new ones).
        var clauses = Set(session.clauses.map(\.id))
        var previous = session.previous
        var steps = 0
        while let link = previous, steps < 100 {
            steps += 1
            guard let b = books.first(where: { $0.terminal == link.terminal }),
                  let earlier = Self.read(b.layout, seq: link.seq, terminal: link.terminal, keys: b.keys),
                  earlier.sha256 == link.sha256, let s = earlier.record.session else { break }
            clauses.formUnion(s.clauses.map(\.id))
            previous = s.previous
        }
        return .found(EarlierAgreement(record: match.link, role: session.person.role, name: session.person.name,
                                       agreedClauses: clauses, answers: session.person.answers))
    }

    /// A hash of no one's code, for the timing of a lookup with no candidate.
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

    /// Records from `last` back to 1, each checked with `keys`, until
    /// `body` returns false. With `nameKey`, only session records of that
    /// name reach `body` (the signature is checked only for those).
    static func newestFirst(
        _ layout: RecordLayout, terminal: String, from last: Int, keys: [Minisign.PublicKey], nameKey: String? = nil,
        _ body: (RecordLink, RecordFile) -> Bool
    ) {
        var seq = last
        while seq >= 1 {
            defer { seq -= 1 }
            if let nameKey {
                // A cheap look first: most records are someone else's.
                guard case .bytes(let bytes) = BoundedFile.read(layout.record(seq: seq), limit: BoundedFile.recordLimit),
                      let unchecked = try? RecordFile(bytes: bytes) else { continue }
                guard let session = unchecked.session, SigningReport.nameKey(session.person.name) == nameKey else { continue }
            }
            guard let (record, sha) = read(layout, seq: seq, terminal: terminal, keys: keys) else { continue }
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
