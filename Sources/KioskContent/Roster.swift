/// The people a school expects to have signed: a CSV with a header row and
/// the columns `name` and `role`, and optionally `staff_id`.
public struct Roster: Equatable, Sendable {
    public struct Person: Equatable, Sendable {
        public var name: String
        public var role: String
        public var staffID: String
        /// Line in the file, for messages.
        public var line: Int
    }

    public var people: [Person]

    /// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF, a
    /// byte-order mark). Every problem names its line. A row with an unknown
    /// role is left out with its problem, and the roster is still given;
    /// any other problem refuses the roster.
    public static func parse(_ text: String, path: String, roles: [Role]) -> (Roster?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let records: [CSVReader.Row]
        do {
            records = try CSVReader.records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        } catch {
            return (nil, [Diagnostic(file: path, line: error.line, column: 1, message: error.message)])
        }
        guard let header = records.first else {
            return (nil, [Diagnostic(file: path, line: 1, column: 1, message: "the roster is empty: its first line names the columns, e.g. name,role,staff_id")])
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let nameColumn = columns.firstIndex(of: "name"), let roleColumn = columns.firstIndex(of: "role") else {
            let missing = ["name", "role"].filter { !columns.contains($0) }.joined(separator: " and ")
            return (nil, [Diagnostic(file: path, line: 1, column: 1,
                                     message: "the roster has no \(missing) column: its first line must name the columns, e.g. name,role,staff_id")])
        }
        let idColumn = columns.firstIndex(of: "staff_id")
        var people: [Person] = []
        // Problems of one row that leave the rest usable (an unknown role).
        var rowProblems: [Diagnostic] = []
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard record.fields.count == columns.count else {
                diagnostics.append(Diagnostic(file: path, line: record.line, column: 1,
                    message: "this row has \(record.fields.count) cells where the header has \(columns.count)"))
                continue
            }
            // The cells the report prints: a control character there would
            // reach the office's terminal or spreadsheet.
            let used = [(nameColumn, "name"), (roleColumn, "role")] + (idColumn.map { [($0, "staff_id")] } ?? [])
            if let (column, at) = used.sorted(by: { $0.0 < $1.0 }).lazy.compactMap({ c in record.controls[c.0].map { (c.1, $0) } }).first {
                let what: String
                switch at.scalar {
                case "\n", "\r": what = "a line break: write it on one line"
                case "\t": what = "a tab: use a space"
                default: what = "the control character \(ControlCharacters.name(at.scalar)): remove it"
                }
                diagnostics.append(Diagnostic(file: path, line: at.line, column: at.column, message: "the \(column) cell holds \(what)"))
                continue
            }
            let name = record.fields[nameColumn].trimmingCharacters(in: .whitespaces)
            let role = record.fields[roleColumn].trimmingCharacters(in: .whitespaces)
            if name.isEmpty {
                diagnostics.append(Diagnostic(file: path, line: record.line, column: 1, message: "this row has no name"))
                continue
            }
            guard let known = roles.first(where: { $0.id == role || $0.label.lowercased() == role.lowercased() }) else {
                // One row's problem: the rest of the roster is still reported on.
                rowProblems.append(Diagnostic(file: path, line: record.line, column: 1,
                    message: "unknown role \"\(role)\" (this row is left out of the report); kiosk.conf has: \(roles.map { "\($0.id) (\($0.label))" }.joined(separator: ", "))"))
                continue
            }
            people.append(Person(name: name, role: known.id, staffID: idColumn.map { record.fields[$0] } ?? "", line: record.line))
        }
        return (diagnostics.isEmpty ? Roster(people: people) : nil, diagnostics + rowProblems)
    }
}

/// Reads RFC 4180 CSV into rows of fields, with the line each row starts on
/// and where each field's first control character stands.
enum CSVReader {
    struct Failure: Error {
        var line: Int
        var message: String
    }

    struct Row {
        var line: Int
        var fields: [String]
        /// Field index -> the first control character in it (`ControlCharacters`), with its place.
        var controls: [Int: (line: Int, column: Int, scalar: Unicode.Scalar)] = [:]
    }

    static func records(_ text: String) throws(Failure) -> [Row] {
        var rows: [Row] = []
        var row = Row(line: 1, fields: [])
        var field = ""
        var inQuotes = false
        var line = 1
        var column = 0
        var chars = Array(text.unicodeScalars)
        if chars.last != "\n" { chars.append("\n") }
        var i = 0
        var quotedStart = 0
        func append(_ c: Unicode.Scalar) {
            if ControlCharacters.contains(c) && row.controls[row.fields.count] == nil {
                row.controls[row.fields.count] = (line, column, c)
            }
            field.unicodeScalars.append(c)
        }
        while i < chars.count {
            let c = chars[i]
            column += 1
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count && chars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                        column += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    append(c)
                    if c == "\n" {
                        line += 1
                        column = 0
                    }
                }
            } else {
                switch c {
                case "\"":
                    inQuotes = true
                    quotedStart = line
                case ",":
                    row.fields.append(field)
                    field = ""
                case "\r":
                    break
                case "\n":
                    row.fields.append(field)
                    rows.append(row)
                    field = ""
                    line += 1
                    column = 0
                    row = Row(line: line, fields: [])
                default:
                    append(c)
                }
            }
            i += 1
        }
        if inQuotes { throw Failure(line: quotedStart, message: "a quoted cell is never closed with \"") }
        return rows
    }
}
