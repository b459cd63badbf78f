import Foundation
import KioskContent

/// Reading a file that someone else may have put there: only a regular
/// file, never through a symlink, never blocking on a FIFO or a device,
/// and never more than a limit. Whatever is at the path, the answer comes
/// at once and memory stays bounded.
public enum BoundedFile {
    public enum Result: Equatable, Sendable {
        case bytes([UInt8])
        case missing
        /// There, but not something to read as a file of the book.
        case refused(String)
    }

    /// Limits for the files of a record book.
    public static let recordLimit = 4 << 20
    public static let signatureLimit = 4096
    public static let keyLimit = 4096
    public static let headLimit = 64 << 10
    public static let contentLimit = 1 << 20

    /// What kind of thing is at `path`, without following a symlink.
    public static func describe(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: "a file"
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        case S_IFIFO: "a named pipe (FIFO)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }

    /// An open folder whose files are read by name, with no walk of the
    /// whole path for each (a book's shard holds two files per record).
    public final class Folder: @unchecked Sendable {
        let fd: Int32

        /// Nil when `path` is not a folder that can be opened (a symlink is not followed).
        public init?(_ path: String) {
            fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd < 0 { return nil }
        }

        deinit { close(fd) }
    }

    /// Reads `path`, or the file of that name in `folder`.
    public static func read(_ path: String, limit: Int, in folder: Folder? = nil) -> Result {
        // O_NOFOLLOW: a symlink is refused, not followed; O_NONBLOCK: a FIFO
        // with no writer does not hang the open.
        let base = folder?.fd ?? AT_FDCWD
        let fd = withExtendedLifetime(folder) { openat(base, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        if fd < 0 {
            let code = errno
            if code == ENOENT { return .missing }
            var info = stat()
            if withExtendedLifetime(folder, { fstatat(base, path, &info, AT_SYMLINK_NOFOLLOW) }) == 0, (info.st_mode & S_IFMT) != S_IFREG {
                return .refused("it is \(describe(info.st_mode)), not a file")
            }
            return .refused("it cannot be read: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .refused("it cannot be read: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .refused("it is \(describe(info.st_mode)), not a file") }
        guard Int(info.st_size) <= limit else { return .refused("it is \(info.st_size) bytes, more than such a file can be (\(limit))") }
        var out = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while count < out.count {
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .refused("it cannot be read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            count += n
            // A regular file reads short only at its end: no second read
            // just to be told so (two files per record, 200,000 at 100,000).
            if count == Int(info.st_size) { break }
        }
        // It grew while being read: more than was there when it was checked.
        if count > limit || count > Int(info.st_size) { return .refused("it grew while it was read") }
        out.removeSubrange(count...)
        return .bytes(out)
    }

    /// The entries of a folder and what each is (lstat), sorted by name;
    /// nil when `path` is not a readable folder.
    public static func entries(_ path: String) -> [(name: String, mode: mode_t)]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var out: [(String, mode_t)] = []
        while let entry = readdir(dir) {
            let name = TextFile.name(of: entry)
            if name == "." || name == ".." { continue }
            out.append((name, Self.type(entry.pointee.d_type) ?? Self.lstatType(dir, name)))
        }
        // By bytes: first by each name's first 16 (a record folder's names
        // differ within them), the whole names only on a tie.
        func prefix(_ name: String) -> (UInt64, UInt64) {
            var high: UInt64 = 0, low: UInt64 = 0
            for (i, byte) in name.utf8.prefix(16).enumerated() {
                if i < 8 { high |= UInt64(byte) << (56 - 8 * i) } else { low |= UInt64(byte) << (56 - 8 * (i - 8)) }
            }
            return (high, low)
        }
        return out.map { (prefix($0.0), $0) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.0.utf8.lexicographicallyPrecedes($1.1.0.utf8) }
            .map(\.1)
    }

    /// The file type readdir gives (no stat per entry: a book folder holds
    /// two files per record); nil when the file system does not say.
    static func type(_ dType: UInt8) -> mode_t? {
        switch Int(dType) {
        case Int(DT_REG): S_IFREG
        case Int(DT_DIR): S_IFDIR
        case Int(DT_LNK): S_IFLNK
        case Int(DT_FIFO): S_IFIFO
        case Int(DT_CHR): S_IFCHR
        case Int(DT_BLK): S_IFBLK
        case Int(DT_SOCK): S_IFSOCK
        default: nil
        }
    }

    /// The type by asking, relative to the open folder, not following a link.
    private static func lstatType(_ dir: OpaquePointer, _ name: String) -> mode_t {
        var info = stat()
        return fstatat(dirfd(dir), name, &info, AT_SYMLINK_NOFOLLOW) == 0 ? info.st_mode & S_IFMT : 0
    }

    public static func isFolder(_ mode: mode_t) -> Bool { (mode & S_IFMT) == S_IFDIR }
    public static func isFile(_ mode: mode_t) -> Bool { (mode & S_IFMT) == S_IFREG }
}
