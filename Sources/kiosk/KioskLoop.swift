import Foundation
import KioskContent
import KioskStore
import KioskTerminal
import KioskUI
import Logging

/// Runs the kiosk: draw, wait for a key or a tick, update, carry out the
/// effects. Saving is the `SaveScheduler`'s: what it reports goes to
/// `Kiosk.update` as events.
final class KioskLoop {
    private var state: KioskState
    private let terminal: Terminal
    private let scheduler: SaveScheduler
    private let logger: Logger

    init(settings: KioskSettings, terminal: Terminal, saver: SessionSaver, logger: Logger) {
        self.state = KioskState(settings: settings, size: terminal.size, now: Date())
        self.terminal = terminal
        self.scheduler = SaveScheduler(saver: saver, logger: logger)
        self.logger = logger
    }

    /// Keys applied between two draws at most: a paste is drawn in a few
    /// frames, not one frame a key, and the screen still moves meanwhile.
    static let keysPerFrame = 512

    func run() {
        var effects = apply(scheduler.start(now: Date()))
        while true {
            if perform(effects) { return }
            terminal.draw(Kiosk.render(state))
            effects = []
            var event = terminal.read(timeout: 250) ?? .tick
            // Apply whatever else has already arrived before drawing again.
            for _ in 0..<Self.keysPerFrame {
                effects += Kiosk.update(&state, event, now: Date())
                if event == .tick { effects += apply(scheduler.tick(now: Date())) }
                // A session to save or a quit is carried out at once.
                if effects.contains(where: { $0 != .bell }) { break }
                guard let next = terminal.read(timeout: 0) else { break }
                event = next
            }
        }
    }

    /// What the scheduler reports, into the state.
    private func apply(_ events: [Event]) -> [Effect] {
        events.flatMap { Kiosk.update(&state, $0, now: Date()) }
    }

    /// Carries out the effects; true when the kiosk is to stop. Refused
    /// keys ring the bell once, however many a paste held.
    private func perform(_ effects: [Effect]) -> Bool {
        var effects = effects
        var rang = false
        var index = 0
        while index < effects.count {
            switch effects[index] {
            case .quit:
                scheduler.leaving()
                return true
            case .bell:
                if !rang { terminal.bell() }
                rang = true
            case .commit(let session):
                effects += apply(scheduler.submit(session, now: Date()))
            case .log(let level, let message, let metadata):
                logger.log(level: Self.level(level), "\(message)", metadata: metadata.mapValues { .string($0) })
            }
            index += 1
        }
        return false
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

/// The kiosk's side of saving, apart from the terminal so it can be tested
/// with a fake clock: hands finished sessions to the `SessionSaver` (which
/// keeps any it cannot save, in a recovery file or in memory), retries them
/// every few seconds, retries a signed head left behind the records (a
/// commit whose head update failed) on the same tick, logs what happens (a
/// fault that lasts, once), and reports to the screen as events.
final class SaveScheduler {
    let saver: SessionSaver
    private let logger: Logger
    private var nextRetry = Date.distantPast
    /// The save failure last logged: a fault that lasts is logged once,
    /// not at every retry.
    private var failureLogged: String?
    /// "head.json is behind" has been logged and not yet its catching up.
    private var headBehindLogged = false
    static let retryInterval: TimeInterval = 5

    init(saver: SessionSaver, logger: Logger) {
        self.saver = saver
        self.logger = logger
    }

    /// Saves what an earlier run left in the recovery folder; says the
    /// record book's last record.
    func start(now: Date) -> [Event] {
        results(saver.recover(), now: now) + [bookHead()]
    }

    func submit(_ session: CompletedSession, now: Date) -> [Event] {
        results(saver.submit(session), now: now)
    }

    /// Every few seconds while something waits: sessions not yet saved,
    /// and a signed head behind the records.
    func tick(now: Date) -> [Event] {
        guard saver.pending > 0 || saver.book.headIsBehind, now >= nextRetry else { return [] }
        nextRetry = now.addingTimeInterval(Self.retryInterval)
        var events: [Event] = []
        if saver.pending > 0 { events += results(saver.retry(), now: now) }
        if saver.book.headIsBehind {
            do {
                try saver.book.writeHeadIfBehind()
            } catch {
                noteHead(error: error)
            }
        }
        noteHead(error: nil)
        return events
    }

    /// Logs the head falling behind the records, and catching up, once each.
    private func noteHead(error: StoreError?) {
        let behind = saver.book.headIsBehind
        if behind && !headBehindLogged {
            headBehindLogged = true
            logger.error("head.json is behind the records; the kiosk retries it every few seconds",
                         metadata: ["seq": "\(saver.book.lastSeq)", "error": "\(error.map { "\($0)" } ?? "unknown")"])
        } else if !behind && headBehindLogged {
            headBehindLogged = false
            logger.notice("head.json has caught up with the records", metadata: ["seq": "\(saver.book.lastSeq)"])
        }
    }

    /// The kiosk is stopping: says what has not been saved, and where it is.
    func leaving() {
        guard saver.pending > 0 else { return }
        let inMemory = saver.inMemoryOnly
        if inMemory > 0 {
            logger.critical("leaving the kiosk with finished sessions held in memory only: they are lost",
                            metadata: ["waiting": "\(saver.pending)", "in_memory_only": "\(inMemory)"])
        }
        if saver.pending > inMemory {
            logger.warning("leaving the kiosk with sessions still to save; they are in the recovery folder and are saved at the next start",
                           metadata: ["waiting": "\(saver.pending - inMemory)"])
        }
    }

    /// The record book's last record, for the office.
    private func bookHead() -> Event {
        .recordBook(BookHead(seq: saver.book.lastSeq, reference: SignedRecord.reference(sha256: saver.book.lastHash)))
    }

    /// What the saver did, as events for the screen; logged.
    private func results(_ outcomes: [SessionSaver.Outcome], now: Date) -> [Event] {
        var events: [Event] = []
        var saved = false
        for outcome in outcomes {
            switch outcome.result {
            case .success(let receipt):
                saved = true
                failureLogged = nil
                logger.info("record saved", metadata: ["seq": "\(receipt.seq)", "reference": "\(receipt.reference)"])
                if let error = receipt.headError {
                    noteHead(error: error)
                    nextRetry = min(nextRetry, now.addingTimeInterval(Self.retryInterval))
                }
                events.append(.saved(sessionID: outcome.sessionID, SaveReceipt(seq: receipt.seq, reference: receipt.reference)))
            case .failure(let error):
                if failureLogged != error.description {
                    failureLogged = error.description
                    logger.error("cannot save a finished session; it is kept and retried", metadata: ["error": "\(error)", "waiting": "\(saver.pending)"])
                }
                nextRetry = now.addingTimeInterval(Self.retryInterval)
                events.append(.saveFailed(sessionID: outcome.sessionID, SaveFailure(message: error.description, inRecoveryFile: outcome.recoveryFile != nil)))
            }
        }
        noteHead(error: nil)
        if saved { events.append(bookHead()) }
        events.append(.pendingSaves(saver.pending, inMemoryOnly: saver.inMemoryOnly))
        return events
    }
}
