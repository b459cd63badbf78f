import Foundation
import Testing
@testable import KioskContent

/// The parser's byte-level text operations against Foundation's: the same
/// answer for every input, plain or not (a clause's identity hangs on it).
@Suite("Plain text, on bytes as by Foundation")
struct PlainTextTests {
    /// Every scalar `isPlainScalar` takes.
    static let plainScalars: [Unicode.Scalar] = (0x80...0x2FFF).compactMap { v in
        PlainText.isPlainScalar(UInt32(v)) ? Unicode.Scalar(UInt32(v)) : nil
    }

    /// Text that is not plain, each for a different reason.
    static let awkward: [String] = [
        "cafe\u{301}", " \u{301}x", "x\u{301} ", "\u{A0}x\u{A0}", "x\u{2009}", "\u{200B}x", "a\u{2028}b", "\u{3000}x",
        "\u{600}<!--x-->", "x<!--\u{338}y", "x-->\u{301}", "a≮!--b", "x--≯y", "ab<!-\u{200D}-c", "\u{212B}ngstr\u{F6}m",
        "\u{1F469}\u{200D}\u{1F4BB} x", "\u{FEFF}x", "\u{85}x\u{85}", "a\u{AD}b", "**x\u{301}**", "\u{301}**b**",
        "x\r\ny", "\r\n", "\u{1100}\u{1161}", "\u{0B47}\u{0B3E}", "a\u{0085}b",
        "\u{A0}\u{3000}Zażółć\u{2003} ", "x\u{200B}", "x \u{301}", "\u{2003}", "ą", " \t\u{A0}", "\u{1F469}\u{A0}",
    ]

    @Test("each plain scalar is a character of its own, in NFC, not white space")
    func plainScalars() {
        for s in Self.plainScalars {
            let one = String(s)
            #expect(one.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(one.unicodeScalars), "\(s.value)")
            #expect(!Character(s).isWhitespace, "\(s.value)")
            #expect(!CharacterSet.whitespaces.contains(s), "\(s.value)")
            #expect(s.properties.canonicalCombiningClass == .notReordered, "\(s.value)")
            #expect(("a" + one + "b").count == 3 && (one + one).count == 2 && (one + "\r\n").count == 2, "\(s.value)")
        }
    }

    @Test("the white space Foundation trims is the set written down")
    func foundationWhitespace() {
        for v in 0...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            if CharacterSet.whitespaces.contains(s) != PlainText.isFoundationWhitespace(UInt32(v)) {
                Issue.record("U+\(String(v, radix: 16)) differs")
            }
        }
    }

    /// Lines as documents have them, plain and not.
    var samples: [String] {
        var out = Self.awkward + [
            "", " ", "\t", "x", "  - [ ] I will respect copyright.  ", "\t## Section title\t",
            "Zażółć gęślą jaźń – “quoted” … €5", "- [ ] Będę szanować prawa autorskie. {visitor governor}",
            "text <!-- a note --> more <!-- another", "-->rest", "**bold** and **more** and ** odd", "***", "****",
            "a  b\t\tc\n\nd\u{0B}e\u{0C}f\rg", "  \u{1}  control ", "<!---->", "<!-- <!-- -->-->",
        ]
        for s in Self.plainScalars.enumerated().filter({ $0.offset % 7 == 0 }).map(\.element) {
            out.append(" \(s) <!--\(s)--> **\(s)** \(s)\t")
        }
        return out
    }

    @Test("normalise: NFC and folded white space, as before")
    func normalise() {
        for text in samples + Self.plainScalars.map({ "  \($0)x \($0)  y " }) {
            let before = text.precomposedStringWithCanonicalMapping.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            #expect(ClauseIdentity.normalise(text).utf8.elementsEqual(before.utf8), "\(text.debugDescription)")
        }
        #expect(ClauseIdentity.plainNormalised("cafe\u{301}") == nil)
        #expect(ClauseIdentity.plainNormalised(" Zażółć  gęślą\tjaźń ") == "Zażółć gęślą jaźń")
    }

    @Test("trimmed, searched, split and searched backwards as Foundation does")
    func operations() {
        for text in samples {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            #expect(PlainText.trimmed(text).utf8.elementsEqual(trimmed.utf8), "\(text.debugDescription)")
            #expect(PlainText.trimmed(text.dropFirst(0)).utf8.elementsEqual(trimmed.utf8), "\(text.debugDescription)")
            for marker in ["<!--", "-->", "**"] {
                #expect(PlainText.range(of: marker, in: text) == text.range(of: marker), "\(marker) in \(text.debugDescription)")
                if let first = text.range(of: marker) {
                    #expect(PlainText.range(of: marker, in: text, from: first.upperBound)
                            == text.range(of: marker, range: first.upperBound..<text.endIndex), "\(marker) in \(text.debugDescription)")
                }
            }
            #expect(PlainText.components(text, separatedBy: "**") == text.components(separatedBy: "**"), "\(text.debugDescription)")
            #expect(PlainText.unixLineEnds(text) == text.replacingOccurrences(of: "\r\n", with: "\n"))
            for needle in [trimmed, String(trimmed.dropFirst(2)), "x", "**"] where !needle.isEmpty {
                let foundation = text.range(of: needle, options: .backwards).map { text.distance(from: text.startIndex, to: $0.lowerBound) + 1 }
                #expect(PlainText.lastColumn(of: needle, in: text) == foundation, "\(needle.debugDescription) in \(text.debugDescription)")
            }
        }
    }

    @Test("the byte searches on a string's own bytes answer as the collection's do, at every offset")
    func byteSearches() {
        let texts = samples + Self.awkward + ["", "a", "<!--", "x<!-<!--y", "12345678<!--", "1234567\u{E9}<!--", "李小龍<!--李", "<!-<!-<!--", String(repeating: "ab", count: 20) + "\u{301}"]
        for text in texts {
            #expect(PlainText.isPlain(text) == PlainText.isPlain(Array(text.utf8)), "\(text.debugDescription)")
            #expect(PlainText.scalars(text) == Array(text.unicodeScalars), "\(text.debugDescription)")
            let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            #expect(PlainText.joined(parts, separator: ". ") == parts.joined(separator: ". "), "\(text.debugDescription)")
            #expect(PlainText.characterCount(text) == text.count, "\(text.debugDescription)")
            #expect(PlainText.isPrintableASCII(text.dropFirst()) == text.dropFirst().utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }, "\(text.debugDescription)")
            #expect(PlainText.isPlain(text.dropFirst()) == PlainText.isPlain(Array(text.dropFirst().utf8)), "\(text.debugDescription)")
            for byte: UInt8 in [0x0D, 0x3D, 0x7B, 0x80, 0xE9, 0x61] {
                #expect(PlainText.contains(byte, in: text) == text.utf8.contains(byte), "\(text.debugDescription) \(byte)")
                #expect(PlainText.contains(byte, in: text.dropFirst()) == text.dropFirst().utf8.contains(byte), "\(text.debugDescription) \(byte)")
            }
            for needle in ["<!--", "-->", "a", "ab", "\u{301}"] {
                for from in text.utf8.indices + [text.endIndex] where text.unicodeScalars.indices.contains(from) || from == text.endIndex {
                    #expect(PlainText.firstMatch(Array(needle.utf8), in: text, from: from) == PlainText.firstMatch(Array(needle.utf8), in: text.utf8, from: from),
                            "\(text.debugDescription) \(needle) from \(text.utf8.distance(from: text.startIndex, to: from))")
                }
            }
        }
    }

    @Test("a folder and a name joined as NSString joins them, and a folder told from a file as FileManager tells it")
    func paths() throws {
        for folder in ["content", "content/", "content//", "/", "//", "", "/srv/kiosk/content", "./content", "Zoë/李", "a/./b/../"] {
            for name in ["policy.md", "ict.pl.md", "zażółć.md", ".hidden.md"] {
                #expect(TextFile.path(folder, name) == (folder as NSString).appendingPathComponent(name), "\(folder) \(name)")
            }
        }
        let scratch = NSTemporaryDirectory() + "kiosk-paths-\(getpid())"
        try FileManager.default.createDirectory(atPath: scratch + "/folder", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        #expect(FileManager.default.createFile(atPath: scratch + "/file", contents: Data()))
        symlink(scratch + "/folder", scratch + "/link")
        symlink(scratch + "/missing", scratch + "/dangling")
        // A folder long enough that an entry ends at the end of glibc's
        // buffer: each name is read in place (AddressSanitizer checks it).
        for n in 0..<3_000 { #expect(FileManager.default.createFile(atPath: scratch + "/folder/\(n)", contents: nil)) }
        #expect(TextFile.names(in: scratch + "/folder").map(Set.init) == Set(try FileManager.default.contentsOfDirectory(atPath: scratch + "/folder")))
        #expect(TextFile.names(in: scratch + "/missing") == nil)
        for name in ["folder", "file", "link", "dangling", "missing"] {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: scratch + "/" + name, isDirectory: &isDirectory)
            #expect(TextFile.isFolder(scratch + "/" + name) == (exists && isDirectory.boolValue), "\(name)")
        }
    }

    @Test("lines split as by characters; a plain text's characters are its scalars")
    func linesAndCharacters() {
        let texts = samples + [samples.joined(separator: "\n"), "\n\na\n", "x\r\n\ny\r", "\u{301}\n\u{301}", "a\n"]
        for text in texts {
            #expect(PlainText.lines(text) == text.split(separator: "\n", omittingEmptySubsequences: false), "\(text.debugDescription)")
            // Any run of consecutive lines, taken whole, is those lines joined.
            let lines = PlainText.lines(PlainText.unixLineEnds(text))
            for start in 0...lines.count {
                for end in start...lines.count {
                    #expect(PlainText.joinedLines(lines[start..<end]) == lines[start..<end].joined(separator: "\n"), "\(text.debugDescription) \(start)..<\(end)")
                }
            }
            if PlainText.isPlain(text) && !text.utf8.contains(0x0D) {
                #expect(text.unicodeScalars.map(Character.init) == Array(text), "\(text.debugDescription)")
            }
        }
        #expect(AudienceTag.split("I will be kind.") == AudienceTag.Split(text: "I will be kind.", audiences: [], offset: nil, problem: nil))
        for tag in ["I agree. {visitor}", "Zgadzam się. {visitor, governor}  ", "{visitor}", "a { b", "a } b {x}", "x {} ", "x {Visitor}", "x {a}{b}",
                    "Będę {visitor} miły", "x\t{visitor}\t", "x {visitor governor visitor}", "}", "{", "x {v\u{301}}", "“a” {visitor}",
                    "x {visitor,,governor}", "{visitor} ", "a}{visitor}", "x {visitor} y", "x {Visitor governor}", "x { }", "x {visitor}\r", "ą {visitor-2}"] {
            #expect(AudienceTag.split(tag) == AudienceTag.split(tag, byCharacters: true), "\(tag.debugDescription)")
        }
        #expect(AudienceTag.split("Będę miły. {visitor governor} ") == AudienceTag.Split(text: "Będę miły. ", audiences: ["visitor", "governor"], offset: 11, problem: nil))
    }

    @Test("the first right-to-left letter: line and column, CRLF files counted by line")
    func rightToLeft() {
        func at(_ text: String) -> [Int]? { Translation.firstRightToLeft(in: text).map { [$0.line, $0.column] } }
        #expect(at("abc\nde\u{5D0}f") == [2, 3])
        #expect(at("abc\r\nd\u{627}") == [2, 2])
        #expect(at("Zażółć\n\u{200F}") == [2, 1])
        #expect(at("no such text – “none”") == nil)
    }
}

@Suite("kiosk.conf's paths, as Foundation's URL makes them")
struct ConfigPathsTests {
    @Test("a plain join where every name is plain; URL's answer everywhere")
    func sameAsURL() {
        let configs = ["kiosk.conf", "conf/kiosk.conf", "./kiosk.conf", "../x/kiosk.conf", "/kiosk.conf", "/srv/kiosk/kiosk.conf",
                       "/srv//kiosk/kiosk.conf", "/a b/kiosk.conf", "/srv/kiosk/../k/kiosk.conf", "/srv/kiosk/", "/srv/kiosk.d/kiosk.conf"]
        let paths = ["content", "records", "keys/terminal.key", "./content", "../content", "a/../b", "x/", "a b", "café", "/abs/path",
                     "a//b", ".hidden", "...", "log/kiosk.log", "", "~/x", "a%20b"]
        for config in configs {
            let resolver = ConfigPaths(configPath: config)
            for path in paths {
                let url = path.hasPrefix("/") ? path
                    : URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL.path
                #expect(resolver.resolve(path) == url, "\(path) in \(config)")
            }
        }
    }
}

@Suite("Front matter and TOML shortcuts, as Foundation")
struct FoundationShortcutTests {
    @Test("blank as trimmed of white space and newlines; a needle found as Foundation finds it; ASCII alphanumerics")
    func shortcuts() {
        for text in PlainTextTests.awkward + ["", " ", "\t\n\r\u{0B}\u{0C}", "\u{85}\u{2028}\u{A0}", " x ", "I agree.", "\u{200B}", "\u{FEFF}"] {
            #expect(PlainText.isBlank(text) == text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(text.debugDescription)")
            for needle in ["\"x\"", "'staff'", "\"Będę\"", "\"caf\u{E9}\"", "x", "\"\""] {
                let line = Substring("documents = [\"x\", 'staff', \"Będę\", \(text)]")
                #expect(PlainText.range(of: needle, inPlain: line) == line.range(of: needle), "\(needle) in \(line.debugDescription)")
            }
        }
        let decomposed: Substring = "documents = [\"cafe\u{301}\"]"
        #expect(PlainText.range(of: "\"caf\u{E9}\"", inPlain: decomposed) == decomposed.range(of: "\"caf\u{E9}\""))
        for v in 0..<0x80 {
            let c = Unicode.Scalar(UInt8(v))
            let ours = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
            #expect(ours == CharacterSet.alphanumerics.contains(c), "\(v)")
        }
    }
}
