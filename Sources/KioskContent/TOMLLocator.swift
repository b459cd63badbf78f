/// Finds where a key or a string value stands in TOML source text.
///
/// TOMLKit reports positions only for syntax errors; for errors of meaning
/// ("unknown document `polcy`") the kiosk still names line and column, so it
/// scans the source for table headers and `key =` lines. This handles the
/// TOML the kiosk's own files use (bare keys, `[a.b]` headers, arrays that
/// may span lines), which is what a school office writes.
struct TOMLLocator {
    struct Position: Equatable {
        var line: Int
        var column: Int
    }

    private struct KeyLine {
        var table: String
        var key: String
        var line: Int
        var column: Int
        var valueColumn: Int
    }

    private let lines: [Substring]
    private var keys: [KeyLine] = []
    /// Table headers in order of appearance: (dotted name, line).
    private(set) var tables: [(name: String, line: Int)] = []
    /// Line numbers are offset by this much (front matter starts after `+++`).
    private let lineOffset: Int

    init(source: String, lineOffset: Int = 0) {
        self.lineOffset = lineOffset
        self.lines = PlainText.lines(PlainText.unixLineEnds(source))
        var table = ""
        for (index, raw) in lines.enumerated() {
            let line = index + 1 + lineOffset
            let trimmed = raw.drop(while: { $0 == " " || $0 == "\t" })
            // The characters dropped (counting the whole line's took longer).
            let indent = raw.distance(from: raw.startIndex, to: trimmed.startIndex)
            if trimmed.hasPrefix("[") {
                let inner = trimmed.drop(while: { $0 == "[" })
                if let close = inner.firstIndex(of: "]") {
                    table = PlainText.joined(inner[..<close].split(separator: ".").map { Self.trim($0, " \t\"") }, separator: ".")
                    tables.append((table, line))
                }
                continue
            }
            // No '=' byte, no '=' character (nothing else is one): most comments and values.
            guard PlainText.contains(UInt8(ascii: "="), in: trimmed) else { continue }
            guard let eq = trimmed.firstIndex(of: "="), !trimmed.hasPrefix("#") else { continue }
            let rawKey = Self.trim(trimmed[..<eq], " \t")
            let key = Self.trim(rawKey[...], "\"")
            // A bare key, or one quoted whole (`"staffroom-1" = ...`).
            let quoted = rawKey.count >= 2 && rawKey.hasPrefix("\"") && rawKey.hasSuffix("\"") && !key.contains("\"")
            guard !key.isEmpty, quoted || Self.isBareKey(key) else {
                continue
            }
            let afterEq = trimmed[trimmed.index(after: eq)...]
            let valueOffset = trimmed.distance(from: trimmed.startIndex, to: eq) + 1
                + afterEq.prefix(while: { $0 == " " || $0 == "\t" }).count
            keys.append(KeyLine(table: table, key: key, line: line, column: indent + 1, valueColumn: indent + valueOffset + 1))
        }
    }

    /// `text` without the ASCII `characters` at either end (as Foundation's
    /// trimmingCharacters(in:) with that set: none of them can be part of
    /// a larger character but a quote or space before a combining accent,
    /// which Foundation trims too, by its UTF-16 units).
    static func trim(_ text: Substring, _ characters: StaticString) -> String {
        let set = UnsafeBufferPointer(start: characters.utf8Start, count: characters.utf8CodeUnitCount)
        let u = text.utf8
        var start = u.startIndex
        var end = u.endIndex
        while start < end, set.contains(u[start]) { start = u.index(after: start) }
        while end > start, set.contains(u[u.index(before: end)]) { end = u.index(before: end) }
        return String(Substring(u[start..<end]))
    }

    /// Letters, digits, `_` and `-`: ASCII ones on the bytes, others as before.
    static func isBareKey(_ key: String) -> Bool {
        key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }
            || key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    /// The position of `key` in `table` ("" is the root table).
    func key(_ key: String, in table: String = "") -> Position? {
        keys.first { $0.table == table && $0.key == key }.map { Position(line: $0.line, column: $0.column) }
    }

    /// The position of `key`'s value.
    func value(of key: String, in table: String = "") -> Position? {
        keys.first { $0.table == table && $0.key == key }.map { Position(line: $0.line, column: $0.valueColumn) }
    }

    /// The value of `key` when it is a plain string on its line (`"..."`
    /// with no escapes, or `'...'`), read without the TOML parser: for
    /// when the file is not valid TOML, to still know what it names.
    func plainString(of key: String, in table: String = "") -> String? {
        guard let entry = keys.first(where: { $0.table == table && $0.key == key }) else { return nil }
        let value = lines[entry.line - 1 - lineOffset].dropFirst(entry.valueColumn - 1)
        guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
        let inner = value.dropFirst()
        guard let end = inner.firstIndex(of: quote) else { return nil }
        let text = inner[..<end]
        if quote == "\"" && text.contains("\\") { return nil }
        let after = inner[inner.index(after: end)...].drop { $0 == " " || $0 == "\t" }
        guard after.isEmpty || after.first == "#" else { return nil }
        return String(text)
    }

    /// The position of the quoted string `text` in the value of `key`,
    /// searching from the key's line onward (arrays may span lines).
    func string(_ text: String, inValueOf key: String, in table: String = "") -> Position? {
        guard let start = keys.first(where: { $0.table == table && $0.key == key }) else { return nil }
        for lineIndex in (start.line - 1 - lineOffset)..<lines.count {
            let line = lines[lineIndex]
            for quote in ["\"", "'"] {
                if let range = PlainText.range(of: quote + text + quote, inPlain: line) {
                    return Position(line: lineIndex + 1 + lineOffset, column: line.distance(from: line.startIndex, to: range.lowerBound) + 1)
                }
            }
            // On the bytes when plain: no plain scalar combines with `=`.
            if lineIndex > start.line - 1 - lineOffset, PlainText.isPlain(line) ? PlainText.contains(UInt8(ascii: "="), in: line) : line.contains("=") { break }
        }
        return value(of: key, in: table)
    }

    /// The line of the header `[name]`, or of the first key of the table.
    func table(_ name: String) -> Position? {
        if let header = tables.first(where: { $0.name == name }) {
            return Position(line: header.line, column: 1)
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
