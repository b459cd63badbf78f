import Foundation
import KioskStore

/// System calls that fail on demand, as a full or broken disk does: the
/// store's `FileSystemCalls` seam, for the store's and the run loop's tests.
/// "rename" fails every rename; "replace" only those that replace a file
/// (the head's), so a record is saved while its head is not. `onFsync`
/// tells the test each time a file is flushed, before it fails or runs.
public final class FaultyDisk: @unchecked Sendable {
    private let lock = NSLock()
    private var failing: [String: Int32] = [:]
    private var observer: (@Sendable () -> Void)?

    public init() {}

    public func fail(_ call: String, with code: Int32?) {
        lock.withLock { failing[call] = code }
    }

    public func onFsync(_ observe: (@Sendable () -> Void)?) { lock.withLock { observer = observe } }

    private func fault(_ call: String) -> Int32? { lock.withLock { failing[call] } }

    public var calls: FileSystemCalls {
        FileSystemCalls(
            open: { [self] path, flags, mode in
                if let code = fault("open") { errno = code; return -1 }
                return Glibc.open(path, flags, mode)
            },
            write: { [self] fd, buffer, count in
                if let code = fault("write") { errno = code; return -1 }
                return Glibc.write(fd, buffer, count)
            },
            fsync: { [self] fd in
                lock.withLock { observer }?()
                if let code = fault("fsync") { errno = code; return -1 }
                return Glibc.fsync(fd)
            },
            rename: { [self] from, to in
                if let code = fault("rename") ?? fault("replace") { errno = code; return -1 }
                return Glibc.rename(from, to)
            },
            renameNoReplace: { [self] from, to in
                if let code = fault("rename") { errno = code; return -1 }
                return FileSystemCalls.linkInPlace(from, to)
            })
    }
}
