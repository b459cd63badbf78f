import KioskContent

/// A key as the kiosk understands it, decoded by the terminal adapter.
public enum Key: Equatable, Sendable {
    case character(Character)
    case enter, tab, backTab, backspace, delete, escape
    /// Alt-Backspace (Esc then DEL or BS): deletes a word, never goes back.
    case altBackspace
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    /// Ctrl with a letter or symbol: never quits, never suspends.
    case control(Character)
    case unknown
}

/// What the record store said about a session handed to it.
public struct SaveReceipt: Equatable, Sendable {
    public var seq: Int
    /// Short code from the record's hash ("7F3A-9C21").
    public var reference: String
    /// The pass code made for this record ("7KQ4M9TZ"): shown on the last
    /// screen only, never logged or stored (the record holds its hash).
    public var passCode: String? = nil

    public init(seq: Int, reference: String, passCode: String? = nil) {
        self.seq = seq
        self.reference = reference
        self.passCode = passCode
    }
}

/// Everything that can happen to the kiosk.
public enum Event: Equatable, Sendable {
    case key(Key)
    case resize(Size)
    /// Time passes; the adapter sends one a few times a second.
    case tick
    case saved(sessionID: String, SaveReceipt)
    case saveFailed(sessionID: String, SaveFailure)
    /// How many finished sessions are waiting to be saved, and how many of
    /// those are held in memory only (no recovery file could be written).
    case pendingSaves(Int, inMemoryOnly: Int)
    /// The record book's last record: at start and after each save.
    case recordBook(BookHead)
    /// kiosk.conf was read again while the kiosk runs (`kiosk set-pin`):
    /// the admin PIN's hash it holds now (nil: none is set).
    case adminPINHash(String?)
    /// What the run loop found for a sign-out or a returning person.
    case desk(DeskResult)
}

/// The record book's last record, as the office copies it into a paper
/// register: its number and the reference from its hash ("7F3A-9C21").
public struct BookHead: Equatable, Sendable {
    public var seq: Int
    public var reference: String

    public init(seq: Int, reference: String) {
        self.seq = seq
        self.reference = reference
    }
}

/// Why a session could not be saved, and where it waits meanwhile.
public struct SaveFailure: Equatable, Sendable {
    /// For the office: what the store said.
    public var message: String
    /// The session is safe in a recovery file (saved at the next start if
    /// the kiosk stops); false when it is held in memory only.
    public var inRecoveryFile: Bool
    /// It can never be saved as it is (its times came from a wrong clock,
    /// or it is too large): it waits for the office, not for a retry.
    public var setAside: Bool

    public init(message: String, inRecoveryFile: Bool, setAside: Bool = false) {
        self.message = message
        self.inRecoveryFile = inRecoveryFile
        self.setAside = setAside
    }
}

/// What `update` asks the program to do: side effects run outside.
public enum Effect: Equatable, Sendable {
    /// Hand a finished session to the record store.
    case commit(CompletedSession)
    /// The admin PIN was given: leave the kiosk.
    case quit
    /// A refused key: the terminal beeps (or flashes).
    case bell
    /// A line for the kiosk's log (never a PIN or anything typed).
    case log(LogLevel, String, metadata: [String: String] = [:])
    /// Look something up in the record book (a sign-out, a returning
    /// person): IO, carried out by the run loop, answered with `.desk`.
    case desk(DeskRequest)
}

/// How much a log line matters (swift-log's levels, for a module that
/// does not log itself).
public enum LogLevel: Equatable, Sendable {
    case info, notice, warning, error, critical
}
