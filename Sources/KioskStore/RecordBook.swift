import Foundation
import KioskContent
import Logging

/// One terminal's record book, open for writing.
///
/// One writer per book: the book holds an exclusive `flock` on its folder
/// itself (not on a file in it, which could be deleted or replaced) for as
/// long as it is open, checks before each commit that the folder is still
/// the one it locked, and puts each record in place only where none stands
/// yet, so two processes can never both write a seq.
///
/// A book is never without a signed head: it is written when the book is
/// made (seq 0), so a crash at any moment leaves a book the kiosk starts on.
/// Opening reads only the head and the last record, however many exist.
public final class RecordBook {
    /// What a successful commit tells the person and the log.
    public struct Receipt: Equatable, Sendable {
        public var seq: Int
        public var sha256: String
        /// Short code from the record's hash, shown on the last screen.
        public var reference: String
        public var path: String
        /// The record is saved, but the signed head could not be updated;
        /// `writeHeadIfBehind` tries again.
        public var headError: StoreError?
    }

    public let layout: RecordLayout
    public let terminal: String
    public let school: String
    private var key: TerminalKey
    private let calls: FileSystemCalls
    private let logger: Logger
    /// Where the kiosk notes what it last wrote (beside its key); nil for
    /// books opened without one (benchmarks, tests).
    private let statePath: String?
    /// An open descriptor of the book's folder, holding the flock.
    private var lockFD: Int32
    /// The folder opened (device and inode), so that a folder removed or
    /// replaced under the running kiosk is noticed, never silently recreated.
    private var folder: FolderIdentity
    public private(set) var lastSeq: Int
    public private(set) var lastHash: String
    /// When the last record was completed: a clock earlier than this is wrong.
    public private(set) var lastTime: Date?
    /// True while head.json names an earlier record than the last one
    /// saved (its update failed: a full disk, say).
    public private(set) var headIsBehind = false

    /// The earliest time a record can honestly carry: a kiosk clock before
    /// it has lost its setting (a flat CMOS battery starts in 1970 or 2000).
    public static let earliestPlausibleTime = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

    /// Opens the book of `terminal` under `records`, making it if this is
    /// the first run. With a `state` path (beside the key), a book that
    /// this key has written to is never made again: if it is missing or
    /// behind what was written, opening is refused with what to do.
    /// A missing `records` folder is made only on the first run, and never
    /// its parents (an unmounted disk must not get a new book beneath it).
    public static func open(
        records: String, terminal: String, school: String, key: TerminalKey, state statePath: String? = nil,
        previousKey: Minisign.PublicKey? = nil,
        calls: FileSystemCalls = .posix, logger: Logger = Logger(label: "kiosk.store")
    ) throws(StoreError) -> RecordBook {
        let layout = RecordLayout(records: records, terminal: terminal)
        let state = try statePath.flatMap { path throws(StoreError) in try BookState.load(path, terminal: terminal) }
        let written = (state?.seq ?? 0) > 0
        if FolderIdentity(layout.root) == nil {
            if let state, written {
                throw StoreError.lost(path: layout.root, problem: "is missing, but this kiosk has written \(state.seq) records to it (the last with hash \(state.sha256.prefix(16))…)",
                                      atStartUp: true)
            }
            if FolderIdentity(records) == nil {
                let parent = (records as NSString).deletingLastPathComponent
                if statePath != nil, !parent.isEmpty, FolderIdentity(parent) == nil {
                    throw StoreError.io(operation: "create the records folder", path: records, errno: ENOENT)
                }
                try AtomicFile.makeDirectory(records, calls: calls)
            }
            try create(layout, terminal: terminal, key: key, calls: calls)
            logger.notice("made a new record book", metadata: ["folder": "\(layout.root)", "key_id": "\(key.publicKey.keyIDText)"])
        }
        let lockFD = try Self.lock(layout)
        do throws(StoreError) {
            Self.removeTemporaryFiles(in: layout.root)
            Self.removeTemporaryFiles(in: layout.contentFolder)
            let last = try Self.findLast(layout: layout, terminal: terminal, key: key, previousKey: previousKey, logger: logger)
            try Self.publishKey(key, layout: layout, calls: calls)
            if let state {
                let extends = last.seq == state.seq ? last.hash == state.sha256
                    : last.seq > state.seq && (Self.hash(of: layout, seq: state.seq) == state.sha256 || Self.follows(layout, seq: state.seq, sha256: state.sha256))
                if !extends {
                    throw StoreError.lost(
                        path: layout.root,
                        problem: "ends at record \(last.seq), but this kiosk has written \(state.seq) records to it (the last with hash \(state.sha256.prefix(16))…): it is an older copy, or another book",
                        atStartUp: true)
                }
            }
            // What an interrupted commit of the next record may have left,
            // and of the last one (killed between putting it in place with
            // link(2) and removing the temporary name).
            for seq in [last.seq, last.seq + 1] where seq > 0 {
                unlink(AtomicFile.temporaryPath(for: layout.record(seq: seq)))
                unlink(AtomicFile.temporaryPath(for: layout.record(seq: seq) + ".minisig"))
            }
            guard let folder = FolderIdentity(layout.root) else {
                throw StoreError.io(operation: "read", path: layout.root, errno: errno)
            }
            let book = RecordBook(layout: layout, terminal: terminal, school: school, key: key, calls: calls, logger: logger,
                                  statePath: statePath, lockFD: lockFD, folder: folder, lastSeq: last.seq, lastHash: last.hash)
            book.lastTime = last.time
            if !last.headIsCurrent {
                logger.notice("head.json is behind the records; rewriting it", metadata: ["seq": "\(last.seq)"])
                // A full disk must not stop the kiosk: the head is written again on the retry tick.
                do {
                    try book.writeHead()
                } catch {
                    logger.error("head.json could not be brought up to date; it is tried again", metadata: ["error": "\(error)"])
                }
            }
            if state != BookState(terminal: terminal, seq: last.seq, sha256: last.hash) { book.saveState() }
            return book
        } catch {
            Glibc.close(lockFD)
            throw error
        }
    }

    private init(
        layout: RecordLayout, terminal: String, school: String, key: TerminalKey, calls: FileSystemCalls,
        logger: Logger, statePath: String?, lockFD: Int32, folder: FolderIdentity, lastSeq: Int, lastHash: String
    ) {
        self.folder = folder
        self.layout = layout
        self.terminal = terminal
        self.school = school
        self.key = key
        self.calls = calls
        self.logger = logger
        self.statePath = statePath
        self.lockFD = lockFD
        self.lastSeq = lastSeq
        self.lastHash = lastHash
    }

    deinit {
        close()
    }

    /// Releases the lock; the book can no longer be written.
    public func close() {
        if lockFD >= 0 {
            Glibc.close(lockFD)
            lockFD = -1
        }
    }

    /// The key id the book signs with now.
    public var keyID: String { key.publicKey.keyIDText }

    /// The key the book signs with now: what its own records are checked
    /// against when the kiosk reads them back (a sign-out, a returning person).
    public var publicKey: Minisign.PublicKey { key.publicKey }

    /// Writes `session` as the next signed record. On any failure nothing
    /// of the record is left on disk and the error says what to do; the
    /// caller keeps the session and may try again.
    public func commit(_ session: CompletedSession) throws(StoreError) -> Receipt {
        let now = clock()
        // The session's own times must be ones a right clock gave: a
        // session finished while the clock was wrong can never be saved
        // truthfully (`SessionSaver` sets it aside for the office). Times
        // before 2026 are wrong whatever the clock says now; times ahead of
        // the clock are judged once the clock itself is believed.
        func sessionTimesWrong() -> StoreError {
            .sessionTimes(completed: Timestamp.format(session.completedAt), now: Timestamp.format(now))
        }
        if session.completedAt < Self.earliestPlausibleTime || session.startedAt > session.completedAt { throw sessionTimesWrong() }
        try checkClock(now)
        if session.completedAt > now.addingTimeInterval(600) { throw sessionTimesWrong() }
        let record = RecordFile(session: session, seq: lastSeq + 1, terminal: terminal, school: school, prev: lastHash)
        // A translation shown is stored too, so the book holds what was read.
        return try append(record, storing: session.readings.map(\.document) + session.readings.compactMap(\.shown))
    }

    /// Hands the book over to `newKey`: a record signed with the current
    /// key names the new one, and everything after it (the head included)
    /// is signed with the new key. verify follows the handover.
    public func changeKey(to newKey: TerminalKey, reason: String, at time: Date? = nil) throws(StoreError) -> Receipt {
        let now = time ?? clock()
        try checkClock(now)
        let record = RecordFile(
            seq: lastSeq + 1, id: UUID().uuidString.lowercased(), terminal: terminal, school: school, prev: lastHash,
            body: .keyChange(.init(changedAt: Timestamp.format(now), newKey: newKey.publicKey.fileText,
                                   newKeyID: newKey.publicKey.keyIDText, reason: reason)))
        let old = key
        key = newKey
        do throws(StoreError) {
            return try append(record, storing: [], signingWith: old)
        } catch {
            key = old
            throw error
        }
    }

    /// Writes a sign-out: a small signed record in the same chain that
    /// closes the session record `session` names, of this book (a sign-out
    /// never closes another terminal's session: verify names one that does).
    public func signOut(closing session: RecordLink, method: String, at time: Date? = nil) throws(StoreError) -> Receipt {
        if session.terminal != terminal {
            throw StoreError.damaged(path: layout.root, problem: "a sign-out of a record of terminal \(session.terminal): a sign-out closes a session of this terminal's own book only")
        }
        if session.seq > lastSeq {
            throw StoreError.damaged(path: layout.root, problem: "a sign-out of record \(session.seq), which this book does not hold yet")
        }
        return try writeSignOut(closing: session, method: method, at: time)
    }

    /// Writes a sign-out as asked, unchecked: for tests of what verify
    /// makes of one the kiosk would not write.
    func writeSignOut(closing session: RecordLink, method: String, at time: Date? = nil) throws(StoreError) -> Receipt {
        let now = time ?? clock()
        try checkClock(now)
        let record = RecordFile(
            seq: lastSeq + 1, id: UUID().uuidString.lowercased(), terminal: terminal, school: school, prev: lastHash,
            body: .signOut(.init(signedOutAt: Timestamp.format(now), session: session, method: method)))
        return try append(record, storing: [])
    }

    /// How far after the last record a clock is still believed: a kiosk
    /// unused over a summer is fine; a clock years ahead would stamp a
    /// record that no later (right) clock could follow.
    public static let plausibleGap: TimeInterval = 400 * 86_400

    /// Set when the office has confirmed the clock (`kiosk run
    /// --clock-is-right`): a long gap since the last record is accepted.
    public var clockConfirmed = false

    /// The kiosk's clock (a fake one in tests).
    public var clock: @Sendable () -> Date = { Date() }

    /// With no record yet, a clock is judged against when this program was
    /// built or installed (its file's time): years after that is a clock
    /// gone wrong, not a kiosk left unused.
    static let programTime: Date? = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec))
    }()
    static let programGap: TimeInterval = 5 * 366 * 86_400

    /// Times are evidence: a clock before the last record (or before this
    /// software existed), or more than `plausibleGap` after the last
    /// record, has lost its setting, and nothing is signed with it.
    private func checkClock(_ time: Date) throws(StoreError) {
        let before = time < Self.earliestPlausibleTime || (lastTime.map { time < $0 } ?? false)
        let ahead = !clockConfirmed && (lastTime.map { time > $0.addingTimeInterval(Self.plausibleGap) }
            ?? Self.programTime.map { time > $0.addingTimeInterval(Self.programGap) } ?? false)
        if before || ahead {
            logger.critical("the clock is wrong; not saving", metadata: ["clock": "\(Timestamp.format(time))", "last_record": "\(lastTime.map(Timestamp.format) ?? "-")"])
            throw StoreError.clock(now: Timestamp.format(time), last: lastTime.map(Timestamp.format), ahead: ahead && !before)
        }
    }

    private func append(_ record: RecordFile, storing documents: [PolicyDocument], signingWith signer: TerminalKey? = nil) throws(StoreError) -> Receipt {
        precondition(lockFD >= 0, "commit on a closed record book")
        try checkFolder()
        let seq = record.seq
        // Each document version is stored once, so the record book alone
        // shows the full text a person read.
        if !documents.isEmpty { try makeFolder(layout.contentFolder) }
        for document in documents {
            let path = layout.content(sha256: document.sha256)
            if access(path, F_OK) != 0 {
                try AtomicFile.write(Array(document.source.utf8), to: path, calls: calls)
            }
        }
        try makeFolder(layout.shard(seq: seq))
        let bytes = record.bytes
        // Never a record verify would refuse to read.
        guard bytes.count <= BoundedFile.recordLimit else { throw StoreError.tooLarge(bytes: bytes.count, limit: BoundedFile.recordLimit) }
        let sha = Hex.sha256(bytes)
        let path = layout.record(seq: seq)
        let signingKey = signer ?? key
        let signature = try Self.sign(bytes, with: signingKey,
                                      trustedComment: RecordFile.trustedComment(seq: seq, sha256: sha, prev: record.prev, terminal: terminal),
                                      untrustedComment: RecordCheck.untrustedComment(seq: seq, terminal: terminal, keyID: signingKey.keyID))
        // The signature is put in place first: the record's is the moment
        // of commit, and a signature without its record is cleared on the
        // next start. Neither replaces a file already there.
        try AtomicFile.writeGroup([(Array(signature.fileText.utf8), path + ".minisig"), (bytes, path)], replace: false, calls: calls)
        lastSeq = seq
        lastHash = sha
        // Records are in the order they were saved: a session kept in
        // recovery may have finished before the last one saved.
        if let time = Timestamp.parse(record.completedAt), time > (lastTime ?? .distantPast) { lastTime = time }
        saveState()
        var headError: StoreError?
        do {
            if record.keyChange != nil { try Self.publishKey(key, layout: layout, calls: calls) }
            try writeHead()
        } catch {
            headError = error
            logger.error("record \(seq) is saved but head.json could not be updated; it is tried again", metadata: ["error": "\(error)"])
        }
        return Receipt(seq: seq, sha256: sha, reference: SignedRecord.reference(sha256: sha), path: path, headError: headError)
    }

    /// A folder of the book, made if missing; one that is a symlink (or
    /// anything but a folder) is refused: records are never written
    /// through a link to somewhere else.
    private func makeFolder(_ path: String) throws(StoreError) {
        var info = stat()
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw StoreError.damaged(path: path, problem: "\(layout.relative(path)) is \(BoundedFile.describe(info.st_mode)), not a folder; records are never written through it")
            }
            return
        }
        try AtomicFile.makeDirectory(path, calls: calls)
    }

    /// Notes beside the key what was written last. A failure is logged,
    /// not fatal: the record is safe, and a note behind the book is accepted.
    private func saveState() {
        guard let statePath else { return }
        do {
            try BookState(terminal: terminal, seq: lastSeq, sha256: lastHash).save(statePath, calls: calls)
        } catch {
            logger.error("cannot note the last record beside the key", metadata: ["error": "\(error)"])
        }
    }

    /// The folder at the book's path must still be the one opened. A
    /// folder that is gone is not made again (records would restart in an
    /// empty folder, cut off from the ones before); a folder put back,
    /// say from the office's copy, is taken up again only if it ends with
    /// the record this kiosk wrote last.
    private func checkFolder() throws(StoreError) {
        guard let now = FolderIdentity(layout.root) else {
            logger.critical("the records folder is gone", metadata: ["folder": "\(layout.root)"])
            throw StoreError.lost(path: layout.root, problem: "was removed", atStartUp: false)
        }
        if now == folder { return }
        guard access(layout.head, F_OK) == 0 else {
            throw StoreError.lost(path: layout.root, problem: "was replaced by a folder with no head.json", atStartUp: false)
        }
        let newLock = try Self.lock(layout)
        let headIsCurrent: Bool
        do throws(StoreError) {
            let found = try Self.findLast(layout: layout, terminal: terminal, key: key, previousKey: nil, logger: logger)
            guard found.seq == lastSeq, found.hash == lastHash else {
                throw StoreError.lost(
                    path: layout.root,
                    problem: "was replaced by one that ends at record \(found.seq)\(found.seq == lastSeq ? " with different contents" : ""), but this kiosk last wrote record \(lastSeq)",
                    atStartUp: false)
            }
            headIsCurrent = found.headIsCurrent
        } catch {
            Glibc.close(newLock)
            throw error
        }
        Glibc.close(lockFD)
        lockFD = newLock
        folder = now
        logger.notice("the records folder was put back as it was; saving continues", metadata: ["folder": "\(layout.root)", "seq": "\(lastSeq)"])
        if !headIsCurrent { headIsBehind = true }
    }

    /// Writes the signed head if an earlier update of it failed; the kiosk
    /// calls this on its retry tick until it succeeds.
    public func writeHeadIfBehind() throws(StoreError) {
        guard headIsBehind else { return }
        try writeHead()
    }

    /// Signs and writes head.json: the last seq and its hash.
    private func writeHead() throws(StoreError) {
        do {
            // Flushed, renamed, but the folder not synced: a power cut may
            // undo the renames and leave the previous head, never a torn
            // one, and start-up then brings the head up to date from the
            // records, which are durable. This saves two of the commit's fsyncs.
            try Self.writeHead(HeadFile(terminal: terminal, seq: lastSeq, sha256: lastHash, updatedAt: Date()), key: key,
                               layout: layout, syncFolder: false, calls: calls)
            headIsBehind = false
        } catch {
            headIsBehind = true
            throw error
        }
    }

    private static func writeHead(_ head: HeadFile, key: TerminalKey, layout: RecordLayout, syncFolder: Bool, calls: FileSystemCalls) throws(StoreError) {
        let bytes = CanonicalJSON.encode(head.json)
        let signature = try sign(bytes, with: key, trustedComment: head.trustedComment,
                                 untrustedComment: HeadFile.untrustedComment(terminal: head.terminal))
        try AtomicFile.writeGroup([(Array(signature.fileText.utf8), layout.head + ".minisig"), (bytes, layout.head)],
                                  syncFolder: syncFolder, calls: calls)
    }

    private static func sign(_ bytes: [UInt8], with key: TerminalKey, trustedComment: String, untrustedComment: String) throws(StoreError) -> Minisign.Signature {
        do {
            return try Minisign.sign(bytes, with: key, trustedComment: trustedComment, untrustedComment: untrustedComment)
        } catch {
            throw StoreError.key(path: "(in memory)", problem: "could not sign: \(error)", advice: "restart the kiosk")
        }
    }

    /// Every document version stored in this book (one file per version
    /// shown, so this reads a handful of files however many records there
    /// are), but those whose SHA-256 is in `known`: the versions the kiosk
    /// already holds need not be parsed again (each parse cost start-up
    /// about 2 ms). Files that do not parse, and translations, are skipped.
    public func storedDocuments(except known: Set<String> = []) -> [PolicyDocument] {
        (BoundedFile.entries(layout.contentFolder) ?? []).compactMap { entry in
            let sha = String(entry.name.dropLast(3))
            guard entry.name.hasSuffix(".md"), RecordFile.isSHA256(sha), !known.contains(sha),
                  case .bytes(let bytes) = BoundedFile.read(layout.contentFolder + "/" + entry.name, limit: BoundedFile.contentLimit),
                  Hex.sha256(bytes) == sha, let text = String(validating: bytes, as: UTF8.self)
            else { return nil }
            // Translations shown are stored too; versions are the originals'.
            return DocumentParser.parse(text, path: layout.contentFolder + "/" + entry.name).document.flatMap { $0.translation == nil ? $0 : nil }
        }
    }

    // MARK: - Making and opening

    /// Starts the book of a terminal whose folder is lost for good, from
    /// what the kiosk noted beside its key: the first record follows the
    /// lost book's last one (seq and hash), so the office's copy of the
    /// lost records and the new book make one chain. Refused while the
    /// folder is there, or when nothing was ever written.
    public static func startAgain(
        records: String, terminal: String, school: String, key: TerminalKey, state statePath: String, reason: String,
        at now: Date = Date(), logger: Logger = Logger(label: "kiosk.store")
    ) throws(StoreError) -> RecordBook {
        let layout = RecordLayout(records: records, terminal: terminal)
        guard let state = try BookState.load(statePath, terminal: terminal), state.seq > 0 else {
            throw StoreError.damaged(path: statePath, problem: "there is no note of records written by this kiosk for terminal \(terminal), so there is no lost book to follow; the kiosk makes a new book by itself")
        }
        guard !FolderIdentity.exists(layout.root) else {
            throw StoreError.damaged(path: layout.root, problem: "the folder is there: put it aside (keep it for the office) before starting the book again")
        }
        guard FolderIdentity.exists(records) else {
            throw StoreError.io(operation: "find the records folder", path: records, errno: ENOENT)
        }
        if now < earliestPlausibleTime || (programTime.map { now > $0.addingTimeInterval(programGap) } ?? false) {
            throw StoreError.clock(now: Timestamp.format(now), last: nil, ahead: now >= earliestPlausibleTime)
        }
        let first = RecordFile(seq: state.seq + 1, id: UUID().uuidString.lowercased(), terminal: terminal, school: school, prev: state.sha256,
                               body: .bookResumed(.init(resumedAt: Timestamp.format(now), lostSeq: state.seq, reason: reason)))
        try create(layout, terminal: terminal, key: key, calls: .posix, first: first)
        let bytes = first.bytes
        try BookState(terminal: terminal, seq: first.seq, sha256: Hex.sha256(bytes)).save(statePath)
        logger.notice("started the record book again after the lost one", metadata: ["lost_seq": "\(state.seq)", "folder": "\(layout.root)"])
        return try open(records: records, terminal: terminal, school: school, key: key, state: statePath, logger: logger)
    }

    /// A new book: its folder, the public key, and a signed head naming no
    /// record yet (or naming `first`, the record a book started again
    /// begins with), each durable before the folder's name appears: the
    /// book is built under a temporary name and renamed into place, so a
    /// crash leaves either no book or a whole one.
    private static func create(_ layout: RecordLayout, terminal: String, key: TerminalKey, calls: FileSystemCalls, first: RecordFile? = nil) throws(StoreError) {
        let parent = (layout.root as NSString).deletingLastPathComponent
        let building = RecordLayout(root: AtomicFile.temporaryPath(for: layout.root))
        removeTree(building.root)
        guard mkdir(building.root, 0o755) == 0 else {
            throw StoreError.io(operation: "create folder", path: building.root, errno: errno)
        }
        do throws(StoreError) {
            try publishKey(key, layout: building, calls: calls)
            var head = HeadFile(terminal: terminal, seq: 0, sha256: RecordFile.genesis, updatedAt: Date())
            if let first {
                let bytes = first.bytes
                let sha = Hex.sha256(bytes)
                let path = building.record(seq: first.seq)
                try AtomicFile.makeDirectory(building.shard(seq: first.seq), calls: calls)
                let signature = try sign(bytes, with: key, trustedComment: RecordFile.trustedComment(seq: first.seq, sha256: sha, prev: first.prev, terminal: terminal),
                                         untrustedComment: RecordCheck.untrustedComment(seq: first.seq, terminal: terminal, keyID: key.keyID))
                try AtomicFile.writeGroup([(Array(signature.fileText.utf8), path + ".minisig"), (bytes, path)], replace: false, calls: calls)
                head = HeadFile(terminal: terminal, seq: first.seq, sha256: sha, updatedAt: Date())
            }
            try writeHead(head, key: key, layout: building, syncFolder: true, calls: calls)
            guard calls.rename(building.root, layout.root) == 0 else {
                throw StoreError.io(operation: "create folder", path: layout.root, errno: errno)
            }
            try AtomicFile.syncDirectory(parent.isEmpty ? "." : parent, calls: calls)
        } catch {
            removeTree(building.root)
            throw error
        }
    }

    /// Milliseconds a held lock is waited for before the book is refused.
    static let lockPatience = 500

    private static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The exclusive lock on the book's folder itself. Deleting or
    /// replacing a file in the folder cannot lift it; a folder replaced
    /// under the kiosk is a new folder, which `checkFolder` notices.
    ///
    /// A lock just given up can stay held for a moment: a child forked by
    /// another thread of this process (or of the one closing) holds a copy
    /// of the descriptor until it execs. So a held lock is asked for again
    /// for up to `lockPatience` before the book is refused; a running
    /// kiosk holds it for good, and is still named.
    private static func lock(_ layout: RecordLayout) throws(StoreError) -> Int32 {
        let fd = Glibc.open(layout.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(operation: "open", path: layout.root, errno: errno) }
        var locked = flock(fd, LOCK_EX | LOCK_NB) == 0
        var waited = 0
        while !locked, errno == EWOULDBLOCK, waited < lockPatience {
            usleep(10_000)
            waited += 10
            locked = flock(fd, LOCK_EX | LOCK_NB) == 0
        }
        if !locked {
            Glibc.close(fd)
            var holder = "another process"
            if case .bytes(let b) = BoundedFile.read(layout.lock, limit: 64), !b.isEmpty {
                holder = "process " + String(decoding: b, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            throw StoreError.locked(path: layout.root, holder: holder)
        }
        // Who holds it, for the message a second kiosk shows; the lock is the folder's.
        // Written over rather than truncated first: ext4 flushes a file
        // emptied and written again to the disk when it is closed
        // (auto_da_alloc), a disk write at every start.
        let pidFD = Glibc.open(layout.lock, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        if pidFD >= 0 {
            let pid = Array("\(getpid())\n".utf8)
            _ = pwrite(pidFD, pid, pid.count, 0)
            var info = stat()
            if fstat(pidFD, &info) == 0, info.st_size > pid.count { _ = ftruncate(pidFD, off_t(pid.count)) }
            Glibc.close(pidFD)
        }
        return fd
    }

    /// Writes terminal.pub and terminal.pem for `key` where they say
    /// anything else. Which key may sign the book is settled by the head
    /// and the records (`findLast`), never by these published copies.
    private static func publishKey(_ key: TerminalKey, layout: RecordLayout, calls: FileSystemCalls) throws(StoreError) {
        let pub = key.publicKey
        if case .bytes(let existing) = BoundedFile.read(layout.publicKey, limit: BoundedFile.keyLimit), existing == Array(pub.fileText.utf8),
           case .bytes(let pem) = BoundedFile.read(layout.pem, limit: BoundedFile.keyLimit), pem == Array(pub.pemText.utf8) {
            return
        }
        try AtomicFile.write(Array(pub.fileText.utf8), to: layout.publicKey, calls: calls)
        try AtomicFile.write(Array(pub.pemText.utf8), to: layout.pem, calls: calls)
    }

    private static func removeTemporaryFiles(in folder: String) {
        for entry in BoundedFile.entries(folder) ?? [] where entry.name.hasPrefix(AtomicFile.temporaryPrefix) {
            unlink(folder + "/" + entry.name)
        }
    }

    /// Whether the record after `seq` names `sha256` as its prev: a book
    /// started again after `seq` holds no record `seq` itself.
    private static func follows(_ layout: RecordLayout, seq: Int, sha256: String) -> Bool {
        guard case .bytes(let bytes) = BoundedFile.read(layout.record(seq: seq + 1), limit: BoundedFile.recordLimit),
              let record = try? RecordFile(bytes: bytes) else { return false }
        return record.prev == sha256 && record.bookResumed != nil
    }

    private static func hash(of layout: RecordLayout, seq: Int) -> String? {
        guard seq > 0 else { return RecordFile.genesis }
        guard case .bytes(let bytes) = BoundedFile.read(layout.record(seq: seq), limit: BoundedFile.recordLimit) else { return nil }
        return Hex.sha256(bytes)
    }

    /// Where the book ends: from the head, checking forward for records
    /// whose head update was interrupted. Each record it reads gets the
    /// verifier's own check.
    private static func findLast(layout: RecordLayout, terminal: String, key: TerminalKey, previousKey: Minisign.PublicKey?, logger: Logger) throws(StoreError)
        -> (seq: Int, hash: String, time: Date?, headIsCurrent: Bool) {
        let ours = key.publicKey
        // Only the key file is trusted, and, while `keygen --rotate`
        // finishes a key change, the key it hands over from (from the key
        // file too); never the published terminal.pub, which anyone who
        // can write the folder can replace.
        let previous = previousKey.flatMap { $0 == ours ? nil : $0 }
        let keys = [ours] + (previous.map { [$0] } ?? [])
        var signedByOurs = false
        var seq = 0
        var hash = RecordFile.genesis
        var time: Date?
        var headIsCurrent = true
        switch BoundedFile.read(layout.head, limit: BoundedFile.headLimit) {
        case .refused(let why):
            throw StoreError.damaged(path: layout.head, problem: "head.json cannot be used: \(why)")
        case .missing:
            // Every book has a head from the moment it is made.
            throw StoreError.damaged(path: layout.root, problem: "head.json is missing; restore head.json and head.json.minisig from the office's copy")
        case .bytes(let headBytes):
            guard let head = HeadFile(bytes: headBytes), head.terminal == terminal, head.seq < RecordFile.maxSeq else {
                throw StoreError.damaged(path: layout.head, problem: "head.json cannot be read as the head of terminal \(terminal)")
            }
            var signed = false
            if case .bytes(let sigBytes) = BoundedFile.read(layout.head + ".minisig", limit: BoundedFile.signatureLimit),
               let signature = try? Minisign.Signature(fileText: String(decoding: sigBytes, as: UTF8.self)) {
                signed = Minisign.verify(headBytes, signature: signature, keys: keys) == .valid && signature.trustedComment == head.trustedComment
                signedByOurs = signed && signature.keyID == ours.keyID
            }
            // A crash between writing head.json.minisig and head.json leaves
            // them out of step: the records decide, and the head is rewritten.
            headIsCurrent = signed
            seq = head.seq
            if seq > 0 {
                let path = layout.record(seq: seq)
                guard case .bytes(let last) = BoundedFile.read(path, limit: BoundedFile.recordLimit) else {
                    throw StoreError.damaged(path: layout.root, problem: "record \(seq), the last one named by head.json, is missing")
                }
                let signature: [UInt8]? = if case .bytes(let s) = BoundedFile.read(path + ".minisig", limit: BoundedFile.signatureLimit) { s } else { nil }
                var verdict = RecordCheck.check(last, signatureFile: signature, keys: keys)
                // A head signed with this kiosk's key vouches for the hash of
                // the record it names: after a key change that record (the
                // handover) is signed with the old key, which the kiosk no
                // longer holds.
                if verdict.problem != nil, signedByOurs, Hex.sha256(last) == head.sha256 {
                    verdict = RecordCheck.Verdict(sha256: head.sha256, keyID: ours.keyID, problem: nil, record: try? RecordFile(bytes: last))
                }
                guard let record = verdict.record, verdict.problem == nil, record.seq == seq, record.terminal == terminal else {
                    throw StoreError.damaged(path: path, problem: "record \(seq), the last one named by head.json, does not verify with this terminal's key (\(verdict.problem?.detail ?? "it is not record \(seq) of \(terminal)"))")
                }
                hash = verdict.sha256
                time = Timestamp.parse(record.completedAt)
                if signed && hash != head.sha256 {
                    throw StoreError.damaged(path: layout.root, problem: "record \(seq) does not match the hash head.json names for it")
                }
                if verdict.keyID == ours.keyID { signedByOurs = true }
                if let handedTo = record.keyChange {
                    guard handedTo.newKeyID == ours.keyIDText else {
                        throw StoreError.key(path: layout.publicKey, problem: "was handed over to key \(handedTo.newKeyID) by record \(seq), but the kiosk holds key \(ours.keyIDText)",
                                             advice: "run `kiosk keygen --rotate` again to finish changing the key")
                    }
                    signedByOurs = true
                }
            }
        }
        // Records written after the head (an interrupted head update).
        while seq < RecordFile.maxSeq {
            let path = layout.record(seq: seq + 1)
            guard case .bytes(let bytes) = BoundedFile.read(path, limit: BoundedFile.recordLimit) else { break }
            let signature: [UInt8]? = if case .bytes(let s) = BoundedFile.read(path + ".minisig", limit: BoundedFile.signatureLimit) { s } else { nil }
            let verdict = RecordCheck.check(bytes, signatureFile: signature, keys: keys)
            guard let record = verdict.record, verdict.problem == nil, record.seq == seq + 1, record.terminal == terminal, record.prev == hash else {
                throw StoreError.damaged(path: path, problem: "record \(seq + 1) after the head does not verify with this terminal's key (\(verdict.problem?.detail ?? "it does not follow record \(seq)"))")
            }
            if let handedTo = record.keyChange {
                guard handedTo.newKeyID == ours.keyIDText else {
                    throw StoreError.key(path: layout.publicKey, problem: "was handed over to key \(handedTo.newKeyID) by record \(seq + 1), but the kiosk holds key \(ours.keyIDText)",
                                         advice: "run `kiosk keygen --rotate` again to finish changing the key")
                }
                signedByOurs = true
            } else if verdict.keyID != ours.keyID {
                throw StoreError.damaged(path: path, problem: "record \(seq + 1) after the head is signed by key \(verdict.keyID.map(Minisign.keyIDText) ?? "?"), not by this kiosk's key \(ours.keyIDText)")
            } else {
                signedByOurs = true
            }
            seq += 1
            hash = verdict.sha256
            time = Timestamp.parse(record.completedAt)
            headIsCurrent = false
            logger.notice("found record \(seq) written after the head")
        }
        if seq > 0 && !signedByOurs {
            throw StoreError.key(path: layout.publicKey, problem: "does not name the key this terminal's records were signed with",
                                 advice: "restore the key file the records were signed with, or give this key a terminal id of its own")
        }
        // A signature whose record was never put in place.
        unlink(layout.record(seq: seq + 1) + ".minisig")
        return (seq, hash, time, headIsCurrent)
    }
}

/// Which folder a path names now: a folder removed and made again, or
/// restored from a copy, is another folder.
public struct FolderIdentity: Equatable {
    /// Whether a folder is at `path`.
    public static func exists(_ path: String) -> Bool { FolderIdentity(path) != nil }

    var device: UInt
    var inode: UInt

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        device = UInt(info.st_dev)
        inode = UInt(info.st_ino)
    }
}
