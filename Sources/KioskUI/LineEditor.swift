/// A one-line text field: cursor left and right, Home and End, Backspace
/// and Delete, the shell's kills (Ctrl-U to the start, Ctrl-K to the end,
/// Ctrl-W and Alt-Backspace a word back), UTF-8 with wide and combining characters, and a length
/// limit. Control characters, escape sequences and bidirectional overrides
/// are never accepted, so nothing typed or pasted can move the screen's
/// cursor, colour it, or make a name read backwards.
public struct LineEditor: Equatable, Sendable {
    public private(set) var characters: [Character]
    /// Index into `characters` where the next character goes.
    public private(set) var cursor: Int
    /// In characters (what a person counts), not bytes.
    public let maxLength: Int

    public init(_ text: String = "", maxLength: Int = 80) {
        self.characters = Array(text.prefix(maxLength))
        self.cursor = characters.count
        self.maxLength = maxLength
    }

    public var text: String { String(characters) }

    /// No more characters fit (a person is told, not just beeped at).
    public var isFull: Bool { characters.count >= maxLength }

    /// Whether a typed character may enter a field.
    public static func accepts(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy { scalar in
            let v = scalar.value
            if v < 0x20 || (0x7F..<0xA0).contains(v) { return false }
            // Bidirectional embeddings, overrides and isolates, and the
            // line and paragraph separators.
            if (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029 { return false }
            // Private use and unassigned code points have no meaning on paper.
            switch scalar.properties.generalCategory {
            case .privateUse, .unassigned, .surrogate: return false
            default: return true
            }
        }
    }

    /// Inserts at the cursor. A combining mark joins the character before
    /// it. Returns false (and changes nothing) when refused.
    @discardableResult
    public mutating func insert(_ character: Character) -> Bool {
        guard Self.accepts(character) else { return false }
        if cursor > 0, DisplayWidth.of(character) == 0 || character.unicodeScalars.first?.properties.isGraphemeExtend == true {
            let joined = String(characters[cursor - 1]) + String(character)
            if joined.count == 1 {
                characters[cursor - 1] = Character(joined)
                return true
            }
        }
        guard characters.count < maxLength, DisplayWidth.of(character) > 0 else { return false }
        characters.insert(character, at: cursor)
        cursor += 1
        return true
    }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        characters.remove(at: cursor - 1)
        cursor -= 1
    }

    public mutating func delete() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    /// Ctrl-U: deletes everything before the cursor.
    public mutating func deleteToStart() {
        characters.removeSubrange(0..<cursor)
        cursor = 0
    }

    /// Ctrl-K: deletes everything from the cursor on.
    public mutating func deleteToEnd() {
        characters.removeSubrange(cursor...)
    }

    /// Ctrl-W and Alt-Backspace: deletes the word before the cursor and
    /// the spaces after it, as a shell does ("Mary Ann |" becomes "Mary |").
    public mutating func deleteWordBackward() {
        var start = cursor
        while start > 0, characters[start - 1].isWhitespace { start -= 1 }
        while start > 0, !characters[start - 1].isWhitespace { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(characters.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = characters.count }

    /// The part of the text to show in a field `width` cells wide, keeping
    /// the cursor in view, and the cursor's column within it.
    public func window(width: Int) -> (text: String, cursorColumn: Int) {
        guard width > 1 else { return ("", 0) }
        var start = 0
        func widthBetween(_ a: Int, _ b: Int) -> Int { characters[a..<b].reduce(0) { $0 + DisplayWidth.of($1) } }
        // Leave one cell for the cursor after the last character.
        while widthBetween(start, cursor) > width - 1 { start += 1 }
        var end = cursor
        var used = widthBetween(start, cursor)
        while end < characters.count, used + DisplayWidth.of(characters[end]) <= width {
            used += DisplayWidth.of(characters[end])
            end += 1
        }
        return (String(characters[start..<end]), widthBetween(start, cursor))
    }

    /// Folds case, accents and white space, for "does the signature match the name".
    /// (Swift compares Strings by canonical equivalence, so a composed and a
    /// decomposed accent are equal already.)
    public static func comparable(_ text: String) -> String {
        // Accents aside too, as a returning person's name is found: a
        // kiosk keyboard may have no way to type Å or ë.
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

