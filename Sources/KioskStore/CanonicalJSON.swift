import Glibc

/// The JSON of a record: objects, arrays, strings and integers only, keys
/// sorted by their bytes, two-space indentation, a newline at the end. The
/// same value always gives the same bytes, so a record's hash is stable and
/// an inspector can read it in any text editor.
public enum JSONValue: Equatable, Sendable {
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
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                newline(indent + 2, into: &out)
                write(item, indent: indent + 2, into: &out)
                if index < items.count - 1 { out.append(UInt8(ascii: ",")) }
            }
            newline(indent, into: &out)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                newline(indent + 2, into: &out)
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                out.append(0x20)
                write(members[key]!, indent: indent + 2, into: &out)
                if index < keys.count - 1 { out.append(UInt8(ascii: ",")) }
            }
            newline(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ indent: Int, into out: inout [UInt8]) {
        out.append(0x0A)
        for _ in 0..<indent { out.append(0x20) }
    }

    /// Escapes quotes, backslashes and every control character (C0, DEL,
    /// C1, and the line and paragraph separators), so no text a person
    /// typed can move a reader's cursor or colour a terminal when the file
    /// is printed with `cat`. Works on the UTF-8 bytes: runs of ordinary
    /// bytes are copied whole.
    private static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            var i = 0
            func escape(_ width: Int, _ replacement: some Sequence<UInt8>) {
                out.append(contentsOf: bytes[runStart..<i])
                out.append(contentsOf: replacement)
                i += width
                runStart = i
            }
            while i < bytes.count {
                let b = bytes[i]
                switch b {
                case 0x22: escape(1, [0x5C, 0x22])
                case 0x5C: escape(1, [0x5C, 0x5C])
                case 0x0A: escape(1, [0x5C, UInt8(ascii: "n")])
                case 0x09: escape(1, [0x5C, UInt8(ascii: "t")])
                case 0x00..<0x20, 0x7F: escape(1, unicodeEscape(UInt32(b)))
                case 0xC2 where i + 1 < bytes.count && (0x80...0x9F).contains(bytes[i + 1]):
                    escape(2, unicodeEscape(UInt32(bytes[i + 1])))
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    escape(3, unicodeEscape(bytes[i + 2] == 0xA8 ? 0x2028 : 0x2029))
                default:
                    i += 1
                }
            }
            out.append(contentsOf: bytes[runStart..<bytes.count])
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `\u00XX` for a control character.
    private static func unicodeEscape(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [0x5C, UInt8(ascii: "u"), digits[Int(value >> 12 & 0xF)], digits[Int(value >> 8 & 0xF)],
                digits[Int(value >> 4 & 0xF)], digits[Int(value & 0xF)]]
    }

    /// Parses JSON text (any JSON this subset allows; numbers must be
    /// integers). Errors name the byte offset.
    public static func decode(_ bytes: [UInt8]) throws(JSONError) -> JSONValue {
        let result: Result<JSONValue, JSONError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(JSONError) {
                var text = ParsedText(buffer)
                return .success(try text.value(try parse(buffer)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses JSON text over `buffer` without making its strings: each is
    /// where it lies in the buffer (made by `ParsedText` when asked for),
    /// and each object's members are in file order. What a record's
    /// decoding reads field by field, comparing keys as bytes.
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(JSONError) -> ParsedJSON {
        var parser = Parser(bytes: buffer)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == buffer.count else { throw JSONError(offset: parser.index, message: "unexpected text after the end") }
        return value
    }

    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        @inline(__always) var atEnd: Bool { index >= bytes.count }

        @inline(__always) func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        mutating func expect(_ byte: UInt8) throws(JSONError) {
            guard peek(byte) else {
                throw JSONError(offset: index, message: "expected '\(Character(UnicodeScalar(byte)))'")
            }
            index += 1
        }

        mutating func value(depth: Int) throws(JSONError) -> ParsedJSON {
            guard depth < 64 else { throw JSONError(offset: index, message: "nested too deeply") }
            guard !atEnd else { throw JSONError(offset: index, message: "unexpected end") }
            switch bytes[index] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "{"):
                index += 1
                var members: [ParsedMember] = []
                skipSpace()
                if peek(UInt8(ascii: "}")) {
                    index += 1
                    return .object(members)
                }
                members.reserveCapacity(8)
                // Small objects are checked for a repeated key by looking;
                // a large one (only ever hostile) by a set, never in n².
                var seen: Set<String>?
                while true {
                    skipSpace()
                    let keyStart = index
                    let key = try string()
                    skipSpace()
                    try expect(UInt8(ascii: ":"))
                    skipSpace()
                    let repeated: Bool
                    if members.count < 32 {
                        repeated = members.contains { ParsedString.same($0.key, key, in: bytes) }
                    } else {
                        if seen == nil { seen = Set(members.map { $0.key.lossy(in: bytes) }) }
                        repeated = !seen!.insert(key.lossy(in: bytes)).inserted
                    }
                    guard !repeated else { throw JSONError(offset: keyStart, message: "key \"\(key.lossy(in: bytes))\" appears twice") }
                    members.append(ParsedMember(key: key, value: try value(depth: depth + 1)))
                    skipSpace()
                    if peek(UInt8(ascii: ",")) {
                        index += 1
                        continue
                    }
                    try expect(UInt8(ascii: "}"))
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [ParsedJSON] = []
                skipSpace()
                if peek(UInt8(ascii: "]")) {
                    index += 1
                    return .array(items)
                }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if peek(UInt8(ascii: ",")) {
                        index += 1
                        continue
                    }
                    try expect(UInt8(ascii: "]"))
                    return .array(items)
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                let negative = bytes[index] == UInt8(ascii: "-")
                if negative { index += 1 }
                var magnitude = 0
                var digits = 0
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                    let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(Int(bytes[index] - 0x30))
                    guard !o1, !o2 else { throw JSONError(offset: start, message: "not a whole number") }
                    magnitude = sum
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { throw JSONError(offset: start, message: "not a whole number") }
                return .int(negative ? -magnitude : magnitude)
            default:
                throw JSONError(offset: index, message: "expected a string, number, object or array")
            }
        }

        /// A string: where its bytes lie when it has no escapes (checked
        /// as UTF-8 when it is made), else unescaped and checked now.
        mutating func string() throws(JSONError) -> ParsedString {
            try expect(UInt8(ascii: "\""))
            let start = index
            // Eight bytes at a time while none is a quote, a backslash or a
            // control character (each test is exact about whether one is
            // there); the loop below then finds which.
            let ones: UInt64 = 0x0101_0101_0101_0101
            let base = UnsafeRawPointer(bytes.baseAddress!)
            while index + 8 <= bytes.count {
                let v = (base + index).loadUnaligned(as: UInt64.self)
                let quote = v ^ (ones &* 0x22), backslash = v ^ (ones &* 0x5C)
                let found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((v &- ones &* 0x20) & ~v)
                if found & (ones &* 0x80) != 0 { break }
                index += 8
            }
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    index += 1
                    return ParsedString(start: start, count: index - 1 - start, unescaped: nil)
                }
                if b == UInt8(ascii: "\\") { break }
                if b < 0x20 { throw JSONError(offset: index, message: "control character in a string") }
                index += 1
            }
            var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            while index < bytes.count {
                let b = bytes[index]
                if b == UInt8(ascii: "\"") {
                    index += 1
                    guard let text = ParsedText.text(buffer) else {
                        throw JSONError(offset: start, message: "not valid UTF-8")
                    }
                    return ParsedString(start: start, count: index - 1 - start, unescaped: text)
                }
                if b < 0x20 { throw JSONError(offset: index, message: "control character in a string") }
                guard b == UInt8(ascii: "\\") else {
                    buffer.append(b)
                    index += 1
                    continue
                }
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): buffer.append(0x22)
                case UInt8(ascii: "\\"): buffer.append(0x5C)
                case UInt8(ascii: "/"): buffer.append(0x2F)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
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
                    buffer.append(contentsOf: String(scalar).utf8)
                default: throw JSONError(offset: index - 1, message: "unknown escape")
                }
            }
            throw JSONError(offset: index, message: "string is not closed")
        }

        mutating func hex4() throws(JSONError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw JSONError(offset: index, message: "invalid \\u escape") }
            var v: UInt32 = 0
            for b in bytes[index..<index + 4] {
                let digit: UInt8
                switch b {
                case 0x30...0x39: digit = b - 0x30
                case 0x41...0x46: digit = b - 0x41 + 10
                case 0x61...0x66: digit = b - 0x61 + 10
                default: throw JSONError(offset: index, message: "invalid \\u escape")
                }
                v = v << 4 | UInt32(digit)
            }
            index += 4
            return v
        }
    }
}

/// A string of parsed JSON: its bytes in the buffer (between the quotes),
/// or, when it had escapes, its text already made.
struct ParsedString {
    var start: Int
    var count: Int
    var unescaped: String?

    func bytes(in buffer: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: buffer[start..<start + count])
    }

    /// Whether it is `key` (a key a record has, which needs no escapes).
    func isKey(_ key: StaticString, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard unescaped == nil else { return unescaped == key.description }
        return count == key.utf8CodeUnitCount && memcmp(key.utf8Start, buffer.baseAddress! + start, count) == 0
    }

    static func same(_ a: ParsedString, _ b: ParsedString, in buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.unescaped != nil || b.unescaped != nil { return a.lossy(in: buffer) == b.lossy(in: buffer) }
        return a.count == b.count && memcmp(buffer.baseAddress! + a.start, buffer.baseAddress! + b.start, a.count) == 0
    }

    /// Its text with anything that is not UTF-8 repaired: for messages and comparisons only.
    func lossy(in buffer: UnsafeBufferPointer<UInt8>) -> String {
        unescaped ?? String(decoding: bytes(in: buffer), as: UTF8.self)
    }
}

/// One member of a parsed object.
struct ParsedMember {
    var key: ParsedString
    var value: ParsedJSON
}

/// JSON as parsed: strings where they lie, objects' members in order.
enum ParsedJSON {
    case string(ParsedString)
    case int(Int)
    case array([ParsedJSON])
    case object([ParsedMember])
}

/// Makes the strings of parsed JSON, checked as UTF-8, each repeat made
/// once: a record repeats many (each clause names its document), and a
/// repeat then costs a comparison, not an allocation.
struct ParsedText {
    let buffer: UnsafeBufferPointer<UInt8>
    private var recent = [String?](repeating: nil, count: 64)
    /// Strings that repeat from record to record (a clause's text and id,
    /// a document's title), kept while one thread reads many records.
    let shared: TextInterner?

    init(_ buffer: UnsafeBufferPointer<UInt8>, shared: TextInterner? = nil) {
        self.buffer = buffer
        self.shared = shared
    }

    /// The text of `s`, or nil when its bytes are not UTF-8. `repeats`:
    /// a field whose text other records hold too (looked for in `shared`).
    mutating func text(_ s: ParsedString, repeats: Bool = false) -> String? {
        if let unescaped = s.unescaped { return unescaped }
        let slice = s.bytes(in: buffer)
        // Up to 15 bytes a String holds in place, with no allocation.
        guard slice.count > 15 else { return Self.text(slice) }
        if repeats, let shared { return shared.text(slice) }
        return TextInterner.look(in: &recent, for: slice, mask: 63)
    }

    /// The whole value as a `JSONValue`, every string checked.
    mutating func value(_ parsed: ParsedJSON) throws(JSONError) -> JSONValue {
        switch parsed {
        case .string(let s): return .string(try checked(s))
        case .int(let i): return .int(i)
        case .array(let items):
            var out: [JSONValue] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(try value(item)) }
            return .array(out)
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for member in members {
                // Told apart by their bytes, the same as text: one key twice.
                let key = try checked(member.key)
                guard out.updateValue(try value(member.value), forKey: key) == nil else {
                    throw JSONError(offset: member.key.start, message: "key \"\(key)\" appears twice")
                }
            }
            return .object(out)
        }
    }

    private mutating func checked(_ s: ParsedString) throws(JSONError) -> String {
        guard let t = text(s) else { throw JSONError(offset: s.start, message: "not valid UTF-8") }
        return t
    }

    /// The UTF-8 `bytes` as a String, or nil when they are not valid
    /// UTF-8. (`String(validating:as:)` is generic and costs more than
    /// the rest of a record's parse: decode, then see nothing was repaired.)
    static func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            decoded.count == bytes.count && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return same ? text : nil
    }

    static func text(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { text($0) }
    }
}

/// Strings made from bytes, each kept in a slot chosen by its bytes, so
/// the same bytes again give the same String without an allocation or a
/// UTF-8 check (they were checked when it was made; a different string
/// in the slot is only a miss). One per thread at a time: not locked.
final class TextInterner: @unchecked Sendable {
    private var slots = [String?](repeating: nil, count: 512)

    func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        Self.look(in: &slots, for: bytes, mask: 511)
    }

    /// The String in `bytes`' slot when it holds exactly these bytes; else
    /// it is made (nil when not UTF-8) and takes the slot. `bytes` has at
    /// least 16 of them.
    static func look(in slots: inout [String?], for bytes: UnsafeBufferPointer<UInt8>, mask: Int) -> String? {
        let n = bytes.count
        @inline(__always) func mix(_ h: Int, _ i: Int) -> Int { (h ^ Int(bytes[i])) &* 0x0100_0193 }
        var hash = n &* 0x9E37_79B9
        hash = mix(mix(mix(mix(hash, 0), 1), n / 4), n / 2)
        hash = mix(mix(mix(mix(hash, n / 2 + 1), 3 * n / 4), n - 2), n - 1)
        let slot = (hash ^ hash >> 17) & mask
        if var known = slots[slot] {
            let same = known.withUTF8 { $0.count == n && memcmp($0.baseAddress!, bytes.baseAddress!, n) == 0 }
            if same { return known }
        }
        let text = ParsedText.text(bytes)
        if text != nil { slots[slot] = text }
        return text
    }
}

/// A record file that is not the JSON the kiosk writes.
public struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public var description: String { "\(message) at byte \(offset)" }
}
