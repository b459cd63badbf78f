import Foundation

/// The short code a person is given on the last screen, to sign out or to
/// come back without reading everything again ("7KQ4-M9TZ"). It is random
/// (the system's CSPRNG), never derived from the record, and only a slow
/// salted hash of it is kept: records are readable by the office, and a
/// bare SHA-256 of 40 bits would be searched through in an afternoon.
///
/// The code is shown on the screen and nowhere else: never logged, never
/// in a recovery file, never in a record.
public enum PassCode {
    /// No 0/O, 1/I/L: nothing a person can misread off the screen.
    public static let alphabet: [Character] = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    /// 31^8, about 2^39.6 codes.
    public static let length = 8
    /// PBKDF2-HMAC-SHA256 rounds for a pass code's hash: about 30 ms on a
    /// kiosk, so a sign-out trying a day's open records stays quick, and a
    /// search of every code for one record costs years of a CPU core.
    public static let iterations = 100_000

    /// A new code, 8 characters of `alphabet`, ungrouped.
    public static func generate() -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    /// "7KQ4M9TZ" -> "7KQ4-M9TZ", as the screen shows it.
    public static func grouped(_ code: String) -> String {
        guard code.count == length else { return code }
        return "\(code.prefix(4))-\(code.suffix(4))"
    }

    /// What a person typed, as a code: case, spaces and hyphens aside;
    /// nil when it cannot be a code (wrong length, a letter the alphabet
    /// leaves out).
    public static func normalised(_ typed: String) -> String? {
        let code = String(typed.uppercased().filter { $0 != " " && $0 != "-" })
        guard code.count == length, code.allSatisfy(alphabet.contains) else { return nil }
        return code
    }

    /// The salted hash a record keeps: `pbkdf2-sha256$rounds$salt$hash`,
    /// the admin PIN's form (a fresh 16-byte salt each time).
    public static func hash(_ code: String, iterations: Int = iterations) -> String {
        AdminPIN.hash(normalised(code) ?? code, iterations: iterations)
    }

    /// Whether `typed` is the code `stored` is the hash of (in constant time).
    public static func matches(_ typed: String, hash stored: String) -> Bool {
        guard let code = normalised(typed) else { return false }
        return AdminPIN.verify(code, against: stored)
    }

    /// Whether `text` is a hash in the form `hash` writes.
    public static func isHash(_ text: String) -> Bool {
        guard let parsed = AdminPIN.Hash(text) else { return false }
        return parsed.text == text
    }
}
