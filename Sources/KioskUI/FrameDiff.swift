/// What the terminal adapter sends to go from the frame on the terminal to
/// the next one: the cells that changed, or, when there is no frame on the
/// terminal of the same size, a cleared screen and every cell but the blank
/// ones (clearing leaves blanks in the normal style). Pure, so the
/// rules are tested without a terminal; the adapter only carries them out.
public struct FrameDiff: Equatable, Sendable {
    /// One cell to draw at (x, y). A wide character's cell draws both of its columns.
    public struct Change: Equatable, Sendable {
        public var x: Int
        public var y: Int
        public var cell: Cell

        public init(x: Int, y: Int, cell: Cell) {
            self.x = x
            self.y = y
            self.cell = cell
        }
    }

    /// Clear the terminal before drawing (the first frame, or a new size).
    public var clear: Bool
    /// In reading order, left to right, top to bottom.
    public var changes: [Change]

    /// From `previous` (what the terminal shows, or nil) to `frame`.
    ///
    /// The second cell of a wide character ("") is never sent: it is drawn
    /// with the first. A wide character that has not changed is sent again
    /// when its second cell has (something narrow stood there before), or
    /// the terminal would be left with half of it.
    public static func between(_ previous: Screen?, _ frame: Screen) -> FrameDiff {
        let previous = previous?.size == frame.size ? previous : nil
        var changes: [Change] = []
        let width = frame.size.width
        for y in 0..<frame.size.height {
            for x in 0..<width {
                let cell = frame[x, y]
                if cell.text.isEmpty || (previous == nil && cell == .blank) { continue }
                if let previous, previous[x, y] == cell,
                   !(x + 1 < width && previous[x + 1, y] != frame[x + 1, y] && frame[x + 1, y].text.isEmpty) {
                    continue
                }
                changes.append(Change(x: x, y: y, cell: cell))
            }
        }
        return FrameDiff(clear: previous == nil, changes: changes)
    }
}
