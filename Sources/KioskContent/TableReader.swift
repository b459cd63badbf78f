import TOMLKit

/// Reads typed values out of a TOML table and records a diagnostic, with
/// the key's line and column, for every value that is missing or of the
/// wrong type. Shared by document front matter and kiosk.conf.
struct TableReader {
    let table: TOMLTable
    /// Dotted name of the table ("" for the root), as the locator knows it.
    let name: String
    let locator: TOMLLocator
    let path: String
    /// Where to point when a key is missing altogether (the table's header).
    let fallbackLine: Int
    private(set) var diagnostics: [Diagnostic] = []

    init(table: TOMLTable, name: String, locator: TOMLLocator, path: String, fallbackLine: Int) {
        self.table = table
        self.name = name
        self.locator = locator
        self.path = path
        self.fallbackLine = fallbackLine
    }

    private var place: String { name.isEmpty ? "" : " in [\(name)]" }

    mutating func fail(at key: String, _ message: String) {
        let pos = locator.key(key, in: name)
        diagnostics.append(Diagnostic(file: path, line: pos?.line ?? fallbackLine, column: pos?.column ?? 1, message: message))
    }

    mutating func failValue(_ key: String, _ message: String) {
        let pos = locator.value(of: key, in: name)
        diagnostics.append(Diagnostic(file: path, line: pos?.line ?? fallbackLine, column: pos?.column ?? 1, message: message))
    }

    mutating func failString(_ text: String, inValueOf key: String, _ message: String) {
        let pos = locator.string(text, inValueOf: key, in: name)
        diagnostics.append(Diagnostic(file: path, line: pos?.line ?? fallbackLine, column: pos?.column ?? 1, message: message))
    }

    mutating func missing(_ key: String, _ example: String) {
        diagnostics.append(Diagnostic(
            file: path, line: fallbackLine, column: 1,
            message: "missing `\(key)`\(place): add a line like `\(key) = \(example)`"))
    }

    mutating func requiredString(_ key: String) -> String? {
        guard table.contains(key: key) else {
            missing(key, "\"...\"")
            return nil
        }
        return optionalString(key)
    }

    mutating func optionalString(_ key: String) -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else {
            failValue(key, "`\(key)`\(place) must be a string in quotes, found \(value.type)")
            return nil
        }
        return string
    }

    mutating func requiredInt(_ key: String, minimum: Int, maximum: Int = Int.max) -> Int? {
        guard table.contains(key: key) else {
            missing(key, "\(minimum)")
            return nil
        }
        return optionalInt(key, minimum: minimum, maximum: maximum)
    }

    mutating func optionalInt(_ key: String, minimum: Int, maximum: Int = Int.max) -> Int? {
        guard let value = table[key] else { return nil }
        guard let int = value.int else {
            failValue(key, "`\(key)`\(place) must be a whole number, found \(value.type)")
            return nil
        }
        guard int >= minimum && int <= maximum else {
            let range = maximum == Int.max ? "at least \(minimum)" : "from \(minimum) to \(maximum)"
            failValue(key, "`\(key)`\(place) must be \(range), found \(int)")
            return nil
        }
        return int
    }

    mutating func optionalBool(_ key: String) -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else {
            failValue(key, "`\(key)`\(place) must be true or false, found \(value.type)")
            return nil
        }
        return bool
    }

    /// An array of strings; nil (with a diagnostic) when it is anything else.
    mutating func stringArray(_ key: String, required: Bool) -> [String]? {
        guard let value = table[key] else {
            if required { missing(key, "[\"...\"]") }
            return required ? nil : []
        }
        guard let array = value.array else {
            failValue(key, "`\(key)`\(place) must be a list like [\"a\", \"b\"], found \(value.type)")
            return nil
        }
        var out: [String] = []
        for element in array {
            guard let s = element.string else {
                failValue(key, "every entry of `\(key)`\(place) must be a string in quotes")
                return nil
            }
            out.append(s)
        }
        return out
    }

    mutating func rejectUnknownKeys(allowed: Set<String>) {
        for key in table.keys where !allowed.contains(key) {
            fail(at: key, "unknown setting `\(key)`\(place); expected one of: \(allowed.sorted().joined(separator: ", "))")
        }
    }
}
