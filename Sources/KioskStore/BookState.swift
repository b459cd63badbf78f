import Foundation

/// What the kiosk last wrote, kept beside its key, away from the records:
/// the terminal, the last seq and its hash. A records folder that is
/// missing, or behind this (an older backup, an unmounted disk with an
/// empty folder beneath it), is refused at start-up instead of being
/// taken, or made anew, as if nothing had been written.
public struct BookState: Equatable, Sendable {
    static let schema = "conduct-kiosk/book-state/1"
    public var terminal: String
    public var seq: Int
    public var sha256: String

    public init(terminal: String, seq: Int, sha256: String) {
        self.terminal = terminal
        self.seq = seq
        self.sha256 = sha256
    }

    /// Where the state of the book signed with the key at `keyPath` is kept.
    public static func path(forKey keyPath: String) -> String {
        (keyPath as NSString).deletingPathExtension + ".book.json"
    }

    /// The state of `terminal`'s book at `path`; nil when there is none
    /// (the first run with this key for that terminal). The file keeps
    /// every terminal id the key has written under, so changing the id in
    /// kiosk.conf and back never looks like a first run.
    public static func load(_ path: String, terminal: String) throws(StoreError) -> BookState? {
        try loadAll(path)[terminal]
    }

    static let schemaV2 = "conduct-kiosk/book-state/2"

    public static func loadAll(_ path: String) throws(StoreError) -> [String: BookState] {
        switch BoundedFile.read(path, limit: 1 << 20) {
        case .missing: return [:]
        case .refused(let why):
            throw StoreError.damaged(path: path, problem: "the kiosk's note of what it last wrote cannot be read: \(why)")
        case .bytes(let bytes):
            func entry(_ terminal: String, _ json: JSONValue) -> BookState? {
                guard let seq = json["seq"]?.int, seq >= 0, let sha = json["sha256"]?.string, RecordFile.isSHA256(sha) else { return nil }
                return BookState(terminal: terminal, seq: seq, sha256: sha)
            }
            let json = try? CanonicalJSON.decode(bytes)
            if json?["schema"]?.string == schema, let terminal = json?["terminal"]?.string, let one = entry(terminal, json!) {
                return [terminal: one]
            }
            guard json?["schema"]?.string == schemaV2, let books = json?["books"]?.object else {
                throw StoreError.damaged(path: path, problem: "the kiosk's note of what it last wrote is not in its format")
            }
            var all: [String: BookState] = [:]
            for (terminal, value) in books {
                guard let one = entry(terminal, value) else {
                    throw StoreError.damaged(path: path, problem: "the kiosk's note of what it last wrote is not in its format")
                }
                all[terminal] = one
            }
            return all
        }
    }

    /// Written whole or not at all, with the other terminals' entries kept;
    /// the file is flushed, the rename is not (a power cut may leave the
    /// previous state, which is behind the book: that is accepted, a book
    /// behind the state is not).
    public func save(_ path: String, calls: FileSystemCalls = .posix) throws(StoreError) {
        var all = (try? Self.loadAll(path)) ?? [:]
        all[terminal] = self
        let books = all.mapValues { JSONValue.object(["seq": .int($0.seq), "sha256": .string($0.sha256)]) }
        let json = JSONValue.object(["schema": .string(Self.schemaV2), "books": .object(books)])
        try AtomicFile.writeGroup([(CanonicalJSON.encode(json), path)], mode: 0o600, syncFolder: false, calls: calls)
    }
}
