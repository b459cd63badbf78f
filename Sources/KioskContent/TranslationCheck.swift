/// How a translation is held against the document it translates: the same
/// `##` sections and the same clauses in the same order, of the current
/// version, in a script the Linux console can show.
extension Translation {
    /// A BCP 47 tag as schools write them: a 2-3 letter language, then
    /// subtags of letters and digits (`pl`, `cy`, `pt-BR`, `sr-Latn`).
    public static func isLanguageTag(_ tag: String) -> Bool {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        } && tag.count <= 35
    }

    /// Languages written right to left (their primary subtag).
    static let rightToLeftLanguages: Set<String> = [
        "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku", "ps", "sd", "syr", "ug", "ur", "yi",
    ]

    public var isRightToLeftLanguage: Bool {
        let primary = language.split(separator: "-").first.map { $0.lowercased() } ?? ""
        if language.lowercased().hasSuffix("-latn") || language.lowercased().contains("-latn-") { return false }
        return Self.rightToLeftLanguages.contains(primary)
    }

    /// Whether `scalar` is of a right-to-left script: the blocks whose
    /// letters have the Unicode bidirectional class R or AL (Hebrew,
    /// Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, their
    /// presentation forms, and the right-to-left ranges of the
    /// supplementary planes). The Linux console draws every line left to
    /// right, letter by letter: such text would come out backwards, and
    /// Arabic unjoined.
    public static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF: true
        // The marks that make text run right to left.
        case 0x200F, 0x061C, 0x202B, 0x202E, 0x2067: true
        default: false
        }
    }

    /// The first right-to-left character of `text`: its line and column.
    public static func firstRightToLeft(in text: String) -> (line: Int, column: Int)? {
        // One pass, counting lines and scalars as it goes (a file with
        // CRLF line ends counts its lines too).
        var line = 1
        var column = 1
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                line += 1
                column = 1
                continue
            }
            if scalar.value >= 0x0590 && isRightToLeft(scalar) { return (line, column) }
            column += 1
        }
        return nil
    }
}

extension Diagnostic {
    /// A translation's "cannot show right-to-left text": said even of one out of date.
    var isRightToLeft: Bool { message.contains("cannot show right-to-left text") }
}

/// The checks of one translation against its original, for lint and for
/// what the kiosk offers.
public enum TranslationCheck {
    /// What is wrong with `translation` as a translation of `original`;
    /// each problem names both files.
    public static func problems(_ translation: PolicyDocument, of original: PolicyDocument) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let file = translation.path
        let there = original.path
        func error(_ line: Int, _ message: String) {
            out.append(Diagnostic(file: file, line: line, column: 1, message: message))
        }
        let a = translation.sections
        let b = original.sections
        for index in 0..<max(a.count, b.count) {
            guard index < a.count else {
                error(a.last?.line ?? 1, "the translation has \(a.count) sections where \(there) has \(b.count): section \(index + 1) \"\(b[index].title)\" (\(there):\(b[index].line)) is missing")
                break
            }
            guard index < b.count else {
                error(a[index].line, "the translation has \(a.count) sections where \(there) has \(b.count): section \(index + 1) \"\(a[index].title)\" is extra")
                break
            }
            let mine = clauses(a[index])
            let theirs = clauses(b[index])
            for c in 0..<max(mine.count, theirs.count) {
                if c >= mine.count {
                    let at = mine.last?.line ?? a[index].line
                    error(at, "clause missing: section \(index + 1) has \(mine.count) clauses where \(there) has \(theirs.count); matched in order, \(there):\(theirs[c].line) (\"\(excerpt(theirs[c].text))\") is left without a translation (the one missing may be earlier: compare the two files clause by clause)")
                    break
                }
                if c >= theirs.count {
                    error(mine[c].line, "extra clause: section \(index + 1) has \(mine.count) clauses where \(there):\(b[index].line) has \(theirs.count); matched in order, this one is left over (the extra one may be earlier: compare the two files clause by clause)")
                    break
                }
                if !mine[c].audiences.isEmpty && Set(mine[c].audiences) != Set(theirs[c].audiences) {
                    let tag = theirs[c].audiences.isEmpty ? "no tag" : "{\(theirs[c].audiences.joined(separator: " "))}"
                    error(mine[c].line, "the audience tag differs from the clause it translates at \(there):\(theirs[c].line) (\(tag)): write the same tag, or none (a translated clause takes its original's)")
                }
            }
        }
        if (translation.declaration == nil) != (original.declaration == nil) {
            error(1, translation.declaration == nil
                ? "\(there) has a declaration: translate it as `declaration = \"...\"`"
                : "\(there) has no declaration, so the translation has none to translate: remove `declaration`")
        }
        if let language = translation.translation, language.isRightToLeftLanguage {
            error(1, "`language = \"\(language.language)\"` is written right to left, and the Linux console cannot show right-to-left text correctly (it draws every line left to right, letters unjoined): the kiosk does not offer it")
        } else if let at = Translation.firstRightToLeft(in: translation.source) {
            out.append(Diagnostic(file: file, line: at.line, column: at.column,
                message: "right-to-left text: the Linux console cannot show right-to-left text correctly (it draws every line left to right, letters unjoined), so the kiosk does not offer this translation"))
        }
        return out
    }

    /// Whether the kiosk offers `translation` of `original`: the same
    /// structure, of the current version, nothing right to left.
    public static func isOffered(_ translation: PolicyDocument, of original: PolicyDocument) -> Bool {
        translation.version == original.version && problems(translation, of: original).isEmpty
    }

    static func clauses(_ section: Section) -> [Clause] {
        section.blocks.compactMap { if case .clause(let c) = $0 { c } else { nil } }
    }

    static func excerpt(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(39)) + "…"
    }

    /// The translation as the kiosk shows it in place of `original`: its
    /// own words, with each clause carrying the identity and audiences of
    /// the clause it translates (so audiences, changes and a returning
    /// person's earlier agreements work as for the original).
    public static func shown(_ translation: PolicyDocument, of original: PolicyDocument) -> PolicyDocument {
        var shown = translation
        shown.id = original.id
        shown.version = original.version
        shown.sections = zip(translation.sections, original.sections).map { mine, theirs in
            var section = mine
            var authoritative = clauses(theirs).makeIterator()
            section.blocks = mine.blocks.map { block in
                guard case .clause(var clause) = block, let source = authoritative.next() else { return block }
                clause.id = source.id
                clause.audiences = source.audiences
                return .clause(clause)
            }
            return section
        }
        return shown
    }
}
