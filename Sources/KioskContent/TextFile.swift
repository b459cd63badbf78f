import Foundation

/// Reads a text file that must be UTF-8, naming the line and column of the
/// first byte that is not, because a school office editing a policy in a
/// word processor can easily save it as Windows-1252.
public enum TextFile {
    public static func read(_ path: String, displayName: String? = nil) throws(Diagnostic) -> String {
        let name = displayName ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let reason: String
            if !FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                reason = "file not found"
            } else if isDir.boolValue {
                reason = "is a folder, expected a file"
            } else {
                reason = "cannot be read (check its permissions)"
            }
            throw Diagnostic(file: name, line: 1, column: 1, message: reason)
        }
        return try decode(data, file: name)
    }

    public static func decode(_ data: Data, file: String) throws(Diagnostic) -> String {
        if let text = String(data: data, encoding: .utf8) {
            // A byte-order mark is not part of the text.
            return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        }
        let (line, column) = firstInvalidUTF8(in: data)
        throw Diagnostic(
            file: file, line: line, column: column,
            message: "not valid UTF-8 text; save the file as UTF-8 (in LibreOffice: Save As, Text, Character set: Unicode (UTF-8))")
    }

    /// Line and column (1-based, column in characters) of the first byte that
    /// does not belong to a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(in data: Data) -> (Int, Int) {
        let bytes = [UInt8](data)
        var i = 0
        var line = 1
        var column = 1
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (line, column)
            }
            if i + length > bytes.count { return (line, column) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 {
                return (line, column)
            }
            // Overlong and surrogate forms are also invalid.
            if length == 3, b == 0xE0, bytes[i + 1] < 0xA0 { return (line, column) }
            if length == 3, b == 0xED, bytes[i + 1] >= 0xA0 { return (line, column) }
            if length == 4, b == 0xF0, bytes[i + 1] < 0x90 { return (line, column) }
            if length == 4, b == 0xF4, bytes[i + 1] >= 0x90 { return (line, column) }
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += length
        }
        return (line, column)
    }
}
