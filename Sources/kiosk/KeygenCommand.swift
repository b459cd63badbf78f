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
        if let state = try? BookState.load(BookState.path(forKey: config.keyPath)), state.terminal == config.terminal, state.seq > 0 {
            Console.error("keygen: terminal \(config.terminal) has \(state.seq) records signed with its current key; hand the book over to a new key with `kiosk keygen --rotate`")
            throw ExitCode(1)
        }
        let key = TerminalKey.generate()
        do {
            if force { unlink(config.keyPath) }
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
            if TerminalKey.exists(at: pending), let new = try? TerminalKey.load(path: pending), let book = try? open(new) {
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
