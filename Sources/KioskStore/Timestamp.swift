import Foundation

/// RFC 3339 times in UTC to the second ("2026-11-25T08:14:03Z"), the form
/// every time in a record takes. Worked on bytes: the office tools read
/// dozens of these in every record of a book.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year) else {
            // Outside four digits: the plain form, which `parse` refuses.
            return "\(year)-\(parts.tm_mon + 1)-\(parts.tm_mday)T\(parts.tm_hour):\(parts.tm_min):\(parts.tm_sec)Z"
        }
        return String(unsafeUninitializedCapacity: 20) { out in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[i] = UInt8(0x30 + v % 10)
                    v /= 10
                }
            }
            put(year, 4, at: 0)
            out[4] = 0x2D
            put(Int(parts.tm_mon) + 1, 2, at: 5)
            out[7] = 0x2D
            put(Int(parts.tm_mday), 2, at: 8)
            out[10] = 0x54
            put(Int(parts.tm_hour), 2, at: 11)
            out[13] = 0x3A
            put(Int(parts.tm_min), 2, at: 14)
            out[16] = 0x3A
            put(Int(parts.tm_sec), 2, at: 17)
            out[19] = 0x5A
            return 20
        }
    }

    /// The fields of "YYYY-MM-DDTHH:MM:SSZ", each in its range as written
    /// (a second of 60 is taken, as timegm takes it); nil for any other form.
    private static func fields(_ text: String) -> (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int)? {
        var text = text
        return text.withUTF8 { b -> (Int, Int, Int, Int, Int, Int)? in
            guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A else { return nil }
            func num(_ from: Int, _ width: Int) -> Int? {
                var v = 0
                for i in from..<from + width {
                    let c = b[i]
                    guard c >= 0x30, c <= 0x39 else { return nil }
                    v = v * 10 + Int(c - 0x30)
                }
                return v
            }
            guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
                  let s = num(17, 2), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
            return (y, mo, d, h, mi, s)
        }
    }

    /// Parses what `format` writes; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        guard let f = fields(text) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(f.y - 1900)
        parts.tm_mon = Int32(f.mo - 1)
        parts.tm_mday = Int32(f.d)
        parts.tm_hour = Int32(f.h)
        parts.tm_min = Int32(f.mi)
        parts.tm_sec = Int32(f.s)
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// Whether `text` is exactly what `format` writes for some time: what
    /// `parse` then `format` gives back unchanged (no 31 April, no second
    /// 60), decided without making a Date or a String.
    public static func isCanonical(_ text: String) -> Bool {
        guard let f = fields(text), f.s < 60 else { return false }
        let leap = f.y % 4 == 0 && (f.y % 100 != 0 || f.y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][f.mo - 1]
        return f.d <= days
    }
}
