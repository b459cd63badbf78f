/// Names one record of one terminal's book exactly: its terminal, its seq
/// and the SHA-256 of its file. A returning person's record names the
/// earlier agreement it builds on; a sign-out names the visit it closes.
public struct RecordLink: Equatable, Hashable, Sendable, Codable {
    public var terminal: String
    public var seq: Int
    /// The SHA-256 of the record file, lower-case hex.
    public var sha256: String

    public init(terminal: String, seq: Int, sha256: String) {
        self.terminal = terminal
        self.seq = seq
        self.sha256 = sha256
    }
}
