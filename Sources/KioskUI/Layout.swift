import Foundation
import KioskContent

/// A run of text with one style, and a line of them.
public struct StyledSpan: Equatable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

public typealias StyledLine = [StyledSpan]

/// Where things go on the screen, shared by `update` (which needs to know
/// how much text fits, to decide whether the end of a section has been
/// seen) and `render`.
public enum Layout {
    /// Rows 0 and 1 are the title bar and a blank; the last two rows are
    /// the progress line and the key bar. The body is what is left, with a
    /// margin of two cells each side (one on a narrow screen). On a wide
    /// screen the text is a column of at most `widestText` cells in the
    /// middle: a line much longer than that is hard to read.
    public static func body(_ size: Size) -> (x: Int, y: Int, width: Int, height: Int) {
        let margin = size.width >= 60 ? 2 : 1
        let width = min(widestText, max(1, size.width - 2 * margin))
        return (max(margin, (size.width - width) / 2), 2, width, max(1, size.height - 4))
    }

    /// The widest the text column grows (80 columns less the margins).
    public static let widestText = 76

    static func styled(_ line: TextLayout.Line, base: Style = .normal) -> StyledLine {
        line.map { StyledSpan($0.text, $0.bold ? Style(.strong, bold: true) : base) }
    }

    static func paragraph(_ text: RichText, width: Int, base: Style = .normal, prefix: String = "", indent: Int = 0) -> [StyledLine] {
        TextLayout.wrap(text, width: width, indent: indent, firstPrefix: prefix).map { styled($0, base: base) }
    }

    /// A document section as lines: document title and preamble on the
    /// first section, the heading, then paragraphs, lists and subheadings.
    public static func section(_ document: PolicyDocument, _ index: Int, width: Int, bullet: String = Glyphs.unicode.bullet) -> [StyledLine] {
        sectionLayout(document, index, width: width, bullet: bullet).lines
    }

    /// The section's lines, and where each of its clauses stands in them:
    /// a clause's text, then one row under it for its "I agree" (blank
    /// until the reading view fills it in). `bullet` (from `Glyphs`) marks
    /// list items and clauses.
    public static func sectionLayout(_ document: PolicyDocument, _ index: Int, width: Int, bullet: String = Glyphs.unicode.bullet) -> SectionLayout {
        var lines: [StyledLine] = []
        let heading = Style(.strong, bold: true)
        if index == 0 {
            lines += paragraph(RichText(spans: [.init(document.title)]), width: width, base: heading)
            lines.append([])
            lines += blocks(document.preamble, width: width, bullet: bullet).lines
        }
        let section = document.sections[index]
        lines += paragraph(RichText(spans: [.init(section.title)]), width: width, base: Style(.strong, bold: true, underline: true))
        lines.append([])
        let body = blocks(section.blocks, width: width, bullet: bullet)
        let clauses = body.clauses.map { SectionLayout.ClauseRows(text: ($0.text.lowerBound + lines.count)..<($0.text.upperBound + lines.count), button: $0.button + lines.count) }
        lines += body.lines
        while lines.last == [] && lines.count > (clauses.last.map { $0.button + 1 } ?? 0) { lines.removeLast() }
        return SectionLayout(lines: lines, clauses: clauses)
    }

    static func blocks(_ blocks: [Block], width: Int, bullet: String) -> SectionLayout {
        var lines: [StyledLine] = []
        var clauses: [SectionLayout.ClauseRows] = []
        for (i, block) in blocks.enumerated() {
            let isItem: (Block) -> Bool = { if case .bullet = $0 { true } else if case .clause = $0 { true } else { false } }
            switch block {
            case .paragraph(let text):
                lines += paragraph(text, width: width)
            case .subheading(let text):
                lines += paragraph(text, width: width, base: Style(.strong, bold: true))
            case .bullet(let text):
                lines += paragraph(text, width: width, prefix: bullet, indent: 2)
            case .clause(let clause):
                let start = lines.count
                lines += paragraph(clause.rich, width: width, prefix: bullet, indent: 2)
                clauses.append(.init(text: start..<lines.count, button: lines.count))
                lines.append([])
            }
            // A list is one block: no blank line between its items.
            let next = i + 1 < blocks.count ? blocks[i + 1] : nil
            if !(isItem(block) && next.map(isItem) == true) { lines.append([]) }
        }
        return SectionLayout(lines: lines, clauses: clauses)
    }

    /// How far a body of `lines` can scroll in `height` rows.
    public static func maxScroll(lines: Int, height: Int) -> Int { max(0, lines - height) }
}

extension Layout {
    /// Rows under the declaration for the name field and a message.
    public static let signingFooter = 3

    /// The declarations exactly as written, then what signing means.
    public static func signing(_ draft: SessionDraft, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        let declared = draft.documents.filter { $0.declaration != nil }
        for document in declared {
            if declared.count > 1 {
                lines += paragraph(RichText(spans: [.init(document.title)]), width: width, base: Style(.strong, bold: true))
            }
            lines += paragraph(RichText(markdown: document.declaration!), width: width, base: Style(.strong, bold: true))
            lines.append([])
        }
        lines += paragraph(RichText(spans: [.init(CompletedSession.consentStatement)]), width: width)
        return lines
    }
}

/// A laid-out section and the rows of its clauses, in the order of
/// `Section.blocks`.
public struct SectionLayout: Equatable, Sendable {
    public struct ClauseRows: Equatable, Sendable {
        /// The clause's text.
        public var text: Range<Int>
        /// The row under it: "I agree", or when it was agreed.
        public var button: Int
    }

    public var lines: [StyledLine]
    public var clauses: [ClauseRows]
}

/// Remembers the last few laid-out sections: a key press lays out the
/// section on screen up to three times (to decide, to mark what was seen,
/// to draw), and a long section takes a while to wrap. Keyed by document
/// hash, section, width, bullet and what the section holds (a role's part
/// of a document shares its hash), so it can never return stale lines.
public final class LayoutMemo: @unchecked Sendable {
    private struct Key: Hashable {
        var document: String
        var section: Int
        var width: Int
        var bullet: String
        /// A role's reading of a document keeps its hash but not all its
        /// blocks (a visitor's part of the code): what the section holds.
        var blocks: Int
        var clauses: [String]
    }

    private let lock = NSLock()
    private var entries: [Key: SectionLayout] = [:]

    public init() {}

    public func section(_ document: PolicyDocument, _ index: Int, width: Int, bullet: String = Glyphs.unicode.bullet) -> SectionLayout {
        let held = document.sections.indices.contains(index) ? document.sections[index].blocks : []
        let key = Key(document: document.sha256, section: index, width: width, bullet: bullet, blocks: held.count,
                      clauses: held.compactMap { if case .clause(let c) = $0 { c.id } else { nil } })
        if let lines = lock.withLock({ entries[key] }) { return lines }
        let lines = Layout.sectionLayout(document, index, width: width, bullet: bullet)
        lock.withLock {
            if entries.count > 16 { entries.removeAll() }
            entries[key] = lines
        }
        return lines
    }
}
