import Foundation

/// Every policy document in the content folder, by id.
public struct ContentLibrary: Equatable, Sendable {
    public var documents: [PolicyDocument]
    /// Translations (`content/<file>.<lang>.md`), each as its file has it;
    /// the kiosk offers only those `TranslationCheck.isOffered` passes.
    public var translations: [PolicyDocument]

    public init(documents: [PolicyDocument], translations: [PolicyDocument] = []) {
        self.documents = documents
        self.translations = translations
    }

    public func document(_ id: String) -> PolicyDocument? { documents.first { $0.id == id } }

    /// The documents a role reads, in the order the role lists them, each
    /// as the role reads it: a role with an `audience` gets only the
    /// clauses tagged for it, and the sections that hold them.
    public func documents(for role: Role) -> [PolicyDocument] {
        role.documents.compactMap(document).map { $0.reading(for: role.audience) }
    }

    /// The translation of document `id` into `language` the kiosk offers:
    /// current, of the same structure, nothing right to left.
    public func translation(of id: String, into language: String) -> PolicyDocument? {
        guard let original = document(id) else { return nil }
        return translations.first { $0.id == id && $0.translation?.language == language && TranslationCheck.isOffered($0, of: original) }
    }

    /// The languages offered besides the documents' own (English): those
    /// with a translation offered of a document some role reads, in the
    /// order of their files' names, each once.
    public func languages(for roles: [Role]) -> [Translation] {
        let read = Set(roles.flatMap(\.documents))
        var seen = Set<String>()
        return translations.compactMap { t in
            guard let language = t.translation, read.contains(t.id), translation(of: t.id, into: language.language) != nil,
                  seen.insert(language.language).inserted else { return nil }
            return language
        }
    }

    /// The documents a role reads, as shown in `language` (nil: as
    /// written): each that has a translation offered in that language is
    /// shown translated (its clauses keep the original's identities), the
    /// rest as written. In the order of `documents(for:)`.
    public func documents(for role: Role, language: String?) -> [PolicyDocument] {
        guard let language else { return documents(for: role) }
        return role.documents.compactMap { id in
            guard let original = document(id) else { return nil }
            guard let translation = translation(of: id, into: language) else { return original.reading(for: role.audience) }
            return TranslationCheck.shown(translation, of: original).reading(for: role.audience)
        }
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
        guard TextFile.isFolder(directory) else {
            return Result(library: ContentLibrary(documents: []), diagnostics: [Diagnostic(
                file: shown, line: 1, column: 1,
                message: "content folder not found: set `content` in [kiosk] of kiosk.conf to the folder that holds the policy .md files")])
        }
        guard let names = TextFile.names(in: directory)?.filter({ $0.hasSuffix(".md") }).sorted() else {
            return Result(library: ContentLibrary(documents: []), diagnostics: [Diagnostic(
                file: shown, line: 1, column: 1, message: "content folder cannot be read (check its permissions)")])
        }
        if names.isEmpty {
            diagnostics.append(Diagnostic(file: shown, line: 1, column: 1,
                message: "content folder holds no .md policy documents"))
        }
        var documents: [PolicyDocument] = []
        var translations: [PolicyDocument] = []
        var outlines: [DocumentParser.Outline] = []
        var firstClause: [String: (Clause, String)] = [:]
        for name in names {
            let path = TextFile.path(directory, name)
            let display = TextFile.path(shown, name)
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
            // A translation is held against its original below, not as a document of its own.
            if outline.translationOf != nil {
                outlines.append(outline)
                if let translation = result.document { translations.append(translation) }
                continue
            }
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
        diagnostics += checkTranslations(translations, against: documents, outlines: outlines)
        return Result(library: ContentLibrary(documents: documents, translations: translations), diagnostics: diagnostics, outlines: outlines)
    }

    /// Each translation against its original: the original is there, of
    /// the version translated (older: "out of date", not offered), the same
    /// structure clause by clause, nothing right to left, one translation
    /// a language; one not yet reviewed by the school is said.
    static func checkTranslations(_ translations: [PolicyDocument], against documents: [PolicyDocument],
                                  outlines: [DocumentParser.Outline]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var seen: [String: String] = [:]
        for translation in translations {
            guard let language = translation.translation else { continue }
            let versionAt = DocumentParser.frontMatterPosition(of: "translation_of_version", in: translation.source) ?? (2, 1)
            if let other = seen[translation.id + " " + language.language] {
                diagnostics.append(Diagnostic(file: translation.path, line: 2, column: 1,
                    message: "\(other) already translates `\(translation.id)` into `\(language.language)`: keep one"))
                continue
            }
            seen[translation.id + " " + language.language] = translation.path
            guard let original = documents.first(where: { $0.id == translation.id }) else {
                // An original with errors has its own; one not there at all is this file's.
                if !outlines.contains(where: { $0.id == translation.id }) {
                    let at = DocumentParser.frontMatterPosition(of: "translation_of", in: translation.source) ?? (2, 1)
                    let known = documents.map(\.id).joined(separator: ", ")
                    diagnostics.append(Diagnostic(file: translation.path, line: at.line, column: at.column,
                        message: "`translation_of = \"\(translation.id)\"` names no document in the content folder (it has: \(known.isEmpty ? "none" : known))"))
                }
                continue
            }
            if translation.version < original.version {
                diagnostics.append(Diagnostic(file: translation.path, line: versionAt.line, column: versionAt.column, severity: .warning,
                    message: "out of date: this translates version \(translation.version) of `\(original.id)`, and \(original.path) is version \(original.version); the kiosk does not offer it until it is brought up to date and `translation_of_version = \(original.version)`"))
            } else if translation.version > original.version {
                diagnostics.append(Diagnostic(file: translation.path, line: versionAt.line, column: versionAt.column,
                    message: "`translation_of_version = \(translation.version)`, but \(original.path) is version \(original.version): a translation names the version it translates"))
            }
            // Out of date, it may well differ: it is not offered, and says so once.
            let problems = TranslationCheck.problems(translation, of: original)
            diagnostics += translation.version < original.version ? problems.filter(\.isRightToLeft) : problems
            if !language.reviewed {
                let at = DocumentParser.frontMatterPosition(of: "reviewed", in: translation.source) ?? (2, 1)
                diagnostics.append(Diagnostic(file: translation.path, line: at.line, column: at.column, severity: .warning,
                    message: "the \(language.languageName) translation is not yet reviewed by the school: have someone who reads both languages check it against \(original.path), then set `reviewed = true`"))
            }
        }
        return diagnostics
    }
}
