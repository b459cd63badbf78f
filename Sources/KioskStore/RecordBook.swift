import Foundation
import KioskContent
import Logging

/// One terminal's record book, open for writing. It holds an exclusive lock
/// on the terminal's folder for as long as it is open, so two kiosk
/// processes can never interleave records. Opening reads only the head and
/// the last record: start-up does not depend on how many records exist.
public final class RecordBook {
    /// What a successful commit tells the person and the log.
    public struct Receipt: Equatable, Sendable {
        public var seq: Int
        public var sha256: String
        /// Short code from the record's hash, shown on the last screen.
        public var reference: String
        public var path: String
        /// The record is saved, but the signed head could not be updated;
        /// the next commit or start-up tries again.
        public var headError: StoreError?
    }

    public let layout: RecordLayout
    public let terminal: String
    public let school: String
    private let key: TerminalKey
    private let calls: FileSystemCalls
    private let logger: Logger
    private var lockFD: Int32
    /// The folder opened (device and inode), so that a folder removed or
    /// replaced under the running kiosk is noticed, never silently recreated.
    private var folder: FolderIdentity
    public private(set) var lastSeq: Int
    public private(set) var lastHash: String

    public static func open(
        records: String, terminal: String, school: String, key: TerminalKey,
        calls: FileSystemCalls = .posix, logger: Logger = Logger(label: "kiosk.store")
    ) throws(StoreError) -> RecordBook {
        let layout = RecordLayout(records: records, terminal: terminal)
        try AtomicFile.makeDirectory(layout.root, calls: calls)
        let lockFD = try Self.lock(layout)
        do throws(StoreError) {
            try Self.publishKey(key, layout: layout, calls: calls)
            Self.removeTemporaryFiles(in: layout.root)
            Self.removeTemporaryFiles(in: layout.contentFolder)
            let (seq, hash, headIsCurrent) = try Self.findLast(layout: layout, key: key, logger: logger)
            // What an interrupted commit of the next record may have left.
            let next = layout.record(seq: seq + 1)
            unlink(AtomicFile.temporaryPath(for: next))
            unlink(AtomicFile.temporaryPath(for: next + ".minisig"))
            guard let folder = FolderIdentity(layout.root) else {
                throw StoreError.io(operation: "read", path: layout.root, errno: errno)
            }
            let book = RecordBook(layout: layout, terminal: terminal, school: school, key: key, calls: calls,
                                  logger: logger, lockFD: lockFD, folder: folder, lastSeq: seq, lastHash: hash)
            if !headIsCurrent {
                logger.notice("head.json is behind the records; rewriting it", metadata: ["seq": "\(seq)"])
                try book.writeHead()
            }
            return book
        } catch {
            Glibc.close(lockFD)
            throw error
        }
    }

    private init(
        layout: RecordLayout, terminal: String, school: String, key: TerminalKey, calls: FileSystemCalls,
        logger: Logger, lockFD: Int32, folder: FolderIdentity, lastSeq: Int, lastHash: String
    ) {
        self.folder = folder
        self.layout = layout
        self.terminal = terminal
        self.school = school
        self.key = key
        self.calls = calls
        self.logger = logger
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

    /// Writes `session` as the next signed record. On any failure nothing
    /// of the record is left on disk and the error says what to do; the
    /// caller keeps the session and may try again.
    public func commit(_ session: CompletedSession) throws(StoreError) -> Receipt {
        precondition(lockFD >= 0, "commit on a closed record book")
        try checkFolder()
        let seq = lastSeq + 1
        // Each document version is stored once, so the record book alone
        // shows the full text a person read.
        try AtomicFile.makeDirectory(layout.contentFolder, calls: calls)
        for reading in session.readings {
            let path = layout.content(sha256: reading.document.sha256)
            if access(path, F_OK) != 0 {
                try AtomicFile.write(Array(reading.document.source.utf8), to: path, calls: calls)
            }
        }
        try AtomicFile.makeDirectory(layout.shard(seq: seq), calls: calls)
        let json = SignedRecord.json(for: session, seq: seq, id: session.id, terminal: terminal, school: school, prev: lastHash)
        let bytes = CanonicalJSON.encode(json)
        let sha = Hex.sha256(bytes)
        let path = layout.record(seq: seq)
        let signature: Minisign.Signature
        do {
            signature = try Minisign.sign(
                bytes, with: key, trustedComment: SignedRecord.trustedComment(seq: seq, sha256: sha, prev: lastHash, terminal: terminal),
                untrustedComment: "conduct kiosk record \(seq) of terminal \(terminal), signed by key \(Minisign.keyIDText(key.keyID))")
        } catch {
            throw StoreError.key(path: "(in memory)", problem: "could not sign: \(error)", advice: "restart the kiosk")
        }
        // The signature is renamed first: the record file's rename is the
        // moment of commit, and a signature without its record is cleared
        // on the next start.
        try AtomicFile.writeGroup([(Array(signature.fileText.utf8), path + ".minisig"), (bytes, path)], calls: calls)
        lastSeq = seq
        lastHash = sha
        var headError: StoreError?
        do {
            try writeHead()
        } catch {
            headError = error
            logger.error("record \(seq) is saved but head.json could not be updated", metadata: ["error": "\(error)"])
        }
        return Receipt(seq: seq, sha256: sha, reference: SignedRecord.reference(sha256: sha), path: path, headError: headError)
    }

    /// The folder at the book's path must still be the one opened. A
    /// folder that is gone is not made again (records would restart in an
    /// empty folder, cut off from the ones before); a folder put back,
    /// say from the office's copy, is taken up again only if it ends with
    /// the record this kiosk wrote last.
    private func checkFolder() throws(StoreError) {
        guard let now = FolderIdentity(layout.root) else {
            logger.critical("the records folder is gone", metadata: ["folder": "\(layout.root)"])
            throw StoreError.lost(path: layout.root, problem: "was removed")
        }
        if now == folder { return }
        guard lastSeq == 0 || access(layout.head, F_OK) == 0 else {
            throw StoreError.lost(path: layout.root, problem: "was replaced by a folder with no head.json")
        }
        let newLock = try Self.lock(layout)
        let headIsCurrent: Bool
        do throws(StoreError) {
            let (seq, hash, current) = try Self.findLast(layout: layout, key: key, logger: logger)
            guard seq == lastSeq, hash == lastHash else {
                throw StoreError.lost(
                    path: layout.root,
                    problem: "was replaced by one that ends at record \(seq)\(seq == lastSeq ? " with different contents" : ""), but this kiosk last wrote record \(lastSeq)")
            }
            headIsCurrent = current
        } catch {
            Glibc.close(newLock)
            throw error
        }
        Glibc.close(lockFD)
        lockFD = newLock
        folder = now
        logger.notice("the records folder was put back as it was; saving continues", metadata: ["folder": "\(layout.root)", "seq": "\(lastSeq)"])
        if !headIsCurrent { try writeHead() }
    }

    /// True while head.json names an earlier record than the last one
    /// saved (its update failed: a full disk, say).
    public private(set) var headIsBehind = false

    /// Writes the signed head if an earlier update of it failed; the kiosk
    /// calls this on its retry tick until it succeeds.
    public func writeHeadIfBehind() throws(StoreError) {
        guard headIsBehind else { return }
        try writeHead()
    }

    /// Signs and writes head.json: the last seq and its hash.
    private func writeHead() throws(StoreError) {
        let head = HeadFile(terminal: terminal, seq: lastSeq, sha256: lastHash, updatedAt: Date())
        let bytes = CanonicalJSON.encode(head.json)
        let signature: Minisign.Signature
        do {
            signature = try Minisign.sign(bytes, with: key, trustedComment: head.trustedComment,
                                          untrustedComment: "conduct kiosk head of terminal \(terminal)")
        } catch {
            throw StoreError.key(path: "(in memory)", problem: "could not sign: \(error)", advice: "restart the kiosk")
        }
        // Flushed, renamed, but the folder not synced: a power cut may undo
        // the renames and leave the previous head, never a torn one, and
        // start-up then brings the head up to date from the records, which
        // are durable. This saves two of the commit's fsyncs.
        do {
            try AtomicFile.writeGroup([(Array(signature.fileText.utf8), layout.head + ".minisig"), (bytes, layout.head)],
                                      syncFolder: false, calls: calls)
            headIsBehind = false
        } catch {
            headIsBehind = true
            throw error
        }
    }

    /// Every document version stored in this book (one file per version
    /// shown, so this reads a handful of files however many records there
    /// are), but those whose SHA-256 is in `known`: the versions the kiosk
    /// already holds need not be parsed again (each parse cost start-up
    /// about 2 ms). Files that do not parse are skipped.
    public func storedDocuments(except known: Set<String> = []) -> [PolicyDocument] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.contentFolder)) ?? []
        return names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") && !known.contains(String($0.dropLast(3))) }.compactMap { name in
            let path = layout.contentFolder + "/" + name
            guard let text = try? TextFile.read(path) else { return nil }
            return DocumentParser.parse(text, path: path).document
        }
    }

    // MARK: - Opening

    private static func lock(_ layout: RecordLayout) throws(StoreError) -> Int32 {
        let fd = Glibc.open(layout.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.io(operation: "create the lock file", path: layout.lock, errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = pread(fd, &buffer, 63, 0)
            Glibc.close(fd)
            let holder = n > 0 ? "process " + String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "another process"
            throw StoreError.locked(path: layout.root, holder: holder)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        return fd
    }

    /// Writes terminal.pub and terminal.pem, and refuses a key that is not
    /// the one the existing records were signed with.
    private static func publishKey(_ key: TerminalKey, layout: RecordLayout, calls: FileSystemCalls) throws(StoreError) {
        let pub = key.publicKey
        if let existing = try AtomicFile.read(layout.publicKey) {
            let published = try? Minisign.PublicKey(fileText: String(decoding: existing, as: UTF8.self))
            if published == pub { return }
            if access(layout.head, F_OK) == 0 {
                let named = published.map { "key \($0.keyIDText)" } ?? "an unreadable key"
                throw StoreError.key(
                    path: layout.publicKey, problem: "names \(named), but the signing key is \(pub.keyIDText)",
                    advice: "this terminal's records were signed with another key: restore that key file, or give this key a terminal id of its own")
            }
        }
        try AtomicFile.write(Array(pub.fileText.utf8), to: layout.publicKey, calls: calls)
        try AtomicFile.write(Array(pub.pemText.utf8), to: layout.pem, calls: calls)
    }

    private static func removeTemporaryFiles(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(AtomicFile.temporaryPrefix) {
            unlink(folder + "/" + name)
        }
    }

    /// The last record's seq and hash, starting from the head and checking
    /// forward for a record whose head update was interrupted.
    private static func findLast(layout: RecordLayout, key: TerminalKey, logger: Logger) throws(StoreError) -> (Int, String, Bool) {
        let keys = [key.publicKey]
        var seq = 0
        var hash = SignedRecord.genesis
        var headIsCurrent = true
        if let headBytes = try AtomicFile.read(layout.head) {
            guard let head = HeadFile(bytes: headBytes) else {
                throw StoreError.damaged(path: layout.head, problem: "head.json cannot be read as a head")
            }
            let signature = try AtomicFile.read(layout.head + ".minisig")
                .flatMap { try? Minisign.Signature(fileText: String(decoding: $0, as: UTF8.self)) }
            let signed = signature.map { Minisign.verify(headBytes, signature: $0, keys: keys) == .valid } ?? false
            // A crash between writing head.json.minisig and head.json leaves
            // them out of step: the records decide, and the head is rewritten.
            headIsCurrent = signed
            seq = head.seq
            if seq > 0 {
                guard let last = try AtomicFile.read(layout.record(seq: seq)) else {
                    throw StoreError.damaged(path: layout.root, problem: "record \(seq), the last one named by head.json, is missing")
                }
                hash = Hex.sha256(last)
                if signed && hash != head.sha256 {
                    throw StoreError.damaged(path: layout.root, problem: "record \(seq) does not match the hash head.json names for it")
                }
            }
        } else if FileManager.default.fileExists(atPath: layout.shard(seq: 1)) {
            throw StoreError.damaged(path: layout.root, problem: "head.json is missing but records exist; restore head.json and head.json.minisig from a backup")
        }
        // Records written after the head (an interrupted head update).
        while let bytes = try AtomicFile.read(layout.record(seq: seq + 1)) {
            let path = layout.record(seq: seq + 1)
            guard let sigBytes = try AtomicFile.read(path + ".minisig"),
                  let signature = try? Minisign.Signature(fileText: String(decoding: sigBytes, as: UTF8.self)),
                  Minisign.verify(bytes, signature: signature, keys: keys) == .valid,
                  signature.trustedComment.contains("\tprev:\(hash)\t")
            else {
                throw StoreError.damaged(path: path, problem: "record \(seq + 1) after the head does not verify with this terminal's key")
            }
            seq += 1
            hash = Hex.sha256(bytes)
            headIsCurrent = false
            logger.notice("found record \(seq) written after the head")
        }
        // A signature whose record was never renamed into place.
        unlink(layout.record(seq: seq + 1) + ".minisig")
        return (seq, hash, headIsCurrent)
    }
}

/// Which folder a path names now: a folder removed and made again, or
/// restored from a copy, is another folder.
struct FolderIdentity: Equatable {
    var device: UInt
    var inode: UInt

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return nil }
        device = UInt(info.st_dev)
        inode = UInt(info.st_ino)
    }
}

/// head.json: the signed checkpoint naming the last record.
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

    init?(bytes: [UInt8]) {
        guard let json = try? CanonicalJSON.decode(bytes), json["schema"]?.string == Self.schema,
              let terminal = json["terminal"]?.string, let seq = json["seq"]?.int, let sha = json["sha256"]?.string,
              let updated = json["updated_at"]?.string.flatMap(Timestamp.parse)
        else { return nil }
        self.init(terminal: terminal, seq: seq, sha256: sha, updatedAt: updated)
    }

    var json: JSONValue {
        .object([
            "schema": .string(Self.schema), "terminal": .string(terminal), "seq": .int(seq),
            "sha256": .string(sha256), "updated_at": .string(Timestamp.format(updatedAt)),
        ])
    }

    var trustedComment: String { "head\tseq:\(seq)\tsha256:\(sha256)\tterminal:\(terminal)" }
}
