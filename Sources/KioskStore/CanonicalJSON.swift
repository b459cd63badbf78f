/// The JSON of a record: objects, arrays, strings and integers only, keys
/// sorted by their bytes, two-space indentation, a newline at the end. The
/// same value always gives the same bytes, so a record's hash is stable and
/// an inspector can read it in any text editor.
public indirect enum JSONValue: Equatable, Sendable {
    case string(String)
    case int(Int)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var int: Int? { if case .int(let i) = self { i } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var object: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }
}

public enum CanonicalJSON {
    /// The canonical bytes of `value`, newline-terminated.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(value, indent: 0, into: &out)
        out.append(0x0A)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout [UInt8]) {
        switch value {
        case .string(let s): writeString(s, into: &out)
        case .int(let i): out += Array(String(i).utf8)
        case .array(let items):
            if items.isEmpty {
                out += Array("[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                out.append(0x0A)
                out += [UInt8](repeating: 0x20, count: indent + 2)
                write(item, indent: indent + 2, into: &out)
                if index < items.count - 1 { out.append(UInt8(ascii: ",")) }
            }
            out.append(0x0A)
            out += [UInt8](repeating: 0x20, count: indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                out += Array("{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for (index, key) in keys.enumerated() {
                out.append(0x0A)
                out += [UInt8](repeating: 0x20, count: indent + 2)
                writeString(key, into: &out)
                out += Array(": ".utf8)
                write(members[key]!, indent: indent + 2, into: &out)
                if index < keys.count - 1 { out.append(UInt8(ascii: ",")) }
            }
            out.append(0x0A)
            out += [UInt8](repeating: 0x20, count: indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Escapes quotes, backslashes and every control character (C0, DEL,
    /// C1), so no text a person typed can move a reader's cursor or colour
    /// a terminal when the file is printed with `cat`.
    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029:
                out += Array(String(format4: scalar.value).utf8)
            default:
                out += Array(String(scalar).utf8)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Parses JSON text (any JSON this subset allows; numbers must be
    /// integers). Errors name the byte offset.
    public static func decode(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw JSONError(offset: parser.index, message: "unexpected text after the end") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func expect(_ byte: UInt8) throws(JSONError) {
            guard index < bytes.count, bytes[index] == byte else {
                throw JSONError(offset: index, message: "expected '\(Character(UnicodeScalar(byte)))'")
            }
            index += 1
        }

        mutating func value(depth: Int) throws(JSONError) -> JSONValue {
            guard depth < 64 else { throw JSONError(offset: index, message: "nested too deeply") }
            guard index < bytes.count else { throw JSONError(offset: index, message: "unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "{"):
                index += 1
                var members: [String: JSONValue] = [:]
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                }
                while true {
                    skipSpace()
                    let keyStart = index
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    guard members[key] == nil else { throw JSONError(offset: keyStart, message: "key \"\(key)\" appears twice") }
                    members[key] = try value(depth: depth + 1)
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect(UInt8(ascii: "}"))
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [JSONValue] = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(items)
                }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    try expect(UInt8(ascii: "]"))
                    return .array(items)
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                if bytes[index] == UInt8(ascii: "-") { index += 1 }
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard let int = Int(String(decoding: bytes[start..<index], as: UTF8.self)) else {
                    throw JSONError(offset: start, message: "not a whole number")
                }
                return .int(int)
            default:
                throw JSONError(offset: index, message: "expected a string, number, object or array")
            }
        }

        mutating func string() throws(JSONError) -> String {
            try expect(UInt8(ascii: "\""))
            var scalars = String.UnicodeScalarView()
            var run = index
            func flush(_ end: Int) throws(JSONError) {
                guard run < end else { return }
                guard let text = String(validating: bytes[run..<end], as: UTF8.self) else {
                    throw JSONError(offset: run, message: "not valid UTF-8")
                }
                scalars.append(contentsOf: text.unicodeScalars)
            }
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    try flush(index)
                    index += 1
                    return String(scalars)
                }
                if b < 0x20 { throw JSONError(offset: index, message: "control character in a string") }
                if b == UInt8(ascii: "\\") {
                    try flush(index)
                    index += 1
                    guard index < bytes.count else { break }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                                throw JSONError(offset: index, message: "lone surrogate")
                            }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw JSONError(offset: index, message: "lone surrogate") }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw JSONError(offset: index, message: "invalid \\u escape") }
                        scalars.append(scalar)
                    default: throw JSONError(offset: index - 1, message: "unknown escape")
                    }
                    run = index
                    continue
                }
                index += 1
            }
            throw JSONError(offset: index, message: "string is not closed")
        }

        mutating func hex4() throws(JSONError) -> UInt32 {
            guard index + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw JSONError(offset: index, message: "invalid \\u escape")
            }
            index += 4
            return v
        }
    }
}

/// A record file that is not the JSON the kiosk writes.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public var description: String { "\(message) at byte \(offset)" }
}

extension String {
    /// `\u00XX` for a control character.
    fileprivate init(format4 value: UInt32) {
        let hex = String(value, radix: 16)
        self = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }
}
