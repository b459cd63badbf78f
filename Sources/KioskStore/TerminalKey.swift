import Crypto
import Foundation

/// The terminal's Ed25519 signing key. The file holds a comment line and
/// base64("Ed" | key id (8) | seed (32)); it must be readable by its owner
/// only, and the kiosk refuses it otherwise, as ssh does.
public struct TerminalKey: Sendable {
    public var keyID: [UInt8]
    public var privateKey: Curve25519.Signing.PrivateKey

    public var publicKey: Minisign.PublicKey {
        Minisign.PublicKey(keyID: keyID, key: privateKey.publicKey)
    }

    public init(keyID: [UInt8], privateKey: Curve25519.Signing.PrivateKey) {
        self.keyID = keyID
        self.privateKey = privateKey
    }

    /// A new key with a random key id.
    public static func generate() -> TerminalKey {
        var rng = SystemRandomNumberGenerator()
        let id = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
        return TerminalKey(keyID: id, privateKey: Curve25519.Signing.PrivateKey())
    }

    public func fileText(terminal: String) -> String {
        let blob = Minisign.algorithm + keyID + Array(privateKey.rawRepresentation)
        return "untrusted comment: conduct kiosk secret key \(Minisign.keyIDText(keyID)) for terminal \(terminal); keep private (mode 0600)\n\(Data(blob).base64EncodedString())\n"
    }

    /// Reads the key file, refusing one that group or others can read.
    /// Whether anything at all is at `path` (a dangling symlink too): a
    /// new key is made only where nothing is.
    public static func exists(at path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    public static func load(path: String) throws(StoreError) -> TerminalKey {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw StoreError.key(path: path, problem: "cannot be read: \(String(cString: strerror(errno)))",
                                 advice: "create it with `kiosk keygen`, or set `key` in kiosk.conf to where it is")
        }
        // A symlink could be pointed at another key, or dangle where a new
        // key would be written through it: the key file is the file itself.
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw StoreError.key(path: path, problem: "is \(BoundedFile.describe(info.st_mode)), not a file",
                                 advice: "set `key` in kiosk.conf to the key file itself")
        }
        if info.st_mode & 0o077 != 0 {
            let mode = String(info.st_mode & 0o777, radix: 8)
            throw StoreError.key(path: path, problem: "is readable by other users (mode \(mode))",
                                 advice: "run `chmod 600 \(path)`; if others may have copied it, make a new key with `kiosk keygen --force` and publish the new terminal.pub")
        }
        guard case .bytes(let data) = BoundedFile.read(path, limit: BoundedFile.keyLimit) else {
            throw StoreError.key(path: path, problem: "cannot be read", advice: "check that the kiosk's user owns it")
        }
        let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let line = lines.first(where: { !$0.hasPrefix("untrusted comment:") }),
              let blob = Data(base64Encoded: Minisign.trimmingSpaces(line)), blob.count == 42,
              Array(blob.prefix(2)) == Minisign.algorithm,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: blob.suffix(32))
        else {
            throw StoreError.key(path: path, problem: "is not a conduct kiosk secret key (damaged or another format)",
                                 advice: "restore it from backup, or make a new key with `kiosk keygen --force` and publish the new terminal.pub")
        }
        return TerminalKey(keyID: Array(blob[2..<10]), privateKey: key)
    }

    /// Writes a new key file with mode 0600, never replacing one silently.
    public func save(path: String, terminal: String) throws(StoreError) {
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            throw StoreError.key(path: path, problem: "is \(BoundedFile.describe(info.st_mode)), not a file",
                                 advice: "set `key` in kiosk.conf to where the key file itself is to be kept")
        }
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError.key(path: path, problem: "its folder cannot be created: \(error.localizedDescription)", advice: "check the permissions of \(directory)")
        }
        try AtomicFile.write(Array(fileText(terminal: terminal).utf8), to: path, mode: 0o600)
    }
}
