import Foundation
import TOMLKit

/// Reads one policy document: TOML front matter between `+++` lines, then
/// Markdown with `##` sections, `###` subheadings, `- ` bullets, `- [ ] `
/// conduct clauses and `**bold**`. Every problem is reported with its line
/// and column; parsing goes on after a problem so lint can list them all.
public enum DocumentParser {
    /// The front matter keys a document may have.
    static let frontMatterKeys: Set<String> = ["id", "title", "short_title", "version", "declaration"]
    /// The front matter keys of a translation (`translation_of = "..."`):
    /// it takes its id and version from the document it translates.
    static let translationKeys: Set<String> = [
        "translation_of", "translation_of_version", "language", "language_name", "reviewed", "title", "short_title", "declaration",
    ]

    public struct Result: Sendable {
        /// nil when the document has errors that make it unusable.
        public var document: PolicyDocument?
        public var diagnostics: [Diagnostic]
        /// What could be read of the file even when it has errors, for the
        /// checks across files, so that one mistake in a document does not
        /// also make it unknown to the roles that read it.
        public var outline: Outline
    }

    /// One audience named in a clause's tag, and where.
    public struct AudienceMark: Equatable, Sendable {
        public var audience: String
        public var line: Int
        public var column: Int
    }

    /// A document as far as it could be read.
    public struct Outline: Sendable {
        /// The file, as given to the parser.
        public var path: String
        /// From the front matter; when the front matter is not valid TOML,
        /// a plain `id = "..."` line; nil when neither gives a valid id.
        public var id: String?
        /// nil when the front matter could not give a whole number.
        public var version: Int?
        /// Whether it has a declaration: nil when the front matter could not
        /// tell (missing, not valid TOML, or the declaration itself wrong).
        public var hasDeclaration: Bool?
        /// Every clause read, in a section or not.
        public var clauses: [Clause]
        public var source: String
        /// Every audience named in a clause's tag, where it is written (for
        /// lint's "no role has this audience").
        public var audienceMarks: [AudienceMark] = []
        /// For a translation: the id of the document it translates (then
        /// `id` is nil: the file is no document of its own).
        public var translationOf: String?

        /// The file's name without `.md`: what a role most likely calls a
        /// document whose id could not be read.
        public var fileStem: String {
            let name = (path as NSString).lastPathComponent
            return name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        }

        /// Whether a role reading it can sign: a document with clauses
        /// and no declaration is an error of its own ("missing
        /// declaration"), not also "nothing to sign".
        var maySign: Bool { hasDeclaration != false || !clauses.isEmpty }

        /// For the comparison with the versions a record book holds, which
        /// needs only the id, the version and the text.
        public var versioned: PolicyDocument? {
            guard let id, let version else { return nil }
            return PolicyDocument(id: id, title: id, shortTitle: id, version: version, declaration: nil, sections: [],
                                  source: source, sha256: Hex.sha256(Array(source.utf8)), path: path)
        }
    }

    public static func parse(_ source: String, path: String) -> Result {
        var diagnostics: [Diagnostic] = []
        func error(_ line: Int, _ column: Int, _ message: String) {
            diagnostics.append(Diagnostic(file: path, line: line, column: column, message: message))
        }

        // "\r\n" is one Character in Swift: split on Unicode scalars' terms.
        let lines = PlainText.lines(PlainText.unixLineEnds(source))
        // Where the front matter's text is and where the body starts (an
        // index into `lines`). The body is read whatever is wrong with the
        // front matter, so every problem of the file shows in one run.
        var frontLines: Range<Int>?
        var bodyStart: Int?
        var frontClosed = false
        if lines.first.map({ PlainText.trimmed($0) == "+++" }) != true {
            error(1, 1, "expected front matter: a first line '+++', then id, title and version in TOML, then '+++'")
            bodyStart = 0
        } else if let closing = lines.dropFirst().firstIndex(where: { PlainText.trimmed($0) == "+++" }) {
            frontLines = 1..<closing
            bodyStart = closing + 1
            frontClosed = true
        } else {
            error(1, 1, "front matter is not closed: add a line '+++' after the last setting")
            // The body most likely starts at its first heading, comment or list.
            bodyStart = lines.indices.dropFirst().first { index in
                let trimmed = lines[index].drop { $0 == " " || $0 == "\t" }
                return ["##", "<!--", "- ", "* ", "+ "].contains { trimmed.hasPrefix($0) }
            }
            frontLines = 1..<(bodyStart ?? lines.count)
        }

        var front = FrontMatter()
        if let frontLines {
            let frontText = PlainText.joinedLines(lines[frontLines])
            let locator = TOMLLocator(source: frontText, lineOffset: 1)
            // A plain `id = "..."` line, for when the TOML cannot be read.
            func plainID() -> String? { locator.plainString(of: "id").flatMap { isValidID($0) ? $0 : nil } }
            // Unclosed, the text runs into the body: what the TOML parser
            // says about that is the missing '+++' again.
            func invalid(_ line: Int, _ column: Int, _ message: String) {
                if frontClosed { error(line, column, message) }
                front.id = plainID()
            }
            let controls = TOMLGuard.controlCharacterProblems(frontText, file: "front matter")
            if let problem = TOMLGuard.headerProblem(frontText) {
                invalid(problem.line + 1, problem.column, "front matter is not valid TOML: \(problem.message)")
            } else if !controls.isEmpty {
                for problem in controls { error(problem.line + 1, problem.column, problem.message) }
                front.id = plainID()
            } else { do {
                let table = try TOMLTable(string: frontText)
                front = readFrontMatter(table, locator: locator, path: path, diagnostics: &diagnostics)
            } catch let parseError as TOMLParseError {
                invalid(parseError.source.begin.line + 1, parseError.source.begin.column,
                        "front matter is not valid TOML: \(parseError.description)")
            } catch let other {
                invalid(2, 1, "front matter is not valid TOML: \(other)")
            } }
        }

        var preamble: [Block] = []
        var sections: [Section] = []
        var clauses: [Clause] = []
        var marks: [AudienceMark] = []
        if let bodyStart {
            let body = BodyParser(lines: Array(lines[bodyStart...]), firstLine: bodyStart + 1, path: path)
            let parsed = body.parse()
            (preamble, sections, clauses, marks) = (parsed.preamble, parsed.sections, parsed.clauses, parsed.audienceMarks)
            diagnostics += parsed.diagnostics
            // Without front matter the file may be no policy at all: the missing front matter says enough.
            if sections.isEmpty && frontLines != nil {
                error(bodyStart + 1, 1, "no sections: start each section with a line '## Title'")
            }
        }
        if front.hasDeclaration == false && !clauses.isEmpty {
            error(1, 1, "missing declaration: a document with clauses needs `declaration = \"I agree to ...\"` in its front matter, the sentence the person signs")
        }
        var outline = Outline(path: path, id: front.translationOf == nil ? front.id : nil, version: front.version,
                              hasDeclaration: front.hasDeclaration, clauses: clauses, source: source)
        outline.audienceMarks = marks
        outline.translationOf = front.translationOf
        let hasErrors = diagnostics.contains { $0.severity == .error }
        guard !hasErrors, let id = front.id, let title = front.title, let version = front.version else {
            return Result(document: nil, diagnostics: diagnostics, outline: outline)
        }
        var document = PolicyDocument(
            id: id, title: title, shortTitle: front.shortTitle ?? title,
            version: version, declaration: front.declaration, preamble: preamble, sections: sections,
            source: source, sha256: Hex.sha256(Array(source.utf8)), path: path)
        document.translation = front.translation
        return Result(document: document, diagnostics: diagnostics, outline: outline)
    }

    /// The front matter's values, each nil when missing or wrong.
    private struct FrontMatter {
        var id: String?
        var title: String?
        var shortTitle: String?
        var version: Int?
        var declaration: String?
        /// nil when unknown: no front matter, or the declaration is wrong.
        var hasDeclaration: Bool?
        /// A translation's: `id` is then this, and `version` the version it translates.
        var translationOf: String?
        var translation: Translation?
    }

    private static func readFrontMatter(
        _ table: TOMLTable, locator: TOMLLocator, path: String, diagnostics: inout [Diagnostic]
    ) -> FrontMatter {
        var reader = TableReader(table: table, name: "", locator: locator, path: path, fallbackLine: 2)
        let isTranslation = table.contains(key: "translation_of")
        let allowed = isTranslation ? translationKeys : frontMatterKeys
        for key in table.keys where !allowed.contains(key) {
            let why = isTranslation && frontMatterKeys.contains(key)
                ? "a translation takes its id and version from the document it translates (`translation_of`, `translation_of_version`): remove `\(key)`"
                : "unknown front matter key `\(key)`; expected one of: \(allowed.sorted().joined(separator: ", "))"
            reader.fail(at: key, why)
        }
        var front = FrontMatter()
        if isTranslation {
            front.translationOf = reader.requiredString("translation_of")
            if let id = front.translationOf, !DocumentParser.isValidID(id) {
                reader.failValue("translation_of", "`translation_of` names the id of the document translated, which uses only a-z, 0-9 and '-'")
                front.translationOf = nil
            }
            front.id = front.translationOf
            let language = reader.requiredString("language")
            if let language, !Translation.isLanguageTag(language) {
                reader.failValue("language", "`language` is a BCP 47 language tag such as \"pl\", \"cy\" or \"pt-BR\", found \"\(language)\"")
            }
            let name = reader.requiredString("language_name")
            if let name, PlainText.trimmed(name).isEmpty || name.count > 30 {
                reader.failValue("language_name", "`language_name` is how the language names itself, as the welcome screen offers it (\"Polski\", \"Cymraeg\"), at most 30 characters")
            }
            let reviewed = reader.optionalBool("reviewed")
            if !table.contains(key: "reviewed") { reader.missing("reviewed", "false") }
            if let language, Translation.isLanguageTag(language), let name, let reviewed {
                front.translation = Translation(language: language, languageName: name, reviewed: reviewed)
            }
        } else {
            front.id = reader.requiredString("id")
            if let id = front.id, !DocumentParser.isValidID(id) {
                reader.failValue("id", "document id `\(id)` may use only a-z, 0-9 and '-' (it names files and appears in records)")
                front.id = nil
            }
        }
        front.title = reader.requiredString("title")
        front.shortTitle = reader.optionalString("short_title")
        front.version = isTranslation ? reader.requiredInt("translation_of_version", minimum: 1) : reader.requiredInt("version", minimum: 1)
        let errorsBefore = reader.diagnostics.count
        front.declaration = reader.optionalString("declaration")
        if let declaration = front.declaration, PlainText.isBlank(declaration) {
            reader.failValue("declaration", "declaration is empty")
        }
        front.hasDeclaration = reader.diagnostics.count > errorsBefore ? nil : front.declaration != nil
        diagnostics += reader.diagnostics
        return front
    }

    /// Where `key`'s value stands in the front matter of `source` (line and
    /// column in the whole file), for messages about a parsed document.
    static func frontMatterPosition(of key: String, in source: String) -> (line: Int, column: Int)? {
        let lines = PlainText.lines(PlainText.unixLineEnds(source))
        guard let first = lines.first, PlainText.trimmed(first) == "+++",
              let closing = lines.dropFirst().firstIndex(where: { PlainText.trimmed($0) == "+++" }) else { return nil }
        let locator = TOMLLocator(source: PlainText.joinedLines(lines[1..<closing]), lineOffset: 1)
        return locator.value(of: key).map { ($0.line, $0.column) }
    }

    /// Ids name files and folders: keep them plain.
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "-")
        }
    }
}

/// The Markdown body: lines after the front matter.
private struct BodyParser {
    let lines: [Substring]
    let firstLine: Int
    let path: String

    private enum Pending {
        case paragraph(String)
        case bullet(String)
        case clause([Piece], line: Int)
    }

    /// A clause's text on one of its lines, and where it starts there, so
    /// that a problem in its audience tag is reported where the tag is.
    private struct Piece {
        var line: Int
        var column: Int
        var text: String
    }

    struct Parsed {
        var preamble: [Block] = []
        var sections: [Section] = []
        /// The clauses placed in sections, in order.
        var clauses: [Clause] = []
        /// Each audience named in a clause's tag, where it is written.
        var audienceMarks: [DocumentParser.AudienceMark] = []
        var diagnostics: [Diagnostic] = []
    }

    static let nearMiss = "did you mean a clause? write `- [ ] ...`; this line is shown as reading text"

    func parse() -> Parsed {
        var out = Parsed()
        var current: Section?
        // A section opened by a '# ' heading (an error already): its
        // emptiness is not a second error.
        var currentIsStandIn = false
        var pending: Pending?
        var inComment = false
        var commentStart = 0

        func error(_ line: Int, _ column: Int, _ message: String, _ severity: Diagnostic.Severity = .error) {
            out.diagnostics.append(Diagnostic(file: path, line: line, column: column, severity: severity, message: message))
        }
        func add(_ block: Block) {
            if current != nil { current!.blocks.append(block) } else { out.preamble.append(block) }
        }
        func flush() {
            switch pending {
            case .paragraph(let text): add(.paragraph(RichText(markdown: ClauseIdentity.normalise(text))))
            case .bullet(let text): add(.bullet(RichText(markdown: ClauseIdentity.normalise(text))))
            case .clause(let pieces, let line):
                let tag = AudienceTag.split(PlainText.joined(pieces.map(\.text), separator: " "))
                // An offset in the joined text, back to the line and column it came from.
                func place(_ offset: Int) -> (line: Int, column: Int) {
                    var start = 0
                    for piece in pieces {
                        let count = PlainText.characterCount(piece.text)
                        if offset < start + count { return (piece.line, piece.column + offset - start) }
                        start += count + 1
                    }
                    return (pieces.last?.line ?? line, pieces.last?.column ?? 1)
                }
                if let problem = tag.problem {
                    let at = place(problem.offset)
                    error(at.line, at.column, problem.message)
                }
                let text = tag.text
                if let offset = tag.offset, current != nil {
                    let at = place(offset)
                    out.audienceMarks += tag.audiences.map { DocumentParser.AudienceMark(audience: $0, line: at.line, column: at.column) }
                }
                let clause = Clause(text: text, line: line, audiences: tag.audiences)
                if clause.text.isEmpty {
                    error(line, 1, "empty clause: write the statement after '- [ ] '")
                } else if current == nil {
                    error(line, 1, "clause before the first section: put it under a '## ' heading")
                } else {
                    add(.clause(clause))
                    out.clauses.append(clause)
                }
            case nil: break
            }
            pending = nil
        }
        func closeSection() {
            flush()
            guard let section = current else { return }
            if section.blocks.isEmpty && !currentIsStandIn {
                error(section.line, 1, "empty section \"\(section.title)\": add its text or remove the heading")
            }
            out.sections.append(section)
            current = nil
            currentIsStandIn = false
        }

        for (index, raw) in lines.enumerated() {
            let lineNumber = firstLine + index
            // Control characters are never shown, and the file is stored
            // in the record book for anyone to print: none anywhere, not
            // even in a comment. A tab is white space.
            // (A line of printable ASCII and tabs has none: most lines.)
            if !PlainText.isPrintableASCII(raw),
               let at = raw.unicodeScalars.firstIndex(where: { $0 != "\t" && ControlCharacters.contains($0) }) {
                let column = raw.unicodeScalars.distance(from: raw.unicodeScalars.startIndex, to: at) + 1
                error(lineNumber, column, "the text holds the control character \(ControlCharacters.name(raw.unicodeScalars[at])): remove it; a policy document may not hold control characters")
            }
            var line = String(raw)
            // HTML comments are notes for whoever edits the file, never shown.
            if inComment {
                guard let end = PlainText.range(of: "-->", in: line) else { continue }
                line = String(line[end.upperBound...])
                inComment = false
            }
            while let start = PlainText.range(of: "<!--", in: line) {
                if let end = PlainText.range(of: "-->", in: line, from: start.upperBound) {
                    line.removeSubrange(start.lowerBound..<end.upperBound)
                } else {
                    line = String(line[..<start.lowerBound])
                    inComment = true
                    commentStart = lineNumber
                    break
                }
            }
            let trimmed = PlainText.trimmed(line)
            let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count

            if trimmed.isEmpty {
                flush()
                continue
            }
            if trimmed.hasPrefix("## ") || trimmed == "##" {
                closeSection()
                let title = PlainText.trimmed(trimmed.dropFirst(2))
                if title.isEmpty { error(lineNumber, 1, "section heading has no title: write '## Title'") }
                current = Section(title: title, blocks: [], line: lineNumber)
                continue
            }
            if trimmed.hasPrefix("### ") {
                flush()
                add(.subheading(RichText(markdown: PlainText.trimmed(trimmed.dropFirst(4)))))
                continue
            }
            if trimmed.hasPrefix("# ") {
                // Read on as if it were '## ', so what follows is not also
                // "before the first section".
                closeSection()
                error(lineNumber, indent + 1, "a '# ' heading is not used: the title goes in the front matter and sections start with '## '")
                current = Section(title: PlainText.trimmed(trimmed.dropFirst(2)), blocks: [], line: lineNumber)
                currentIsStandIn = true
                continue
            }
            if Self.isNearMiss(trimmed) {
                error(lineNumber, indent + 1, Self.nearMiss, .warning)
            }
            if let rest = Self.bulletText(trimmed) {
                flush()
                let (box, text) = Self.taskBox(rest)
                switch box {
                case "[ ]": pending = .clause([Self.piece(text, in: line, at: lineNumber)], line: lineNumber)
                case "[x]", "[X]":
                    let column = indent + trimmed.distance(from: trimmed.startIndex, to: trimmed.firstIndex(of: "[")!) + 1
                    error(lineNumber, column, "clause is ticked already: write it as '- [ ] ...'; the person ticks it at the kiosk")
                    pending = .clause([Self.piece(text, in: line, at: lineNumber)], line: lineNumber)
                default: pending = .bullet(rest)
                }
                continue
            }
            if trimmed.hasPrefix("[ ]") || trimmed.hasPrefix("[x]") || trimmed.hasPrefix("[X]") {
                flush()
                error(lineNumber, indent + 1, "clause outside a list: start the line with '- [ ] '")
                continue
            }
            // A continuation line joins what came before it (Markdown's lazy
            // continuation), so a clause may wrap over several lines.
            switch pending {
            case .paragraph(let text): pending = .paragraph(text + " " + trimmed)
            case .bullet(let text): pending = .bullet(text + " " + trimmed)
            case .clause(let pieces, let line): pending = .clause(pieces + [Piece(line: lineNumber, column: indent + 1, text: trimmed)], line: line)
            case nil: pending = .paragraph(trimmed)
            }
        }
        if inComment {
            error(commentStart, 1, "comment '<!--' is never closed with '-->': everything after it is hidden")
        }
        closeSection()
        return out
    }

    /// A clause's text where it stands on its first line.
    private static func piece(_ text: String, in line: String, at lineNumber: Int) -> Piece {
        let column = text.isEmpty ? 1 : PlainText.lastColumn(of: text, in: line) ?? 1
        return Piece(line: lineNumber, column: column, text: text)
    }

    /// A bullet's text: after '- ', '* ' or '+ '; nil when the line is
    /// not one. (Documents already shown are parsed again from the record
    /// book, so what is a bullet or a clause stays as it was.)
    private static func bulletText(_ trimmed: String) -> String? {
        guard ["- ", "* ", "+ "].contains(where: { trimmed.hasPrefix($0) }) else { return nil }
        return String(trimmed.dropFirst(2))
    }

    /// Splits "[ ] text" into ("[ ]", "text"); no box gives ("", rest).
    private static func taskBox(_ rest: String) -> (String, String) {
        for box in ["[ ]", "[x]", "[X]"] where rest.hasPrefix(box) {
            let after = rest.dropFirst(box.count)
            if after.isEmpty || after.first == " " || after.first == "\t" {
                return (box, PlainText.trimmed(after))
            }
        }
        return ("", rest)
    }

    /// A line meant as a clause but written so that it is not one, which
    /// would silently become reading text: `- [] `, `-[ ] `, `- [ ]text`,
    /// `- [  ] `, `- [ x] `, `-  [ ] `, `1. [ ] `, `2) [x] `, `[] `. A box is brackets
    /// holding only white space and at most one x; a box of exactly
    /// `[ ]`, `[x]` or `[X]` after '- ' and before white space is a clause
    /// (or a ticked one), and `[ ]` opening a line is "outside a list":
    /// neither is a near miss.
    static func isNearMiss(_ trimmed: String) -> Bool {
        var rest = Substring(trimmed)
        var marker = "none"
        if let first = rest.first, "-*+".contains(first) {
            rest = rest.dropFirst()
            let spaces = rest.prefix { $0 == " " || $0 == "\t" }
            // Exactly one space is a bullet; none, two or a tab is a near miss.
            marker = spaces == " " ? "bullet" : "other"
            rest = rest.dropFirst(spaces.count)
        } else {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty && digits.count <= 9, let dot = rest.dropFirst(digits.count).first, dot == "." || dot == ")" {
                rest = rest.dropFirst(digits.count + 1).drop { $0 == " " || $0 == "\t" }
                marker = "ordered"
            }
        }
        guard rest.first == "[", let close = rest.firstIndex(of: "]") else { return false }
        let inside = rest[rest.index(after: rest.startIndex)..<close]
        guard inside.count <= 4, inside.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "x" || $0 == "X" }),
              inside.filter({ $0 == "x" || $0 == "X" }).count <= 1 else { return false }
        let exact = inside == " " || inside == "x" || inside == "X"
        let after = rest[rest.index(after: close)...]
        let spaced = after.isEmpty || after.first == " " || after.first == "\t"
        switch marker {
        case "bullet": return !(exact && spaced)
        case "none": return !exact
        default: return true
        }
    }
}
