import Crypto
import CryptoExtras
import Foundation

/// The admin PIN that lets staff leave the kiosk. Only a salted
/// PBKDF2-HMAC-SHA256 hash is kept in kiosk.conf. A short PIN can still be
/// guessed offline by someone who can read kiosk.conf, so the file itself
/// belongs to the kiosk's user only (see the deployment notes).
public enum AdminPIN {
    public static let iterations = 200_000
    /// A stored count above this is not a hash `kiosk set-pin` wrote: it
    /// would hold the PIN screen for seconds (and past 2^32 it cannot be
    /// passed to the C code at all).
    public static let maximumIterations = 10_000_000

    /// The PIN the shipped kiosk.conf opens with.
    public static let shippedPIN = "1234"
    /// The shipped kiosk.conf's `admin_pin_hash`: the hash of `shippedPIN`.
    /// Lint recognises it by its text, without paying for PBKDF2; `kiosk
    /// set-pin` refuses the shipped PIN, so it cannot come back another way.
    public static let shippedHash = "pbkdf2-sha256$200000$BTztY2b1DfHU9IVbT/fCcQ==$Ck6UtH1Mnu9SsWhfchXZwU2/ciltv/ChEq3RHsdMNdY="

    /// A parsed `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`.
    public struct Hash: Equatable, Sendable {
        public var iterations: Int
        public var salt: [UInt8]
        public var hash: [UInt8]

        public init?(_ text: String) {
            let parts = text.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == "pbkdf2-sha256", let n = Int(parts[1]), (1...AdminPIN.maximumIterations).contains(n),
                  let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])),
                  salt.count >= 8, hash.count == 32
            else { return nil }
            self.iterations = n
            self.salt = Array(salt)
            self.hash = Array(hash)
        }

        init(iterations: Int, salt: [UInt8], hash: [UInt8]) {
            self.iterations = iterations
            self.salt = salt
            self.hash = hash
        }

        public var text: String {
            "pbkdf2-sha256$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
        }
    }

    /// A PIN is 4 to 12 digits: typed on any keyboard, shown as dots.
    public static func isAcceptable(_ pin: String) -> Bool {
        (4...12).contains(pin.count) && pin.allSatisfy { $0.isASCII && $0.isNumber }
    }

    public static func hash(_ pin: String, iterations: Int = iterations) -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var rng = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &rng) }
        return hash(pin, salt: salt, iterations: iterations).text
    }

    static func hash(_ pin: String, salt: [UInt8], iterations: Int) -> Hash {
        // Only fails for an iteration count past UInt32 or a failed allocation.
        let derived = try! pbkdf2(password: Array(pin.utf8), salt: salt, iterations: iterations)
        return Hash(iterations: iterations, salt: salt, hash: derived)
    }

    public static func verify(_ pin: String, against stored: String) -> Bool {
        // The PIN screen sends what was typed, nothing included; a PIN is never empty.
        guard !pin.isEmpty, let expected = Hash(stored),
              let actual = try? pbkdf2(password: Array(pin.utf8), salt: expected.salt, iterations: expected.iterations)
        else { return false }
        // Constant time, so timing tells nothing about the digits.
        var diff: UInt8 = 0
        for (a, b) in zip(actual, expected.hash) { diff |= a ^ b }
        return diff == 0
    }

    /// PBKDF2-HMAC-SHA256 (RFC 8018), BoringSSL's, through swift-crypto.
    /// The unchecked form: its checked one refuses fewer than 210,000
    /// rounds, and the stored hashes (the shipped one too) have 200,000.
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int, byteCount: Int = 32) throws -> [UInt8] {
        // The C call takes a 32-bit count and would trap on a larger one.
        guard iterations >= 1 && iterations <= Int(UInt32.max) else { throw CryptoKitError.incorrectParameterSize }
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: password, salt: salt, using: .sha256, outputByteCount: byteCount, unsafeUncheckedRounds: iterations)
        return key.withUnsafeBytes { Array($0) }
    }
}
