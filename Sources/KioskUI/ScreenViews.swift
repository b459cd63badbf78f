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

/// The reading screen: one section of one document, and what Enter does on it.
struct ReadingView {
    /// What Enter (or →) does: more of this section, else the obvious next thing.
    enum Enter: Equatable {
        case more
        case section(document: Int, section: Int)
        case clauses
        case sign

        /// As the key bar says it.
        var label: String {
            switch self {
            case .more: "more"
            case .section: "next section"
            case .clauses: "to the clauses"
            case .sign: "sign"
            }
        }
    }

    var text: ScrollingText
    var enter: Enter

    init(_ state: KioskState, _ draft: SessionDraft, document d: Int, section s: Int, scroll: Int) {
        let body = Layout.body(state.size)
        text = ScrollingText(lines: state.layouts.section(draft.documents[d], s, width: body.width), height: body.height, scroll: scroll)
        if !text.atEnd {
            enter = .more
        } else if s + 1 < draft.documents[d].sections.count {
            enter = .section(document: d, section: s + 1)
        } else if d + 1 < draft.documents.count {
            enter = .section(document: d + 1, section: 0)
        } else {
            enter = draft.clauses.isEmpty ? .sign : .clauses
        }
    }
}

/// A clause on its own screen, above its "I agree" button.
struct ClauseView {
    enum Enter: Equatable {
        /// The clause goes on below the rows: show more of it first.
        case more
        /// Agree (once it has been on screen long enough), then the next clause.
        case agree
        /// Already agreed: the next clause.
        case next

        var label: String {
            switch self {
            case .more: "more"
            case .agree: "I agree"
            case .next: "next"
            }
        }
    }

    var text: ScrollingText
    var enter: Enter

    init(_ state: KioskState, _ draft: SessionDraft, index: Int, scroll: Int) {
        let body = Layout.body(state.size)
        let lines = Layout.clause(draft.clauses[index], in: draft, width: body.width, changes: state.settings.changes)
        text = ScrollingText(lines: lines, height: max(1, body.height - Layout.clauseFooter), scroll: scroll)
        enter = !text.atEnd ? .more : draft.acknowledgedAt[index] == nil ? .agree : .next
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
