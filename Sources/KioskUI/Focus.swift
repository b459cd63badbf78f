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
    /// After a key on the reading screen: which line of the section the
    /// cursor goes back to when no clause's button is on screen (see
    /// `readingCursor`). A page down puts it on the first line that was not
    /// on screen before (one line below the top, as a page keeps one line of
    /// the last); a page up, on the first line on screen; a new section, on
    /// its first line; an agreement, on the row that now says "Agreed at".
    static func followReading(from before: KioskState.Visit, _ state: inout KioskState) {
        guard case .reading(let d, let s, let scroll) = state.phase else {
            state.visit.readingNewLine = nil
            return
        }
        guard case .reading(let d0, let s0, let scroll0) = before.phase, d0 == d, s0 == s else {
            state.visit.readingNewLine = nil
            return
        }
        if let draft = before.draft, draft.acknowledgedAt != state.draft?.acknowledgedAt {
            // The clause just agreed had the focus before the key.
            var old = state
            old.visit = before
            if let agreed = ReadingView(old, draft, document: d, section: s, scroll: scroll0).focus {
                state.visit.readingNewLine = agreed.rows.upperBound
            }
        }
        if scroll > scroll0 {
            state.visit.readingNewLine = scroll0 + Layout.body(state.size).height
        } else if scroll < scroll0 {
            state.visit.readingNewLine = scroll
        }
    }

    /// Where the reading screen's cursor stands, for a braille display or a
    /// screen reader, which follow it:
    ///
    /// 1. The clause with the focus has its button row ("[ I agree ]", or
    ///    "please read: N s" while it must stay on screen) on screen: at the
    ///    start of the button. That row is what Enter acts on, the clause's
    ///    text is on the rows right above it, and Enter scrolls so that the
    ///    text before the clause was on the page before (nothing unread is
    ///    skipped). The dwell countdown only rewrites that row, so the
    ///    cursor never moves on a timer; after an agreement the next
    ///    clause's button takes it.
    /// 2. Otherwise (no clause of the section waiting, or its button below
    ///    or above the page): the line `followReading` chose, the first new
    ///    line after a page turn or the "Agreed at" row of the last clause
    ///    agreed, else the first line on screen; a blank line between
    ///    paragraphs gives way to the text after it.
    static func readingCursor(_ state: KioskState, view: ReadingView, _ screen: inout Screen) {
        let body = Layout.body(screen.size)
        let lines = view.text.lines
        let scroll = view.text.scroll
        if let focus = view.focus, (scroll..<(scroll + body.height)).contains(focus.rows.upperBound) {
            screen.cursor = Point(x: body.x + DisplayWidth.of(ReadingView.buttonIndent), y: body.y + focus.rows.upperBound - scroll)
            return
        }
        let visible = min(body.height, max(0, lines.count - scroll))
        guard visible > 0 else { return }
        var row = min(visible - 1, max(0, (state.visit.readingNewLine ?? scroll) - scroll))
        // A blank line between paragraphs: the text after it.
        while row < visible - 1 && lines[scroll + row].allSatisfy({ $0.text.allSatisfy(\.isWhitespace) }) { row += 1 }
        // At the row's first letter: an item's text or "Agreed at" is indented.
        let indent = lines[scroll + row].map(\.text).joined().prefix { $0 == " " }.count
        screen.cursor = Point(x: body.x + indent, y: body.y + row)
    }
}
