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

    /// A PIN is 4 to 12 digits (what the kiosk's PIN screen takes), and
    /// not one a passer-by would try first.
    public static func isAcceptable(_ pin: String) -> Bool {
        weakness(pin) == nil
    }

    /// Why `kiosk set-pin` refuses `pin`, or nil when it does not: the
    /// PIN screen takes up to 12 of the digits 0 to 9 and nothing else;
    /// fewer than 4 are too few; and the shipped PIN, one digit repeated
    /// (0000), and digits counting up or down by one (1234, 4321, 7890,
    /// 0987: 9 and 0 are neighbours, as on the keyboard) are what anyone
    /// tries first. Only the shipped PIN's hash is recognised by lint
    /// (without deriving it), so refusing it here keeps it from coming back.
    public static func weakness(_ pin: String) -> String? {
        if let other = pin.first(where: { !("0"..."9").contains($0) }) {
            return "it holds `\(other)`: the kiosk's PIN screen takes the digits 0 to 9 only"
        }
        let digits = pin.utf8.map { Int($0) - 48 }
        switch digits.count {
        case 0: return "it is empty: a PIN has 4 to 12 digits"
        case 1..<4: return "it has \(digits.count) digit\(digits.count == 1 ? "" : "s"): a PIN has at least 4"
        case 13...: return "it has \(digits.count) digits: the kiosk's PIN screen takes at most 12"
        default: break
        }
        if pin == shippedPIN {
            return "it is the shipped PIN \(shippedPIN), which everyone who has read the kiosk's instructions knows"
        }
        if Set(digits).count == 1 {
            return "every digit is the same (like 0000 or 7777), the first PIN anyone tries"
        }
        let steps = Set(zip(digits, digits.dropFirst()).map { ($1 - $0 + 10) % 10 })
        if steps == [1] || steps == [9] {
            return "its digits count up or down one at a time (like 1234 or 4321), the first PIN anyone tries after 0000"
        }
        return nil
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
