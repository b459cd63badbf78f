import Foundation

/// Checks what the bundled TOML parser (toml++ 3, inside TOMLKit 0.6)
/// asserts on instead of reporting, both found by fuzzing, each of which
/// aborted the program: a table header whose name does not start with a
/// key character (`[`, `[[`, `[.a]`), and a list closed with `}` (`s = [}`).
/// This scanner knows strings, comments, lists and inline tables, so only
/// real headers and brackets count.
enum TOMLGuard {
    static func headerProblem(_ text: String) -> (line: Int, column: Int, message: String)? {
        let chars = Array(text.unicodeScalars)
        var i = 0
        var line = 1
        var lineStart = 0
        var open: [Unicode.Scalar] = []  // lists and inline tables open inside a value
        var atLineStart = true
        func isKeyStart(_ c: Unicode.Scalar) -> Bool {
            c == "\"" || c == "'" || c == "_" || c == "-" || (c.isASCII && (CharacterSet.alphanumerics.contains(c)))
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
                // Strings, single- or triple-quoted; escapes only in basic strings.
                let triple = i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c
                i += triple ? 3 : 1
                while i < chars.count {
                    if c == "\"" && chars[i] == "\\" { i += 2; continue }
                    if chars[i] == "\n" {
                        if !triple { break }
                        line += 1
                        lineStart = i + 1
                    }
                    if chars[i] == c && (!triple || (i + 2 < chars.count && chars[i + 1] == c && chars[i + 2] == c)) {
                        i += triple ? 3 : 1
                        break
                    }
                    i += 1
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
}
