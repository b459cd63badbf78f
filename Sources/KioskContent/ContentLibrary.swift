import Foundation

/// Every policy document in the content folder, by id.
public struct ContentLibrary: Equatable, Sendable {
    public var documents: [PolicyDocument]

    public init(documents: [PolicyDocument]) {
        self.documents = documents
    }

    public func document(_ id: String) -> PolicyDocument? { documents.first { $0.id == id } }

    /// The documents a role reads, in the order the role lists them, each
    /// as the role reads it: a role with an `audience` gets only the
    /// clauses tagged for it, and the sections that hold them.
    public func documents(for role: Role) -> [PolicyDocument] {
        role.documents.compactMap(document).map { $0.reading(for: role.audience) }
    }

    public struct Result: Sendable {
        public var library: ContentLibrary
        public var diagnostics: [Diagnostic]
        /// Every document file read, with or without errors, as far as it
        /// could be read, in the order of their names.
        public var outlines: [DocumentParser.Outline] = []
    }

    /// Reads every `*.md` file in `directory`, sorted by name. Ids and
    /// clauses are compared across every file, those with errors too.
    public static func load(directory: String, displayPrefix: String? = nil) -> Result {
        let shown = displayPrefix ?? directory
        var diagnostics: [Diagnostic] = []
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            return Result(library: ContentLibrary(documents: []), diagnostics: [Diagnostic(
                file: shown, line: 1, column: 1,
                message: "content folder not found: set `content` in [kiosk] of kiosk.conf to the folder that holds the policy .md files")])
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".md") }.sorted()
        } catch {
            return Result(library: ContentLibrary(documents: []), diagnostics: [Diagnostic(
                file: shown, line: 1, column: 1, message: "content folder cannot be read (check its permissions)")])
        }
        if names.isEmpty {
            diagnostics.append(Diagnostic(file: shown, line: 1, column: 1,
                message: "content folder holds no .md policy documents"))
        }
        var documents: [PolicyDocument] = []
        var outlines: [DocumentParser.Outline] = []
        var firstClause: [String: (Clause, String)] = [:]
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            let display = (shown as NSString).appendingPathComponent(name)
            let text: String
            do {
                text = try TextFile.read(path, displayName: display)
            } catch {
                diagnostics.append(error)
                continue
            }
            let result = DocumentParser.parse(text, path: display)
            diagnostics += result.diagnostics
            let outline = result.outline
            if let id = outline.id, let other = outlines.first(where: { $0.id == id }) {
                diagnostics.append(Diagnostic(file: display, line: 2, column: 1,
                    message: "document id `\(id)` is also used by \(other.path); each document needs its own id"))
                outlines.append(outline)
                continue
            }
            for clause in outline.clauses {
                if let (first, file) = firstClause[clause.id] {
                    diagnostics.append(Diagnostic(file: display, line: clause.line, column: 1,
                        message: "duplicate clause: the same text is already at \(file):\(first.line); keep one"))
                } else {
                    firstClause[clause.id] = (clause, display)
                }
            }
            outlines.append(outline)
            if let document = result.document { documents.append(document) }
        }
        return Result(library: ContentLibrary(documents: documents), diagnostics: diagnostics, outlines: outlines)
    }
}
