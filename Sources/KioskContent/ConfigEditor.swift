import Foundation

/// Changes one setting in kiosk.conf text while keeping every comment and
/// line the school wrote.
public enum ConfigEditor {
    /// Replaces `key = ...` in `[table]`, or adds it right after the header
    /// (and adds the header at the top when there is none). `value` is TOML.
    public static func setting(_ key: String, to value: String, inTable table: String, of text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var current = ""
        var headerIndex: Int?
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                current = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                if current == table { headerIndex = index }
                continue
            }
            guard current == table, let eq = trimmed.firstIndex(of: "=") else { continue }
            if trimmed[..<eq].trimmingCharacters(in: .whitespaces) == key {
                lines[index] = "\(key) = \(value)"
                return lines.joined(separator: "\n")
            }
        }
        if let headerIndex {
            lines.insert("\(key) = \(value)", at: headerIndex + 1)
        } else {
            lines.insert(contentsOf: ["[\(table)]", "\(key) = \(value)", ""], at: 0)
        }
        return lines.joined(separator: "\n")
    }
}
