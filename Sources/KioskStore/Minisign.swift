import Crypto
import Foundation

/// minisign's legacy `Ed` format, byte for byte, so that the real
/// `minisign -Vm FILE -p terminal.pub` verifies the kiosk's records.
public enum Minisign {
    /// `line` without the spaces and tabs at its ends (Foundation's
    /// `.whitespaces`: tab, the space separators and the zero-width
    /// space), without the trip through NSString that
    /// trimmingCharacters(in:) takes on Linux.
    static func trimmingSpaces(_ line: Substring) -> String {
        let scalars = line.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == "\t" || s.value == 0x200B || s.properties.generalCategory == .spaceSeparator
    }

    static let algorithm: [UInt8] = [0x45, 0x64]  // "Ed"

    /// A public key with the 8-byte key id minisign puts before it.
    public struct PublicKey: Equatable, Sendable {
        public let keyID: [UInt8]
        public let key: Curve25519.Signing.PublicKey
        /// The SHA-256 of the key and its id: what the cache of verified
        /// records names it by (made once, not for every record).
        public let digest: [UInt8]

        public init(keyID: [UInt8], key: Curve25519.Signing.PublicKey) {
            self.keyID = keyID
            self.key = key
            digest = Array(SHA256.hash(data: Array(key.rawRepresentation) + keyID))
        }

        public static func == (a: PublicKey, b: PublicKey) -> Bool {
            a.keyID == b.keyID && a.key.rawRepresentation == b.key.rawRepresentation
        }

        /// The key id as minisign prints it: little-endian, upper-case hex.
        public var keyIDText: String { Minisign.keyIDText(keyID) }

        /// `terminal.pub`: two lines, as `minisign -G` writes them.
        public var fileText: String {
            let blob = Minisign.algorithm + keyID + Array(key.rawRepresentation)
            return "untrusted comment: minisign public key \(keyIDText)\n\(Data(blob).base64EncodedString())\n"
        }

        /// `terminal.pem`: the SubjectPublicKeyInfo openssl reads.
        public var pemText: String {
            let der: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00] + Array(key.rawRepresentation)
            return "-----BEGIN PUBLIC KEY-----\n\(Data(der).base64EncodedString())\n-----END PUBLIC KEY-----\n"
        }

        /// Reads a minisign public key file (or its second line alone).
        public init(fileText: String) throws(SignatureFormatError) {
            let lines = fileText.split(whereSeparator: \.isNewline).map(String.init)
            guard let line = lines.first(where: { !$0.hasPrefix("untrusted comment:") }),
                  let blob = Data(base64Encoded: Minisign.trimmingSpaces(line[...])), blob.count == 42,
                  Array(blob.prefix(2)) == Minisign.algorithm,
                  let key = try? Curve25519.Signing.PublicKey(rawRepresentation: blob.suffix(32))
            else {
                throw SignatureFormatError("not a minisign Ed25519 public key (expected a comment line and a base64 line of 42 bytes starting \"Ed\")")
            }
            self.init(keyID: Array(blob[2..<10]), key: key)
        }
    }

    public static func keyIDText(_ keyID: [UInt8]) -> String {
        keyID.reversed().map { b in
            let s = String(b, radix: 16, uppercase: true)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// The four lines of a `.minisig` file.
    public struct Signature: Equatable, Sendable {
        /// How the third line of a signature file starts.
        public static let trustedPrefix = "trusted comment: "

        public var untrustedComment: String
        public var keyID: [UInt8]
        public var signature: [UInt8]
        public var trustedComment: String
        public var globalSignature: [UInt8]

        public var fileText: String {
            let line2 = Data(Minisign.algorithm + keyID + signature).base64EncodedString()
            let line4 = Data(globalSignature).base64EncodedString()
            return "untrusted comment: \(untrustedComment)\n\(line2)\n\(Self.trustedPrefix)\(trustedComment)\n\(line4)\n"
        }

        public init(untrustedComment: String, keyID: [UInt8], signature: [UInt8], trustedComment: String, globalSignature: [UInt8]) {
            self.untrustedComment = untrustedComment
            self.keyID = keyID
            self.signature = signature
            self.trustedComment = trustedComment
            self.globalSignature = globalSignature
        }

        public init(fileText: String) throws(SignatureFormatError) {
            // Split on the bytes: a Character-wise split costs more than the rest.
            let lines = fileText.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Substring($0) }
            guard lines.count >= 4 else { throw SignatureFormatError("a .minisig file has four lines; this one has \(lines.count)") }
            guard lines[0].hasPrefix("untrusted comment: ") else { throw SignatureFormatError("line 1 must start \"untrusted comment: \"") }
            guard let blob = Data(base64Encoded: String(lines[1])), blob.count == 74 else {
                throw SignatureFormatError("line 2 is not a base64 signature of 74 bytes")
            }
            guard Array(blob.prefix(2)) == Minisign.algorithm else {
                throw SignatureFormatError("line 2 is not the legacy Ed25519 \"Ed\" form")
            }
            guard lines[2].hasPrefix(Self.trustedPrefix) else { throw SignatureFormatError("line 3 must start \"trusted comment: \"") }
            guard let global = Data(base64Encoded: String(lines[3])), global.count == 64 else {
                throw SignatureFormatError("line 4 is not a base64 signature of 64 bytes")
            }
            self.untrustedComment = String(lines[0].dropFirst("untrusted comment: ".count))
            self.keyID = Array(blob[2..<10])
            self.signature = Array(blob[10...])
            self.trustedComment = String(lines[2].dropFirst(Self.trustedPrefix.count))
            self.globalSignature = Array(global)
        }
    }

    /// Signs `bytes`, then signs (signature | trusted comment), as minisign does.
    public static func sign(
        _ bytes: [UInt8], with key: TerminalKey, trustedComment: String, untrustedComment: String
    ) throws -> Signature {
        precondition(!trustedComment.contains("\n") && !trustedComment.contains("\r"), "a trusted comment is one line")
        let signature = Array(try key.privateKey.signature(for: bytes))
        let global = Array(try key.privateKey.signature(for: signature + Array(trustedComment.utf8)))
        return Signature(untrustedComment: untrustedComment, keyID: key.keyID, signature: signature,
                         trustedComment: trustedComment, globalSignature: global)
    }

    /// What is wrong with a signature, if anything.
    public enum Verdict: Equatable, Sendable {
        case valid
        case unknownKey(keyID: String)
        case badSignature
        case badTrustedComment
    }

    public static func verify(_ bytes: [UInt8], signature: Signature, keys: [PublicKey]) -> Verdict {
        guard let key = keys.first(where: { $0.keyID == signature.keyID }) else {
            return .unknownKey(keyID: keyIDText(signature.keyID))
        }
        guard key.key.isValidSignature(signature.signature, for: bytes) else { return .badSignature }
        guard key.key.isValidSignature(signature.globalSignature, for: signature.signature + Array(signature.trustedComment.utf8)) else {
            return .badTrustedComment
        }
        return .valid
    }
}

/// A signature or key file that is not in minisign's format.
public struct SignatureFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
