import ArgumentParser
import Foundation
import KioskContent
import KioskStore

/// Which record books an office command reads, and which keys it trusts:
/// shared by verify, records and export.
struct RecordBookOptions: ParsableArguments {
    @OptionGroup var options: ConfigOptions

    @Option(name: .customLong("key"), help: ArgumentHelp("A trusted minisign public key (terminal.pub); repeatable.", valueName: "terminal.pub"))
    var keys: [String] = []

    @Argument(help: ArgumentHelp("Terminal folders, or folders of them (default: `records` in kiosk.conf).", valueName: "folder"))
    var folders: [String] = []

    /// The trusted keys and the terminal folders. Keys come from --key,
    /// `trusted_keys` in kiosk.conf, or this terminal's own secret key,
    /// never from the folder being read.
    func resolve(command: String) throws -> ([Minisign.PublicKey], [String]) {
        var trusted: [Minisign.PublicKey] = []
        var keyFiles = keys
        var roots = folders
        let configExists = access(options.config, F_OK) == 0
        if configExists || (folders.isEmpty && keys.isEmpty) {
            let config = try Setup.config(options)
            keyFiles += config.trustedKeys.values.sorted()
            if roots.isEmpty { roots = [config.recordsDirectory] }
            if let own = try? TerminalKey.load(path: config.keyPath) { trusted.append(own.publicKey) }
        }
        for path in keyFiles {
            guard let bytes = try? AtomicFile.read(path) else {
                Console.error("\(command): trusted key \(path) cannot be read")
                throw ExitCode(1)
            }
            do {
                trusted.append(try Minisign.PublicKey(fileText: String(decoding: bytes, as: UTF8.self)))
            } catch {
                Console.error("\(command): trusted key \(path): \(error)")
                throw ExitCode(1)
            }
        }
        guard !trusted.isEmpty else {
            Console.error("\(command): no trusted keys: give --key PATH (a copy of terminal.pub you trust) or list them in `trusted_keys` in kiosk.conf")
            throw ExitCode(1)
        }
        var terminals: [String] = []
        for root in roots {
            guard let found = Self.terminalFolders(root) else {
                Console.error("\(command): \(root) is not a records folder (it holds no terminal.pub or head.json)")
                throw ExitCode(1)
            }
            terminals += found
        }
        return (trusted, terminals)
    }

    /// A terminal folder itself, or the terminal folders inside a folder.
    static func terminalFolders(_ root: String) -> [String]? {
        let fm = FileManager.default
        func isTerminal(_ path: String) -> Bool {
            fm.fileExists(atPath: path + "/terminal.pub") || fm.fileExists(atPath: path + "/head.json")
        }
        let path = (root as NSString).standardizingPath
        if isTerminal(path) { return [path] }
        guard let names = try? fm.contentsOfDirectory(atPath: path) else { return nil }
        let found = names.sorted().map { path + "/" + $0 }.filter(isTerminal)
        return found.isEmpty ? nil : found
    }
}
