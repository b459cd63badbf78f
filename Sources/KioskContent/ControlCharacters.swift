/// Characters that must never reach a screen, a spreadsheet or a terminal
/// as they are: C0 and C1 controls, DEL, and the bidirectional overrides
/// and isolates that make text read in another order than it is stored
/// (U+202A-U+202E, U+2066-U+2069). The kiosk's screen shows them as U+FFFD;
/// kiosk.conf, front matter, documents and rosters may not hold them; office
/// output replaces them.
public enum ControlCharacters {
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F..<0xA0).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// The first such character in `text`, if any.
    public static func first(in text: String) -> Unicode.Scalar? {
        // Printable ASCII, most text, is seen on its bytes.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return nil }
        return text.unicodeScalars.first(where: contains)
    }

    /// `text` with each such character replaced by U+FFFD.
    public static func replacing(_ text: String) -> String {
        guard first(in: text) != nil else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            out.append(contains(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(out)
    }

    /// "U+001B", as messages name a character.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
