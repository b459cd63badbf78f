/// CSV as RFC 4180 says (every field quoted, quotes doubled, CRLF), with
/// cells that a spreadsheet would run as a formula (starting =, +, -, @,
/// tab or CR) turned into text by a leading apostrophe, as OWASP advises.
public enum CSV {
    public static func row(_ cells: [String]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Makes LibreOffice and Excel open the file as UTF-8.
    public static let byteOrderMark = "\u{FEFF}"
}
