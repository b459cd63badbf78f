import KioskUI

/// How each `Style.Tone` looks on the terminal. The colour theme is high
/// contrast (every tone at least 7:1, WCAG AAA, against its background, on
/// the Linux console's palette and xterm's); the plain one uses no colour
/// at all, only bold and reverse video, for `display = "plain"` and
/// `NO_COLOR`. Pure, so the contrast is tested without a terminal.
public struct Theme: Equatable, Sendable {
    /// One tone's look: a colour pair (when colours are used) and attributes.
    public struct Look: Equatable, Sendable {
        /// Colour numbers (0-15), or nil for none.
        public var foreground: Int16?
        public var background: Int16?
        /// Always bold: on an 8-colour terminal, the bright foreground.
        public var bold = false
        /// Whether a style's own bold is kept. Not on a dark foreground on
        /// an 8-colour terminal: the Linux console and xterm draw bold as
        /// the bright colour, and bright black is a dark grey.
        public var boldAllowed = true
        public var reverse = false
    }

    /// Whether the theme uses colour at all (start_color, colour pairs).
    public var usesColour: Bool
    /// Each tone's look, in the order of `tones`. An array, not a
    /// dictionary keyed by tone: the first such dictionary had the Swift
    /// runtime search all 6,700 conformance records of the binary for
    /// `Tone: Hashable` during start-up.
    private var table: [Look]

    public init(usesColour: Bool, looks: KeyValuePairs<Style.Tone, Look>) {
        self.usesColour = usesColour
        table = Self.tones.map { tone in looks.first { $0.key == tone }?.value ?? Look() }
    }

    /// Every tone, in the order of their colour pairs (pair n + 1).
    public static let tones: [Style.Tone] = [.normal, .bar, .strong, .selected, .good, .attention, .quiet]

    public func look(_ tone: Style.Tone) -> Look {
        switch tone {
        case .normal: table[0]
        case .bar: table[1]
        case .strong: table[2]
        case .selected: table[3]
        case .good: table[4]
        case .attention: table[5]
        case .quiet: table[6]
        }
    }

    /// White text on black, black on white bars, black on bright yellow
    /// (cyan with 8 colours) for the focus, bright green for done, bright
    /// yellow for warnings, cyan for hints. Nothing dim.
    public static func highContrast(colours: Int) -> Theme {
        let black: Int16 = 0, green: Int16 = 2, yellow: Int16 = 3, cyan: Int16 = 6, white: Int16 = 7
        if colours >= 16 {
            // The bright colours are colours 8-15.
            return Theme(usesColour: true, looks: [
                .normal: Look(foreground: white + 8, background: black),
                .bar: Look(foreground: black, background: white + 8),
                .strong: Look(foreground: white + 8, background: black, bold: true),
                .selected: Look(foreground: black, background: yellow + 8),
                .good: Look(foreground: green + 8, background: black, bold: true),
                .attention: Look(foreground: yellow + 8, background: black, bold: true),
                .quiet: Look(foreground: cyan + 8, background: black),
            ])
        }
        // 8 colours (TERM=linux): bold makes a foreground bright.
        return Theme(usesColour: true, looks: [
            .normal: Look(foreground: white, background: black),
            .bar: Look(foreground: black, background: white, boldAllowed: false),
            .strong: Look(foreground: white, background: black, bold: true),
            .selected: Look(foreground: black, background: cyan, boldAllowed: false),
            .good: Look(foreground: green, background: black, bold: true),
            .attention: Look(foreground: yellow, background: black, bold: true),
            .quiet: Look(foreground: cyan, background: black),
        ])
    }

    /// No colour: bars and the focus in reverse video, emphasis in bold.
    /// Bold is left off reverse video, where the console would draw it as
    /// dark grey on grey.
    public static let plain = Theme(usesColour: false, looks: [
        .normal: Look(),
        .bar: Look(boldAllowed: false, reverse: true),
        .strong: Look(bold: true),
        .selected: Look(boldAllowed: false, reverse: true),
        .good: Look(bold: true),
        .attention: Look(bold: true),
        .quiet: Look(),
    ])

    /// The colour theme where the terminal has colours and the display is
    /// not plain; else the plain one.
    public static func choose(colour: Bool, terminalColours: Int) -> Theme {
        colour && terminalColours >= 8 ? highContrast(colours: terminalColours) : plain
    }
}
