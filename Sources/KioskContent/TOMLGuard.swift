import Foundation

/// Checks what the bundled TOML parser (toml++ 3, inside TOMLKit 0.6)
/// asserts on instead of reporting, both found by fuzzing, each of which
/// aborted the program: a table header whose name does not start with a
/// key character (`[`, `[[`, `[.a]`), and a list closed with `}` (`s = [}`);
/// and a string that is not closed, which it misnames. This scanner knows
/// strings, comments, lists and inline tables, so only real headers and
/// brackets count.
enum TOMLGuard {
    static func headerProblem(_ text: String) -> (line: Int, column: Int, message: String)? {
        let chars = PlainText.scalars(text)
        var i = 0
        var line = 1
        var lineStart = 0
        var open: [Unicode.Scalar] = []  // lists and inline tables open inside a value
        var atLineStart = true
        func isKeyStart(_ c: Unicode.Scalar) -> Bool {
            // ASCII letters and digits: what `CharacterSet.alphanumerics` holds of ASCII.
            c == "\"" || c == "'" || c == "_" || c == "-" || ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                line += 1
                lineStart = i + 1
                atLineStart = true
                i += 1
                continue
            }
            if c == " " || c == "\t" || c == "\r" {
                i += 1
                continue
            }
            if c == "#" {
                while i < chars.count && chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "\"" || c == "'" {
                // Strings, single- or triple-quoted; escapes only in basic
                // strings. One that is not closed is named here: the TOML
                // parser reads on into the line break and calls it "unescaped
                // control characters".
                let start = (line, i - lineStart + 1)
                let triple = i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c
                let quote = triple ? String(repeating: String(c), count: 3) : String(c)
                i += triple ? 3 : 1
                var closed = false
                while i < chars.count {
                    if c == "\"" && chars[i] == "\\" && i + 1 < chars.count && (triple || chars[i + 1] != "\n") {
                        if chars[i + 1] == "\n" {
                            line += 1
                            lineStart = i + 2
                        }
                        i += 2
                        continue
                    }
                    if chars[i] == "\n" {
                        if !triple { break }
                        line += 1
                        lineStart = i + 1
                    }
                    if chars[i] == c && (!triple || (i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c)) {
                        i += triple ? 3 : 1
                        closed = true
                        break
                    }
                    i += 1
                }
                if !closed {
                    return (start.0, start.1, "this string is not closed: end it with \(quote)\(triple ? "" : " on the same line")")
                }
                atLineStart = false
                continue
            }
            if c == "[" && atLineStart && open.isEmpty {
                var j = i + 1
                if j < chars.count && chars[j] == "[" { j += 1 }
                while j < chars.count && (chars[j] == " " || chars[j] == "\t") { j += 1 }
                if j >= chars.count || !isKeyStart(chars[j]) {
                    return (line, j - lineStart + 1, "a table header needs a name: write it as [name], e.g. [kiosk] or [roles.visitor]")
                }
                // Skip the header itself.
                while i < chars.count && chars[i] != "\n" && chars[i] != "#" { i += 1 }
                atLineStart = false
                continue
            }
            if c == "[" || c == "{" { open.append(c) }
            if c == "]" || c == "}", let last = open.last {
                if last == "[" && c == "}" {
                    return (line, i - lineStart + 1, "a list opened with [ is closed with }: close it with ]")
                }
                open.removeLast()
            }
            atLineStart = false
            i += 1
        }
        return nil
    }

    /// Every string (value or quoted key) and comment that holds a control
    /// character, escaped (`\u0000`, `\e`, `\t`) or as it is (a tab, a line
    /// break inside `"""`, C1 controls and bidirectional overrides, which
    /// TOML lets through). TOMLKit hands strings through C strings, so an
    /// escaped NUL silently cut a value short ("con\u0000x" was read as
    /// "con"); the others would reach the screen and the records. `file`
    /// names the text in messages ("kiosk.conf", "front matter").
    static func controlCharacterProblems(_ text: String, file: String) -> [(line: Int, column: Int, message: String)] {
        let chars = PlainText.scalars(text)
        var problems: [(line: Int, column: Int, message: String)] = []
        var i = 0
        var line = 1
        var lineStart = 0
        let rule = "text in \(file) may not hold control characters"
        func report(at index: Int, _ scalar: Unicode.Scalar, written: String?, comment: Bool = false) {
            let what = comment ? "a comment" : "a string"
            let message: String
            switch scalar {
            case "\t": message = "\(what) holds a tab\(written.map { " (written \($0))" } ?? ""): use a space; \(rule)"
            case "\n" where written == nil:
                message = "\(what) holds a line break: write it on one line, or end the line with \\ inside \"\"\" to join the lines; \(rule)"
            case "\n", "\r": message = "\(what) holds a line break (written \(written ?? "")): write it on one line; \(rule)"
            default:
                message = "\(what) holds the control character \(ControlCharacters.name(scalar))\(written.map { " (written \($0))" } ?? ""): remove it; \(rule)"
            }
            problems.append((line, index - lineStart + 1, message))
        }
        func newLine(at index: Int) {
            line += 1
            lineStart = index + 1
        }
        func hexValue(_ from: Int, _ count: Int) -> UInt32? {
            guard from + count <= chars.count else { return nil }
            var value: UInt32 = 0
            for k in from..<(from + count) {
                guard let digit = Int(String(chars[k]), radix: 16) else { return nil }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while i < chars.count {
            let c = chars[i]
            if c == "\n" {
                newLine(at: i)
                i += 1
                continue
            }
            if c == "#" {
                i += 1
                while i < chars.count && chars[i] != "\n" {
                    if chars[i] != "\t" && chars[i] != "\r" && ControlCharacters.contains(chars[i]) {
                        report(at: i, chars[i], written: nil, comment: true)
                    }
                    i += 1
                }
                continue
            }
            guard c == "\"" || c == "'" else {
                i += 1
                continue
            }
            let basic = c == "\""
            let triple = i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c
            i += triple ? 3 : 1
            if triple {
                // A line break right after the opening quotes is not part of the text.
                if i < chars.count && chars[i] == "\n" {
                    newLine(at: i)
                    i += 1
                } else if i + 1 < chars.count && chars[i] == "\r" && chars[i + 1] == "\n" {
                    newLine(at: i + 1)
                    i += 2
                }
            }
            while i < chars.count {
                let s = chars[i]
                if s == c && (!triple || (i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c)) {
                    i += triple ? 3 : 1
                    // Up to two more quotes before the closing three belong to the text.
                    if triple {
                        var extra = 0
                        while extra < 2 && i < chars.count && chars[i] == c { i += 1; extra += 1 }
                    }
                    break
                }
                if s == "\n" {
                    if !triple { break }  // an unclosed string: the TOML parser says so
                    report(at: i, s, written: nil)
                    newLine(at: i)
                    i += 1
                    continue
                }
                if s == "\r" && triple && i + 1 < chars.count && chars[i + 1] == "\n" {
                    i += 1
                    continue
                }
                if basic && triple && s == "\\" && i + 1 < chars.count && [" ", "\t", "\r", "\n"].contains(chars[i + 1]) {
                    // A line-ending backslash: the line break and the white
                    // space after it are not part of the text.
                    var j = i + 1
                    while j < chars.count && [" ", "\t", "\r", "\n"].contains(chars[j]) {
                        if chars[j] == "\n" { newLine(at: j) }
                        j += 1
                    }
                    i = j
                    continue
                }
                if basic && s == "\\" && i + 1 < chars.count {
                    let e = chars[i + 1]
                    var value: UInt32?
                    var length = 2
                    switch e {
                    case "u": value = hexValue(i + 2, 4); length = 6
                    case "U": value = hexValue(i + 2, 8); length = 10
                    case "x": value = hexValue(i + 2, 2); length = 4
                    case "b": value = 0x08
                    case "t": value = 0x09
                    case "n": value = 0x0A
                    case "f": value = 0x0C
                    case "r": value = 0x0D
                    case "e": value = 0x1B
                    default: break
                    }
                    if let value, let scalar = Unicode.Scalar(value), ControlCharacters.contains(scalar) {
                        report(at: i, scalar, written: String(String.UnicodeScalarView(chars[i..<min(i + length, chars.count)])))
                    }
                    i += value == nil ? 2 : length
                    continue
                }
                if ControlCharacters.contains(s) {
                    report(at: i, s, written: nil)
                }
                i += 1
            }
        }
        return problems
    }
}

