import Testing
@testable import KioskUI

/// What the adapter sends between two frames, without a terminal.
@Suite("Frame diff")
struct FrameDiffTests {
    static let size = Size(width: 10, height: 3)

    static func frame(_ rows: [String], size: Size = size) -> Screen {
        var screen = Screen(size: size)
        for (y, row) in rows.enumerated() { screen.put(row, x: 0, y: y) }
        return screen
    }

    /// The changes as "x,y:text".
    static func sent(_ diff: FrameDiff) -> [String] {
        diff.changes.map { "\($0.x),\($0.y):\($0.cell.text)" }
    }

    @Test("the first frame: the screen is cleared and every cell sent but the blanks clearing leaves, a wide character's second cell never")
    func first() {
        var frame = Self.frame(["ab李", "", ""])
        frame.put("  ", x: 3, y: 2, style: Style(.bar))
        let diff = FrameDiff.between(nil, frame)
        #expect(diff.clear)
        // A blank in another style is not what clearing leaves: it is sent.
        #expect(Self.sent(diff) == ["0,0:a", "1,0:b", "2,0:李", "3,2: ", "4,2: "])
    }

    @Test("the same frame again sends nothing")
    func same() {
        let a = Self.frame(["Zoë 李小龍", "x"])
        let diff = FrameDiff.between(a, a)
        #expect(!diff.clear)
        #expect(diff.changes.isEmpty)
    }

    @Test("a changed character or style: that cell only")
    func changed() {
        let a = Self.frame(["Hello", "x"])
        var b = Self.frame(["Jello", "x"])
        #expect(Self.sent(FrameDiff.between(a, b)) == ["0,0:J"])
        b.put("x", x: 0, y: 1, style: Style(.strong, bold: true))
        #expect(Self.sent(FrameDiff.between(a, b)) == ["0,0:J", "0,1:x"])
    }

    @Test("wide characters: replaced by two narrow ones, both are sent; two narrow ones replaced by a wide one, it alone")
    func wide() {
        let wide = Self.frame(["a李b"])
        let narrow = Self.frame(["axyb"])
        #expect(Self.sent(FrameDiff.between(wide, narrow)) == ["1,0:x", "2,0:y"])
        #expect(Self.sent(FrameDiff.between(narrow, wide)) == ["1,0:李"])
    }

    @Test("a wide character whose second cell held something else before is sent again, so it is drawn whole")
    func wideOverPart() {
        var before = Self.frame(["a李b"])
        before[2, 0] = Cell("z")
        let after = Self.frame(["a李b"])
        #expect(Self.sent(FrameDiff.between(before, after)) == ["1,0:李"])
    }

    @Test("a new size: cleared and sent whole, but for the blanks clearing leaves")
    func resized() {
        let a = Self.frame(["abc"])
        let b = Self.frame(["abc"], size: Size(width: 12, height: 3))
        let diff = FrameDiff.between(a, b)
        #expect(diff.clear)
        #expect(Self.sent(diff) == ["0,0:a", "1,0:b", "2,0:c"])
    }

    @Test("a page turn on the reading screen sends the changed rows, not the screen")
    func pageTurn() {
        var k = Driver()
        k.press(.enter)
        k.type("1")
        k.type("Sam")
        k.press(.enter)
        let before = Kiosk.render(k.state)
        k.press(.pageDown)
        let after = Kiosk.render(k.state)
        let diff = FrameDiff.between(before, after)
        #expect(!diff.clear)
        #expect(!diff.changes.isEmpty)
        #expect(diff.changes.allSatisfy { $0.y >= 2 }, "the title bar is the same")
        #expect(diff.changes.count < 80 * 24 / 2)
    }
}
