import Crypto
import Foundation
import KioskContent

/// What the office tools have already verified, kept outside the records
/// folders, so a second `report`, `export` or `records` hashes each record
/// instead of checking its two Ed25519 signatures again.
///
/// One file per terminal, one fixed-size entry per seq at offset
/// (seq - 1) × 128: the SHA-256 of the record file, of its signature file,
/// and of the public key that verified both, then an HMAC-SHA256 of all of
/// that (with the terminal and seq) under a secret kept beside the cache
/// (mode 0600). An entry counts only if the record and signature files
/// hash to what it says, the key is one the caller trusts now, and its MAC
/// holds: changed bytes, another key, or an entry written by anyone
/// without the secret, and the record is verified in full again. Skipped
/// for an entry that counts: the signature arithmetic, parsing the
/// signature file (its bytes are those checked), and re-encoding the record
/// to see it is canonical; the record is still decoded strictly, its
/// trusted comment compared, and the chain checked as in verify.
/// Memory does not grow with the number of records: entries are read with
/// pread as the records stream past.
public final class VerifiedCache: @unchecked Sendable {
    static let entrySize = 128
    public let folder: String
    private let secret: SymmetricKey
    private let lock = NSLock()
    private var files: [String: Int32] = [:]

    /// Opens (making it if need be) the cache in `folder`. Nil, with the
    /// reason, when it cannot be used: the tools then verify everything.
    public init(folder: String) throws(StoreError) {
        self.folder = folder
        var info = stat()
        if lstat(folder, &info) != 0 {
            guard mkdir(folder, 0o700) == 0 || errno == EEXIST else { throw StoreError.io(operation: "create the cache folder", path: folder, errno: errno) }
            guard lstat(folder, &info) == 0 else { throw StoreError.io(operation: "use the cache folder", path: folder, errno: errno) }
        }
        // Only a folder of this user's that nobody else can write: anyone
        // who could swap its files could make a forged record "verified".
        guard (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == getuid(), info.st_mode & 0o022 == 0 else {
            throw StoreError.key(path: folder, problem: "is not a folder of this user's that only it can write",
                                 advice: "remove it (it is made again), or give --cache a folder of your own (mode 0700)")
        }
        let secretPath = folder + "/secret"
        switch Self.readOwn(secretPath) {
        case .bytes(let bytes) where bytes.count == 32:
            secret = SymmetricKey(data: bytes)
        case .missing:
            let key = SymmetricKey(size: .bits256)
            let bytes = key.withUnsafeBytes { Array($0) }
            try AtomicFile.write(bytes, to: secretPath, mode: 0o600)
            secret = key
        default:
            throw StoreError.key(path: secretPath, problem: "is not a cache secret", advice: "remove the cache folder; it is made again")
        }
    }

    deinit {
        for fd in files.values { close(fd) }
    }

    /// Reads a small file of this user's, mode 0600, checked on the open
    /// file itself (not by its name, which could be swapped in between).
    static func readOwn(_ path: String) -> BoundedFile.Result {
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 { return errno == ENOENT ? .missing : .refused(String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == getuid(), info.st_mode & 0o077 == 0, info.st_size <= 64 else {
            return .refused("not a file of this user's that only it can read")
        }
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 64) }
        return n < 0 ? .refused(String(cString: strerror(errno))) : .bytes(Array(bytes[0..<n]))
    }

    /// The default place: $XDG_CACHE_HOME/conduct-kiosk, or ~/.cache/conduct-kiosk.
    public static var defaultFolder: String? {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/conduct-kiosk" }
        guard let home = env["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.cache/conduct-kiosk"
    }

    private func file(_ terminal: String) -> Int32 {
        lock.withLock {
            if let fd = files[terminal] { return fd }
            let name = ConfigParser.isValidTerminalID(terminal) ? terminal : Hex.sha256(Array(terminal.utf8))
            var fd = Glibc.open(folder + "/" + name + ".verified", O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o600)
            var info = stat()
            if fd >= 0, fstat(fd, &info) != 0 || (info.st_mode & S_IFMT) != S_IFREG || info.st_uid != getuid() || info.st_mode & 0o077 != 0 {
                close(fd)
                fd = -1
            }
            files[terminal] = fd
            return fd
        }
    }

    private func mac(terminal: String, seq: Int, _ digests: [UInt8]) -> [UInt8] {
        var input = Array(terminal.utf8) + [0]
        withUnsafeBytes(of: UInt64(seq).littleEndian) { input += $0 }
        input += digests
        return Array(HMAC<SHA256>.authenticationCode(for: input, using: secret))
    }

    /// The record's SHA-256 (as hex, already computed by the check), the
    /// signature file's and the key's.
    static func digests(recordSHA256: String, signature: [UInt8], key: Minisign.PublicKey) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(96)
        var hex = recordSHA256
        hex.withUTF8 { out.append(contentsOf: SHA256.hash(data: UnsafeRawBufferPointer($0))) }
        out.append(contentsOf: SHA256.hash(data: signature))
        out.append(contentsOf: key.digest)
        return out
    }

    /// Whether these exact files were verified before with `key`.
    public func knows(terminal: String, seq: Int, recordSHA256: String, signature: [UInt8], key: Minisign.PublicKey) -> Bool {
        let fd = file(terminal)
        guard fd >= 0, seq >= 1 else { return false }
        var entry = [UInt8](repeating: 0, count: Self.entrySize)
        let n = entry.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Self.entrySize, off_t((seq - 1) * Self.entrySize)) }
        guard n == Self.entrySize else { return false }
        let digests = Self.digests(recordSHA256: recordSHA256, signature: signature, key: key)
        guard entry[0..<96].elementsEqual(digests) else { return false }
        let expected = mac(terminal: terminal, seq: seq, digests)
        // Constant time is not needed (the MAC is not secret to the reader), but cheap.
        return zip(entry[96..<128], expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Notes that these exact files verified with `key`. A failure to write
    /// only means they are verified in full next time.
    public func remember(terminal: String, seq: Int, recordSHA256: String, signature: [UInt8], key: Minisign.PublicKey) {
        let fd = file(terminal)
        guard fd >= 0, seq >= 1 else { return }
        let digests = Self.digests(recordSHA256: recordSHA256, signature: signature, key: key)
        let entry = digests + mac(terminal: terminal, seq: seq, digests)
        _ = entry.withUnsafeBytes { pwrite(fd, $0.baseAddress, Self.entrySize, off_t((seq - 1) * Self.entrySize)) }
    }
}
