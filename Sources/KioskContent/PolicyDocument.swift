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
    /// Set for a translation (`content/<file>.<lang>.md`): its `id` and
    /// `version` are those of the document it translates.
    public var translation: Translation? = nil

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

    /// The document as a role with `audience` reads it: only the clauses
    /// tagged for that audience, and only the sections that hold one of
    /// them (a `###` subheading over none of them goes too); the preamble,
    /// the declaration, and the source and hash the record stores stay the
    /// document's own. Without an audience, or in a document with no
    /// clauses (one that is only read), the whole document.
    public func reading(for audience: String?) -> PolicyDocument {
        guard let audience, !clauses.isEmpty else { return self }
        if let copy = reading(keeping: { $0.audiences.contains(audience) }) { return copy }
        // None for it (lint refuses this): read, agree to nothing, never a page-less document.
        var copy = self
        copy.sections = sections.map { section in
            var reading = section
            reading.blocks = section.blocks.filter { if case .clause = $0 { false } else { true } }
            return reading
        }
        return copy
    }

    /// The document with only the clauses `keep` takes and the sections
    /// that hold one of them (a `###` subheading over none of them goes
    /// too); the preamble, the declaration, the source and hash stay the
    /// document's own. Nil when no clause is kept.
    public func reading(keeping keep: (Clause) -> Bool) -> PolicyDocument? {
        var copy = self
        copy.sections = sections.compactMap { section in
            var blocks: [Block] = []
            // Blocks since the last subheading, and whether they held a clause for another audience only.
            var run: [Block] = []
            var runDroppedClause = false
            var runKeptSomething = false
            func closeRun() {
                // A subheading over nothing but clauses for others heads nothing.
                if case .subheading = run.first, runDroppedClause, !runKeptSomething {
                } else {
                    blocks += run
                }
                run = []
                runDroppedClause = false
                runKeptSomething = false
            }
            for block in section.blocks {
                switch block {
                case .subheading:
                    closeRun()
                    run = [block]
                case .clause(let clause) where !keep(clause):
                    runDroppedClause = true
                default:
                    run.append(block)
                    runKeptSomething = true
                }
            }
            closeRun()
            let holdsOne = blocks.contains { if case .clause = $0 { true } else { false } }
            guard holdsOne else { return nil }
            var kept = section
            kept.blocks = blocks
            return kept
        }
        return copy.sections.isEmpty ? nil : copy
    }
}

/// What makes a document a translation of another: its front matter's
/// `translation_of`, `translation_of_version`, `language`,
/// `language_name` and `reviewed`.
public struct Translation: Equatable, Sendable, Codable {
    /// BCP 47 (`pl`, `cy`, `pt-BR`).
    public var language: String
    /// How the language names itself (`Polski`, `Cymraeg`): what the
    /// welcome screen offers.
    public var languageName: String
    /// Whether the school has checked it against the authoritative text.
    public var reviewed: Bool

    public init(language: String, languageName: String, reviewed: Bool) {
        self.language = language
        self.languageName = languageName
        self.reviewed = reviewed
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
    /// The audiences of its tag (`{visitor governor}`, no part of `text`):
    /// the roles with that `audience` agree to it. Every role without an
    /// `audience` agrees to every clause, tagged or not.
    public var audiences: [String]

    public init(text: String, line: Int, audiences: [String] = []) {
        // Normalised once: `hash` would normalise the text again.
        self.text = ClauseIdentity.normalise(text)
        self.id = Hex.sha256(Array(self.text.utf8))
        self.line = line
        self.audiences = audiences
    }

    private enum CodingKeys: String, CodingKey { case text, id, line, audiences }

    /// A recovery file written before audiences existed has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decode(String.self, forKey: .text)
        id = try container.decode(String.self, forKey: .id)
        line = try container.decode(Int.self, forKey: .line)
        audiences = try container.decodeIfPresent([String].self, forKey: .audiences) ?? []
    }

    public var rich: RichText { RichText(markdown: text) }
}
