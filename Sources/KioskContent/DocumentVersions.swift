import Foundation

/// A version number names one text. The record book stores every version
/// shown (`records/<terminal>/content/<sha256>.md`); a document reworded
/// without raising `version` would give two different texts one number,
/// and content older than what the kiosk has shown would have people sign
/// an outdated policy after others signed the newer one.
public enum DocumentVersions {
    /// One error per current document that
    /// - has the id and version of a stored document but other text (a
    ///   different SHA-256): raise `version` to one more than the highest
    ///   stored version of that id; or
    /// - has a lower version than one stored (the content went back):
    ///   put the newer file back, or raise `version` past the highest.
    ///
    /// Each names the document's file at the line of `version` in its front
    /// matter, and the stored file. Pure: `stored` are the documents parsed
    /// from the record book (e.g. `RecordBook.storedDocuments()` or
    /// `DocumentVersions.stored(in:)`); documents with other ids are ignored.
    public static func problems(current: ContentLibrary, stored: [PolicyDocument]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for document in current.documents {
            let earlier = stored.filter { $0.id == document.id }
            guard let highest = earlier.max(by: { ($0.version, $0.sha256) < ($1.version, $1.sha256) }) else { continue }
            let at = DocumentParser.frontMatterPosition(of: "version", in: document.source)
            func problem(_ message: String) {
                problems.append(Diagnostic(file: document.path, line: at?.line ?? 2, column: at?.column ?? 1, message: message))
            }
            let raise = highest.version + 1
            if highest.version > document.version {
                problem("`\(document.id)` is version \(document.version), but this terminal has already shown version \(highest.version) (\(highest.path)): "
                    + "the content is older than what the kiosk has shown; put the newer file back, or, to go back to this text, raise `version` to \(raise)")
            } else if let other = earlier.filter({ $0.version == document.version && $0.sha256 != document.sha256 }).min(by: { $0.sha256 < $1.sha256 }) {
                problem("the text of `\(document.id)` changed but its version is still \(document.version), and this terminal's record book already holds other text as version \(document.version) (\(other.path)): raise `version` to \(raise)")
            }
        }
        return problems
    }

    /// The documents stored in a record book's content folder
    /// (`records/<terminal>/content`), each parsed as the kiosk parses its
    /// content and named by `displayPrefix` + its file name. A missing folder
    /// holds none; a file that does not parse (damaged: `kiosk verify` names
    /// it), or a translation, is left out.
    public static func stored(in folder: String, displayPrefix: String? = nil) -> [PolicyDocument] {
        let names = (TextFile.names(in: folder) ?? []).filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }.sorted()
        return names.compactMap { name in
            let path = (folder as NSString).appendingPathComponent(name)
            let display = ((displayPrefix ?? folder) as NSString).appendingPathComponent(name)
            guard let text = try? TextFile.read(path, displayName: display) else { return nil }
            // A translation shown is stored too; versions are the originals'.
            return DocumentParser.parse(text, path: display).document.flatMap { $0.translation == nil ? $0 : nil }
        }
    }
}
