/// Turns the bytes a terminal sends into keys: UTF-8 put together and
/// checked, control bytes as Ctrl keys, and escape sequences (the ones
/// ncurses did not already turn into arrow or function keys) read whole
/// and dropped as one `.unknown`, so nothing pasted is ever typed as
/// "[31m" or obeyed.
///
/// Bytes that are not UTF-8 (a terminal set to another character set, a
/// binary paste, an overlong or surrogate form) are one `.unknown` each
/// and never typed; a byte that cuts a sequence short is read again on its
/// own. Pure: the adapter feeds it bytes and says when input went quiet.
public struct InputDecoder: Equatable, Sendable {
    enum State: Equatable, Sendable {
        case ground
        /// After an Esc, waiting to see whether a sequence follows.
        case escape
        /// Inside CSI or SS3 (parameters until a final byte) or OSC (text
        /// until BEL or ST); `count` bytes so far.
        case sequence(osc: Bool, count: Int)
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
    /// when a byte ends a broken character and is a key itself).
    public mutating func feed(_ byte: UInt8) -> [Key] {
        switch state {
        case .ground:
            return ground(byte)
        case .escape:
            switch byte {
            case 0x1B:
                // Esc pressed twice: each is the Esc key.
                return [.escape]
            case UInt8(ascii: "["), UInt8(ascii: "O"):
                state = .sequence(osc: false, count: 0)
            case UInt8(ascii: "]"):
                state = .sequence(osc: true, count: 0)
            default:
                // Alt with a key, or a sequence we do not know: dropped.
                state = .ground
                return [.unknown]
            }
            return []
        case .sequence(let osc, let count):
            let ended = osc ? (byte == 0x07 || byte == 0x5C) : (0x40...0x7E).contains(byte)
            if ended || count + 1 >= Self.longestSequence {
                state = .ground
                return [.unknown]
            }
            state = .sequence(osc: osc, count: count + 1)
            return []
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
            return [Self.key(scalar: scalar.value)]
        }
    }

    /// Input went quiet: an Esc alone is the Esc key; a sequence or a
    /// character cut short is dropped.
    public mutating func quiet() -> [Key] {
        defer { state = .ground }
        switch state {
        case .ground: return []
        case .escape: return [.escape]
        case .sequence, .utf8: return [.unknown]
        }
    }

    private mutating func ground(_ byte: UInt8) -> [Key] {
        switch byte {
        case 0x1B:
            state = .escape
            return []
        case 0..<0x80:
            return [Self.key(scalar: UInt32(byte))]
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
        default:
            guard let scalar = Unicode.Scalar(value) else { return .unknown }
            return .character(Character(scalar))
        }
    }
}
