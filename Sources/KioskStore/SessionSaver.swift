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
    }

    public let book: RecordBook
    public let recoveryFolder: String
    private let calls: FileSystemCalls
    private let logger: Logger
    private var queue: [(session: CompletedSession, file: String?)] = []

    /// Sessions finished but not yet in the record book.
    public var pending: Int { queue.count }

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
            queue.append((session, path))
        }
        return retry()
    }

    /// Saves `session`, or keeps it (in a recovery file and in memory) to try again.
    public func submit(_ session: CompletedSession) -> [Outcome] {
        queue.append((session, nil))
        return retry()
    }

    /// Tries every waiting session, oldest first, stopping at the first failure.
    public func retry() -> [Outcome] {
        var outcomes: [Outcome] = []
        while !queue.isEmpty {
            let (session, file) = queue[0]
            do {
                let receipt = try book.commit(session)
                queue.removeFirst()
                if let file { unlink(file) }
                outcomes.append(Outcome(sessionID: session.id, result: .success(receipt)))
            } catch {
                // Every session still waiting gets its recovery file now.
                for i in queue.indices where queue[i].file == nil { queue[i].file = keep(queue[i].session) }
                outcomes.append(Outcome(sessionID: session.id, result: .failure(error)))
                break
            }
        }
        return outcomes
    }

    static let suffix = ".session.json"

    /// Writes the session to its recovery file; nil if even that fails.
    private func keep(_ session: CompletedSession) -> String? {
        let name = Timestamp.format(session.completedAt).replacingOccurrences(of: ":", with: "") + "-" + session.id + Self.suffix
        let path = recoveryFolder + "/" + name
        do {
            try AtomicFile.makeDirectory(recoveryFolder, calls: calls)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(Array(try encoder.encode(session)), to: path, mode: 0o600, calls: calls)
            logger.warning("a finished session is kept in a recovery file until it can be saved", metadata: ["file": "\(path)"])
            return path
        } catch {
            logger.critical("a finished session could not be saved nor kept in a recovery file; it is held in memory only",
                            metadata: ["error": "\(error)", "session": "\(session.id)"])
            return nil
        }
    }
}
