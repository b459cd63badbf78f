import KioskContent

/// CSV as RFC 4180 says (every field quoted, quotes doubled, CRLF), with
/// cells that a spreadsheet would run as a formula (starting =, +, -, @,
/// tab or CR) turned into text by a leading apostrophe, as OWASP advises,
/// and control characters (C0, C1, DEL) and bidirectional overrides and
/// isolates shown as U+FFFD: a cell never carries an escape sequence to a
/// terminal that prints the file, nor text that reads in another order.
public enum CSV {
    public static func row(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        var text = ControlCharacters.replacing(value)
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Makes LibreOffice and Excel open the file as UTF-8.
    public static let byteOrderMark = "\u{FEFF}"
}
