import Foundation
import KioskContent
import Logging

/// Hands finished sessions to the record book and never loses one. A
/// session that cannot be saved is written at once to a recovery file (one
/// per session, named by its time and id, readable by the kiosk's user
/// only), kept in memory and retried; if the kiosk is stopped before the
/// fault clears, the next start saves it from the file.
public final class SessionSaver {
    /// What became of one session handed over.
    public struct Outcome: Sendable {
        public var sessionID: String
        public var result: Result<RecordBook.Receipt, StoreError>
        /// For a session not saved: the recovery file it waits in, or nil
        /// when not even that could be written, and it is held in memory
        /// only (lost if the kiosk stops before it is saved). Nil once saved.
        public var recoveryFile: String?
    }

    /// A session waiting to be saved.
    private struct Waiting {
        var session: CompletedSession
        /// Its recovery file, once written.
        var file: String?
        /// "Held in memory only" has been logged for it.
        var toldMemoryOnly = false
    }

    public let book: RecordBook
    public let recoveryFolder: String
    private let calls: FileSystemCalls
    private let logger: Logger
    private var queue: [Waiting] = []

    /// Sessions finished but not yet in the record book.
    public var pending: Int { queue.count }

    /// Of those, the ones that could not be written to a recovery file
    /// either: lost if the kiosk stops before they are saved.
    public var inMemoryOnly: Int { queue.filter { $0.file == nil }.count }

    public init(book: RecordBook, recoveryFolder: String, calls: FileSystemCalls = .posix, logger: Logger = Logger(label: "kiosk.saver")) {
        self.book = book
        self.recoveryFolder = recoveryFolder
        self.calls = calls
        self.logger = logger
    }

    /// Queues the sessions an earlier run could not save, oldest first,
    /// and tries them. A recovery file that cannot be read is left where
    /// it is and named in the log: it is never deleted.
    public func recover() -> [Outcome] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: recoveryFolder)) ?? [])
            .filter { $0.hasSuffix(Self.suffix) && !$0.hasPrefix(".") }.sorted()
        for name in names {
            let path = recoveryFolder + "/" + name
            guard let data = FileManager.default.contents(atPath: path),
                  let session = try? JSONDecoder().decode(CompletedSession.self, from: data) else {
                logger.error("a recovery file cannot be read; it is left for the office", metadata: ["file": "\(path)"])
                continue
            }
            logger.notice("found a session an earlier run could not save", metadata: ["file": "\(path)"])
            queue.append(Waiting(session: session, file: path))
        }
        return retry()
    }

    /// Saves `session`, or keeps it (in a recovery file and in memory) to try again.
    public func submit(_ session: CompletedSession) -> [Outcome] {
        queue.append(Waiting(session: session))
        return retry()
    }

    /// Tries every waiting session, oldest first, stopping at the first
    /// failure. Each session still waiting then gets an outcome too (it
    /// failed with the one before it), saying where it waits.
    public func retry() -> [Outcome] {
        var outcomes: [Outcome] = []
        while !queue.isEmpty {
            let waiting = queue[0]
            do {
                let receipt = try book.commit(waiting.session)
                queue.removeFirst()
                if let file = waiting.file { unlink(file) }
                outcomes.append(Outcome(sessionID: waiting.session.id, result: .success(receipt)))
            } catch where error.neverSavable {
                // This session can never be saved as it is; the ones after it can.
                queue.removeFirst()
                let kept = setAside(waiting)
                logger.critical("a session that can never be saved as it is was set aside for the office", metadata: ["file": "\(kept ?? "-")", "error": "\(error)"])
                outcomes.append(Outcome(sessionID: waiting.session.id, result: .failure(error), recoveryFile: kept))
            } catch {
                // Every session still waiting gets its recovery file now.
                for i in queue.indices where queue[i].file == nil {
                    do {
                        queue[i].file = try keep(queue[i].session)
                    } catch where !queue[i].toldMemoryOnly {
                        queue[i].toldMemoryOnly = true
                        logger.critical("a finished session could not be saved nor kept in a recovery file; it is held in memory only",
                                        metadata: ["error": "\(error)", "session": "\(queue[i].session.id)"])
                    } catch {}
                }
                outcomes += queue.map { Outcome(sessionID: $0.session.id, result: .failure(error), recoveryFile: $0.file) }
                break
            }
        }
        return outcomes
    }

    /// Moves a session that can never be saved to `set-aside/` in the
    /// recovery folder, where `recover` does not pick it up again; its path,
    /// or nil if it could not be written.
    private func setAside(_ waiting: Waiting) -> String? {
        let folder = recoveryFolder + "/set-aside"
        let name = waiting.file.map { ($0 as NSString).lastPathComponent }
            ?? Timestamp.format(waiting.session.completedAt).replacingOccurrences(of: ":", with: "") + "-" + waiting.session.id + Self.suffix
        do {
            try AtomicFile.makeDirectory(folder, calls: calls)
            if let file = waiting.file {
                try AtomicFile.move(file, into: folder + "/" + name)
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                try AtomicFile.write(Array(try encoder.encode(waiting.session)), to: folder + "/" + name, mode: 0o600, calls: calls)
            }
            return folder + "/" + name
        } catch {
            return waiting.file
        }
    }

    static let suffix = ".session.json"

    /// Writes the session to its recovery file and returns its path.
    private func keep(_ session: CompletedSession) throws -> String {
        let name = Timestamp.format(session.completedAt).replacingOccurrences(of: ":", with: "") + "-" + session.id + Self.suffix
        let path = recoveryFolder + "/" + name
        try AtomicFile.makeDirectory(recoveryFolder, calls: calls)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(session)), to: path, mode: 0o600, calls: calls)
        logger.warning("a finished session is kept in a recovery file until it can be saved", metadata: ["file": "\(path)"])
        return path
    }
}
