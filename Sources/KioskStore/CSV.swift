import KioskContent

/// CSV as RFC 4180 says (every field quoted, quotes doubled, CRLF), with
/// cells that a spreadsheet would run as a formula (starting =, +, -, @,
/// tab or CR) turned into text by a leading apostrophe, as OWASP advises,
/// and control characters (C0, C1, DEL) and bidirectional overrides and
/// isolates shown as U+FFFD: a cell never carries an escape sequence to a
/// terminal that prints the file, nor text that reads in another order.
public enum CSV {
    public static func row(_ cells: [String]) -> String {
        var out = ""
        appendRow(cells, to: &out)
        return out
    }

    /// Appends the row to `out`, with no string made for a cell or the row
    /// (export writes 100,000 of them).
    public static func appendRow(_ cells: [String], to out: inout String) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { out.append(",") }
            appendField(cell, to: &out)
        }
        out.append("\r\n")
    }

    static func field(_ value: String) -> String {
        var out = ""
        appendField(value, to: &out)
        return out
    }

    static func appendField(_ value: String, to out: inout String) {
        let text = ControlCharacters.replacing(value)
        out.append("\"")
        if let first = value.utf8.first, Self.formulaStarts.contains(first) { out.append("'") }
        // Quotes doubled by hand: Foundation's replacingOccurrences goes
        // through NSString.
        if text.utf8.contains(0x22) {
            var doubled = [UInt8]()
            doubled.reserveCapacity(text.utf8.count + 8)
            for byte in text.utf8 {
                if byte == 0x22 { doubled.append(0x22) }
                doubled.append(byte)
            }
            out.append(String(decoding: doubled, as: UTF8.self))
        } else {
            out.append(text)
        }
        out.append("\"")
    }

    /// =, +, -, @, tab and CR: what makes a spreadsheet read a cell as a formula.
    static let formulaStarts: [UInt8] = [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D]

    /// Makes LibreOffice and Excel open the file as UTF-8.
    public static let byteOrderMark = "\u{FEFF}"
}
