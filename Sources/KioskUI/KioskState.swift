import Foundation
import KioskContent

/// Which screen the kiosk shows, with what that screen needs to remember.
public enum Phase: Equatable, Sendable {
    /// The attract screen; every session starts and ends here.
    case welcome
    /// The hidden admin prompt: the only way out of the kiosk.
    case adminPIN(entry: LineEditor, message: String?)
    /// Nothing is selected until a number or an arrow is pressed: Enter
    /// alone makes nobody anything. `message` says how to choose.
    case chooseRole(selected: Int?, message: String?)
    /// Field 0 is the full name; then the role's questions. `message` is
    /// about the field with the focus. `fromSigning`: the person came back
    /// from the signing screen to correct a detail, and returns there.
    case details(field: Int, message: String?, fromSigning: Bool)
    /// A section with its clauses where they stand: each is agreed where
    /// it is read (see `ReadingView`).
    case reading(document: Int, section: Int, scroll: Int)
    case signing(scroll: Int, message: String?)
    /// Waiting for the record store; `failure` says why the last try
    /// failed and where the session waits.
    case saving(failure: SaveFailure?)
    /// The thank-you screen. After `KioskSettings.doneNameSeconds` it gives
    /// way to the welcome screen, for the next in the queue is watching.
    case done(SaveReceipt, name: String, nextSteps: String?, shownAt: Date)
    /// Signing out, or coming back (Desk.swift).
    case desk(DeskScreen)
}

/// The kiosk's whole state: a value, changed only by `update`.
public struct KioskState: Equatable, Sendable {
    /// Everything of the person at the kiosk: the screen they are on (with
    /// what it holds: a PIN half typed, their name on the thank-you screen)
    /// and their session (name, answers, agreements, signature). Going back
    /// to the welcome screen or the role list replaces it whole (`startOver`),
    /// so nothing of one person is left for the next; anything per person
    /// belongs here.
    public struct Visit: Equatable, Sendable {
        public var phase: Phase
        public var draft: SessionDraft?
        /// On the reading screen, the line of the section that came on
        /// screen first with the last scroll, or the row of the clause just
        /// agreed (the cursor stands there when no clause's button is on
        /// screen; see `Kiosk.readingCursor`); nil for the first line on screen.
        public var readingNewLine: Int?
        /// The language chosen on the welcome screen for this visit (BCP
        /// 47); nil: the documents as written. Starting over forgets it.
        public var language: String?

        public init(phase: Phase = .welcome, draft: SessionDraft? = nil) {
            self.phase = phase
            self.draft = draft
        }
    }

    public var settings: KioskSettings
    public var visit = Visit()
    public var phase: Phase {
        get { visit.phase }
        set { visit.phase = newValue }
    }
    public var draft: SessionDraft? {
        get { visit.draft }
        set { visit.draft = newValue }
    }
    public var size: Size
    public var now: Date
    public var lastActivity: Date
    /// Finished sessions the store has not yet saved (shown on the welcome screen).
    public var pendingSaves = 0
    /// Of those, the ones held in memory only: lost if the kiosk stops.
    public var inMemoryOnly = 0
    /// Wrong admin PINs: the kiosk's, not a visit's, so going back to the
    /// welcome screen does not clear them.
    public var adminGuard = AdminGuard()
    /// Pass codes and references that found nothing: the kiosk's, like the
    /// PIN's, so starting over does not clear them.
    public var lookupGuard = AdminGuard()
    /// The record book's last record, shown to staff on the PIN screen.
    public var bookHead: BookHead?
    /// Makes session ids; a seam so tests get predictable ones.
    public var makeID: @Sendable () -> String
    /// Laid-out sections, so a key press does not wrap a section thrice.
    public let layouts = LayoutMemo()

    public init(settings: KioskSettings, size: Size, now: Date, makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) {
        self.settings = settings
        self.size = size
        self.now = now
        self.lastActivity = now
        self.makeID = makeID
    }

    public static func == (a: KioskState, b: KioskState) -> Bool {
        a.settings == b.settings && a.visit == b.visit && a.size == b.size && a.now == b.now
            && a.lastActivity == b.lastActivity && a.pendingSaves == b.pendingSaves && a.inMemoryOnly == b.inMemoryOnly && a.adminGuard == b.adminGuard && a.bookHead == b.bookHead
    }

    /// Seconds until an idle session is cleared, while the warning shows.
    public var idleCountdown: Int? {
        guard isSessionScreen else { return nil }
        let idle = now.timeIntervalSince(lastActivity)
        guard idle >= settings.idleTimeout else { return nil }
        return max(0, Int((settings.idleTimeout + settings.idleWarning - idle).rounded(.up)))
    }

    /// Screens where a person's details are on show or in memory.
    var isSessionScreen: Bool {
        switch phase {
        case .welcome, .done, .saving(.some): return false
        default: return true
        }
    }

    public var isTooSmall: Bool {
        size.width < KioskSettings.minimumSize.width || size.height < KioskSettings.minimumSize.height
    }
}

/// Slows down guessing the admin PIN: after three wrong PINs in a row each
/// wrong one makes the next try wait, twice as long each time (5 s, 10 s,
/// 20 s ... up to 5 minutes). A right PIN, or an hour without a wrong one,
/// starts the count again.
public struct AdminGuard: Equatable, Sendable {
    /// Wrong PINs in a row.
    public private(set) var failures = 0
    public private(set) var lastFailure: Date?
    /// No PIN is checked before this time.
    public private(set) var lockedUntil: Date?

    static let freeTries = 3
    static let firstDelay: TimeInterval = 5
    static let longestDelay: TimeInterval = 300
    static let forgetAfter: TimeInterval = 3600

    public init() {}

    /// How long the try after `failures` wrong PINs in a row must wait.
    public static func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures >= freeTries else { return 0 }
        let doublings = min(failures - freeTries, 16)
        return min(longestDelay, firstDelay * Double(1 << doublings))
    }

    /// Whole seconds still to wait at `now`, or nil when a PIN may be tried.
    public func wait(at now: Date) -> Int? {
        guard let lockedUntil, now < lockedUntil else { return nil }
        return Int(lockedUntil.timeIntervalSince(now).rounded(.up))
    }

    /// Counts a wrong PIN; returns the wait it imposes.
    mutating func failed(at now: Date) -> TimeInterval {
        if let lastFailure, now.timeIntervalSince(lastFailure) >= Self.forgetAfter { failures = 0 }
        failures += 1
        lastFailure = now
        let delay = Self.delay(afterFailures: failures)
        lockedUntil = delay > 0 ? now + delay : nil
        return delay
    }

    mutating func succeeded() {
        self = AdminGuard()
    }
}
