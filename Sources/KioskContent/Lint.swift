import Foundation

/// Reads kiosk.conf and the content it names and checks them together:
/// what `kiosk lint` prints and what every other command checks before it
/// starts.
public enum Lint {
    /// The PIN the shipped kiosk.conf opens with; lint warns while it is in use.
    public static let shippedPIN = AdminPIN.shippedPIN

    public struct Result: Sendable {
        public var config: KioskConfig?
        public var library: ContentLibrary?
        public var diagnostics: [Diagnostic]
        /// Every document file as far as it could be read, those with
        /// errors too (for lint's comparison with the record book).
        public var outlines: [DocumentParser.Outline] = []

        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
        public var isUsable: Bool { config != nil && library != nil && errors.isEmpty }
    }

    /// Everything is checked in one run: the documents even when kiosk.conf
    /// has errors (in the folder it names, or `content` beside it), and the
    /// roles against every document, those with errors too, so that each
    /// mistake is reported once, where it is.
    ///
    /// `checkPIN` also warns when the stored hash is the shipped one (the
    /// shipped PIN): lint does, start-up does not.
    /// The most document text one role may read (see the check in `check`).
    public static let roleContentLimit = 1 << 20

    public static func check(configPath: String, checkPIN: Bool = true) -> Result {
        let parsed = ConfigParser.load(path: configPath)
        var diagnostics = parsed.diagnostics
        guard let contentDirectory = parsed.contentDirectory else {
            return Result(config: nil, library: nil, diagnostics: diagnostics)
        }
        // A folder lint only guessed at (kiosk.conf could not say) is
        // checked when it is there, and not reported missing.
        if !parsed.contentDirectoryIsKnown, !TextFile.isFolder(contentDirectory) {
            return Result(config: nil, library: nil, diagnostics: diagnostics)
        }
        let content = ContentLibrary.load(directory: contentDirectory, displayPrefix: displayPath(contentDirectory))
        diagnostics += content.diagnostics
        let library = content.library
        let outlines = content.outlines
        let configFile = parsed.config?.path ?? configPath
        if let roles = parsed.roleDocuments {
            diagnostics += crossCheck(roles: roles, outlines: outlines, positions: parsed.documentPositions, configFile: configFile)
        }
        diagnostics += audienceCheck(audiences: parsed.roleAudiences, roles: parsed.roleDocuments, outlines: outlines,
                                     positions: parsed.documentPositions, configFile: configFile)
        guard let config = parsed.config else {
            return Result(config: nil, library: nil, diagnostics: diagnostics, outlines: outlines)
        }
        diagnostics += keyPlacement(config, at: parsed.keyPosition)
        // A record holds every clause, section and declaration a person saw
        // (escaped, so up to twice their size): a role's documents must
        // leave its record within what verify reads (4 MiB).
        for role in config.roles {
            // A session read in translation holds the translation's text as well: its largest counts.
            let bytes = role.documents.compactMap(library.document).reduce(0) { sum, document in
                let translated = library.translations.filter { $0.id == document.id }.map(\.source.utf8.count).max() ?? 0
                return sum + document.source.utf8.count + translated
            }
            if bytes > roleContentLimit {
                let at = parsed.documentPositions[role.id]?[role.documents.first ?? ""]
                diagnostics.append(Diagnostic(file: config.path, line: at?.line ?? 1, column: at?.column ?? 1,
                    message: "role `\(role.id)` reads \(bytes) bytes of documents, more than the \(roleContentLimit) a record of its sessions can hold: shorten them, or give some to another role"))
            }
        }
        let pinAt = parsed.pinPosition
        if let pin = config.adminPinHash {
            // By its text: PBKDF2 is slow on purpose, and `kiosk set-pin`
            // refuses the shipped PIN, so only the shipped hash holds it.
            if checkPIN && pin == AdminPIN.shippedHash {
                diagnostics.append(Diagnostic(file: config.path, line: pinAt.line, column: pinAt.column, severity: .warning,
                    message: "the admin PIN is still the shipped \(shippedPIN): run `kiosk set-pin` before the kiosk goes into a school"))
            }
        } else {
            diagnostics.append(Diagnostic(file: config.path, line: pinAt.line, column: pinAt.column, severity: .warning,
                message: "no admin PIN is set, so the kiosk can only be left by stopping its process: run `kiosk set-pin`"))
        }
        let ok = !diagnostics.contains { $0.severity == .error }
        return Result(config: config, library: ok ? library : nil, diagnostics: diagnostics, outlines: outlines)
    }

    /// Roles against documents. A document whose file has errors is still
    /// known by its id (or, when the id could not be read, by its file's
    /// name), so its errors are not repeated as "unknown document".
    static func crossCheck(
        roles: [(role: String, documents: [String])], outlines: [DocumentParser.Outline],
        positions: [String: [String: Diagnostic]], configFile: String
    ) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let unidentified = outlines.filter { $0.id == nil && $0.translationOf == nil }
        func outline(_ id: String) -> DocumentParser.Outline? {
            outlines.first { $0.id == id } ?? unidentified.first { $0.fileStem == id }
        }
        var read = Set<String>()
        for (role, documents) in roles {
            for id in documents where outline(id) == nil {
                let at = positions[role]?[id]
                let known = Set(outlines.compactMap(\.id)).sorted().joined(separator: ", ")
                let unreadable = unidentified.isEmpty ? "" : " (the id of \(unidentified.map(\.path).joined(separator: ", ")) could not be read)"
                diagnostics.append(Diagnostic(file: configFile, line: at?.line ?? 1, column: at?.column ?? 1,
                    message: "role `\(role)` reads unknown document `\(id)`; the content folder has: \(known.isEmpty ? "none" : known)\(unreadable)"))
            }
            read.formUnion(documents)
            let read = documents.compactMap(outline)
            if read.count == documents.count && !read.contains(where: \.maySign) {
                let at = positions[role]?[documents.first ?? ""]
                diagnostics.append(Diagnostic(file: configFile, line: at?.line ?? 1, column: at?.column ?? 1,
                    message: "role `\(role)` reads no document with a declaration, so there is nothing to sign; add one that has `declaration = \"...\"`"))
            }
        }
        var reported = Set<String>()
        for document in outlines {
            guard let id = document.id, !read.contains(id), reported.insert(id).inserted else { continue }
            diagnostics.append(Diagnostic(file: document.path, line: 2, column: 1,
                message: "no role reads document `\(id)`: add it to a role's `documents` in kiosk.conf, or remove the file"))
        }
        return diagnostics
    }

    /// The signing key must never be collected with the records (rsync
    /// copies each terminal's folder to the office) nor copied to every
    /// terminal with the content; and the kiosk refuses a key that is a
    /// symbolic link. Folders are compared as they are on disk: `..` and
    /// the symbolic links of the folders that exist are followed first.
    static func keyPlacement(_ config: KioskConfig, at position: (line: Int, column: Int)) -> [Diagnostic] {
        var problems: [String] = []
        var info = stat()
        if lstat(config.keyPath, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: config.keyPath)) ?? "?"
            problems.append("the signing key \(config.keyPath) is a symbolic link (to \(target)), and the kiosk refuses a key it reaches through a link: set `key` in kiosk.conf to the key file itself")
        }
        let key = physicalPath(config.keyPath, followLast: false)
        for (folder, name, why) in [(config.recordsDirectory, "records", "which is collected and copied to the office"),
                                    (config.contentDirectory, "content", "which is copied to every terminal")] {
            let real = physicalPath(folder, followLast: true)
            if key == real || key.hasPrefix(real == "/" ? "/" : real + "/") {
                problems.append("the signing key \(key) is inside the \(name) folder \(real), \(why): move the key outside it (e.g. keys/terminal.key) and set `key` in kiosk.conf to where it is")
            }
        }
        return problems.map { Diagnostic(file: config.path, line: position.line, column: position.column, message: $0) }
    }

    /// `path` (absolute) as it is on disk: `.` and `..` taken away, and
    /// every symbolic link among the folders that exist followed (the last
    /// component too when `followLast`). What does not exist yet is kept as
    /// written.
    static func physicalPath(_ path: String, followLast: Bool) -> String {
        let components = path.split(separator: "/").map(String.init)
        var current = "/"
        var hops = 0
        for (index, component) in components.enumerated() {
            if component == "." || component.isEmpty { continue }
            if component == ".." {
                current = (current as NSString).deletingLastPathComponent
                continue
            }
            let next = (current as NSString).appendingPathComponent(component)
            var info = stat()
            let isLast = index == components.count - 1
            if (!isLast || followLast), lstat(next, &info) == 0, info.st_mode & S_IFMT == S_IFLNK, hops < 40,
               let resolved = realpath(next, nil) {
                current = String(cString: resolved)
                free(resolved)
                hops += 1
            } else {
                current = next
            }
        }
        return current
    }

    /// Paths in messages are shown relative to the working folder when inside it.
    public static func displayPath(_ path: String) -> String {
        // getcwd, not FileManager: its first use set up the file manager
        // at every start of the kiosk.
        guard let raw = getcwd(nil, 0) else { return path }
        defer { free(raw) }
        let cwd = String(cString: raw)
        if path.hasPrefix(cwd + "/") { return String(path.dropFirst(cwd.count + 1)) }
        return path
    }
}
