import Foundation

/// The text operations the document parser runs on every line, done on the
/// UTF-8 bytes when the text is plain, and by Foundation otherwise, with the
/// same result either way.
///
/// Text is plain when each of its Unicode scalars is ASCII or one of
/// `isPlainScalar`'s: letters with their accents already composed (Latin-1,
/// Latin Extended A and B, as Polish, Welsh or French are written), general
/// punctuation (dashes, curly quotes, "…") and currency signs. In plain text
/// every scalar is a character of its own (nothing combines with or joins its
/// neighbours), the text is already in Unicode NFC, and the only white space
/// is ASCII's; so a search, a trim or a split over the bytes finds what
/// Foundation's search over characters finds. Foundation on Linux goes
/// through UTF-16 for each of these calls: parsing the shipped content took
/// 5 ms of the kiosk's start-up that way (measured with `perf`).
enum PlainText {
    /// A scalar that is a character of its own whatever surrounds it,
    /// unchanged by NFC, and not white space. Checked against Foundation and
    /// the standard library, scalar by scalar, in the tests.
    @inline(__always)
    static func isPlainScalar(_ v: UInt32) -> Bool {
        switch v {
        case 0xA1...0xAC, 0xAE...0x2FF: true  // Latin-1 (not its no-break space or soft hyphen), Latin Extended, IPA, modifier letters
        case 0x2010...0x2027, 0x2030...0x205E: true  // dashes, quotes, bullets, "…", primes (not the line and paragraph separators, bidi controls or spaces)
        case 0x20A0...0x20C0: true  // currency signs
        default: false
        }
    }

    /// Whether every scalar of `bytes` (valid UTF-8) is ASCII or plain.
    static func isPlain<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var iterator = bytes.makeIterator()
        while let b = iterator.next() {
            if b < 0x80 { continue }
            guard let v = scalar(startingWith: b, &iterator), isPlainScalar(v) else { return false }
        }
        return true
    }

    /// The scalar whose first UTF-8 byte is `lead`, reading the rest from `iterator`.
    @inline(__always)
    static func scalar<I: IteratorProtocol>(startingWith lead: UInt8, _ iterator: inout I) -> UInt32? where I.Element == UInt8 {
        let count: Int
        var v: UInt32
        switch lead {
        case 0xC0...0xDF: count = 1; v = UInt32(lead & 0x1F)
        case 0xE0...0xEF: count = 2; v = UInt32(lead & 0x0F)
        case 0xF0...0xF7: count = 3; v = UInt32(lead & 0x07)
        default: return nil
        }
        for _ in 0..<count {
            guard let next = iterator.next() else { return nil }
            v = v << 6 | UInt32(next & 0x3F)
        }
        return v
    }

    static func isPlain(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isPlainBytes) ?? isPlain(text.utf8)
    }
    static func isPlain(_ text: Substring) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isPlainBytes) ?? isPlain(text.utf8)
    }

    /// `isPlain` on a string's own bytes: ASCII skipped 8 bytes at a time
    /// (a word with no high bit holds no byte of a longer scalar, so the
    /// first word with one starts at a scalar), the rest scalar by scalar.
    private static func isPlainBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        isPlain(UnsafeBufferPointer(rebasing: bytes[asciiWords(bytes)...]))
    }

    /// How many bytes at the start of `bytes` are ASCII, counted in whole
    /// 8-byte words (so it ends at a scalar's start).
    private static func asciiWords(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let raw = UnsafeRawBufferPointer(bytes)
        var i = 0
        while i + 8 <= raw.count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
        }
        return i
    }

    /// `Array(text.unicodeScalars)`, from the bytes when they are all ASCII
    /// (the scalar view counted them one by one before copying them).
    static func scalars(_ text: String) -> [Unicode.Scalar] {
        let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> [Unicode.Scalar]? in
            guard bytes[asciiWords(bytes)...].allSatisfy({ $0 < 0x80 }) else { return nil }
            return bytes.map { Unicode.Scalar($0) }
        }
        return (ascii ?? nil) ?? Array(text.unicodeScalars)
    }

    /// Whether `text` is printable ASCII and tabs (most lines of a
    /// document), over its own bytes when it has them in one piece.
    static func isPrintableASCII(_ text: Substring) -> Bool {
        let printable = { (b: UInt8) in (b >= 0x20 && b < 0x7F) || b == 0x09 }
        return text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(printable) } ?? text.utf8.allSatisfy(printable)
    }

    /// `text.count`; for plain text without a carriage return, its scalars
    /// counted on the bytes (each is a character of its own).
    static func characterCount(_ text: String) -> Int {
        guard isPlain(text), !contains(0x0D, in: text) else { return text.count }
        return text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        } ?? text.count
    }

    /// Whether `text` holds the byte `byte` (memchr over its UTF-8; the
    /// collection's `contains` went a byte at a time through its indices).
    static func contains(_ byte: UInt8, in text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { hasByte(byte, $0) } ?? text.utf8.contains(byte)
    }
    static func contains(_ byte: UInt8, in text: Substring) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { hasByte(byte, $0) } ?? text.utf8.contains(byte)
    }

    private static func hasByte(_ byte: UInt8, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return memchr(base, Int32(byte), bytes.count) != nil
    }

    /// `text.replacingOccurrences(of: "\r\n", with: "\n")`, without
    /// Foundation when there is no carriage return (a file saved on Linux or
    /// a Mac).
    static func unixLineEnds(_ text: String) -> String {
        contains(0x0D, in: text) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
    }

    /// `parts.joined(separator: separator)`, which the standard library runs
    /// unspecialised (looking its types up by name at each call).
    static func joined(_ parts: [String], separator: String) -> String {
        var out = ""
        for (n, part) in parts.enumerated() {
            if n > 0 { out += separator }
            out += part
        }
        return out
    }

    /// `lines.joined(separator: "\n")` for consecutive lines of one text
    /// split by `lines(_:)` after `unixLineEnds`: the text they span, taken
    /// whole. (joined(separator:) on substrings ran unspecialised, looking
    /// its types up by name at each call.)
    static func joinedLines(_ lines: ArraySlice<Substring>) -> String {
        guard let first = lines.first, let last = lines.last else { return "" }
        return String(first.base[first.startIndex..<last.endIndex])
    }

    /// `text.split(separator: "\n", omittingEmptySubsequences: false)`: on
    /// the bytes when there is no carriage return (then every line feed is
    /// a character of its own; "\r\n" is one character, and no line end).
    static func lines(_ text: String) -> [Substring] {
        guard !contains(0x0D, in: text) else { return text.split(separator: "\n", omittingEmptySubsequences: false) }
        // Offsets of the line feeds, then the lines between them.
        var breaks: [Int] = []
        var copy = text
        copy.withUTF8 { bytes in
            for (offset, byte) in bytes.enumerated() where byte == 0x0A { breaks.append(offset) }
        }
        var lines: [Substring] = []
        lines.reserveCapacity(breaks.count + 1)
        let u = text.utf8
        var start = u.startIndex
        var previous = 0
        for offset in breaks {
            let end = u.index(start, offsetBy: offset - previous)
            lines.append(text[start..<end])
            start = u.index(after: end)
            previous = offset + 1
        }
        lines.append(text[start..<u.endIndex])
        return lines
    }

    /// Foundation's `CharacterSet.whitespaces` (Unicode's space separators,
    /// the tab, and the zero-width space), as trimming sees it.
    static func isFoundationWhitespace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// `text.trimmingCharacters(in: .whitespaces)`.
    static func trimmed(_ text: String) -> String { trimmed(text[...]) }

    static func trimmed(_ text: Substring) -> String {
        let u = text.utf8
        var start = u.startIndex
        var end = u.endIndex
        while start < end, u[start] == 0x20 || u[start] == 0x09 { start = u.index(after: start) }
        while end > start {
            let before = u.index(before: end)
            guard u[before] == 0x20 || u[before] == 0x09 else { break }
            end = before
        }
        // A letter of more than one byte at either end may itself be a space
        // of Foundation's set (a no-break space): trimmed by scalars, with
        // the set written down (a test holds it to Foundation's).
        if start < end && (u[start] >= 0x80 || u[u.index(before: end)] >= 0x80) {
            let scalars = text.unicodeScalars
            var first = scalars.startIndex
            var last = scalars.endIndex
            while first < last, isFoundationWhitespace(scalars[first].value) { first = scalars.index(after: first) }
            while last > first, isFoundationWhitespace(scalars[scalars.index(before: last)].value) { last = scalars.index(before: last) }
            return String(Substring(scalars[first..<last]))
        }
        return String(text[start..<end])
    }

    /// `text.range(of: marker)` for an ASCII `marker` such as "<!--": the
    /// first place the bytes match, when it stands between ASCII bytes (so
    /// no accent or joiner makes it part of a larger character); Foundation
    /// decides otherwise. Foundation matches only where the bytes do: none
    /// of "<!-->" has another character canonically equivalent to it.
    static func range(of marker: String, in text: String, from: String.Index? = nil, textIsPlain: Bool = false) -> Range<String.Index>? {
        let u = text.utf8
        let from = from ?? text.startIndex
        guard let found = firstMatch(Array(marker.utf8), in: text, from: from) else { return nil }
        let before = found.lowerBound > u.startIndex ? u[u.index(before: found.lowerBound)] : 0
        let after = found.upperBound < u.endIndex ? u[found.upperBound] : 0
        if !textIsPlain && (before >= 0x80 || after >= 0x80) {
            return text.range(of: marker, range: from..<text.endIndex)
        }
        return found
    }

    /// Where the bytes `needle` first stand in `text` at or after `from`:
    /// memchr and memcmp over the string's own bytes, when it has them in one piece.
    static func firstMatch(_ needle: [UInt8], in text: String, from: String.Index) -> Range<String.Index>? {
        let u = text.utf8
        let start = u.distance(from: u.startIndex, to: from)
        let searched: Int?? = u.withContiguousStorageIfAvailable { bytes -> Int? in
            guard let base = bytes.baseAddress, !needle.isEmpty, start <= bytes.count else { return nil }
            return needle.withUnsafeBufferPointer { n -> Int? in
                var i = start
                while i + n.count <= bytes.count, let hit = memchr(base + i, Int32(n[0]), bytes.count - n.count + 1 - i) {
                    let at = UnsafeRawPointer(base).distance(to: hit)
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    i = at + 1
                }
                return nil
            }
        }
        guard let searched else { return firstMatch(needle, in: u, from: from) }
        guard let offset = searched else { return nil }
        let lower = u.index(u.startIndex, offsetBy: offset)
        return lower..<u.index(lower, offsetBy: needle.count)
    }

    /// Where the bytes `needle` first stand in `u` at or after `from`.
    static func firstMatch<U: BidirectionalCollection>(_ needle: [UInt8], in u: U, from: U.Index) -> Range<U.Index>?
    where U.Element == UInt8 {
        guard let first = needle.first else { return nil }
        var i = from
        while i < u.endIndex, let at = u[i...].firstIndex(of: first) {
            var j = at
            var k = 0
            while k < needle.count, j < u.endIndex, u[j] == needle[k] {
                j = u.index(after: j)
                k += 1
            }
            if k == needle.count { return at..<j }
            i = u.index(after: at)
        }
        return nil
    }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty`: a
    /// text with a printable ASCII letter is not blank, whatever else it holds.
    static func isBlank(_ text: String) -> Bool {
        if text.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }) { return false }
        return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// `text.range(of: needle)` for any needle: on the bytes when both are
    /// plain (two plain texts are canonically equivalent only when their
    /// bytes are equal), Foundation's otherwise.
    static func range(of needle: String, inPlain text: Substring) -> Range<String.Index>? {
        guard isPlain(text), isPlain(needle), !needle.isEmpty else { return text.range(of: needle) }
        return firstMatch(Array(needle.utf8), in: text.utf8, from: text.startIndex)
    }

    /// Where the last `needle` in `text` starts, in characters from 1:
    /// Foundation's backward search, on the bytes when both are plain.
    static func lastColumn(of needle: String, in text: String) -> Int? {
        guard isPlain(text), isPlain(needle) else {
            return text.range(of: needle, options: .backwards).map { text.distance(from: text.startIndex, to: $0.lowerBound) + 1 }
        }
        let haystack = Array(text.utf8)
        let n = Array(needle.utf8)
        guard !n.isEmpty, n.count <= haystack.count else { return nil }
        var start = haystack.count - n.count
        while start >= 0 {
            if haystack[start] == n[0] && haystack[start..<(start + n.count)].elementsEqual(n) {
                // In plain text a character is a scalar (CR LF aside): count them.
                var column = 1
                for i in 0..<start where haystack[i] & 0xC0 != 0x80 && !(haystack[i] == 0x0A && i > 0 && haystack[i - 1] == 0x0D) {
                    column += 1
                }
                return column
            }
            start -= 1
        }
        return nil
    }

    /// `text.components(separatedBy: separator)` for an ASCII separator
    /// such as "**", on plain text; Foundation's otherwise.
    static func components(_ text: String, separatedBy separator: String) -> [String] {
        guard isPlain(text) else { return text.components(separatedBy: separator) }
        var parts: [String] = []
        var rest = text.startIndex
        var i = text.startIndex
        while let found = range(of: separator, in: text, from: i, textIsPlain: true) {
            parts.append(String(text[rest..<found.lowerBound]))
            rest = found.upperBound
            i = found.upperBound
        }
        parts.append(String(text[rest...]))
        return parts
    }
}
