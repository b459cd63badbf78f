import Foundation
import TOMLKit

/// Reads one policy document: TOML front matter between `+++` lines, then
/// Markdown with `##` sections, `###` subheadings, `- ` bullets, `- [ ] `
/// conduct clauses and `**bold**`. Every problem is reported with its line
/// and column; parsing goes on after a problem so lint can list them all.
public enum DocumentParser {
    /// The front matter keys a document may have.
    static let frontMatterKeys: Set<String> = ["id", "title", "short_title", "version", "declaration"]

    public struct Result: Sendable {
        /// nil when the document has errors that make it unusable.
        public var document: PolicyDocument?
        public var diagnostics: [Diagnostic]
    }

    public static func parse(_ source: String, path: String) -> Result {
        var diagnostics: [Diagnostic] = []
        func error(_ line: Int, _ column: Int, _ message: String) {
            diagnostics.append(Diagnostic(file: path, line: line, column: column, message: message))
        }

        // "\r\n" is one Character in Swift: split on Unicode scalars' terms.
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first.map({ $0.trimmingCharacters(in: .whitespaces) == "+++" }) == true else {
            error(1, 1, "expected front matter: a first line '+++', then id, title and version in TOML, then '+++'")
            return Result(document: nil, diagnostics: diagnostics)
        }
        guard let closing = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "+++" }) else {
            error(1, 1, "front matter is not closed: add a line '+++' after the last setting")
            return Result(document: nil, diagnostics: diagnostics)
        }
        let frontText = lines[1..<closing].joined(separator: "\n")
        let locator = TOMLLocator(source: frontText, lineOffset: 1)
        var front: FrontMatter?
        let controls = TOMLGuard.controlCharacterProblems(frontText, file: "front matter")
        if let problem = TOMLGuard.headerProblem(frontText) {
            error(problem.line + 1, problem.column, "front matter is not valid TOML: \(problem.message)")
        } else if !controls.isEmpty {
            for problem in controls { error(problem.line + 1, problem.column, problem.message) }
        } else { do {
            let table = try TOMLTable(string: frontText)
            front = readFrontMatter(table, locator: locator, path: path, diagnostics: &diagnostics)
        } catch let parseError as TOMLParseError {
            error(parseError.source.begin.line + 1, parseError.source.begin.column,
                  "front matter is not valid TOML: \(parseError.description)")
        } catch let other {
            error(2, 1, "front matter is not valid TOML: \(other)")
        } }

        let body = BodyParser(lines: Array(lines[(closing + 1)...]), firstLine: closing + 2, path: path)
        let (preamble, sections, bodyDiagnostics) = body.parse()
        diagnostics += bodyDiagnostics

        guard let front else { return Result(document: nil, diagnostics: diagnostics) }
        let hasClauses = sections.contains { $0.blocks.contains { if case .clause = $0 { true } else { false } } }
        if hasClauses && front.declaration == nil {
            error(1, 1, "missing declaration: a document with clauses needs `declaration = \"I agree to ...\"` in its front matter, the sentence the person signs")
        }
        if sections.isEmpty {
            error(closing + 2, 1, "no sections: start each section with a line '## Title'")
        }
        let hasErrors = diagnostics.contains { $0.severity == .error }
        let document = PolicyDocument(
            id: front.id, title: front.title, shortTitle: front.shortTitle ?? front.title,
            version: front.version, declaration: front.declaration, preamble: preamble, sections: sections,
            source: source, sha256: Hex.sha256(Array(source.utf8)), path: path)
        return Result(document: hasErrors ? nil : document, diagnostics: diagnostics)
    }

    private struct FrontMatter {
        var id: String
        var title: String
        var shortTitle: String?
        var version: Int
        var declaration: String?
    }

    private static func readFrontMatter(
        _ table: TOMLTable, locator: TOMLLocator, path: String, diagnostics: inout [Diagnostic]
    ) -> FrontMatter? {
        var reader = TableReader(table: table, name: "", locator: locator, path: path, fallbackLine: 2)
        for key in table.keys where !frontMatterKeys.contains(key) {
            reader.fail(at: key, "unknown front matter key `\(key)`; expected one of: \(frontMatterKeys.sorted().joined(separator: ", "))")
        }
        let id = reader.requiredString("id")
        if let id, !DocumentParser.isValidID(id) {
            reader.failValue("id", "document id `\(id)` may use only a-z, 0-9 and '-' (it names files and appears in records)")
        }
        let title = reader.requiredString("title")
        let shortTitle = reader.optionalString("short_title")
        let version = reader.requiredInt("version", minimum: 1)
        let declaration = reader.optionalString("declaration")
        if let declaration, declaration.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            reader.failValue("declaration", "declaration is empty")
        }
        diagnostics += reader.diagnostics
        guard let id, let title, let version, reader.diagnostics.isEmpty else { return nil }
        return FrontMatter(id: id, title: title, shortTitle: shortTitle, version: version, declaration: declaration)
    }

    /// Where `key`'s value stands in the front matter of `source` (line and
    /// column in the whole file), for messages about a parsed document.
    static func frontMatterPosition(of key: String, in source: String) -> (line: Int, column: Int)? {
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "+++",
              let closing = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "+++" }) else { return nil }
        let locator = TOMLLocator(source: lines[1..<closing].joined(separator: "\n"), lineOffset: 1)
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
        case clause(String, line: Int)
    }

    func parse() -> ([Block], [Section], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var sections: [Section] = []
        var preamble: [Block] = []
        var current: Section?
        var pending: Pending?
        var inComment = false
        var commentStart = 0

        func error(_ line: Int, _ column: Int, _ message: String) {
            diagnostics.append(Diagnostic(file: path, line: line, column: column, message: message))
        }
        func add(_ block: Block) {
            if current != nil { current!.blocks.append(block) } else { preamble.append(block) }
        }
        func flush() {
            switch pending {
            case .paragraph(let text): add(.paragraph(RichText(markdown: ClauseIdentity.normalise(text))))
            case .bullet(let text): add(.bullet(RichText(markdown: ClauseIdentity.normalise(text))))
            case .clause(let text, let line):
                if ClauseIdentity.normalise(text).isEmpty {
                    error(line, 1, "empty clause: write the statement after '- [ ] '")
                } else if current == nil {
                    error(line, 1, "clause before the first section: put it under a '## ' heading")
                } else {
                    add(.clause(Clause(text: text, line: line)))
                }
            case nil: break
            }
            pending = nil
        }
        func closeSection() {
            flush()
            guard let section = current else { return }
            if section.blocks.isEmpty {
                error(section.line, 1, "empty section \"\(section.title)\": add its text or remove the heading")
            }
            sections.append(section)
            current = nil
        }

        for (index, raw) in lines.enumerated() {
            let lineNumber = firstLine + index
            // Control characters are never shown, and the file is stored
            // in the record book for anyone to print: none anywhere, not
            // even in a comment. A tab is white space.
            if let at = raw.unicodeScalars.firstIndex(where: { $0 != "\t" && ControlCharacters.contains($0) }) {
                let column = raw.unicodeScalars.distance(from: raw.unicodeScalars.startIndex, to: at) + 1
                error(lineNumber, column, "the text holds the control character \(ControlCharacters.name(raw.unicodeScalars[at])): remove it; a policy document may not hold control characters")
            }
            var line = String(raw)
            // HTML comments are notes for whoever edits the file, never shown.
            if inComment {
                guard let end = line.range(of: "-->") else { continue }
                line = String(line[end.upperBound...])
                inComment = false
            }
            while let start = line.range(of: "<!--") {
                if let end = line.range(of: "-->", range: start.upperBound..<line.endIndex) {
                    line.removeSubrange(start.lowerBound..<end.upperBound)
                } else {
                    line = String(line[..<start.lowerBound])
                    inComment = true
                    commentStart = lineNumber
                    break
                }
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let indent = line.prefix(while: { $0 == " " || $0 == "\t" }).count

            if trimmed.isEmpty {
                flush()
                continue
            }
            if trimmed.hasPrefix("## ") || trimmed == "##" {
                closeSection()
                let title = String(trimmed.dropFirst(2)).trimmingCharacters(in: .whitespaces)
                if title.isEmpty { error(lineNumber, 1, "section heading has no title: write '## Title'") }
                current = Section(title: title, blocks: [], line: lineNumber)
                continue
            }
            if trimmed.hasPrefix("### ") {
                flush()
                add(.subheading(RichText(markdown: String(trimmed.dropFirst(4)).trimmingCharacters(in: .whitespaces))))
                continue
            }
            if trimmed.hasPrefix("# ") {
                flush()
                error(lineNumber, indent + 1, "a '# ' heading is not used: the title goes in the front matter and sections start with '## '")
                continue
            }
            if let marker = ["- ", "* ", "+ "].first(where: { trimmed.hasPrefix($0) }) {
                flush()
                let rest = String(trimmed.dropFirst(marker.count))
                let (box, text) = Self.taskBox(rest)
                switch box {
                case "[ ]": pending = .clause(text, line: lineNumber)
                case "[x]", "[X]":
                    error(lineNumber, indent + 3, "clause is ticked already: write it as '- [ ] ...'; the person ticks it at the kiosk")
                    pending = .clause(text, line: lineNumber)
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
            case .clause(let text, let line): pending = .clause(text + " " + trimmed, line: line)
            case nil: pending = .paragraph(trimmed)
            }
        }
        if inComment {
            error(commentStart, 1, "comment '<!--' is never closed with '-->': everything after it is hidden")
        }
        closeSection()
        return (preamble, sections, diagnostics)
    }

    /// Splits "[ ] text" into ("[ ]", "text"); no box gives ("", rest).
    private static func taskBox(_ rest: String) -> (String, String) {
        for box in ["[ ]", "[x]", "[X]"] where rest.hasPrefix(box) {
            let after = rest.dropFirst(box.count)
            if after.isEmpty || after.first == " " || after.first == "\t" {
                return (box, String(after).trimmingCharacters(in: .whitespaces))
            }
        }
        return ("", rest)
    }
}
