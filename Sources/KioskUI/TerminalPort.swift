/// What the kiosk's run loop needs of a terminal: its size, a frame drawn,
/// the next key or resize, a bell. The ncurses adapter is one; the run
/// loop's tests use a fake that records frames and plays scripted keys.
public protocol TerminalPort: AnyObject {
    /// The size now, in cells.
    var size: Size { get }
    /// Shows `frame` (the adapter sends only what changed).
    func draw(_ frame: Screen)
    /// The next key or resize, or nil once `milliseconds` pass with none
    /// (0: only what has already arrived).
    func read(timeout milliseconds: Int32) -> Event?
    /// A refused key.
    func bell()
}
