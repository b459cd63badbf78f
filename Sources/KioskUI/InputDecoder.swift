/// Turns the bytes a terminal sends into keys: UTF-8 put together and
/// checked, control bytes as Ctrl keys, and escape sequences (the ones
/// ncurses did not already turn into arrow or function keys) read whole
/// and dropped as one `.unknown`, so nothing pasted is ever typed as
/// "[31m" or obeyed.
///
/// Dropped whole: CSI and SS3 sequences (to their final byte), X10 mouse
/// reports (`ESC [ M` and three raw bytes), nF sequences such as `ESC ( B`,
/// and the control strings OSC, DCS, SOS, PM and APC (to their ST,
/// `ESC \` or U+009C; an OSC also to BEL). The 8-bit C1 introducers
/// (U+009B CSI, U+0090 DCS and so on), as UTF-8 or as raw bytes, start
/// the same sequences as their Esc forms; no C1 control is ever a
/// character. Any sequence is dropped after 256 bytes without an end, so
/// a stray Esc cannot swallow what is pasted after it; a byte that cannot
/// be part of a CSI sequence ends it and is read again on its own.
///
/// Bytes that are not UTF-8 (a terminal set to another character set, a
/// binary paste, an overlong or surrogate form) are one `.unknown` each
/// and never typed; a byte that cuts a sequence short is read again on its
/// own. Pure: the adapter feeds it bytes and says when input went quiet.
public struct InputDecoder: Equatable, Sendable {
    /// The control strings, read to their terminator.
    enum StringKind: Equatable, Sendable {
        /// Operating system command: ends with ST or BEL.
        case osc
        /// DCS, SOS, PM and APC: end with ST only.
        case other
    }

    enum State: Equatable, Sendable {
        case ground
        /// After an Esc, waiting to see whether a sequence follows.
        case escape
        /// Inside CSI or SS3: parameter and intermediate bytes until a
        /// final byte. `params` counts the bytes after the introducer
        /// (none, then a final `M`, is an X10 mouse report).
        case control(csi: Bool, params: Int, count: Int)
        /// An nF sequence: Esc, intermediate bytes (0x20-0x2F), a final byte.
        case intermediate(count: Int)
        /// An X10 mouse report's three values: raw bytes, or UTF-8 from a
        /// terminal in mode 1005. `lead` is a UTF-8 lead byte read.
        case mouse(left: Int, lead: Bool, count: Int)
        /// Inside a control string; `escape` after an Esc (ST is `ESC \`),
        /// `c2` after the first byte of U+009C (ST in UTF-8).
        case string(StringKind, escape: Bool, c2: Bool, count: Int)
        /// Part of a UTF-8 character: the bytes so far and how many in all.
        case utf8([UInt8], length: Int)
    }

    private(set) var state: State = .ground
    /// A sequence is dropped after this many bytes without an end, so a
    /// stray Esc cannot swallow what is typed after it.
    static let longestSequence = 256

    public init() {}

    /// Whether bytes are expected to follow at once (the adapter waits a
    /// moment for them before calling `quiet`).
    public var isWaiting: Bool { state != .ground }

    /// Part of a UTF-8 character has been read.
    public var isReadingCharacter: Bool {
        if case .utf8 = state { return true }
        return false
    }

    /// Feeds one byte; returns the keys it completes (none, one, or two
    /// when a byte ends a broken character or sequence and is a key itself).
    public mutating func feed(_ byte: UInt8) -> [Key] {
        switch state {
        case .ground:
            return ground(byte)

        case .escape:
            switch byte {
            case 0x1B:
                // Esc pressed twice: each is the Esc key.
                return [.escape]
            case 0x7F, 0x08:
                // Alt-Backspace: terminals send Esc before the Backspace byte.
                state = .ground
                return [.altBackspace]
            case UInt8(ascii: "["):
                state = .control(csi: true, params: 0, count: 2)
            case UInt8(ascii: "O"):
                state = .control(csi: false, params: 0, count: 2)
            case UInt8(ascii: "]"):
                state = .string(.osc, escape: false, c2: false, count: 2)
            case UInt8(ascii: "P"), UInt8(ascii: "X"), UInt8(ascii: "^"), UInt8(ascii: "_"):
                state = .string(.other, escape: false, c2: false, count: 2)
            case 0x20...0x2F:
                state = .intermediate(count: 2)
            default:
                // Alt with a key, or a sequence we do not know: dropped.
                state = .ground
                return [.unknown]
            }
            return []

        case .control(let csi, let params, let count):
            switch byte {
            case 0x40...0x7E:
                if csi && params == 0 && byte == UInt8(ascii: "M") {
                    // X10 mouse: ESC [ M, then three bytes that can be anything.
                    state = .mouse(left: 3, lead: false, count: count + 1)
                    return []
                }
                state = .ground
                return [.unknown]
            case 0x20...0x3F:
                return more(.control(csi: csi, params: params + 1, count: count + 1), count: count)
            default:
                // Not part of a sequence: it ends here, and the byte is read on its own.
                state = .ground
                return [.unknown] + ground(byte)
            }

        case .intermediate(let count):
            switch byte {
            case 0x20...0x2F:
                return more(.intermediate(count: count + 1), count: count)
            case 0x30...0x7E:
                state = .ground
                return [.unknown]
            default:
                state = .ground
                return [.unknown] + ground(byte)
            }

        case .mouse(var left, let lead, let count):
            // A value is one byte, or a UTF-8 lead byte and its continuation
            // (mode 1005); a lead byte without one was a raw value of its own.
            if lead {
                left -= 1
                if (0x80...0xBF).contains(byte) {
                    return left == 0 ? end() : more(.mouse(left: left, lead: false, count: count + 1), count: count)
                }
                if left == 0 { return end() + ground(byte) }
            }
            if (0xC2...0xDF).contains(byte) {
                return more(.mouse(left: left, lead: true, count: count + 1), count: count)
            }
            left -= 1
            return left == 0 ? end() : more(.mouse(left: left, lead: false, count: count + 1), count: count)

        case .string(let kind, let escape, let c2, let count):
            if escape {
                if byte == UInt8(ascii: "\\") {
                    state = .ground
                    return [.unknown]
                }
                // Another sequence cuts the string short: it is read as one.
                state = .escape
                return [.unknown] + feed(byte)
            }
            if (c2 && byte == 0x9C) || (kind == .osc && byte == 0x07) {
                state = .ground
                return [.unknown]
            }
            return more(.string(kind, escape: byte == 0x1B, c2: byte == 0xC2, count: count + 1), count: count)

        case .utf8(var bytes, let length):
            guard (0x80...0xBF).contains(byte) else {
                state = .ground
                return [.unknown] + ground(byte)
            }
            bytes.append(byte)
            if bytes.count < length {
                state = .utf8(bytes, length: length)
                return []
            }
            state = .ground
            guard let scalar = String(validating: bytes, as: UTF8.self)?.unicodeScalars.first else { return [.unknown] }
            if (0x80...0x9F).contains(scalar.value) { return c1(UInt8(scalar.value)) }
            return [Self.key(scalar: scalar.value)]
        }
    }

    /// A sequence read to its end: dropped as one key.
    private mutating func end() -> [Key] {
        state = .ground
        return [.unknown]
    }

    /// Moves on inside a sequence, or drops it once it is too long.
    private mutating func more(_ next: State, count: Int) -> [Key] {
        if count + 1 >= Self.longestSequence {
            state = .ground
            return [.unknown]
        }
        state = next
        return []
    }

    /// Input went quiet: an Esc alone is the Esc key; a sequence or a
    /// character cut short is dropped.
    public mutating func quiet() -> [Key] {
        defer { state = .ground }
        switch state {
        case .ground: return []
        case .escape: return [.escape]
        default: return [.unknown]
        }
    }

    /// A key the terminal library decoded itself (ncurses turns DEL into
    /// KEY_BACKSPACE): it ends anything half read, except that an Esc just
    /// before Backspace is Alt-Backspace, never Esc and a Backspace.
    public mutating func decoded(_ key: Key) -> [Key] {
        if key == .backspace && state == .escape {
            state = .ground
            return [.altBackspace]
        }
        return quiet() + [key]
    }

    private mutating func ground(_ byte: UInt8) -> [Key] {
        switch byte {
        case 0x1B:
            state = .escape
            return []
        case 0..<0x80:
            return [Self.key(scalar: UInt32(byte))]
        case 0x80...0x9F:
            // An 8-bit C1 control sent as a raw byte (not UTF-8).
            return c1(byte)
        case 0xC2...0xDF:
            state = .utf8([byte], length: 2)
        case 0xE0...0xEF:
            state = .utf8([byte], length: 3)
        case 0xF0...0xF4:
            state = .utf8([byte], length: 4)
        default:
            // A continuation byte with no lead, or a byte UTF-8 never uses.
            return [.unknown]
        }
        return []
    }

    /// A C1 control (U+0080 to U+009F): the introducers start the sequence
    /// their Esc form would; every other one is dropped. None is typed.
    private mutating func c1(_ code: UInt8) -> [Key] {
        switch code {
        case 0x9B: state = .control(csi: true, params: 0, count: 1)
        case 0x8F: state = .control(csi: false, params: 0, count: 1)
        case 0x9D: state = .string(.osc, escape: false, c2: false, count: 1)
        case 0x90, 0x98, 0x9E, 0x9F: state = .string(.other, escape: false, c2: false, count: 1)
        default: return [.unknown]
        }
        return []
    }

    /// The key for one decoded character or control byte.
    public static func key(scalar value: UInt32) -> Key {
        switch value {
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 27: return .escape
        case 0: return .control("@")
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 28: return .control("\\")
        case 29: return .control("]")
        case 30: return .control("^")
        case 31: return .control("_")
        case 0x80...0x9F: return .unknown
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown }
            return .character(Character(scalar))
        }
    }
}
