/// How many terminal cells a character takes: 2 for East Asian wide and
/// fullwidth characters and emoji, 0 for a lone combining mark or a
/// control character, 1 otherwise. The renderer is pure, so it cannot ask
/// the C library (whose answer also depends on the locale); this follows
/// Markus Kuhn's wcwidth, which ncurses and most terminals agree with.
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        // Most policy text is ASCII: no Unicode property look-ups for it.
        if let ascii = character.asciiValue { return ascii >= 0x20 && ascii < 0x7F ? 1 : 0 }
        guard let first = character.unicodeScalars.first else { return 0 }
        if character.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation }) { return 2 }
        // An emoji presentation selector makes the base character wide.
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) && first.properties.isEmoji { return 2 }
        return of(first)
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return 1 }
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(v) { return 2 }
        return 1
    }

    public static func of(_ string: some StringProtocol) -> Int {
        string.reduce(0) { $0 + of($1) }
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || v == 0x2329 || v == 0x232A
            || ((0x2E80...0xA4CF).contains(v) && v != 0x303F)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
            || (0xFE10...0xFE19).contains(v) || (0xFE30...0xFE6F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x2FFFD).contains(v) || (0x30000...0x3FFFD).contains(v)
    }

    /// The longest prefix of `text` that fits in `width` cells, and its width.
    public static func prefix(_ text: String, fitting width: Int) -> (String, Int) {
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let w = of(text[index])
            if used + w > width { break }
            used += w
            end = text.index(after: index)
        }
        return (String(text[..<end]), used)
    }
}
