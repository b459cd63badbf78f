import Foundation
import KioskContent
import KioskStore
import KioskUI
import Logging

/// Runs the kiosk: each turn draws the screen, then carries out what is
/// slow (a save, a retry, the recovery folder at start), then waits for a
/// key or a tick. Every event, from the keyboard, the clock, the store or
/// kiosk.conf, reaches the reducer through `send`, and nothing slow runs
/// before the frame it leads to is on screen: a person who signs sees
/// "Saving your agreement…" while the record is written and fsynced.
///
/// The terminal and the clock are seams: tests run the loop against a fake
/// terminal and a fake clock, in milliseconds.
public final class KioskLoop {
    public private(set) var state: KioskState
    private let terminal: any TerminalPort
    private let scheduler: SaveScheduler
    /// Looks up sign-outs and returning people in the record book.
    public let desk: VisitDesk
    private let reloader: ConfigReloader?
    private let logger: Logger
    private let now: () -> Date
    /// Slow work waiting for the next frame to be drawn.
    private var work: [Work] = [.recover, .indexBooks]
    /// A key was refused since the last frame (a paste rings once).
    private var bellDue = false
    private var stopping = false

    /// What the loop does only after drawing, because it writes to the disk.
    enum Work: Equatable {
        /// Saves what an earlier run left in the recovery folder.
        case recover
        case commit(CompletedSession)
        /// Retries what waits to be saved (sessions, a head behind).
        case retry
        /// A sign-out or a returning person's lookup.
        case desk(DeskRequest)
        /// At start, after the first frame: the desk's index of the books'
        /// recent records, so the first lookup does not read them in
        /// front of a visitor.
        case indexBooks
    }

    /// A lookup at least this long (seconds) drops the keys pressed meanwhile.
    static let staleKeysAfter: TimeInterval = 0.25
    /// How long the loop waits for a key before a tick.
    public static let tickMilliseconds: Int32 = 250
    /// Keys applied between two draws at most: a paste is drawn in a few
    /// frames, not one frame a key, and the screen still moves meanwhile.
    public static let keysPerFrame = 512

    public init(
        settings: KioskSettings, terminal: any TerminalPort, saver: SessionSaver, logger: Logger,
        reloader: ConfigReloader? = nil, now: @escaping () -> Date = Date.init,
        makeID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.state = KioskState(settings: settings, size: terminal.size, now: now(), makeID: makeID)
        self.terminal = terminal
        self.scheduler = SaveScheduler(saver: saver, logger: logger)
        self.desk = VisitDesk(book: saver.book, logger: logger)
        desk.roles = settings.roles
        // A role whose agreements last longer than the default lookback is looked for that far back.
        desk.lookbackDays = max(desk.lookbackDays, settings.roles.compactMap { $0.validity?.validForDays }.max() ?? 0)
        desk.fixedTimeZone = settings.fixedTimeZone
        self.reloader = reloader
        self.logger = logger
        self.now = now
    }

    /// Turns until the admin PIN is given.
    public func run() {
        while turn() {}
    }

    /// One turn: draws the frame, then carries out the slow work waiting
    /// for it, if any, or else reads what the keyboard has sent (or ticks).
    /// Returns false once the kiosk is to stop.
    @discardableResult
    public func turn() -> Bool {
        guard !stopping else { return false }
        terminal.draw(Kiosk.render(state))
        if bellDue {
            terminal.bell()
            bellDue = false
        }
        if work.isEmpty {
            read()
        } else {
            let jobs = work
            work = []
            for job in jobs { carryOut(job) }
        }
        return !stopping
    }

    /// The one way into the reducer. Quick effects (a bell, a log line, the
    /// quit) happen at once; a session to save waits for the next frame.
    public func send(_ event: Event) {
        for effect in Kiosk.update(&state, event, now: now()) {
            switch effect {
            case .bell:
                bellDue = true
            case .log(let level, let message, let metadata):
                logger.log(level: Self.level(level), "\(message)", metadata: metadata.mapValues { .string($0) })
            case .commit(let session):
                work.append(.commit(session))
            case .desk(let request):
                work.append(.desk(request))
            case .quit:
                if !stopping { scheduler.leaving() }
                stopping = true
            }
        }
    }

    /// A key, and whatever else has already arrived (a paste) up to the
    /// next thing that needs a frame; or a tick when none comes in time.
    private func read() {
        guard var event = terminal.read(timeout: Self.tickMilliseconds) else {
            tick()
            return
        }
        for _ in 0..<Self.keysPerFrame {
            send(event)
            if stopping || !work.isEmpty { return }
            guard let next = terminal.read(timeout: 0) else { return }
            event = next
        }
    }

    private func tick() {
        let time = now()
        send(.tick)
        for event in reloader?.check(now: time) ?? [] { send(event) }
        if scheduler.isDue(now: time) { work.append(.retry) }
    }

    private func carryOut(_ job: Work) {
        let events: [Event]
        switch job {
        case .recover: events = scheduler.start(now: now())
        case .commit(let session): events = scheduler.submit(session, now: now())
        case .retry: events = scheduler.tick(now: now())
        case .indexBooks:
            desk.prepare(now: now())
            events = []
        case .desk(let request):
            let begun = now()
            let answer = desk.carryOut(request, now: begun)
            // Keys pressed while "Signing you out…" showed (a long look
            // through the book) are dropped, not typed into the next
            // screen; a resize still counts.
            var others: [Event] = []
            while now().timeIntervalSince(begun) >= Self.staleKeysAfter, let event = terminal.read(timeout: 0) {
                if case .key = event { continue }
                others.append(event)
            }
            events = others + [.desk(answer)]
        }
        for event in events {
            if case .saved(_, let receipt) = event, let code = receipt.passCode { desk.issued(code, seq: receipt.seq, at: now()) }
            send(event)
        }
    }

    static func level(_ level: LogLevel) -> Logger.Level {
        switch level {
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}
