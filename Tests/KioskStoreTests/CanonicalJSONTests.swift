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
