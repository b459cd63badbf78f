import Testing
@testable import KioskUI

@Suite("Input decoding")
struct InputDecoderTests {
    /// Keys for `bytes` followed by the input going quiet.
    func keys(_ bytes: [UInt8]) -> [Key] {
        var decoder = InputDecoder()
        return bytes.flatMap { decoder.feed($0) } + decoder.quiet()
    }

    func keys(_ text: String) -> [Key] { keys(Array(text.utf8)) }

    @Test("UTF-8 of every length becomes one character each; controls become Ctrl keys")
    func characters() {
        #expect(keys("aé李😀\r\t\u{7F}\u{03}") == [
            .character("a"), .character("é"), .character("李"), .character("😀"),
            .enter, .tab, .backspace, .control("c"),
        ])
    }

    @Test("bytes that are not UTF-8 are dropped as unknown keys, never typed, and what follows still arrives", arguments: [
        ([0x80], "a stray continuation byte"),
        ([0xFF], "a byte UTF-8 never uses"),
        ([0xC0, 0xAF], "an overlong \"/\""),
        ([0xE0, 0x80, 0xAF], "a three-byte overlong \"/\""),
        ([0xED, 0xA0, 0x80], "a UTF-16 surrogate"),
        ([0xF4, 0x90, 0x80, 0x80], "a code point beyond U+10FFFF"),
    ] as [([UInt8], String)])
    func invalid(bytes: [UInt8], what: String) {
        let decoded = keys(bytes + Array("ok".utf8))
        #expect(!decoded.contains { if case .character(let c) = $0 { c != "o" && c != "k" } else { false } }, "\(what): \(decoded)")
        #expect(decoded.suffix(2) == [.character("o"), .character("k")], "\(what)")
        #expect(decoded.dropLast(2).allSatisfy { $0 == .unknown }, "\(what)")
    }

    @Test("a character cut short by another byte: the cut is dropped, the byte is its own key")
    func cutShort() {
        #expect(keys([0xE6, 0x9D, 0x41]) == [.unknown, .character("A")])
        #expect(keys([0xC3, 0x1B]) == [.unknown, .escape], "an Esc after a broken character is still the Esc key")
        #expect(keys([0xE6, 0x9D]) == [.unknown], "input that stops half-way")
    }

    @Test("Esc alone is Esc; twice is twice; a sequence (CSI, SS3, OSC) is one unknown key, never typed")
    func escapes() {
        #expect(keys("\u{1B}") == [.escape])
        #expect(keys("\u{1B}\u{1B}") == [.escape, .escape])
        #expect(keys("a\u{1B}[31mb") == [.character("a"), .unknown, .character("b")])
        #expect(keys("\u{1B}[1;5Ac") == [.unknown, .character("c")])
        #expect(keys("\u{1B}OPc") == [.unknown, .character("c")])
        #expect(keys("\u{1B}]0;pwned\u{07}c") == [.unknown, .character("c")])
        #expect(keys("\u{1B}]0;pwned\u{1B}\\c") == [.unknown, .character("c")], "OSC ended by ST")
        #expect(keys("\u{1B}xc") == [.unknown, .character("c")], "Alt with a key is dropped")
    }

    @Test("Alt-Backspace (Esc then DEL or BS) is one key that deletes a word, never Esc and a Backspace")
    func altBackspace() {
        #expect(keys("ab\u{1B}\u{7F}c") == [.character("a"), .character("b"), .altBackspace, .character("c")])
        #expect(keys([0x1B, 0x08]) == [.altBackspace])
        #expect(keys([0x1B, 0x1B, 0x7F]) == [.escape, .altBackspace])
        // ncurses turns DEL into KEY_BACKSPACE itself: after an Esc it is Alt-Backspace too.
        var decoder = InputDecoder()
        #expect(decoder.feed(0x1B) == [])
        #expect(decoder.decoded(.backspace) == [.altBackspace])
        #expect(!decoder.isWaiting)
        #expect(decoder.feed(0x1B) == [])
        #expect(decoder.decoded(.up) == [.escape, .up], "another key after Esc: Esc, then that key")
        #expect(decoder.decoded(.backspace) == [.backspace])
    }

    @Test("a sequence that never ends cannot swallow everything typed after it")
    func endless() {
        let decoded = keys("\u{1B}[" + String(repeating: "1", count: 400) + "z")
        #expect(decoded.first == .unknown)
        #expect(decoded.last == .character("z"))
        #expect(decoded.count < 200)
    }
}

/// Escape strings and reports a terminal (or a paste) can send that are not
/// keys: each is read whole and dropped, so none of it lands in a field.
@Suite("Input decoding: strings, mouse reports and C1 controls")
struct EscapeStringTests {
    func keys(_ bytes: [UInt8]) -> [Key] {
        var decoder = InputDecoder()
        return bytes.flatMap { decoder.feed($0) } + decoder.quiet()
    }

    func keys(_ text: String) -> [Key] { keys(Array(text.utf8)) }

    /// What a field would hold after these keys.
    func typed(_ keys: [Key]) -> String {
        String(keys.compactMap { if case .character(let c) = $0 { c } else { nil } })
    }

    @Test("DCS, APC, PM and SOS strings are dropped whole up to their ST (ESC \\ or U+009C)", arguments: [
        ("\u{1B}P1$qm\u{1B}\\", "DECRQSS query"),
        ("\u{1B}P1$r0;1m\u{1B}\\", "DECRQSS reply"),
        ("\u{1B}P+q544e\u{1B}\\", "XTGETTCAP"),
        ("\u{1B}_Gi=31,s=1,v=1;AAAA\u{1B}\\", "an APC (kitty graphics)"),
        ("\u{1B}^private message\u{1B}\\", "a PM"),
        ("\u{1B}Xstart of string\u{1B}\\", "an SOS"),
        ("\u{1B}Pq#0;2;0;0;0#1!6~\u{C2}\u{9C}", "a sixel DCS ended by an 8-bit ST in UTF-8"),
        ("\u{1B}P\u{07}bell is not an end\u{1B}\\", "a DCS is not ended by BEL"),
        ("\u{1B}]0;C:\\Users\\sam\u{07}", "an OSC with backslashes ends at BEL, not at the first backslash"),
        ("\u{1B}]0;Zoë 李\u{1B}\\", "an OSC with UTF-8 in it, ended by ESC \\"),
    ] as [(String, String)])
    func strings(sequence: String, what: String) {
        let decoded = keys("a" + sequence + "b")
        #expect(typed(decoded) == "ab", "\(what): \(decoded)")
        #expect(decoded.count == 3, "\(what): one unknown key for the whole string: \(decoded)")
    }

    @Test("a string cut by another escape sequence ends there, and that sequence is read as one")
    func stringCut() {
        let decoded = keys("\u{1B}Pabc\u{1B}[Ad")
        #expect(typed(decoded) == "d", "\(decoded)")
        #expect(decoded == [.unknown, .unknown, .character("d")])
    }

    @Test("X10 mouse reports (ESC [ M and three raw bytes) are dropped whole, in plain and UTF-8 (1005) encodings")
    func x10Mouse() {
        #expect(keys("a\u{1B}[M !!b") == [.character("a"), .unknown, .character("b")])
        #expect(keys("\u{1B}[M#5(\u{1B}[M 5(z") == [.unknown, .unknown, .character("z")])
        // Columns past 95: raw bytes above 0x7F, or UTF-8 (mode 1005).
        #expect(keys([0x1B, 0x5B, 0x4D, 0x20, 0xE0, 0xA0, 0x79]) == [.unknown, .character("y")])
        #expect(keys([0x1B, 0x5B, 0x4D, 0x20] + Array("ÈÈ".utf8) + [0x79]) == [.unknown, .character("y")])
        #expect(keys([0x1B, 0x5B, 0x4D, 0x20, 0xC3, 0x21, 0x6B]) == [.unknown, .character("k")], "a raw value that looks like a UTF-8 lead byte")
        #expect(keys([0x1B, 0x5B, 0x4D, 0x20, 0x21, 0xC3, 0x6B]) == [.unknown, .character("k")], "the same as the last value")
        // SGR (1006) and urxvt (1015) reports are ordinary CSI sequences.
        #expect(keys("\u{1B}[<0;12;5M\u{1B}[<0;12;5m\u{1B}[32;12;5Mq") == [.unknown, .unknown, .unknown, .character("q")])
        // A parameter makes ESC [ ... M an ordinary sequence again: nothing after it is eaten.
        #expect(keys("\u{1B}[2Mab") == [.unknown, .character("a"), .character("b")])
    }

    @Test("the 8-bit C1 introducers arriving as UTF-8 start a sequence like their Esc forms, and no C1 control is ever a character", arguments: [
        ("\u{9B}31m", "CSI"),
        ("\u{9B}M !!", "CSI mouse report"),
        ("\u{9D}0;title\u{07}", "OSC ended by BEL"),
        ("\u{9D}0;title\u{9C}", "OSC ended by the 8-bit ST"),
        ("\u{90}1$qm\u{9C}", "DCS"),
        ("\u{90}1$qm\u{1B}\\", "DCS ended by ESC \\"),
        ("\u{98}sos\u{9C}", "SOS"),
        ("\u{9E}pm\u{9C}", "PM"),
        ("\u{9F}apc\u{9C}", "APC"),
        ("\u{8F}P", "SS3"),
        ("\u{85}", "NEL"),
        ("\u{9C}", "a lone ST"),
        ("\u{80}", "PAD"),
    ] as [(String, String)])
    func c1(sequence: String, what: String) {
        let decoded = keys("a" + sequence + "b")
        #expect(typed(decoded) == "ab", "\(what): \(decoded)")
        #expect(decoded.filter { $0 == .unknown }.count == 1, "\(what): \(decoded)")
    }

    @Test("raw 8-bit C1 bytes (not UTF-8) start a sequence too, never typed")
    func rawC1() {
        #expect(typed(keys([0x61, 0x9B, 0x33, 0x31, 0x6D, 0x62])) == "ab")
        #expect(typed(keys([0x61, 0x9D] + Array("0;x".utf8) + [0x07, 0x62])) == "ab")
    }

    @Test("nF escape sequences (ESC, intermediates, final: charset designations such as tput sgr0's ESC ( B) are dropped whole")
    func nF() {
        #expect(keys("\u{1B}(B\u{1B}[mx") == [.unknown, .unknown, .character("x")])
        #expect(keys("\u{1B} Fx\u{1B}#8y\u{1B}%Gz") == [.unknown, .character("x"), .unknown, .character("y"), .unknown, .character("z")])
    }

    @Test("a byte that cannot be part of a CSI sequence ends it and is read on its own")
    func csiCutShort() {
        #expect(keys("\u{1B}[1;李") == [.unknown, .character("李")])
        #expect(keys("\u{1B}[1\u{1B}[Ax") == [.unknown, .unknown, .character("x")])
        #expect(keys("\u{1B}[1\rx") == [.unknown, .enter, .character("x")])
    }

    @Test("a string that never ends is dropped after 256 bytes: what follows is still read", arguments: ["\u{1B}P", "\u{1B}_", "\u{1B}^", "\u{1B}X", "\u{1B}]", "\u{90}"])
    func endlessString(introducer: String) {
        let decoded = keys(introducer + String(repeating: "x", count: 300) + "Zoë")
        #expect(decoded.first == .unknown)
        #expect(typed(decoded).hasSuffix("Zoë"))
        #expect(decoded.count < 60, "\(decoded.count)")
    }

    @Test("a mouse report cut short by the input going quiet is dropped, and the next key is a key")
    func mouseCutShort() {
        var decoder = InputDecoder()
        #expect("\u{1B}[M ".utf8.flatMap { decoder.feed($0) } == [])
        #expect(decoder.isWaiting)
        #expect(decoder.quiet() == [.unknown])
        #expect(decoder.feed(UInt8(ascii: "k")) == [.character("k")])
    }
}
