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

    /// The state at `path`; nil when there is none (the first run).
    public static func load(_ path: String) throws(StoreError) -> BookState? {
        switch BoundedFile.read(path, limit: 4096) {
        case .missing: return nil
        case .refused(let why):
            throw StoreError.damaged(path: path, problem: "the kiosk's note of what it last wrote cannot be read: \(why)")
        case .bytes(let bytes):
            guard let json = try? CanonicalJSON.decode(bytes), json["schema"]?.string == schema,
                  let terminal = json["terminal"]?.string, let seq = json["seq"]?.int, seq >= 0,
                  let sha = json["sha256"]?.string, RecordFile.isSHA256(sha) else {
                throw StoreError.damaged(path: path, problem: "the kiosk's note of what it last wrote is not in its format")
            }
            return BookState(terminal: terminal, seq: seq, sha256: sha)
        }
    }

    /// Written whole or not at all; the file is flushed, the rename is not
    /// (a power cut may leave the previous state, which is behind the book:
    /// that is accepted, a book behind the state is not).
    public func save(_ path: String, calls: FileSystemCalls = .posix) throws(StoreError) {
        let json = JSONValue.object(["schema": .string(Self.schema), "terminal": .string(terminal), "seq": .int(seq), "sha256": .string(sha256)])
        try AtomicFile.writeGroup([(CanonicalJSON.encode(json), path)], mode: 0o600, syncFolder: false, calls: calls)
    }
}
