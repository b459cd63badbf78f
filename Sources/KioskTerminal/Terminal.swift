import CNcursesw
import Foundation
import KioskUI

/// Why the kiosk cannot start on this terminal, said so a person can fix it.
public struct TerminalError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The thin ncurses adapter: copies a `Screen` to the terminal, touching
/// only the cells that changed, and turns what the keyboard sends into
/// `Event`s. Nothing here decides anything; `Kiosk.update` does.
public final class Terminal: TerminalPort {
    private let screen: OpaquePointer
    private var previous: Screen?
    private var decoder = InputDecoder()
    /// Events decoded but not yet returned (one byte can end two keys).
    private var pending: [Event] = []
    /// How each tone looks: the high-contrast colours, or plain.
    public let theme: Theme
    private var open = true
    private var cursorShown = true
    /// Whether the screen has been left once and come back to (`draw`).
    private var cameBack = false
    public private(set) var size: Size

    /// Starts ncurses on the controlling terminal after checking that it is
    /// one, that TERM is known and that the locale is UTF-8.
    /// `colour: false` (display = "plain", or NO_COLOR) draws without any
    /// colour.
    public static func start(needsUnicode: Bool, colour: Bool = true) throws(TerminalError) -> Terminal {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError("the kiosk needs a terminal: run it on a console, in a terminal window or over ssh -t, not with its input or output redirected")
        }
        guard let term = getenv("TERM").map({ String(cString: $0) }), !term.isEmpty, term != "dumb" else {
            throw TerminalError("TERM is not set (or is \"dumb\"): set it to your terminal's type, for example TERM=xterm-256color, or TERM=linux on a console")
        }
        try checkLocale(needsUnicode: needsUnicode)
        // The real size comes from the terminal: LINES and COLUMNS left in
        // the environment (by a shell, or by another ncurses program) would
        // pin it and break resizing. (use_env(FALSE) would pin it to terminfo's.)
        unsetenv("LINES")
        unsetenv("COLUMNS")
        // Whatever started the kiosk may have blocked or ignored SIGWINCH;
        // ncurses needs it to see the window change size.
        var winch = sigset_t()
        sigemptyset(&winch)
        sigaddset(&winch, SIGWINCH)
        sigprocmask(SIG_UNBLOCK, &winch, nil)
        signal(SIGWINCH, SIG_DFL)
        // fdopen rather than the C globals stdin/stdout, which Swift 6 will not share.
        guard let input = fdopen(STDIN_FILENO, "r"), let output = fdopen(STDOUT_FILENO, "w") else {
            throw TerminalError("cannot open the terminal for reading and writing")
        }
        return try Terminal(input: input, output: output, term: term, colour: colour)
    }

    /// Sets the locale from the environment and refuses one that cannot
    /// show the content: under the C locale CJK is one cell wide and
    /// accents take a cell of their own.
    ///
    /// The plain C locale (LANG unset, or C/POSIX) is taken to mean "no
    /// choice made" and becomes C.UTF-8, as Python does (PEP 538); a locale
    /// someone chose with another character set is refused. Names can be in
    /// any script, so even ASCII-only content needs UTF-8 for them.
    ///
    /// Only the character set's category is taken (LC_CTYPE: what ncurses
    /// and wcwidth read). The kiosk's words are its own, whatever the
    /// locale; and loading every category read a dozen files at each start.
    public static func checkLocale(needsUnicode: Bool = true) throws(TerminalError) {
        setlocale(LC_CTYPE, "")
        if codeset() != "UTF-8" && localeIsDefault() {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        let codeset = codeset()
        if needsUnicode && codeset != "UTF-8" {
            throw TerminalError("the locale's character set is \(codeset), which cannot show the policy text or names in other scripts: set LANG=C.UTF-8 (or en_GB.UTF-8) for the kiosk's user")
        }
    }

    private static func codeset() -> String { String(cString: nl_langinfo(nl_item(CODESET))) }

    private static func localeIsDefault() -> Bool {
        let names: [String] = ["LC_ALL", "LC_CTYPE", "LANG"]
        let chosen = names.compactMap { name in getenv(name).map { String(cString: $0) } }.first { !$0.isEmpty }
        return chosen == nil || chosen == "C" || chosen == "POSIX"
    }

    /// ncurses on any pair of files: the real terminal, or /dev/null for tests.
    public init(input: UnsafeMutablePointer<FILE>, output: UnsafeMutablePointer<FILE>, term: String, colour: Bool = true) throws(TerminalError) {
        guard let screen = newterm(term, output, input) else {
            throw TerminalError("TERM=\(term) is not a terminal type this machine knows: install ncurses-term, or set TERM to a known type such as xterm-256color")
        }
        self.screen = screen
        set_term(screen)
        // Raw mode: Ctrl-C, Ctrl-Z, Ctrl-\ and Ctrl-S arrive as keys, so they
        // can neither stop nor suspend nor freeze the kiosk.
        raw()
        noecho()
        nonl()
        keypad(kiosk_stdscr(), true)
        // All eight bits of each byte (UTF-8 is put together in read()). A
        // terminal with 8-bit input already has this on: ncurses takes it
        // from the tty's modes, and meta() would also send smm, which makes
        // xterm send Alt as an eighth bit. Input that is not a terminal
        // (the adapter's tests) starts with it off.
        if isatty(fileno(input)) == 0 { meta(kiosk_stdscr(), true) }
        set_escdelay(25)
        intrflush(kiosk_stdscr(), false)
        // Sequences some terminfo entries lack, so arrows never arrive as three keys.
        let sequences: [(String, Int32)] = [
            ("\u{1B}[A", KEY_UP), ("\u{1B}[B", KEY_DOWN), ("\u{1B}[C", KEY_RIGHT), ("\u{1B}[D", KEY_LEFT),
            ("\u{1B}OA", KEY_UP), ("\u{1B}OB", KEY_DOWN), ("\u{1B}OC", KEY_RIGHT), ("\u{1B}OD", KEY_LEFT),
            ("\u{1B}[H", KEY_HOME), ("\u{1B}[F", KEY_END), ("\u{1B}OH", KEY_HOME), ("\u{1B}OF", KEY_END),
            ("\u{1B}[1~", KEY_HOME), ("\u{1B}[4~", KEY_END), ("\u{1B}[7~", KEY_HOME), ("\u{1B}[8~", KEY_END),
            ("\u{1B}[5~", KEY_PPAGE), ("\u{1B}[6~", KEY_NPAGE), ("\u{1B}[3~", KEY_DC), ("\u{1B}[Z", KEY_BTAB),
        ]
        for (sequence, code) in sequences { define_key(sequence, code) }
        // Mouse reports are left to InputDecoder, which reads them whole.
        // Left to ncurses, its prefix (terminfo's kmous: ESC [ M or ESC [ <)
        // would become KEY_MOUSE and the rest of the report (" !!", or
        // "0;12;5M") would arrive as typed characters: the kiosk never asks
        // for mouse reports, so ncurses never reads them itself.
        keyok(KEY_MOUSE, false)
        // Plain never calls start_color: no colour sequence is ever sent.
        if colour && has_colors() {
            start_color()
            theme = Theme.choose(colour: true, terminalColours: Int(kiosk_colors()))
        } else {
            theme = .plain
        }
        if theme.usesColour {
            for (n, tone) in Theme.tones.enumerated() {
                let look = theme.look(tone)
                init_pair(Int16(n + 1), look.foreground ?? -1, look.background ?? -1)
            }
            // erase() clears to the theme's black, not the terminal's own background.
            kiosk_set_background(Self.pair(.normal))
        }
        // Shown from the first frame on, at the screen's focus.
        curs_set(1)
        size = Size(width: Int(kiosk_getmaxx(kiosk_stdscr())), height: Int(kiosk_getmaxy(kiosk_stdscr())))
    }

    deinit {
        close()
    }

    /// Restores the terminal. Safe to call more than once.
    public func close() {
        guard open else { return }
        open = false
        set_term(screen)
        endwin()
        delscreen(screen)
    }

    // MARK: - Output

    /// Copies `frame` to the terminal, cell by cell where it changed.
    public func draw(_ frame: Screen) {
        set_term(screen)
        // Until the screen has once been left (endwin) and come back to,
        // ncurses 6.4 writes its buffer to the terminal at every cursor
        // move: the first frame went out in 17 writes, and every frame
        // after it in as many. Left just before the first frame, the
        // refresh below comes back (the terminal's raw mode again, the
        // alternate screen) and each frame is one write. Here rather than
        // in init, so that the terminal is never in its own line mode
        // (Ctrl-C a signal, keys echoed) while the kiosk gets ready.
        if !cameBack {
            cameBack = true
            endwin()
        }
        let diff = FrameDiff.between(previous, frame)
        if diff.clear {
            clearok(kiosk_stdscr(), true)
            erase()
        }
        for change in diff.changes {
            put(change.cell, x: change.x, y: change.y)
        }
        // The cursor stands at the focus after every refresh: braille
        // displays (brltty) and screen readers (speakup) follow it.
        if let cursor = frame.cursor {
            if !cursorShown { curs_set(1) }
            cursorShown = true
            move(Int32(cursor.y), Int32(cursor.x))
        } else {
            if cursorShown { curs_set(0) }
            cursorShown = false
        }
        refresh()
        previous = frame
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        let (attrs, pair) = attributes(cell.style)
        // A base character and up to four combining marks, without an allocation.
        withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: 6) { chars in
            var n = 0
            for scalar in cell.text.unicodeScalars where n < 5 {
                chars[n] = wchar_t(bitPattern: scalar.value)
                n += 1
            }
            chars[n] = 0
            _ = kiosk_put_cell(Int32(y), Int32(x), chars.baseAddress, attrs, pair)
        }
    }

    /// The theme's colour pair and attributes for a style.
    private func attributes(_ style: Style) -> (attr_t, Int16) {
        let look = theme.look(style.tone)
        var attrs = kiosk_a_normal()
        if look.bold || (style.bold && look.boldAllowed) { attrs |= kiosk_a_bold() }
        if look.reverse { attrs |= kiosk_a_reverse() }
        if style.underline { attrs |= kiosk_a_underline() }
        return (attrs, theme.usesColour ? Self.pair(style.tone) : 0)
    }

    /// The colour pair set up for a tone.
    private static func pair(_ tone: Style.Tone) -> Int16 {
        Int16((Theme.tones.firstIndex(of: tone) ?? 0) + 1)
    }

    public func bell() {
        set_term(screen)
        beep()
    }

    // MARK: - Input

    /// The next key or resize, or nil when `timeout` milliseconds pass
    /// with none (the caller then sends a tick).
    ///
    /// Input is read a byte at a time (getch) and decoded by
    /// `InputDecoder`, not by get_wch: ncurses' get_wch, handed one byte
    /// that is not UTF-8, returns ERR for ever after without consuming it,
    /// and the keyboard would be dead until the kiosk restarts.
    public func read(timeout milliseconds: Int32) -> Event? {
        set_term(screen)
        if !pending.isEmpty { return pending.removeFirst() }
        timeout(milliseconds)
        while true {
            let code = getch()
            if code == ERR {
                pending += decoder.quiet().map(Event.key)
                return pending.isEmpty ? nil : pending.removeFirst()
            }
            if code >= KEY_MIN {
                // A key ncurses recognised ends anything half read.
                if code == KEY_RESIZE {
                    pending += decoder.quiet().map(Event.key)
                    size = Size(width: Int(kiosk_getmaxx(kiosk_stdscr())), height: Int(kiosk_getmaxy(kiosk_stdscr())))
                    pending.append(.resize(size))
                } else {
                    pending += decoder.decoded(Self.key(code: code)).map(Event.key)
                }
                return pending.removeFirst()
            }
            pending += decoder.feed(UInt8(truncatingIfNeeded: code)).map(Event.key)
            if !pending.isEmpty && !decoder.isWaiting { return pending.removeFirst() }
            // The rest of a sequence or character follows at once from a
            // keyboard or a paste (ncurses has already waited ESCDELAY
            // after an Esc); a slow serial line gets a moment for UTF-8.
            timeout(decoder.isReadingCharacter ? 50 : 0)
        }
    }

    static func key(code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        default:
            for n in 1...24 where code == kiosk_key_f(Int32(n)) { return .function(n) }
            return .unknown
        }
    }

    // MARK: - Reading back (for the adapter's own test)

    /// The text ncurses holds at row `y`, cell by cell.
    public func row(_ y: Int) -> String {
        set_term(screen)
        var out = ""
        var buffer = [wchar_t](repeating: 0, count: 8)
        var attrs: attr_t = 0
        var x = 0
        while x < size.width {
            let n = kiosk_cell_chars(Int32(y), Int32(x), &buffer, 8, &attrs)
            // ncurses reports a wide character in both of its cells.
            x += n > 0 && wcwidth(buffer[0]) == 2 ? 2 : 1
            if n <= 0 { continue }
            for c in buffer.prefix(Int(n)) {
                if let scalar = Unicode.Scalar(UInt32(bitPattern: c)) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Where ncurses has put the cursor (after a refresh, the terminal's).
    public var cursorPosition: Point {
        set_term(screen)
        return Point(x: Int(kiosk_getcurx(kiosk_stdscr())), y: Int(kiosk_getcury(kiosk_stdscr())))
    }

    /// The attributes ncurses holds for the cell at (x, y).
    public func isBold(x: Int, y: Int) -> Bool {
        set_term(screen)
        var buffer = [wchar_t](repeating: 0, count: 8)
        var attrs: attr_t = 0
        _ = kiosk_cell_chars(Int32(y), Int32(x), &buffer, 8, &attrs)
        return attrs & kiosk_a_bold() != 0
    }
}

extension Terminal {
    /// On a fatal signal (SIGTERM from systemd, a crash, the terminal hung
    /// up), put the terminal back to normal before the process ends, so the
    /// console stays usable. A SIGHUP that a person or a program sends
    /// (`kill -HUP`) is not fatal: it asks for kiosk.conf to be read again
    /// (`takeReloadRequest`).
    public static func restoreOnFatalSignals() {
        for sig in [SIGTERM, SIGINT, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGILL, SIGTRAP, SIGFPE] {
            signal(sig) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
        HangupSignal.install()
    }

    /// Whether a SIGHUP has asked for kiosk.conf to be read again since the
    /// last call.
    public static func takeReloadRequest() -> Bool {
        HangupSignal.takeRequest()
    }
}
