import Foundation
import TOMLKit

/// Reads `kiosk.conf` (TOML), checking every setting and naming the line
/// and column of each problem.
public enum ConfigParser {
    static let kioskKeys: Set<String> = [
        "school", "terminal", "content", "records", "key", "log", "recovery", "idle_timeout_seconds",
        "idle_warning_seconds", "min_clause_seconds", "admin_pin_hash", "trusted_keys",
        "display",
    ]
    static let roleKeys: Set<String> = ["label", "documents", "questions", "next_steps", "min_clause_seconds"]
    static let questionKeys: Set<String> = ["id", "label", "required", "max_length"]

    public struct Result: Sendable {
        public var config: KioskConfig?
        public var diagnostics: [Diagnostic]
        /// Where each role's document ids stand, for lint's "unknown document".
        var documentPositions: [String: [String: Diagnostic]] = [:]
        /// Where `key` is set (or [kiosk], when it is not), for lint's checks of the key's place.
        var keyPosition: (line: Int, column: Int) = (1, 1)
        /// Where `admin_pin_hash` is set (or [kiosk], when it is not), for lint's PIN warnings.
        var pinPosition: (line: Int, column: Int) = (1, 1)
        /// The content folder, also when kiosk.conf has errors, so lint
        /// still checks the documents: nil when kiosk.conf could not be read.
        var contentDirectory: String?
        /// Whether `contentDirectory` is the setting as read, not the
        /// default put in for a setting that could not be read.
        var contentDirectoryIsKnown = false
        /// Each role's id and documents, also when kiosk.conf has other
        /// errors; nil when not every role's documents could be read, so
        /// that "no role reads document" would be a guess.
        var roleDocuments: [(role: String, documents: [String])]?
        /// Each role's `audience` as far as it could be read, also when
        /// kiosk.conf has other errors; nil when the roles could not all be
        /// read (not valid TOML, a role that is no table), so that "no role
        /// has this audience" would be a guess.
        var roleAudiences: [RoleAudience]?
    }

    public static func load(path: String) -> Result {
        do {
            let text = try TextFile.read(path, kind: .config)
            return parse(text, path: path)
        } catch {
            var diagnostic = error
            if diagnostic.message == "file not found" {
                diagnostic.message = "file not found: run the kiosk from the folder that holds kiosk.conf, or give --config PATH"
            }
            return Result(config: nil, diagnostics: [diagnostic])
        }
    }

    public static func parse(_ source: String, path: String) -> Result {
        let locator = TOMLLocator(source: source)
        let paths = ConfigPaths(configPath: path)
        func resolve(_ p: String) -> String { paths.resolve(p) }
        // When the TOML cannot be read: a plain `content = "..."` line, or the default.
        func unread(_ diagnostics: [Diagnostic]) -> Result {
            var result = Result(config: nil, diagnostics: diagnostics)
            let stated = locator.plainString(of: "content", in: "kiosk")
            result.contentDirectory = resolve(stated ?? "content")
            result.contentDirectoryIsKnown = stated != nil
            return result
        }
        if let problem = TOMLGuard.headerProblem(source) {
            return unread([Diagnostic(file: path, line: problem.line, column: problem.column, message: "not valid TOML: \(problem.message)")])
        }
        let controls = TOMLGuard.controlCharacterProblems(source, file: "kiosk.conf")
        if !controls.isEmpty {
            return unread(controls.map { Diagnostic(file: path, line: $0.line, column: $0.column, message: $0.message) })
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: source)
        } catch let error as TOMLParseError {
            return unread([Diagnostic(
                file: path, line: error.source.begin.line, column: error.source.begin.column,
                message: "not valid TOML: \(error.description)")])
        } catch {
            return unread([Diagnostic(file: path, line: 1, column: 1, message: "not valid TOML: \(error)")])
        }
        var diagnostics: [Diagnostic] = []
        var root = TableReader(table: table, name: "", locator: locator, path: path, fallbackLine: 1)
        root.rejectUnknownKeys(allowed: ["kiosk", "roles"])
        diagnostics += root.diagnostics

        guard let kioskTable = table["kiosk"]?.table else {
            diagnostics.append(Diagnostic(file: path, line: 1, column: 1,
                message: "missing the [kiosk] table: it names the school, the terminal and where files go"))
            var result = Result(config: nil, diagnostics: diagnostics)
            result.contentDirectory = resolve("content")
            return result
        }
        var kiosk = TableReader(table: kioskTable, name: "kiosk", locator: locator, path: path, fallbackLine: locator.table("kiosk")?.line ?? 1)
        kiosk.rejectUnknownKeys(allowed: kioskKeys.union(visitKeys))
        let school = kiosk.requiredString("school")
        let terminal = kiosk.requiredString("terminal")
        if let terminal, !isValidTerminalID(terminal) {
            kiosk.failValue("terminal", "terminal id `\(terminal)` \(terminalIDRule) (it names this terminal's records folder)")
        }
        let errorsBeforeContent = kiosk.diagnostics.count
        let content = kiosk.optionalString("content") ?? "content"
        let contentIsKnown = kiosk.diagnostics.count == errorsBeforeContent
        let records = kiosk.optionalString("records") ?? "records"
        let key = kiosk.optionalString("key") ?? "keys/terminal.key"
        let log = kiosk.optionalString("log") ?? "kiosk.log"
        let recovery = kiosk.optionalString("recovery") ?? "recovery"
        let idle = kiosk.optionalInt("idle_timeout_seconds", minimum: 10, maximum: 86_400) ?? 120
        let warning = kiosk.optionalInt("idle_warning_seconds", minimum: 5, maximum: 600) ?? 30
        let minClause = kiosk.optionalInt("min_clause_seconds", minimum: 0, maximum: 600) ?? 3
        let display = readDisplay(&kiosk)
        let pin = kiosk.optionalString("admin_pin_hash")
        if let pin, !pin.isEmpty, AdminPIN.Hash(pin) == nil {
            kiosk.failValue("admin_pin_hash", "admin_pin_hash is not a hash written by `kiosk set-pin`; run `kiosk set-pin` to set the PIN again")
        }
        let signOutBy = readSignOutBy(&kiosk)
        let collected = kiosk.optionalString("collected_records")
        diagnostics += kiosk.diagnostics
        let trusted = readTrustedKeys(kioskTable, locator: locator, path: path, diagnostics: &diagnostics)

        var roles: [Role] = []
        var roleDocuments: [(role: String, documents: [String])]? = []
        var roleAudiences: [RoleAudience]? = []
        var positions: [String: [String: Diagnostic]] = [:]
        if let rolesTable = table["roles"]?.table, !rolesTable.isEmpty {
            // TOML tables are unordered; the order a person sees is the file's.
            let order = locator.tables.compactMap { entry -> String? in
                let parts = entry.name.split(separator: ".")
                return parts.count == 2 && parts[0] == "roles" ? String(parts[1]) : nil
            }
            let ids = rolesTable.keys.sorted { (order.firstIndex(of: $0) ?? Int.max) < (order.firstIndex(of: $1) ?? Int.max) }
            for id in ids {
                guard let roleTable = rolesTable[id]?.table else {
                    roleDocuments = nil
                    roleAudiences = nil
                    diagnostics.append(Diagnostic(file: path, line: locator.key(id, in: "roles")?.line ?? 1, column: 1,
                        message: "role `\(id)` must be a table: write it as [roles.\(id)]"))
                    continue
                }
                let name = "roles.\(id)"
                var reader = TableReader(table: roleTable, name: name, locator: locator, path: path, fallbackLine: locator.table(name)?.line ?? 1)
                reader.rejectUnknownKeys(allowed: roleKeys.union(roleRuleKeys))
                if !DocumentParser.isValidID(id) {
                    diagnostics.append(Diagnostic(file: path, line: locator.table(name)?.line ?? 1, column: 1,
                        message: "role id `\(id)` may use only a-z, 0-9 and '-' (it is written in records)"))
                }
                let label = reader.requiredString("label")
                let documents = reader.stringArray("documents", required: true)
                if let documents { roleDocuments?.append((id, documents)) } else { roleDocuments = nil }
                if let documents, documents.isEmpty {
                    reader.failValue("documents", "role `\(id)` reads no documents: list at least one document id")
                }
                var seen = Set<String>()
                for doc in documents ?? [] {
                    if !seen.insert(doc).inserted {
                        reader.failString(doc, inValueOf: "documents", "document `\(doc)` is listed twice for role `\(id)`")
                    }
                    let pos = locator.string(doc, inValueOf: "documents", in: name)
                    positions[id, default: [:]][doc] = Diagnostic(file: path, line: pos?.line ?? 1, column: pos?.column ?? 1, message: "")
                }
                let nextSteps = reader.optionalString("next_steps")
                let rules = readRoleRules(&reader, role: id)
                if let audience = rules.audience {
                    let at = locator.value(of: "audience", in: name)
                    roleAudiences?.append(RoleAudience(role: id, audience: audience, line: at?.line ?? 1, column: at?.column ?? 1))
                } else if roleTable.contains(key: "audience") {
                    // Which clauses it meant cannot be known: no guesses about the tags.
                    roleAudiences = nil
                }
                let roleMinClause = reader.optionalInt("min_clause_seconds", minimum: 0, maximum: 600)
                diagnostics += reader.diagnostics
                let questions = readQuestions(roleTable, role: id, locator: locator, path: path, diagnostics: &diagnostics)
                if let label, let documents {
                    roles.append(Role(id: id, label: label, documents: documents, questions: questions, nextSteps: nextSteps,
                                      minClauseSeconds: roleMinClause).with(rules))
                }
            }
        } else {
            roleDocuments = nil
            roleAudiences = nil
            diagnostics.append(Diagnostic(file: path, line: 1, column: 1,
                message: "no roles: add at least one [roles.<id>] table with a label and the documents it reads"))
        }

        guard diagnostics.allSatisfy({ $0.severity != .error }), let school, let terminal else {
            var result = Result(config: nil, diagnostics: diagnostics, documentPositions: positions)
            result.contentDirectory = resolve(contentIsKnown ? content : "content")
            result.contentDirectoryIsKnown = contentIsKnown
            result.roleDocuments = roleDocuments
            result.roleAudiences = roleAudiences
            return result
        }
        var config = KioskConfig(
            path: path, school: school, terminal: terminal, contentDirectory: resolve(content),
            recordsDirectory: resolve(records), keyPath: resolve(key), logPath: resolve(log), recoveryDirectory: resolve(recovery),
            idleTimeoutSeconds: idle, idleWarningSeconds: warning, minClauseSeconds: minClause,
            adminPinHash: (pin?.isEmpty ?? true) ? nil : pin, trustedKeys: trusted.mapValues(resolve), roles: roles)
        config.display = display
        config.signOutBy = signOutBy
        config.collectedRecordsDirectory = collected.map(resolve)
        let keyAt = locator.value(of: "key", in: "kiosk") ?? locator.table("kiosk")
        let pinAt = locator.key("admin_pin_hash", in: "kiosk") ?? locator.table("kiosk")
        return Result(config: config, diagnostics: diagnostics, documentPositions: positions,
                      keyPosition: (keyAt?.line ?? 1, keyAt?.column ?? 1), pinPosition: (pinAt?.line ?? 1, pinAt?.column ?? 1),
                      contentDirectory: config.contentDirectory, contentDirectoryIsKnown: true, roleDocuments: roleDocuments,
                      roleAudiences: roleAudiences)
    }

    /// `display = "colour" | "plain"`; colour when not set.
    private static func readDisplay(_ kiosk: inout TableReader) -> DisplayMode {
        guard let name = kiosk.optionalString("display") else { return .colour }
        guard let mode = DisplayMode.settingNames[name] else {
            kiosk.failValue("display", "`display` must be \"colour\" (the high-contrast theme) or \"plain\" (no colour, box drawing or symbols, for braille and speech), found \"\(name)\"")
            return .colour
        }
        return mode
    }

    private static func readQuestions(
        _ roleTable: TOMLTable, role: String, locator: TOMLLocator, path: String, diagnostics: inout [Diagnostic]
    ) -> [Question] {
        guard let value = roleTable["questions"] else { return [] }
        let name = "roles.\(role)"
        guard let array = value.array else {
            let pos = locator.value(of: "questions", in: name)
            diagnostics.append(Diagnostic(file: path, line: pos?.line ?? 1, column: pos?.column ?? 1,
                message: "`questions` in [\(name)] must be a list of { id = \"...\", label = \"...\" }"))
            return []
        }
        var questions: [Question] = []
        var seen: Set<String> = ["name"]
        for element in array {
            guard let table = element.table else {
                let pos = locator.value(of: "questions", in: name)
                diagnostics.append(Diagnostic(file: path, line: pos?.line ?? 1, column: pos?.column ?? 1,
                    message: "every question in [\(name)] must be a table like { id = \"organisation\", label = \"Organisation\" }"))
                continue
            }
            // Questions sit inline or as [[roles.x.questions]]; either way the
            // locator finds their keys under the role's or their own header.
            let qName = locator.table("\(name).questions") != nil ? "\(name).questions" : name
            // An inline question is found by its id; a [[...]] one by its header.
            let anchor = table["id"]?.string.flatMap { locator.string($0, inValueOf: "questions", in: name)?.line }
                ?? locator.key("questions", in: name)?.line ?? locator.table(qName)?.line ?? 1
            var reader = TableReader(table: table, name: qName, locator: locator, path: path, fallbackLine: anchor)
            reader.rejectUnknownKeys(allowed: questionKeys)
            let id = reader.requiredString("id")
            let label = reader.requiredString("label")
            let required = reader.optionalBool("required") ?? true
            let maxLength = reader.optionalInt("max_length", minimum: 1, maximum: 500) ?? 80
            if let id, !seen.insert(id).inserted {
                reader.fail(at: "id", "question id `\(id)` is used twice in role `\(role)` (`name` is always asked)")
            }
            diagnostics += reader.diagnostics
            if let id, let label {
                questions.append(Question(id: id, label: label, required: required, maxLength: maxLength))
            }
        }
        return questions
    }

    /// A terminal id names a folder of the record book and is written in
    /// every record and signature: ASCII letters, digits, '-' and '_', 1 to
    /// 64 of them (no '.', so never `.` or `..`).
    public static func isValidTerminalID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z"))
                || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
        }
    }

    static let terminalIDRule = "may use only letters, digits, '_' and '-', at most 64 of them"

    /// `trusted_keys`: which terminal each trusted public key vouches for,
    /// as an inline table or a [kiosk.trusted_keys] table. A key trusted
    /// for any terminal would let one terminal's key sign records as
    /// another, so the old list of key files is refused unless it is empty.
    private static func readTrustedKeys(
        _ kiosk: TOMLTable, locator: TOMLLocator, path: String, diagnostics: inout [Diagnostic]
    ) -> [String: String] {
        guard let value = kiosk["trusted_keys"] else { return [:] }
        let form = "`trusted_keys = { \"<terminal>\" = \"<file>\" }`"
        func fail(_ position: TOMLLocator.Position?, _ message: String) {
            let header = locator.table("kiosk.trusted_keys") ?? locator.table("kiosk")
            diagnostics.append(Diagnostic(file: path, line: position?.line ?? header?.line ?? 1, column: position?.column ?? 1, message: message))
        }
        if let array = value.array {
            if !array.isEmpty {
                fail(locator.value(of: "trusted_keys", in: "kiosk"),
                     "`trusted_keys` in [kiosk] must say which terminal each key vouches for, because a key vouches for one terminal only: write \(form), e.g. trusted_keys = { \"staffroom-1\" = \"keys/staffroom-1.pub\" }")
            }
            return [:]
        }
        guard let table = value.table else {
            fail(locator.value(of: "trusted_keys", in: "kiosk"),
                 "`trusted_keys` in [kiosk] must be a table of terminal ids and their key files: write \(form), found \(value.type)")
            return [:]
        }
        // Inline, an entry is found as a quoted string on the setting's
        // line; in a [kiosk.trusted_keys] table, by its key.
        func position(_ terminal: String) -> TOMLLocator.Position? {
            locator.key(terminal, in: "kiosk.trusted_keys")
                ?? (locator.value(of: "trusted_keys", in: "kiosk") != nil ? locator.string(terminal, inValueOf: "trusted_keys", in: "kiosk") : nil)
        }
        var keys: [String: String] = [:]
        for terminal in table.keys.sorted() {
            guard isValidTerminalID(terminal) else {
                fail(position(terminal), "terminal id `\(terminal)` in `trusted_keys` \(terminalIDRule) (it names the terminal's records folder)")
                continue
            }
            guard let entry = table[terminal] else { continue }
            guard let file = entry.string else {
                fail(position(terminal), "the key file for terminal `\(terminal)` in `trusted_keys` must be a string in quotes, found \(entry.type)")
                continue
            }
            keys[terminal] = file
        }
        return keys
    }
}

/// Paths in kiosk.conf, made absolute against the folder kiosk.conf is in.
struct ConfigPaths {
    let configPath: String
    /// The folder, absolute, when it and the working folder are written
    /// plainly (see `isSimple`); nil otherwise.
    private let simpleFolder: String?

    init(configPath: String) {
        self.configPath = configPath
        let absolute: String?
        if configPath.hasPrefix("/") {
            absolute = configPath
        } else if let cwd = Self.workingFolder() {
            absolute = cwd == "/" ? "/" + configPath : cwd + "/" + configPath
        } else {
            absolute = nil
        }
        if let absolute, let slash = absolute.utf8.lastIndex(of: UInt8(ascii: "/")) {
            let folder = String(absolute[..<slash])
            let file = String(absolute[absolute.index(after: slash)...])
            simpleFolder = Self.isSimple(folder.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
                && Self.isSimple([file[...]]) ? folder : nil
        } else {
            simpleFolder = nil
        }
    }

    /// `p` as Foundation's URL makes it, `URL(fileURLWithPath: configPath)
    /// .deletingLastPathComponent().appendingPathComponent(p).standardizedFileURL.path`;
    /// as a plain join when every part of it is a plain name (URL took
    /// 0.3 ms of the kiosk's start-up).
    func resolve(_ p: String) -> String {
        if p.hasPrefix("/") { return p }
        if let folder = simpleFolder, Self.isSimple(p.split(separator: "/", omittingEmptySubsequences: false)) {
            return folder + "/" + p
        }
        return URL(fileURLWithPath: configPath).deletingLastPathComponent().appendingPathComponent(p).standardizedFileURL.path
    }

    /// Names of letters, digits, '-', '_' and '.', none of them empty, `.` or `..`.
    static func isSimple<C: Collection>(_ components: C) -> Bool where C.Element == Substring {
        !components.isEmpty && components.allSatisfy { name in
            !name.isEmpty && name != "." && name != ".." && name.utf8.allSatisfy { b in
                (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                    || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
            }
        }
    }

    static func workingFolder() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
