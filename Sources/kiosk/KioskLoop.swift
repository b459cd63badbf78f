import Foundation
import KioskStore
import KioskTerminal
import KioskUI
import Logging

/// Runs the kiosk: draw, wait for a key or a tick, update, carry out the
/// effects. Finished sessions go to the record book through a
/// `SessionSaver`, which keeps any it cannot save (in a recovery file, or
/// in memory when even that fails) and retries them every few seconds.
final class KioskLoop {
    private var state: KioskState
    private let terminal: Terminal
    private let saver: SessionSaver
    private let logger: Logger
    private var nextRetry = Date.distantPast
    /// The save failure last logged: a fault that lasts is logged once,
    /// not at every retry.
    private var failureLogged: String?
    static let retryInterval: TimeInterval = 5

    init(settings: KioskSettings, terminal: Terminal, saver: SessionSaver, logger: Logger) {
        self.state = KioskState(settings: settings, size: terminal.size, now: Date())
        self.terminal = terminal
        self.saver = saver
        self.logger = logger
    }

    /// Keys applied between two draws at most: a paste is drawn in a few
    /// frames, not one frame a key, and the screen still moves meanwhile.
    static let keysPerFrame = 512

    func run() {
        var effects = results(saver.recover())
        while true {
            if perform(effects) { return }
            terminal.draw(Kiosk.render(state))
            effects = []
            var event = terminal.read(timeout: 250) ?? .tick
            // Apply whatever else has already arrived before drawing again.
            for _ in 0..<Self.keysPerFrame {
                effects += Kiosk.update(&state, event, now: Date())
                if event == .tick { effects += retryIfDue() }
                // A session to save or a quit is carried out at once.
                if effects.contains(where: { $0 != .bell }) { break }
                guard let next = terminal.read(timeout: 0) else { break }
                event = next
            }
        }
    }

    /// Every few seconds while sessions wait to be saved.
    private func retryIfDue() -> [Effect] {
        guard saver.pending > 0, Date() >= nextRetry else { return [] }
        nextRetry = Date().addingTimeInterval(Self.retryInterval)
        return results(saver.retry())
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
                if saver.pending > 0 {
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
                return true
            case .bell:
                if !rang { terminal.bell() }
                rang = true
            case .commit(let session):
                effects += results(saver.submit(session))
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

    /// Feeds what the saver did back to the screen, and logs it.
    private func results(_ outcomes: [SessionSaver.Outcome]) -> [Effect] {
        var effects: [Effect] = []
        for outcome in outcomes {
            switch outcome.result {
            case .success(let receipt):
                failureLogged = nil
                logger.info("record saved", metadata: ["seq": "\(receipt.seq)", "reference": "\(receipt.reference)"])
                effects += Kiosk.update(&state, .saved(sessionID: outcome.sessionID, SaveReceipt(seq: receipt.seq, reference: receipt.reference)), now: Date())
            case .failure(let error):
                if failureLogged != error.description {
                    failureLogged = error.description
                    logger.error("cannot save a finished session; it is kept and retried", metadata: ["error": "\(error)", "waiting": "\(saver.pending)"])
                }
                nextRetry = Date().addingTimeInterval(Self.retryInterval)
                let failure = SaveFailure(message: error.description, inRecoveryFile: outcome.recoveryFile != nil)
                effects += Kiosk.update(&state, .saveFailed(sessionID: outcome.sessionID, failure), now: Date())
            }
        }
        effects += Kiosk.update(&state, .pendingSaves(saver.pending, inMemoryOnly: saver.inMemoryOnly), now: Date())
        return effects
    }
}
