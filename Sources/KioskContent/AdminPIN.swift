import Crypto
import Foundation

/// The admin PIN that lets staff leave the kiosk. Only a salted
/// PBKDF2-HMAC-SHA256 hash is kept in kiosk.conf. A short PIN can still be
/// guessed offline by someone who can read kiosk.conf, so the file itself
/// belongs to the kiosk's user only (see the deployment notes).
public enum AdminPIN {
    public static let iterations = 200_000

    /// A parsed `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`.
    public struct Hash: Equatable, Sendable {
        public var iterations: Int
        public var salt: [UInt8]
        public var hash: [UInt8]

        public init?(_ text: String) {
            let parts = text.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == "pbkdf2-sha256", let n = Int(parts[1]), n >= 1,
                  let salt = Data(base64Encoded: String(parts[2])), let hash = Data(base64Encoded: String(parts[3])),
                  salt.count >= 8, hash.count == 32
            else { return nil }
            self.iterations = n
            self.salt = Array(salt)
            self.hash = Array(hash)
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
        let derived = pbkdf2(password: Array(pin.utf8), salt: salt, iterations: iterations)
        return Hash("pbkdf2-sha256$\(iterations)$\(Data(salt).base64EncodedString())$\(Data(derived).base64EncodedString())")!
    }

    public static func verify(_ pin: String, against stored: String) -> Bool {
        guard let expected = Hash(stored) else { return false }
        let actual = pbkdf2(password: Array(pin.utf8), salt: expected.salt, iterations: expected.iterations)
        // Constant time, so timing tells nothing about the digits.
        var diff: UInt8 = 0
        for (a, b) in zip(actual, expected.hash) { diff |= a ^ b }
        return diff == 0
    }

    /// PBKDF2-HMAC-SHA256 (RFC 8018) for one 32-byte block.
    static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        let key = SymmetricKey(data: password)
        var u = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var t = u
        if iterations > 1 {
            for _ in 1..<iterations {
                u = Array(HMAC<SHA256>.authenticationCode(for: u, using: key))
                for i in 0..<t.count { t[i] ^= u[i] }
            }
        }
        return t
    }
}
