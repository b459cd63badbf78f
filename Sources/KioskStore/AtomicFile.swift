import Foundation

/// The system calls a durable write makes, behind a seam so tests can make
/// any one of them fail (ENOSPC, EIO, EROFS) the way a real disk does.
public struct FileSystemCalls: Sendable {
    public var open: @Sendable (String, Int32, mode_t) -> Int32
    public var write: @Sendable (Int32, UnsafeRawPointer, Int) -> Int
    public var fsync: @Sendable (Int32) -> Int32
    public var rename: @Sendable (String, String) -> Int32
    /// Puts a file in place only if nothing is there yet (EEXIST otherwise):
    /// a record, once written, is never replaced, whoever else writes.
    public var renameNoReplace: @Sendable (String, String) -> Int32

    public init(
        open: @escaping @Sendable (String, Int32, mode_t) -> Int32,
        write: @escaping @Sendable (Int32, UnsafeRawPointer, Int) -> Int,
        fsync: @escaping @Sendable (Int32) -> Int32,
        rename: @escaping @Sendable (String, String) -> Int32,
        renameNoReplace: @escaping @Sendable (String, String) -> Int32 = FileSystemCalls.linkInPlace
    ) {
        self.open = open
        self.write = write
        self.fsync = fsync
        self.rename = rename
        self.renameNoReplace = renameNoReplace
    }

    /// link(2) then unlink the temporary name: link fails with EEXIST
    /// where a file already stands, atomically, on every Linux file system
    /// with hard links (glibc's renameat2 is not visible to Swift).
    public static let linkInPlace: @Sendable (String, String) -> Int32 = { from, to in
        guard Glibc.link(from, to) == 0 else { return -1 }
        Glibc.unlink(from)
        return 0
    }

    /// The real ones.
    public static let posix = FileSystemCalls(
        open: { path, flags, mode in Glibc.open(path, flags, mode) },
        write: { fd, buffer, count in Glibc.write(fd, buffer, count) },
        fsync: { fd in Glibc.fsync(fd) },
        rename: { from, to in Glibc.rename(from, to) }
    )
}

/// Writes a file so that after a crash or power cut it is either the whole
/// new file or not there: a temporary file in the same folder (O_EXCL),
/// write, fsync, rename, fsync the folder. Any failure removes the
/// temporary file and throws; an fsync failure is a failure (a later fsync
/// could report success for data that was lost).
public enum AtomicFile {
    /// Prefix of temporary files, which the store clears away on start-up.
    public static let temporaryPrefix = ".tmp-"

    public static func write(
        _ bytes: [UInt8], to path: String, mode: mode_t = 0o644, calls: FileSystemCalls = .posix
    ) throws(StoreError) {
        try writeGroup([(bytes, path)], mode: mode, calls: calls)
    }

    /// Writes several files of one folder: each to a temporary file and
    /// fsynced, then all renamed into place in order, then the folder
    /// fsynced once. The last rename is the moment the group appears
    /// whole. On any failure the temporary files, and the files the group
    /// created (not those it replaced), are removed again.
    /// With `syncFolder: false` the renames may be lost in a power cut
    /// (the files then keep their previous contents), never torn.
    public static func writeGroup(
        _ files: [(bytes: [UInt8], path: String)], mode: mode_t = 0o644, syncFolder: Bool = true, replace: Bool = true,
        calls: FileSystemCalls = .posix
    ) throws(StoreError) {
        guard let first = files.first else { return }
        let directory = (first.path as NSString).deletingLastPathComponent
        var temporaries: [String] = []
        // Files the group created (not replaced) are removed again on failure.
        var created: [String] = []
        func undo() {
            for path in temporaries + created { unlink(path) }
        }
        for file in files {
            let temporary: String
            do {
                temporary = try writeTemporary(file.bytes, for: file.path, mode: mode, calls: calls)
            } catch {
                undo()
                throw error
            }
            temporaries.append(temporary)
        }
        for (temporary, file) in zip(temporaries, files) {
            let isNew = access(file.path, F_OK) != 0
            if (replace ? calls.rename(temporary, file.path) : calls.renameNoReplace(temporary, file.path)) != 0 {
                let failure: StoreError = !replace && errno == EEXIST
                    ? .locked(path: directory, holder: "another process wrote \((file.path as NSString).lastPathComponent) first")
                    : .io(operation: "rename into place", path: file.path, errno: errno)
                undo()
                throw failure
            }
            temporaries.removeFirst()
            if isNew { created.append(file.path) }
        }
        if syncFolder {
            do {
                try syncDirectory(directory.isEmpty ? "." : directory, calls: calls)
            } catch {
                undo()
                throw error
            }
        }
    }

    /// A temporary file beside `path` holding `bytes`, flushed to disk.
    private static func writeTemporary(_ bytes: [UInt8], for path: String, mode: mode_t, calls: FileSystemCalls) throws(StoreError) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        // One temporary name per file, so start-up can clear what a crash
        // left by name, without listing a folder of thousands of records.
        // Writers hold the terminal's lock, so a file of that name is left
        // over from a crash: it is removed and the create tried again.
        let temporary = temporaryPath(for: path)
        var fd = calls.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0 && errno == EEXIST {
            unlink(temporary)
            fd = calls.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        }
        guard fd >= 0 else { throw StoreError.io(operation: "create a file in", path: directory.isEmpty ? "." : directory, errno: errno) }
        var failure: StoreError?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = calls.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = .io(operation: "write", path: path, errno: errno)
                    return
                }
                offset += n
            }
        }
        // fchmod: the umask must not widen or narrow what was asked for.
        if failure == nil, fchmod(fd, mode) != 0 {
            failure = .io(operation: "set permissions of", path: path, errno: errno)
        }
        if failure == nil, calls.fsync(fd) != 0 {
            failure = .io(operation: "flush to disk", path: path, errno: errno)
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        return temporary
    }

    /// Moves the file at `source` into the place of `target` (same folder),
    /// durably.
    public static func move(_ source: String, into target: String) throws(StoreError) {
        guard Glibc.rename(source, target) == 0 else {
            throw StoreError.io(operation: "rename into place", path: target, errno: errno)
        }
        let directory = (target as NSString).deletingLastPathComponent
        try syncDirectory(directory.isEmpty ? "." : directory)
    }

    /// Where a write of `path` keeps its bytes until the rename.
    public static func temporaryPath(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        return (directory.isEmpty ? "" : directory + "/") + temporaryPrefix + (path as NSString).lastPathComponent
    }

    /// Makes a rename or a new file in `directory` durable.
    public static func syncDirectory(_ directory: String, calls: FileSystemCalls = .posix) throws(StoreError) {
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError.io(operation: "open folder", path: directory, errno: errno) }
        defer { close(fd) }
        if calls.fsync(fd) != 0 {
            throw StoreError.io(operation: "flush folder to disk", path: directory, errno: errno)
        }
    }

    /// Creates `path` and its parents, each made durable in its parent.
    public static func makeDirectory(_ path: String, calls: FileSystemCalls = .posix) throws(StoreError) {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { return }
            throw StoreError.io(operation: "create folder", path: path, errno: EEXIST)
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectory(parent, calls: calls) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw StoreError.io(operation: "create folder", path: path, errno: errno)
        }
        try syncDirectory(parent.isEmpty ? "." : parent, calls: calls)
    }

    /// Reads a whole file, or nil when it does not exist.
    public static func read(_ path: String) throws(StoreError) -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw StoreError.io(operation: "read", path: path, errno: errno)
        }
        defer { close(fd) }
        // Read straight into a buffer of the file's size (records are read
        // by the hundred thousand in verify), growing only if it grew.
        var info = stat()
        let expected = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        var out = [UInt8](repeating: 0, count: max(expected, 4096))
        var count = 0
        while true {
            if count == out.count { out.append(contentsOf: [UInt8](repeating: 0, count: out.count)) }
            let n = out.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw StoreError.io(operation: "read", path: path, errno: errno)
            }
            if n == 0 { break }
            count += n
        }
        out.removeSubrange(count...)
        return out
    }
}
