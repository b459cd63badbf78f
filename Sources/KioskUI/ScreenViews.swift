import Foundation
import KioskContent

/// Lines that scroll in a fixed number of rows, and where the view of them
/// stands: the geometry `update` decides with and `render` draws, computed
/// in one place.
struct ScrollingText {
    var lines: [StyledLine]
    /// The rows the lines scroll in.
    var height: Int
    var scroll: Int

    var maxScroll: Int { Layout.maxScroll(lines: lines.count, height: height) }
    /// The last line is on screen.
    var atEnd: Bool { scroll >= maxScroll }
    /// How far Enter, Space and PgDn move: a page, keeping one line of the last.
    var page: Int { max(1, height - 1) }

    /// `value`, kept within what the lines can scroll.
    func clamped(_ value: Int) -> Int { min(maxScroll, max(0, value)) }
}

/// The reading screen: one section of one document with its clauses where
/// they stand, and what Enter does on it. The first clause of the section
/// not yet agreed has the focus: it is highlighted with its "I agree" on
/// the row under it, and the section is left only once every clause in it
/// is agreed and its end has been on screen.
struct ReadingView {
    /// What Enter (or →) does: more of this section, else the obvious next thing.
    enum Enter: Equatable {
        /// Scroll to `scroll`: more of the section, or to the focused clause.
        case more(scroll: Int)
        /// Agree to this clause (an index into `SessionDraft.clauses`).
        case agree(clause: Int)
        case section(document: Int, section: Int)
        case sign

        /// As the key bar says it.
        var label: String {
            switch self {
            case .more: "more"
            case .agree: "I agree"
            case .section: "next section"
            case .sign: "sign"
            }
        }
    }

    /// The clause with the focus: its index in `SessionDraft.clauses`, its
    /// rows in `text.lines`, and whether all of it (its "I agree" too) is on screen.
    struct Focus: Equatable {
        var clause: Int
        var rows: ClosedRange<Int>
        var shown: Bool
    }

    var text: ScrollingText
    var enter: Enter
    var focus: Focus?

    /// Above a document's first section, when the person chose another
    /// language: that this one is in English only, or that its translation
    /// is not yet reviewed (the English text is the one that applies).
    static func languageNote(_ draft: SessionDraft, document d: Int) -> String? {
        guard draft.language != nil else { return nil }
        guard let translation = draft.documents[d].translation else {
            return "This document is in English only."
        }
        return translation.reviewed ? nil
            : "\(translation.languageName): a translation not yet reviewed by the school. The English text is the one that applies; your record keeps both."
    }

    /// Before a clause's button row, under the clause's text (after its bullet).
    static let buttonIndent = "  "

    init(_ state: KioskState, _ draft: SessionDraft, document d: Int, section s: Int, scroll: Int) {
        let body = Layout.body(state.size)
        // Every symbol on the page from the display's glyphs: plain has words
        // and ASCII only, and the same widths, so both wrap alike.
        let glyphs = Glyphs(state.settings.display)
        let layout = state.layouts.section(draft.documents[d], s, width: body.width, bullet: glyphs.bullet)
        var lines: [StyledLine] = []
        if d == 0 && s == 0 {
            // Before the first clause: how many there are, and how long it takes.
            lines += Layout.paragraph(RichText(spans: [.init(Kiosk.sessionEstimate(draft, settings: state.settings))]), width: body.width)
            lines.append([])
        }
        if s == 0, let note = Self.languageNote(draft, document: d) {
            lines += Layout.paragraph(RichText(spans: [.init(note)]), width: body.width, base: Style(.quiet))
            lines.append([])
        }
        let offset = lines.count
        lines += layout.lines
        // This section's clauses in the session's order.
        let first = draft.clauses.firstIndex { $0.document == d && $0.section == s }
        var focus: Focus?
        if let first, layout.clauses.count <= draft.clauses.count - first {
            for (k, rows) in layout.clauses.enumerated() {
                let index = first + k
                let button = offset + rows.button
                let step = draft.clauses[index]
                let change = state.settings.changes[draft.documents[d].id].flatMap { $0.clauses.contains(step.clause.id) ? $0.sinceVersion : nil }
                if let agreed = draft.acknowledgedAt[index] {
                    lines[button] = [StyledSpan(Self.buttonIndent), StyledSpan(glyphs.agreed(at: Kiosk.clock(agreed)), Style(.good, bold: true))]
                } else if focus == nil {
                    let top = offset + rows.text.lowerBound
                    let tall = button - top + 1 > body.height
                    let shown = button < scroll + body.height && (top >= scroll || tall && button >= scroll)
                    focus = Focus(clause: index, rows: top...button, shown: shown)
                    for row in (offset + rows.text.lowerBound)..<(offset + rows.text.upperBound) {
                        lines[row] = lines[row].map { StyledSpan($0.text, Style(.selected, bold: $0.style.bold)) }
                    }
                    let waited = draft.clauseShownAt[index].map { state.now.timeIntervalSince($0) } ?? 0
                    let wait = Int((state.minClauseSeconds - waited).rounded(.up))
                    if wait > 0 {
                        lines[button] = [StyledSpan(Self.buttonIndent), StyledSpan(glyphs.agreeWaiting(seconds: wait), Style(.quiet))]
                    } else {
                        lines[button] = [StyledSpan(Self.buttonIndent), StyledSpan(glyphs.agreeButton, Style(.selected, bold: true))]
                            + (change.map { [StyledSpan("  new or changed since version \($0)", Style(.attention, bold: true))] } ?? [])
                    }
                } else if let change {
                    lines[button] = [StyledSpan(Self.buttonIndent), StyledSpan("New or changed since version \(change)", Style(.attention, bold: true))]
                }
            }
        }
        self.focus = focus
        text = ScrollingText(lines: lines, height: body.height, scroll: scroll)
        if let focus {
            enter = focus.shown ? .agree(clause: focus.clause) : .more(scroll: text.clamped(Self.toward(focus.rows, scroll: scroll, text: text)))
        } else if !text.atEnd {
            enter = .more(scroll: text.clamped(scroll + text.page))
        } else if s + 1 < draft.documents[d].sections.count {
            enter = .section(document: d, section: s + 1)
        } else if d + 1 < draft.documents.count {
            enter = .section(document: d + 1, section: 0)
        } else {
            enter = .sign
        }
    }

    /// Where to scroll to bring `rows` into view, with the row above them
    /// (the clause before, agreed) for context: back up to them if they
    /// are above; else down by a page at most, so no text is skipped
    /// unseen. A clause taller than the screen is shown from its start,
    /// then a page at a time.
    static func toward(_ rows: ClosedRange<Int>, scroll: Int, text: ScrollingText) -> Int {
        let above = max(0, rows.lowerBound - 1)
        if rows.lowerBound < scroll { return above }
        if rows.count + 1 > text.height {
            return rows.lowerBound > scroll ? min(scroll + text.page, rows.lowerBound) : min(scroll + text.page, rows.upperBound - text.height + 1)
        }
        return min(scroll + text.page, max(scroll, above))
    }
}

/// The declarations and what signing means, above the name field.
struct SigningView {
    enum Enter: Equatable {
        case more
        case sign

        var label: String { self == .more ? "more" : "sign" }
    }

    var text: ScrollingText
    var enter: Enter

    init(_ state: KioskState, _ draft: SessionDraft, scroll: Int) {
        let body = Layout.body(state.size)
        text = ScrollingText(lines: Layout.signing(draft, width: body.width), height: max(1, body.height - Layout.signingFooter), scroll: scroll)
        enter = text.atEnd ? .sign : .more
    }
}
