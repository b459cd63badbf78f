import Crypto
import Foundation

/// How the kiosk decides whether two clauses are the same clause: by the
/// SHA-256 of their normalised text. A clause whose words change is a new
/// clause; a clause re-wrapped or re-indented is not.
public enum ClauseIdentity {
    /// Unicode NFC, runs of white space folded to one space, trimmed.
    public static func normalise(_ text: String) -> String {
        if let plain = plainNormalised(text) { return plain }
        let composed = text.precomposedStringWithCanonicalMapping
        return composed.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The same for plain text (`PlainText`), on its bytes: already NFC,
    /// and white space only ASCII's (tab, line feed, vertical tab, form
    /// feed, carriage return, space). Nil for any other text.
    static func plainNormalised(_ text: String) -> String? {
        if isPlainAndNormal(text) { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var space = false
        var iterator = text.utf8.makeIterator()
        while let b = iterator.next() {
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                space = !out.isEmpty
                continue
            }
            if space {
                out.append(0x20)
                space = false
            }
            out.append(b)
            if b >= 0x80 {
                let start = iterator
                guard let v = PlainText.scalar(startingWith: b, &iterator), PlainText.isPlainScalar(v) else { return nil }
                // The scalar's other bytes, as they were.
                var copy = start
                for _ in 0..<(b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : 1) { out.append(copy.next()!) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Plain, and already as `plainNormalised` would make it: no white
    /// space but single spaces between words (text joined from trimmed
    /// lines mostly is).
    static func isPlainAndNormal(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, first != 0x20, last != 0x20 else { return bytes.isEmpty }
            var previous: UInt8 = 0
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b < 0x80 {
                    if (b >= 0x09 && b <= 0x0D) || (b == 0x20 && previous == 0x20) { return false }
                    previous = b
                    i += 1
                    continue
                }
                var rest = bytes[(i + 1)...].makeIterator()
                guard let v = PlainText.scalar(startingWith: b, &rest), PlainText.isPlainScalar(v) else { return false }
                previous = b
                i += b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            }
            return true
        }
    }

    /// Lower-case hex SHA-256 of the normalised text's UTF-8 bytes.
    public static func hash(_ text: String) -> String {
        Hex.sha256(Array(normalise(text).utf8))
    }
}

/// Lower-case hexadecimal, the form every hash takes in records and reports.
public enum Hex {
    public static func encode<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Over contiguous bytes: the generic DataProtocol path walks them one by one.
    public static func sha256(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { digest($0) }
    }

    public static func sha256(_ data: Data) -> String {
        data.withUnsafeBytes { digest($0) }
    }

    private static func digest(_ buffer: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: buffer)
        return encode(hasher.finalize())
    }

    public static func decode(_ hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
