/// Where the terminal's cursor stands on each screen: at the focus (the
/// chosen role, the insertion point of the field being typed, the first new
/// line after a page turn, the "I agree" button, the main message), because
/// braille displays (brltty) and screen readers (speakup) follow the cursor.
extension Screen {
    /// The cursor at the first cell of the first row that shows `text`;
    /// unchanged when no row does.
    mutating func focus(on text: String) {
        let wanted = Array(text).map(String.init)
        guard !wanted.isEmpty else { return }
        for y in 0..<size.height {
            // Cells in order, skipping a wide character's empty second cell.
            let row = (0..<size.width).filter { !self[$0, y].text.isEmpty }
            guard row.count >= wanted.count else { continue }
            for start in 0...(row.count - wanted.count)
            where (0..<wanted.count).allSatisfy({ self[row[start + $0], y].text == wanted[$0] }) {
                cursor = Point(x: row[start], y: y)
                return
            }
        }
    }

    /// The cursor at the start of the first row between `top` and `bottom`
    /// (inclusive) with anything on it: a centred screen's main message.
    mutating func focusFirstText(top: Int, bottom: Int) {
        for y in max(0, top)...max(0, min(bottom, size.height - 1)) {
            if let x = (0..<size.width).first(where: { self[$0, y].text != " " && !self[$0, y].text.isEmpty }) {
                cursor = Point(x: x, y: y)
                return
            }
        }
    }
}

extension Kiosk {
    /// After a key on the reading screen: which line of the section came on
    /// screen first, for the cursor. A page down puts it on the first line
    /// that was not on screen before (one line below the top, as a page
    /// keeps one line of the last); a new section, on its first line.
    static func followReading(from before: Phase, _ state: inout KioskState) {
        guard case .reading(let d, let s, let scroll) = state.phase else {
            state.visit.readingNewLine = nil
            return
        }
        guard case .reading(let d0, let s0, let scroll0) = before, d0 == d, s0 == s else {
            state.visit.readingNewLine = nil
            return
        }
        if scroll > scroll0 {
            state.visit.readingNewLine = scroll0 + Layout.body(state.size).height
        } else if scroll < scroll0 {
            state.visit.readingNewLine = scroll
        }
    }

    /// The row of the reading screen's cursor: the first new line on
    /// screen, or the first line with text below it.
    static func readingCursor(_ state: KioskState, lines: [StyledLine], scroll: Int, _ screen: inout Screen) {
        let body = Layout.body(screen.size)
        let visible = min(body.height, max(0, lines.count - scroll))
        guard visible > 0 else { return }
        var row = min(visible - 1, max(0, (state.visit.readingNewLine ?? scroll) - scroll))
        // A blank line between paragraphs: the text after it.
        while row < visible - 1 && lines[scroll + row].allSatisfy({ $0.text.allSatisfy(\.isWhitespace) }) { row += 1 }
        screen.cursor = Point(x: body.x, y: body.y + row)
    }
}
