import ArgumentParser
import Foundation
import KioskContent
import KioskRuntime
import KioskStore
import KioskTerminal
import KioskUI
import Logging

/// `kiosk run`: the kiosk itself (the default command).
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the kiosk on this terminal (the default).",
        discussion: """
            Staff leave the kiosk with F10 (or Ctrl-]) on the welcome screen and the admin PIN. \
            A running kiosk takes a new admin PIN (`kiosk set-pin`) within 2 seconds, or at once on a SIGHUP \
            (`kill -HUP`); other changes to kiosk.conf wait for the next start.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(help: "The clock is right although it is more than a year after the last record (the kiosk was not used for that long).")
    var clockIsRight = false

    func run() throws {
        try Self.start(configPath: options.config, clockIsRight: clockIsRight)
    }

    /// The kiosk, with kiosk.conf at `configPath`. `kiosk` alone comes here
    /// straight from `KioskCommand.main`, with the options' defaults.
    static func start(configPath: String, clockIsRight: Bool) throws {
        // No core file: one would hold the signing key and whatever is on
        // screen (a pass code, a name) for anyone who can read it.
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = withUnsafePointer(to: &noCore) { setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), $0) }
        // Before reading it: a change made meanwhile is then seen by the reloader.
        let configStamp = ConfigReloader.Stamp.of(configPath)
        let (config, library) = try Setup.configAndContent(configPath: configPath)
        let logger = Self.startLogging(config)
        logger.info("kiosk starting", metadata: ["terminal": "\(config.terminal)", "config": "\(config.path)"])
        let key = try Self.loadOrCreateKey(config, logger: logger)
        let book: RecordBook
        do {
            book = try RecordBook.open(records: config.recordsDirectory, terminal: config.terminal, school: config.school,
                                       key: key, state: BookState.path(forKey: config.keyPath), logger: logger)
        } catch {
            Console.error("kiosk: \(error)")
            logger.critical("cannot open the record book", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
        book.clockConfirmed = clockIsRight
        // Only earlier versions matter; the current ones are in the library.
        let earlier = book.storedDocuments(except: Set(library.documents.map(\.sha256)))
        // A version number names one text: a document reworded under a
        // version this book has shown, or older than one it has shown, is refused.
        let versionProblems = DocumentVersions.problems(current: library, stored: earlier)
        if !versionProblems.isEmpty {
            for problem in versionProblems {
                Console.error(problem.description)
                logger.critical("content refused", metadata: ["problem": "\(problem)"])
            }
            throw ExitCode(1)
        }
        // By bytes: a character is ASCII when its bytes are (CR LF too).
        let needsUnicode = library.documents.contains { !$0.source.utf8.allSatisfy { $0 < 0x80 } }
            || config.roles.contains { !$0.label.utf8.allSatisfy { $0 < 0x80 } }
        // display = "plain" in kiosk.conf, or NO_COLOR: no colour, box drawing or symbols.
        let display = DisplayMode.effective(setting: config.display, environment: Self.environment("NO_COLOR"))
        let terminal: Terminal
        do {
            terminal = try Terminal.start(needsUnicode: needsUnicode, colour: display == .colour)
        } catch {
            Console.error("kiosk: \(error)")
            throw ExitCode(1)
        }
        Terminal.restoreOnFatalSignals()
        var settings = KioskSettings(config: config, library: library)
        settings.changes = DocumentChange.compute(current: library, earlier: earlier)
        settings.display = display
        let saver = SessionSaver(book: book, recoveryFolder: config.recoveryDirectory, logger: logger)
        let reloader = ConfigReloader(config: config, stamp: configStamp, logger: logger, hangup: Terminal.takeReloadRequest)
        let loop = KioskLoop(settings: settings, terminal: terminal, saver: saver, logger: logger, reloader: reloader)
        loop.desk.signOutBy = config.signOutBy
        if let folder = config.collectedRecordsDirectory {
            // A returning person who signed at another terminal: its key must be trusted here.
            loop.desk.collected = (folder, VisitDesk.trustedKeys(config.trustedKeys, logger: logger))
        }
        loop.run()
        terminal.close()
        logger.info("kiosk stopped with the admin PIN")
    }

    /// One variable of the environment, as a dictionary: ProcessInfo's
    /// copies all of them into Swift strings first.
    static func environment(_ name: String) -> [String: String] {
        guard let value = getenv(name) else { return [:] }
        return [name: String(cString: value)]
    }

    static func startLogging(_ config: KioskConfig) -> Logger {
        let sink = FileLogHandler.Sink(path: config.logPath)
        if !sink.isOpen {
            Console.error("kiosk: cannot open the log \(config.logPath) (\(sink.problem ?? "unknown error")); the kiosk starts and keeps trying it")
        }
        LoggingSystem.bootstrap { FileLogHandler(label: $0, sink: sink) }
        return Logger(label: "kiosk")
    }

    /// The kiosk makes its key on first run, so `swift run kiosk` just works.
    static func loadOrCreateKey(_ config: KioskConfig, logger: Logger) throws -> TerminalKey {
        do {
            if !TerminalKey.exists(at: config.keyPath) {
                let key = TerminalKey.generate()
                try key.save(path: config.keyPath, terminal: config.terminal)
                logger.notice("created a new signing key", metadata: ["key_id": "\(key.publicKey.keyIDText)", "path": "\(config.keyPath)"])
                return key
            }
            return try TerminalKey.load(path: config.keyPath)
        } catch {
            Console.error("kiosk: \(error)")
            throw ExitCode(1)
        }
    }
}
