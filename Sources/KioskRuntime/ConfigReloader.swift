import Foundation
import KioskContent
import KioskUI
import Logging

/// Brings a new admin PIN (`kiosk set-pin`) to the running kiosk: reads
/// kiosk.conf again when it changes (its inode, size or times, looked at
/// once a second on the loop's tick) or when a SIGHUP asks, and hands the
/// PIN's hash to the reducer. A kiosk.conf that no longer reads is logged
/// with its problems and the settings in use are kept. Only the PIN is
/// taken while the kiosk runs: roles, content and paths stay as they were
/// at start-up (a session in progress depends on them), and the log says so.
public final class ConfigReloader {
    /// What changes when a file is written or replaced.
    public struct Stamp: Equatable, Sendable {
        public var device: UInt64
        public var inode: UInt64
        public var size: Int64
        public var modified: timespec
        public var changed: timespec

        public init(device: UInt64, inode: UInt64, size: Int64, modified: timespec, changed: timespec) {
            self.device = device
            self.inode = inode
            self.size = size
            self.modified = modified
            self.changed = changed
        }

        public static func == (a: Stamp, b: Stamp) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size
                && a.modified.tv_sec == b.modified.tv_sec && a.modified.tv_nsec == b.modified.tv_nsec
                && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
        }

        /// The file at `path` now, or nil when it cannot be looked at.
        public static func of(_ path: String) -> Stamp? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                         modified: info.st_mtim, changed: info.st_ctim)
        }
    }

    /// How often kiosk.conf is looked at: a new PIN is in use within
    /// this and a tick.
    public static let checkInterval: TimeInterval = 1

    private let path: String
    private let logger: Logger
    private let stamp: (String) -> Stamp?
    private let load: (String) -> ConfigParser.Result
    private let hangup: () -> Bool
    /// kiosk.conf as it was last read (or looked at and found unreadable).
    private var lastStamp: Stamp?
    /// The settings in use: the start-up ones, with the latest PIN.
    private var inUse: KioskConfig
    private var nextCheck = Date.distantPast

    /// - Parameters:
    ///   - config: kiosk.conf as read at start-up.
    ///   - stamp: the file as it was when start-up read it (taken before reading).
    ///   - hangup: whether a SIGHUP asked for a reload since the last call.
    public init(
        config: KioskConfig, stamp: Stamp?, logger: Logger, hangup: @escaping () -> Bool = { false },
        stampOf: @escaping (String) -> Stamp? = Stamp.of, load: @escaping (String) -> ConfigParser.Result = ConfigParser.load
    ) {
        self.path = config.path
        self.inUse = config
        self.lastStamp = stamp
        self.logger = logger
        self.hangup = hangup
        self.stamp = stampOf
        self.load = load
    }

    /// On the loop's tick: reads kiosk.conf again if a SIGHUP asked or the
    /// file changed (looked at once every `checkInterval`); the new PIN's
    /// hash, when it differs from the one in use.
    public func check(now: Date) -> [Event] {
        let signalled = hangup()
        guard signalled || now >= nextCheck else { return [] }
        nextCheck = now.addingTimeInterval(Self.checkInterval)
        let current = stamp(path)
        guard signalled || current != lastStamp else { return [] }
        lastStamp = current
        let why = signalled ? "SIGHUP" : "kiosk.conf changed"
        let result = load(path)
        guard let config = result.config else {
            let problems = result.diagnostics.filter { $0.severity == .error }.map(\.description)
            logger.error("kiosk.conf cannot be read again; the kiosk keeps the settings and admin PIN it has",
                         metadata: ["reason": "\(why)", "problems": "\(problems.joined(separator: "; "))"])
            return []
        }
        var events: [Event] = []
        if config.adminPinHash != inUse.adminPinHash {
            inUse.adminPinHash = config.adminPinHash
            events.append(.adminPINHash(config.adminPinHash))
            logger.notice(config.adminPinHash == nil
                          ? "kiosk.conf read again: it sets no admin PIN now; the kiosk cannot be left until one is set (kiosk set-pin)"
                          : "kiosk.conf read again: the new admin PIN is in use",
                          metadata: ["reason": "\(why)"])
        } else {
            logger.info("kiosk.conf read again: the admin PIN is unchanged", metadata: ["reason": "\(why)"])
        }
        var others = config
        others.adminPinHash = inUse.adminPinHash
        if others != inUse {
            logger.notice("kiosk.conf has other changes; the kiosk takes them at its next start (only the admin PIN is taken while it runs)")
        }
        return events
    }
}
