import ArgumentParser
import Foundation
import KioskContent
import KioskStore
import Logging

/// `kiosk keygen`: makes this terminal's signing key.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create this terminal's Ed25519 signing key and publish terminal.pub and terminal.pem.",
        discussion: """
            The key is written to `key` in kiosk.conf with mode 0600. The public key goes into the
            terminal's records folder as terminal.pub (minisign) and terminal.pem (openssl).
            Write the key id on the school's paper register: an inspector checks records against it.
            """)

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Replace an existing key (only while this terminal has no records).")
    var force = false

    @Flag(help: "Hand this terminal's book over to a new key: a record signed with the current key names the new one. Stop the kiosk first.")
    var rotate = false

    func run() throws {
        let config = try Setup.config(options)
        if rotate { return try rotateKey(config) }
        let layout = RecordLayout(records: config.recordsDirectory, terminal: config.terminal)
        if TerminalKey.exists(at: config.keyPath) && !force {
            Console.error("keygen: \(config.keyPath) already exists; the kiosk keeps using it. To replace it, run `kiosk keygen --force` (no records yet) or `kiosk keygen --rotate`")
            throw ExitCode(1)
        }
        // Records signed with the current key (by the note beside it, or by
        // the book itself, whatever the note says): only --rotate may change it.
        let notePath = BookState.path(forKey: config.keyPath)
        let noted = (try? BookState.load(notePath, terminal: config.terminal)).flatMap { $0 }
        if (noted?.terminal == config.terminal && (noted?.seq ?? 0) > 0) || Self.recordsInBook(layout) > 0 || Self.isDamaged(notePath) {
            Console.error("keygen: terminal \(config.terminal) has records signed with its current key; hand the book over to a new key with `kiosk keygen --rotate` (nothing was changed)")
            throw ExitCode(1)
        }
        let key = TerminalKey.generate()
        do {
            // The old key is kept aside, never deleted.
            if force && TerminalKey.exists(at: config.keyPath) {
                let aside = config.keyPath + ".replaced-" + Timestamp.format(Date()).replacingOccurrences(of: ":", with: "")
                try AtomicFile.move(config.keyPath, into: aside)
                Console.error("keygen: the old key is kept as \(aside)")
            }
            try key.save(path: config.keyPath, terminal: config.terminal)
            // The book is made with the key (terminal.pub, terminal.pem and
            // a signed head naming no record yet), or taken over while it
            // has no records.
            try RecordBook.open(records: config.recordsDirectory, terminal: config.terminal, school: config.school, key: key,
                                state: BookState.path(forKey: config.keyPath), logger: Console.quietLogger).close()
        } catch {
            Console.error("keygen: \(error)")
            throw ExitCode(1)
        }
        print("""
            keygen: new signing key \(key.publicKey.keyIDText) for terminal \(config.terminal)
              secret key:  \(config.keyPath) (mode 0600; back it up somewhere safe)
              public key:  \(layout.publicKey)
                           \(layout.pem)
            Write the key id \(key.publicKey.keyIDText) in the school's register.
            """)
    }

    /// How many records the book's head names (0 when there is no book).
    static func recordsInBook(_ layout: RecordLayout) -> Int {
        var count = 0
        if case .bytes(let bytes) = BoundedFile.read(layout.head, limit: BoundedFile.headLimit),
           let json = try? CanonicalJSON.decode(bytes), let seq = json["seq"]?.int {
            count = seq
        }
        // A head lost or damaged: any record folder means records.
        if count == 0, let entries = BoundedFile.entries(layout.root),
           entries.contains(where: { $0.name.count == 6 && $0.name.allSatisfy(\.isNumber) }) {
            count = 1
        }
        return count
    }

    /// A note beside the key that is there but cannot be read counts as records written.
    static func isDamaged(_ path: String) -> Bool {
        if case .missing = BoundedFile.read(path, limit: 4096) { return false }
        return (try? BookState.loadAll(path)) == nil
    }

    /// The new key is kept beside the old as `<key>.new` until the book
    /// has handed over to it, then takes the old one's place; run again
    /// after a crash, it finishes a handover already in the book.
    func rotateKey(_ config: KioskConfig) throws {
        let pending = config.keyPath + ".new"
        let statePath = BookState.path(forKey: config.keyPath)
        func open(_ key: TerminalKey) throws -> RecordBook {
            try RecordBook.open(records: config.recordsDirectory, terminal: config.terminal, school: config.school, key: key, state: statePath, logger: Console.quietLogger)
        }
        do {
            let current = try? TerminalKey.load(path: config.keyPath)
            if TerminalKey.exists(at: pending), let new = try? TerminalKey.load(path: pending),
               let book = try? RecordBook.open(records: config.recordsDirectory, terminal: config.terminal, school: config.school, key: new,
                                               state: statePath, previousKey: current?.publicKey, logger: Console.quietLogger) {
                book.close()
                try AtomicFile.move(pending, into: config.keyPath)
                print("keygen: finished handing terminal \(config.terminal) over to key \(new.publicKey.keyIDText)")
                return
            }
            let old = try TerminalKey.load(path: config.keyPath)
            let book = try open(old)
            defer { book.close() }
            let new = TerminalKey.generate()
            unlink(pending)
            try new.save(path: pending, terminal: config.terminal)
            let receipt = try book.changeKey(to: new, reason: "kiosk keygen --rotate")
            try AtomicFile.move(pending, into: config.keyPath)
            print("""
                keygen: terminal \(config.terminal) now signs with key \(new.publicKey.keyIDText) (was \(old.publicKey.keyIDText))
                  record \(receipt.seq), signed with the old key, hands the book over; verify follows it.
                  Write the new key id \(new.publicKey.keyIDText) in the school's register; keep the old terminal.pub:
                  `kiosk verify` checks the book from its first record with it.
                """)
        } catch {
            Console.error("keygen: \(error)")
            throw ExitCode(1)
        }
    }
}
