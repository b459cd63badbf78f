import KioskTestSupport
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
