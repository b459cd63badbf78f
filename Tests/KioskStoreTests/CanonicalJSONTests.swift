import KioskTestSupport
import Foundation
import Testing
@testable import KioskStore

@Suite("Canonical JSON")
struct CanonicalJSONTests {
    @Test("keys sorted by bytes, two-space indent, newline at the end")
    func layout() {
        let value = JSONValue.object(["b": .int(2), "a": .array([.string("x"), .int(-1)]), "B": .object([:]), "c": .array([])])
        #expect(String(decoding: CanonicalJSON.encode(value), as: UTF8.self) == """
            {
              "B": {},
              "a": [
                "x",
                -1
              ],
              "b": 2,
              "c": []
            }

            """)
    }

    @Test("quotes, backslashes and every control character are escaped; other text is kept as UTF-8")
    func escapes() throws {
        let text = "Zoë \"Z\" \\ 李\n\t\u{1B}[31m\u{7F}\u{85}\u{2028}"
        let encoded = String(decoding: CanonicalJSON.encode(.string(text)), as: UTF8.self)
        #expect(encoded == "\"Zoë \\\"Z\\\" \\\\ 李\\n\\t\\u001b[31m\\u007f\\u0085\\u2028\"\n")
        #expect(try CanonicalJSON.decode(CanonicalJSON.encode(.string(text))) == .string(text))
    }

    @Test("decode reads back what encode writes")
    func roundTrip() throws {
        let value = JSONValue.object(["seq": .int(42), "person": .object(["name": .string("Ana María")]), "list": .array([.int(0)])])
        #expect(try CanonicalJSON.decode(CanonicalJSON.encode(value)) == value)
    }

    @Test("malformed JSON is refused with its byte offset")
    func malformed() {
        #expect(throws: JSONError(offset: 6, message: "expected a string, number, object or array")) { try CanonicalJSON.decode(Array("{\"a\": }".utf8)) }
        #expect(throws: JSONError(offset: 7, message: "key \"a\" appears twice")) { try CanonicalJSON.decode(Array("{\"a\":1,\"a\":2}".utf8)) }
        #expect(throws: (any Error).self) { try CanonicalJSON.decode(Array("\"unterminated".utf8)) }
        #expect(throws: (any Error).self) { try CanonicalJSON.decode(Array("[1] x".utf8)) }
        #expect(throws: (any Error).self) { try CanonicalJSON.decode([0x22, 0xFF, 0x22]) }
    }
}

@Suite("Record times")
struct TimestampTests {
    @Test("a time is canonical exactly when parsing and formatting it gives it back")
    func canonicalMatchesRoundTrip() {
        var candidates = ["2026-11-25T08:14:03Z", "2024-02-29T23:59:59Z", "2023-02-29T00:00:00Z", "2026-04-31T10:00:00Z",
                          "2026-12-31T23:59:60Z", "1900-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
                          "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z",
                          "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+00:00", "2026-1-01T00:00:00Z", "+026-01-01T00:00:00Z",
                          "2026-01-01T00:00:00z", "2026-11-25T08:14:03Z\n", "２０２６-01-01T00:00:00Z", ""]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let y = Int.random(in: 1895...2105, using: &generator), mo = Int.random(in: 0...13, using: &generator)
            let d = Int.random(in: 0...32, using: &generator), h = Int.random(in: 0...24, using: &generator)
            let mi = Int.random(in: 0...60, using: &generator), s = Int.random(in: 0...61, using: &generator)
            func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            candidates.append("\(y)-\(two(mo))-\(two(d))T\(two(h)):\(two(mi)):\(two(s))Z")
        }
        for text in candidates {
            let roundTrip = Timestamp.parse(text).map(Timestamp.format) == text
            #expect(Timestamp.isCanonical(text) == roundTrip, "\(text)")
        }
    }

    @Test("format writes four-digit years, zero-padded fields, and Z")
    func format() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_795_680_843.9)) == "2026-11-26T08:14:03Z")
        #expect(Timestamp.parse("2026-11-26T08:14:03Z") == Date(timeIntervalSince1970: 1_795_680_843))
    }
}

@Suite("Record decoding, string by string")
struct RecordDecodingTests {
    /// One saved record's bytes, as text to edit.
    func record() throws -> String {
        let book = Book()
        try book.fill(1)
        return String(decoding: book.bytes(book.layout.record(seq: 1)), as: UTF8.self)
    }

    func decodes(_ text: String, canonical: Bool) -> Bool {
        (try? RecordFile(bytes: Array(text.utf8), checkCanonical: canonical)) != nil
    }

    @Test("strings are made only when read, and still every one a record holds is checked: bad UTF-8, a repeated key, an unknown or escaped-away key, too many fields")
    func strict() throws {
        let text = try record()
        #expect(decodes(text, canonical: true) && decodes(text, canonical: false))
        let record = try RecordFile(bytes: Array(text.utf8))
        #expect(record.seq == 1 && record.terminal == "reception-1" && record.session?.clauses.isEmpty == false)
        // Bytes that are not UTF-8 inside the signer's name, and inside a clause's text.
        var bytes = Array(text.utf8)
        let name = try #require(bytes.firstRange(of: Array("\"typed_name\": \"".utf8)))
        bytes[name.upperBound] = 0xFF
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: bytes, checkCanonical: false) }
        bytes = Array(text.utf8)
        let clause = try #require(bytes.firstRange(of: Array("\"text\": \"".utf8)))
        bytes[clause.upperBound + 1] = 0xC3
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: bytes, checkCanonical: false) }
        // A key written twice, a key this kiosk does not write, a key missing.
        let twice = text.replacingOccurrences(of: "\"seq\": 1,", with: "\"seq\": 1,\n  \"seq\": 1,")
        let unknown = text.replacingOccurrences(of: "\"seq\": 1,", with: "\"seq\": 1,\n  \"seqq\": 1,")
        let missing = text.replacingOccurrences(of: "\"seq\": 1,", with: "")
        for edited in [twice, unknown, missing] {
            #expect(edited != text)
            #expect(!decodes(edited, canonical: false))
        }
        // A key spelled with an escape is the same key (JSON says so), but
        // never the canonical form.
        let escaped = text.replacingOccurrences(of: "\"seq\": 1,", with: "\"s\\u0065q\": 1,")
        #expect(escaped != text && decodes(escaped, canonical: false) && !decodes(escaped, canonical: true))
        // An object with more fields than any the kiosk writes.
        let many = (0..<70).map { "\"f\($0)\": 1" }.joined(separator: ", ")
        let wide = text.replacingOccurrences(of: "\"seq\": 1,", with: "\"seq\": 1, \(many),")
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: Array(wide.utf8), checkCanonical: false) }
    }
}

extension RecordDecodingTests {
    @Test("records read one after another on one thread share their repeated strings, and each is still its own: one byte changed in a clause reads as changed, bad UTF-8 in a repeated field is refused every time")
    func sharedStrings() throws {
        let text = try record()
        let shared = TextInterner()
        let first = try RecordFile(bytes: Array(text.utf8), checkCanonical: true, shared: shared)
        let again = try RecordFile(bytes: Array(text.utf8), checkCanonical: true, shared: shared)
        #expect(first == again)
        #expect(first == (try RecordFile(bytes: Array(text.utf8))), "the same record as read without shared strings")
        // One letter in the middle of the first clause's text changed (same
        // length, same first and last bytes): not the text read before.
        let clauseText = try #require(first.session?.clauses.first?.text)
        var letters = Array(clauseText.utf8)
        let middle = letters.count / 2
        letters[middle] = letters[middle] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        let changedText = String(decoding: letters, as: UTF8.self)
        let changed = try RecordFile(bytes: Array(text.replacingOccurrences(of: clauseText, with: changedText).utf8), checkCanonical: false, shared: shared)
        #expect(changed.session?.clauses.first?.text == changedText)
        #expect(changed.session?.clauses.first?.text != clauseText)
        // Bad UTF-8 in a clause's text, after the good one was kept: refused, twice.
        var bad = Array(text.utf8)
        let at = try #require(bad.firstRange(of: Array(clauseText.utf8)))
        bad[at.lowerBound + middle] = 0xFF
        for _ in 0..<2 {
            #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: bad, checkCanonical: false, shared: shared) }
        }
    }

    @Test("a string's end, escape or control character is found at every place in an eight-byte block")
    func scanEveryOffset() throws {
        for length in 0..<20 {
            let plain = String(repeating: "a", count: length)
            #expect(try CanonicalJSON.decode(Array("[\"\(plain)\",\"b\"]".utf8)) == .array([.string(plain), .string("b")]))
            #expect(try CanonicalJSON.decode(Array("\"\(plain)\\\"z\"".utf8)) == .string(plain + "\"z"))
            #expect(try CanonicalJSON.decode(Array("\"\(plain)\\\\\"".utf8)) == .string(plain + "\\"))
            for control: UInt8 in [0x00, 0x0A, 0x1F] {
                var bytes = Array("\"\(plain)".utf8) + [control] + Array("zzzzzzzzzzzz\"".utf8)
                #expect(throws: JSONError.self) { try CanonicalJSON.decode(bytes) }
                bytes = Array("\"\(plain)".utf8) + [0x7F, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0xC3, 0xA9] + Array("\"".utf8)
                #expect(try CanonicalJSON.decode(bytes) == .string(plain + "\u{7F} !#[]é"))
            }
        }
    }
}

@Suite("Keys that are one key as text")
struct EquivalentKeyTests {
    @Test("an answer's key written composed and decomposed is one key twice: refused, as a repeated key")
    func composedAndDecomposed() throws {
        let composed = "{\"a\": {\"caf\u{E9}\": \"1\", \"cafe\u{301}\": \"2\"}}"
        #expect(throws: JSONError.self) { try CanonicalJSON.decode(Array(composed.utf8)) }
        let book = Book()
        try book.fill(1)
        let text = String(decoding: book.bytes(book.layout.record(seq: 1)), as: UTF8.self)
        let edited = text.replacingOccurrences(of: "\"answers\": {", with: "\"answers\": {\n      \"caf\u{E9}\": \"1\",\n      \"cafe\u{301}\": \"2\",")
        #expect(edited != text)
        #expect(throws: RecordFile.DecodeError.self) { try RecordFile(bytes: Array(edited.utf8), checkCanonical: false) }
        // One of them alone is an answer like any other.
        let once = text.replacingOccurrences(of: "\"answers\": {", with: "\"answers\": {\n      \"caf\u{E9}\": \"1\",")
        #expect((try? RecordFile(bytes: Array(once.utf8), checkCanonical: false))?.session?.person.answers["caf\u{E9}"] == "1")
    }
}
