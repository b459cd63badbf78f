import KioskContent

/// Word-wraps rich text to a width in cells, keeping bold, breaking a word
/// only when it is wider than a whole line.
public enum TextLayout {
    /// One laid-out line: spans with their styles.
    public typealias Line = [RichText.Span]

    public static func wrap(_ text: RichText, width: Int, indent: Int = 0, firstPrefix: String = "") -> [Line] {
        guard width > indent + 1 else { return [[.init(text.plain)]] }
        // Words keep their emphasis; spaces between words are re-made.
        var words: [[RichText.Span]] = []
        var current: [RichText.Span] = []
        for span in text.spans {
            var buffer = ""
            for character in span.text {
                if character == " " {
                    if !buffer.isEmpty { current.append(.init(buffer, bold: span.bold)); buffer = "" }
                    if !current.isEmpty { words.append(current); current = [] }
                } else {
                    buffer.append(character)
                }
            }
            if !buffer.isEmpty { current.append(.init(buffer, bold: span.bold)) }
        }
        if !current.isEmpty { words.append(current) }

        var lines: [Line] = []
        var line: Line = firstPrefix.isEmpty ? [] : [.init(firstPrefix)]
        var used = DisplayWidth.of(firstPrefix)
        // Where a line's words begin: after the prefix, or after the indent.
        var lineStart = used
        let pad = String(repeating: " ", count: indent)
        func newLine() {
            lines.append(line)
            line = indent > 0 ? [.init(pad)] : []
            used = indent
            lineStart = indent
        }
        for word in words {
            let w = word.reduce(0) { $0 + DisplayWidth.of($1.text) }
            if used > lineStart {
                if used + 1 + w <= width {
                    line.append(.init(" "))
                    used += 1
                } else {
                    newLine()
                }
            }
            if w <= width - used {
                line += word
                used += w
                continue
            }
            // A word wider than the line is broken at the edge.
            for span in word {
                var rest = Substring(span.text)
                while let first = rest.first {
                    if used >= width { newLine() }
                    var (piece, pw) = DisplayWidth.prefix(String(rest), fitting: width - used)
                    if piece.isEmpty {
                        // A wide character at the last cell: start a new line,
                        // unless the line is empty (a width-1 screen).
                        if used > lineStart { newLine(); continue }
                        piece = String(first)
                        pw = DisplayWidth.of(first)
                    }
                    line.append(.init(piece, bold: span.bold))
                    used += pw
                    rest = rest.dropFirst(piece.count)
                }
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Plain text wrapped to lines of strings.
    public static func wrap(_ text: String, width: Int) -> [String] {
        wrap(RichText(spans: [.init(text)]), width: width).map { $0.map(\.text).joined() }
    }
}
