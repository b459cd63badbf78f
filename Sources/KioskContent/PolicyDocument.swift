/// One policy document as a school wrote it: front matter, sections to page
/// through, conduct clauses to acknowledge one at a time, and the
/// declaration a person signs.
public struct PolicyDocument: Equatable, Sendable, Codable {
    public var id: String
    public var title: String
    /// What the title bar shows when the full title is too long.
    public var shortTitle: String
    public var version: Int
    /// The sentence signed at the end ("I agree to follow this Code of
    /// Conduct ..."); nil for a document that is only read.
    public var declaration: String?
    /// Text before the first section, shown above the first section's heading.
    public var preamble: [Block]
    public var sections: [Section]
    /// The file as it was read; stored once per version in the record book.
    public var source: String
    /// Lower-case hex SHA-256 of `source`'s UTF-8 bytes.
    public var sha256: String
    /// Where it was read from, as given to the parser (for messages).
    public var path: String

    public init(
        id: String, title: String, shortTitle: String, version: Int, declaration: String?,
        preamble: [Block] = [], sections: [Section], source: String, sha256: String, path: String
    ) {
        self.preamble = preamble
        self.id = id
        self.title = title
        self.shortTitle = shortTitle
        self.version = version
        self.declaration = declaration
        self.sections = sections
        self.source = source
        self.sha256 = sha256
        self.path = path
    }

    /// Every conduct clause, in reading order.
    public var clauses: [Clause] {
        sections.flatMap { $0.blocks.compactMap { if case .clause(let c) = $0 { c } else { nil } } }
    }
}

/// A `##` section: one page (or several, scrolled) of the reading step.
public struct Section: Equatable, Sendable, Codable {
    public var title: String
    public var blocks: [Block]
    /// Line of the `##` heading in the file.
    public var line: Int

    public init(title: String, blocks: [Block], line: Int) {
        self.title = title
        self.blocks = blocks
        self.line = line
    }
}

/// What a section is made of.
public enum Block: Equatable, Sendable, Codable {
    case paragraph(RichText)
    case bullet(RichText)
    /// A `###` heading inside a section.
    case subheading(RichText)
    case clause(Clause)
}

/// A conduct clause (`- [ ] ...`): a statement the person acknowledges on
/// its own. Its identity is the hash of its normalised text.
public struct Clause: Equatable, Sendable, Codable {
    /// The clause as written in the file (Markdown emphasis kept),
    /// white space normalised.
    public var text: String
    /// `ClauseIdentity.hash(text)`.
    public var id: String
    public var line: Int

    public init(text: String, line: Int) {
        self.text = ClauseIdentity.normalise(text)
        self.id = ClauseIdentity.hash(text)
        self.line = line
    }

    public var rich: RichText { RichText(markdown: text) }
}
