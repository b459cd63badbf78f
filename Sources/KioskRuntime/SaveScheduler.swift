import Foundation
import KioskContent
import KioskStore
import KioskUI
import Logging

/// The kiosk's side of saving, apart from the terminal so it can be tested
/// with a fake clock: hands finished sessions to the `SessionSaver` (which
/// keeps any it cannot save, in a recovery file or in memory), retries them
/// every few seconds, retries a signed head left behind the records (a
/// commit whose head update failed) on the same tick, logs what happens (a
/// fault that lasts, once), and reports to the screen as events.
public final class SaveScheduler {
    public let saver: SessionSaver
    private let logger: Logger
    private var nextRetry = Date.distantPast
    /// The save failure last logged: a fault that lasts is logged once,
    /// not at every retry.
    private var failureLogged: String?
    /// "head.json is behind" has been logged and not yet its catching up.
    private var headBehindLogged = false
    public static let retryInterval: TimeInterval = 5

    public init(saver: SessionSaver, logger: Logger) {
        self.saver = saver
        self.logger = logger
    }

    /// Saves what an earlier run left in the recovery folder; says the
    /// record book's last record.
    public func start(now: Date) -> [Event] {
        results(saver.recover(), now: now) + [bookHead()]
    }

    /// Saves a finished session with a new pass code: only its salted
    /// hash goes into the session (and so into any recovery file and the
    /// record); the code itself goes to the screen with the receipt, and
    /// only if the session is saved at once (a session kept for later has
    /// nobody at the kiosk to give it to).
    public func submit(_ session: CompletedSession, now: Date) -> [Event] {
        var session = session
        let code = PassCode.generate()
        session.passCodeHash = PassCode.hash(code, iterations: passCodeIterations)
        return results(saver.submit(session), now: now).map { event in
            guard case .saved(let id, var receipt) = event, id == session.id else { return event }
            receipt.passCode = code
            return .saved(sessionID: id, receipt)
        }
    }

    /// PBKDF2 rounds for pass codes (fewer only in tests).
    public var passCodeIterations = PassCode.iterations

    /// Every few seconds while something waits: sessions not yet saved,
    /// and a signed head behind the records.
    public func tick(now: Date) -> [Event] {
        guard isDue(now: now) else { return [] }
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

    /// Whether `tick` has something to try at `now`: the run loop draws
    /// the screen first, since a retry writes to the disk.
    public func isDue(now: Date) -> Bool {
        (saver.pending > 0 || saver.book.headIsBehind) && now >= nextRetry
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
    public func leaving() {
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
                events.append(.saveFailed(sessionID: outcome.sessionID, SaveFailure(message: error.description, inRecoveryFile: outcome.recoveryFile != nil, setAside: error.neverSavable)))
            }
        }
        noteHead(error: nil)
        if saved { events.append(bookHead()) }
        events.append(.pendingSaves(saver.pending, inMemoryOnly: saver.inMemoryOnly))
        return events
    }
}
