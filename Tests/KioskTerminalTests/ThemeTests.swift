import Foundation
import Testing
@testable import KioskTerminal
import KioskUI

/// The colour theme is high contrast: every tone at least 7:1 (WCAG AAA)
/// on the palettes the kiosk meets, with bold drawn as the bright colour
/// the way the Linux console and xterm draw it on 8 colours.
@Suite("High-contrast theme")
struct ThemeTests {
    typealias RGB = (Double, Double, Double)

    /// The Linux console's default palette (drivers/tty/vt), 16 colours.
    static let console: [RGB] = [
        (0, 0, 0), (170, 0, 0), (0, 170, 0), (170, 85, 0), (0, 0, 170), (170, 0, 170), (0, 170, 170), (170, 170, 170),
        (85, 85, 85), (255, 85, 85), (85, 255, 85), (255, 255, 85), (85, 85, 255), (255, 85, 255), (85, 255, 255), (255, 255, 255),
    ]
    /// xterm's default palette.
    static let xterm: [RGB] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// WCAG 2 relative luminance and contrast ratio.
    static func luminance(_ c: RGB) -> Double {
        func channel(_ v: Double) -> Double {
            let s = v / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
    }

    static func contrast(_ a: RGB, _ b: RGB) -> Double {
        let (l1, l2) = (luminance(a), luminance(b))
        return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
    }

    /// The colours a tone is drawn in, bold or not, as the terminal shows it.
    static func drawn(_ look: Theme.Look, bold: Bool, colours: Int, palette: [RGB]) -> (RGB, RGB) {
        var fg = Int(look.foreground ?? 7)
        let bg = Int(look.background ?? 0)
        // On 8 colours, bold is the bright foreground.
        if colours < 16 && (look.bold || (bold && look.boldAllowed)) && fg < 8 { fg += 8 }
        return (palette[fg], palette[bg])
    }

    @Test("every tone, bold or not, is at least 7:1 on the console's 8 colours and on xterm's 16 and 256",
          arguments: [(8, "console"), (8, "xterm"), (16, "xterm"), (256, "xterm")])
    func contrast(colours: Int, paletteName: String) {
        let palette = paletteName == "console" ? Self.console : Self.xterm
        let theme = Theme.highContrast(colours: colours)
        for tone in Theme.tones {
            for bold in [false, true] {
                let (fg, bg) = Self.drawn(theme.look(tone), bold: bold, colours: colours, palette: palette)
                let ratio = Self.contrast(fg, bg)
                #expect(ratio >= 7, "\(tone) bold=\(bold) on \(colours) colours (\(paletteName)): \(String(format: "%.2f", ratio)):1")
            }
        }
    }

    @Test("the focus, the bars, done and warnings each look different from plain text")
    func distinct() {
        for colours in [8, 256] {
            let theme = Theme.highContrast(colours: colours)
            let normal = theme.look(.normal)
            for tone in [Style.Tone.bar, .selected, .good, .attention, .quiet] {
                let look = theme.look(tone)
                #expect(look.foreground != normal.foreground || look.background != normal.background, "\(tone) on \(colours)")
            }
            #expect(theme.look(.selected) != theme.look(.bar), "the focus stands out from the bars")
        }
    }

    @Test("plain: no colour at all; the focus and the bars in reverse video, never dim")
    func plain() {
        let theme = Theme.plain
        #expect(!theme.usesColour)
        #expect(Theme.tones.allSatisfy { theme.look($0).foreground == nil && theme.look($0).background == nil })
        #expect(theme.look(.selected).reverse && theme.look(.bar).reverse)
        #expect(Theme.choose(colour: false, terminalColours: 256) == .plain)
        #expect(Theme.choose(colour: true, terminalColours: 0) == .plain, "a terminal without colours")
        #expect(Theme.choose(colour: true, terminalColours: 8) == Theme.highContrast(colours: 8))
    }

    @Test("each tone's look is the one given for that tone, and a tone given none has none")
    func looksByTone() {
        for (n, tone) in Theme.tones.enumerated() {
            let theme = Theme(usesColour: true, looks: [tone: Theme.Look(foreground: Int16(n), background: 9)])
            for other in Theme.tones {
                #expect(theme.look(other) == (other == tone ? Theme.Look(foreground: Int16(n), background: 9) : Theme.Look()), "\(tone) \(other)")
            }
        }
    }
}
