/// A terminal size in cells.
public struct Size: Equatable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// How a cell is drawn. Tones become colours where the terminal has them
/// and plain attributes (bold, reverse, underline) where it does not.
public struct Style: Equatable, Hashable, Sendable {
    public enum Tone: Equatable, Hashable, Sendable {
        case normal
        /// Title and key bars.
        case bar
        /// Emphasis in the text, headings.
        case strong
        /// The focused choice or field.
        case selected
        /// Something done (an agreed clause, a saved record).
        case good
        /// Something to fix, or a warning.
        case attention
        /// Less important text (hints, disabled buttons).
        case quiet
    }

    public var tone: Tone
    public var bold: Bool
    public var underline: Bool

    public init(_ tone: Tone = .normal, bold: Bool = false, underline: Bool = false) {
        self.tone = tone
        self.bold = bold
        self.underline = underline
    }

    public static let normal = Style()
}

/// One cell of the screen: a character (a grapheme cluster) and its style.
/// A wide character's second cell holds "" and is never drawn on its own.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String = " ", style: Style = .normal) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell()
}

/// A whole frame as a grid of cells, drawn by the pure renderer and copied
/// to the terminal by the adapter, which touches only the changed cells.
/// Tests read it back as lines of text.
public struct Screen: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// Where the terminal's cursor should stand: at the focus of the screen
    /// (a field's insertion point, the chosen role, the button), which
    /// braille displays and screen readers follow.
    public var cursor: Point?
    /// The symbols this screen is drawn with (plain: ASCII words only).
    public var glyphs: Glyphs = .unicode

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: max(0, size.width * size.height))
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set { cells[y * size.width + x] = newValue }
    }

    /// Writes `text` from (x, y), clipped at `x + width` (default: the right
    /// edge). A wide character that does not fit whole is not drawn.
    /// Returns the number of cells used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, width: Int? = nil) -> Int {
        guard y >= 0, y < size.height, x >= 0 else { return 0 }
        let limit = min(size.width, x + (width ?? size.width))
        var col = x
        for character in text {
            let safe = Self.printable(character)
            let w = DisplayWidth.of(safe)
            if w == 0 {
                // A lone combining mark joins the character before it.
                if col > x { self[col - 1, y].text += String(safe) }
                continue
            }
            if col + w > limit { break }
            self[col, y] = Cell(String(safe), style: style)
            if w == 2 { self[col + 1, y] = Cell("", style: style) }
            col += w
        }
        return col - x
    }

    /// Fills a row from x to the right edge (or `width` cells) with a style.
    public mutating func fill(y: Int, x: Int = 0, width: Int? = nil, style: Style) {
        guard y >= 0, y < size.height else { return }
        for col in x..<min(size.width, x + (width ?? size.width)) {
            self[col, y] = Cell(" ", style: style)
        }
    }

    /// Control characters and other invisible code points are never sent to
    /// the terminal: they are shown as U+FFFD, as htop does.
    public static func printable(_ character: Character) -> Character {
        for scalar in character.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || (0x7F..<0xA0).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                return "\u{FFFD}"
            }
        }
        return character
    }

    /// The screen as plain text, one string per row, trailing blanks kept.
    public var lines: [String] {
        (0..<size.height).map { y in
            (0..<size.width).map { self[$0, y].text }.joined()
        }
    }

    /// The rows with trailing blanks removed, joined by newlines: the form
    /// snapshot tests compare.
    public var text: String {
        lines.map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }.joined(separator: "\n")
    }

}

/// A cell position.
public struct Point: Equatable, Sendable {
    public var x: Int
    public var y: Int

    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
}
