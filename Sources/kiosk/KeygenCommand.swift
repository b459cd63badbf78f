import ArgumentParser
import Foundation
import KioskContent
import KioskStore

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

    func run() throws {
        let config = try Setup.config(options)
        let layout = RecordLayout(records: config.recordsDirectory, terminal: config.terminal)
        if access(config.keyPath, F_OK) == 0 && !force {
            Console.error("keygen: \(config.keyPath) already exists; the kiosk keeps using it. To replace it, run `kiosk keygen --force`")
            throw ExitCode(1)
        }
        if access(layout.head, F_OK) == 0 {
            Console.error("keygen: terminal \(config.terminal) already has records signed with its current key; a new key needs a new terminal id: change `terminal` in \(config.path), then run keygen")
            throw ExitCode(1)
        }
        let key = TerminalKey.generate()
        do {
            if force { unlink(config.keyPath) }
            try key.save(path: config.keyPath, terminal: config.terminal)
            try AtomicFile.makeDirectory(layout.root)
            try AtomicFile.write(Array(key.publicKey.fileText.utf8), to: layout.publicKey)
            try AtomicFile.write(Array(key.publicKey.pemText.utf8), to: layout.pem)
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
}
