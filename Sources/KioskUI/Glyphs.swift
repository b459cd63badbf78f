import KioskContent

/// The symbols the screens are drawn with, chosen by the display setting.
/// `unicode` is the colour display's; `plain` (for braille displays, speech
/// and terminals without colour) has no box drawing or decorative glyphs,
/// only ASCII words, with the important words first on each line.
public struct Glyphs: Equatable, Sendable {
    /// No colour, box drawing or symbols.
    public var plain: Bool

    public static let unicode = Glyphs(plain: false)
    public static let ascii = Glyphs(plain: true)

    public init(plain: Bool) { self.plain = plain }

    public init(_ mode: DisplayMode) { self.plain = mode == .plain }

    /// Marks the chosen role (plain: the cursor and reverse video mark it).
    var chosen: String { plain ? "" : "› " }
    var ellipsis: String { plain ? "..." : "…" }
    /// Between parts of a status line.
    var separator: String { plain ? ", " : " · " }
    /// A secret field's characters.
    var pinDot: String { plain ? "*" : "•" }
    var times: String { plain ? "x" : "×" }
    /// Before each item of a list, and each clause: two cells either way,
    /// so a section wraps the same in both displays.
    public var bullet: String { plain ? "* " : "• " }

    /// "more ↓" / "More below": text continues off the screen.
    func more(above: Bool, below: Bool) -> String {
        if plain {
            return above && below ? "More above and below" : above ? "More above" : "More below"
        }
        return above && below ? "more ↑↓" : above ? "more ↑" : "more ↓"
    }

    /// The record's reference: "42 · 7F3A-9C21".
    func reference(seq: Int, code: String) -> String { "\(seq)\(separator)\(code)" }

    /// A clause agreed to, at a time.
    func agreed(at time: String) -> String { plain ? "Agreed at \(time)" : "✓ Agreed at \(time)" }

    /// The "I agree" button, awake.
    var agreeButton: String { plain ? "I agree: press Enter" : "[ I agree ]" }

    /// The "I agree" button while the clause must stay on screen.
    func agreeWaiting(seconds: Int) -> String {
        plain ? "Please read: I agree in \(seconds) s" : "[ I agree ]  please read: \(seconds) s"
    }

    /// A key's name in the key bar: arrows are spelt out in plain.
    func key(_ name: String) -> String {
        guard plain else { return name }
        return name.replacingOccurrences(of: "↑↓", with: "Up/Down")
            .replacingOccurrences(of: "↑", with: "Up").replacingOccurrences(of: "↓", with: "Down")
            .replacingOccurrences(of: "←", with: "Left").replacingOccurrences(of: "→", with: "Right")
    }

    /// What a symbol that reached the screen anyway (from a view drawn
    /// without these glyphs, or the policy text) becomes in plain, cell for
    /// cell: an ASCII character of the same width.
    static let asciiFor: [String: String] = [
        "•": "*", "›": ">", "‹": "<", "·": "-", "×": "x", "✓": "+", "✔": "+", "✗": "x",
        "↑": "^", "↓": "v", "←": "<", "→": ">",
        "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "═": "=", "║": "|",
        "╔": "+", "╗": "+", "╚": "+", "╝": "+", "▶": ">", "◀": "<", "►": ">", "◄": "<",
    ]

    /// Box drawing and other symbols: never on a plain screen.
    static func isDecoration(_ scalar: Unicode.Scalar) -> Bool {
        (0x2500...0x259F).contains(scalar.value) || (0x2190...0x21FF).contains(scalar.value)
            || (0x25A0...0x25FF).contains(scalar.value) || (0x2700...0x27BF).contains(scalar.value)
    }
}

extension Screen {
    /// In plain, replaces every symbol left on the screen (from a view
    /// drawn without `Glyphs`, or the policy text) with ASCII of the same
    /// width, so nothing moves. Letters and punctuation in any script are
    /// kept: names and policy text are shown as written.
    mutating func useASCIIDecorations() {
        for y in 0..<size.height {
            for x in 0..<size.width {
                let text = self[x, y].text
                if let ascii = Glyphs.asciiFor[text] {
                    self[x, y].text = ascii
                } else if let scalar = text.unicodeScalars.first, Glyphs.isDecoration(scalar) {
                    if DisplayWidth.of(text) == 2 && x + 1 < size.width { self[x + 1, y].text = " " }
                    self[x, y].text = "?"
                }
            }
        }
    }
}
