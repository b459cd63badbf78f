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

    @Test("a sequence that never ends cannot swallow everything typed after it")
    func endless() {
        let decoded = keys("\u{1B}[" + String(repeating: "1", count: 400) + "z")
        #expect(decoded.first == .unknown)
        #expect(decoded.last == .character("z"))
        #expect(decoded.count < 200)
    }
}
