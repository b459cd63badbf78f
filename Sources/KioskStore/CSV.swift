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
        if let first = value.utf8.first, Self.formulaStarts.contains(first) {
            text = "'" + text
        }
        // Quotes doubled by hand: Foundation's replacingOccurrences goes
        // through NSString, and export calls this for every cell of every row.
        guard text.utf8.contains(0x22) else { return "\"" + text + "\"" }
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + 8)
        out.append(0x22)
        for byte in text.utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    /// =, +, -, @, tab and CR: what makes a spreadsheet read a cell as a formula.
    static let formulaStarts: [UInt8] = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]

    /// Makes LibreOffice and Excel open the file as UTF-8.
    public static let byteOrderMark = "\u{FEFF}"
}
