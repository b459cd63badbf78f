/// The audience tag at the end of a clause, `- [ ] ... {visitor governor}`:
/// which roles that read only part of a document (`audience = "visitor"` in
/// kiosk.conf) agree to the clause. The tag is no part of the clause's text,
/// so it never changes the clause's identity: marking a clause for visitors
/// asks no member of staff to sign again.
public enum AudienceTag {
    /// A clause's text split from its tag.
    public struct Split: Equatable, Sendable {
        /// The statement without the tag.
        public var text: String
        /// In the order written, each once; empty when there is no tag.
        public var audiences: [String]
        /// Where in the text the tag (its `{`) starts, when there is one.
        public var offset: Int?
        /// What is wrong with the tag, and where in the text (in characters).
        public var problem: (offset: Int, message: String)?

        public static func == (a: Split, b: Split) -> Bool {
            a.text == b.text && a.audiences == b.audiences && a.offset == b.offset
                && a.problem?.offset == b.problem?.offset && a.problem?.message == b.problem?.message
        }
    }

    /// The usual clause on its bytes: plain text (a character a scalar, no
    /// CR), one `{` and one `}`, the `}` last but for white space, and good
    /// names between them. Nil for anything else, which the reading by
    /// characters below takes (and names the problem of).
    private static func wellFormedPlainTag(_ text: String) -> Split? {
        guard PlainText.isPlain(text), !PlainText.contains(0x0D, in: text) else { return nil }
        let bytes = Array(text.utf8)
        let isSpace = { (b: UInt8) in b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        var end = bytes.count
        while end > 0 && isSpace(bytes[end - 1]) { end -= 1 }
        guard end > 0, bytes[end - 1] == UInt8(ascii: "}"),
              let open = bytes.firstIndex(of: UInt8(ascii: "{")),
              bytes.lastIndex(of: UInt8(ascii: "{")) == open,
              bytes.firstIndex(of: UInt8(ascii: "}")) == end - 1 else { return nil }
        var audiences: [String] = []
        for name in bytes[(open + 1)..<(end - 1)].split(whereSeparator: { isSpace($0) || $0 == UInt8(ascii: ",") }) {
            let id = String(decoding: name, as: UTF8.self)
            guard DocumentParser.isValidID(id) else { return nil }
            if !audiences.contains(id) { audiences.append(id) }
        }
        guard !audiences.isEmpty else { return nil }
        // In characters, as the reading by characters counts: a scalar each.
        let offset = bytes[..<open].reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        return Split(text: String(decoding: bytes[..<open], as: UTF8.self), audiences: audiences, offset: offset, problem: nil)
    }

    static let example = "end the clause with its audiences in braces, e.g. `- [ ] I will ... {visitor governor}`"

    /// Reads the tag at the end of `text`. Braces anywhere else in a clause
    /// are a problem (a tag put in the wrong place would otherwise be read
    /// as words to agree to, and the clause given to every role).
    public static func split(_ text: String) -> Split { split(text, byCharacters: false) }

    /// `byCharacters` reads plain text character by character too (for the tests).
    static func split(_ text: String, byCharacters: Bool) -> Split {
        // No brace, no tag (nor a problem with one): most clauses.
        guard PlainText.contains(UInt8(ascii: "{"), in: text) || PlainText.contains(UInt8(ascii: "}"), in: text) else {
            return Split(text: text, audiences: [], offset: nil, problem: nil)
        }
        if !byCharacters, let split = wellFormedPlainTag(text) { return split }
        // Each character as what the tag's reading needs of it: `{`, `}`,
        // white space (a space) or anything else (0x80), with where it
        // starts. Plain text is a character a scalar (no CR LF in a
        // clause's line), read from its bytes.
        var kinds: [UInt8] = []
        var starts: [String.Index] = []
        if !byCharacters && PlainText.isPlain(text) && !PlainText.contains(0x0D, in: text) {
            let u = text.utf8
            var i = u.startIndex
            while i < u.endIndex {
                let b = u[i]
                if b & 0xC0 != 0x80 {
                    // ASCII white space is `Character.isWhitespace`'s; no plain scalar is.
                    kinds.append(b == 0x7B || b == 0x7D ? b : (b == 0x20 || (b >= 0x09 && b <= 0x0D)) ? 0x20 : 0x80)
                    starts.append(i)
                }
                i = u.index(after: i)
            }
        } else {
            for index in text.indices {
                let c = text[index]
                kinds.append(c == "{" ? 0x7B : c == "}" ? 0x7D : c.isWhitespace ? 0x20 : 0x80)
                starts.append(index)
            }
        }
        func slice(_ range: Range<Int>) -> String {
            String(text[starts[range.lowerBound]..<(range.upperBound < starts.count ? starts[range.upperBound] : text.endIndex)])
        }
        let isBrace = { (kind: UInt8) in kind == 0x7B || kind == 0x7D }
        var end = kinds.count
        while end > 0 && kinds[end - 1] == 0x20 { end -= 1 }
        func plain(_ message: String, at offset: Int) -> Split {
            Split(text: text, audiences: [], offset: nil, problem: (offset, message))
        }
        guard let lastBrace = kinds[..<end].lastIndex(where: isBrace) else {
            return Split(text: text, audiences: [], offset: nil, problem: nil)
        }
        if kinds[lastBrace] == 0x7B {
            return plain("audience tag is not closed: write `}` after the last audience; \(example)", at: lastBrace)
        }
        guard lastBrace == end - 1 else {
            return plain("an audience tag goes at the very end of the clause: move `{...}` there; \(example)", at: lastBrace)
        }
        guard let open = kinds[..<lastBrace].lastIndex(of: 0x7B) else {
            return plain("`}` without its `{`: \(example)", at: lastBrace)
        }
        if let stray = kinds[..<open].firstIndex(where: isBrace) {
            return plain("a clause may hold braces only in the one audience tag at its end: remove this one; \(example)", at: stray)
        }
        let inside = slice((open + 1)..<lastBrace)
        let names = inside.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map(String.init)
        if names.isEmpty {
            return plain("empty audience tag: name the audiences the clause is for, e.g. {visitor}, or remove the braces", at: open)
        }
        if let bad = names.first(where: { !DocumentParser.isValidID($0) }) {
            let hint = DocumentParser.isValidID(bad.lowercased()) ? " (write `\(bad.lowercased())`)" : ""
            return plain("audience `\(bad)` may use only a-z, 0-9 and '-'\(hint): it is the `audience` of a role in kiosk.conf", at: open)
        }
        var audiences: [String] = []
        for name in names where !audiences.contains(name) { audiences.append(name) }
        let statement = slice(0..<open)
        return Split(text: statement, audiences: audiences, offset: open, problem: nil)
    }
}
