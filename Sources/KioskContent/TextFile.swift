import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a text file that must be UTF-8, naming the line and column of the
/// first byte that is not, because a school office editing a policy in a
/// word processor can easily save it as Windows-1252.
public enum TextFile {
    /// What a file is, for the most it may hold and what to say when it
    /// holds more: a 50 MB document took 13.8 s and 530 MB to start.
    public struct Kind: Sendable {
        public var limit: Int
        /// "a policy document", as the message names it.
        public var what: String
        public var advice: String

        public init(limit: Int, what: String, advice: String) {
            self.limit = limit
            self.what = what
            self.advice = advice
        }

        public static let document = Kind(
            limit: 1 << 20, what: "a policy document",
            advice: "split it into several documents, or take out what is not policy text (pictures, pasted formatting)")
        public static let config = Kind(
            limit: 1 << 20, what: "kiosk.conf", advice: "it holds a few settings and roles: is this the right file?")
        public static let roster = Kind(
            limit: 16 << 20, what: "a roster",
            advice: "split it into several rosters (by role, say) and report on each")
    }

    /// Reads at most `kind.limit` bytes: a larger file is refused from its
    /// size before anything is read, and a file with no size of its own (a
    /// device, a pipe) is refused once it has given more than the limit.
    public static func read(_ path: String, displayName: String? = nil, kind: Kind = .document) throws(Diagnostic) -> String {
        let name = displayName ?? path
        func fail(_ reason: String) -> Diagnostic {
            Diagnostic(file: name, line: 1, column: 1, message: reason)
        }
        func tooLarge(_ size: Int?) -> Diagnostic {
            let mebibytes = kind.limit % (1 << 20) == 0 ? "\(kind.limit >> 20) MiB (\(grouped(kind.limit)) bytes)" : "\(grouped(kind.limit)) bytes"
            let limit = "the \(mebibytes) \(kind.what) may have"
            return fail("too large: \(size.map { "\(grouped($0)) bytes, more than" } ?? "more than") \(limit); \(kind.advice)")
        }
        // Non-blocking, so that a pipe with no writer cannot hang the open.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: throw fail("file not found")
            case EISDIR: throw fail("is a folder, expected a file")
            default: throw fail("cannot be read (check its permissions)")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail("cannot be read (check its permissions)") }
        let isRegular = info.st_mode & S_IFMT == S_IFREG
        if info.st_mode & S_IFMT == S_IFDIR { throw fail("is a folder, expected a file") }
        if isRegular && Int(info.st_size) > kind.limit { throw tooLarge(Int(info.st_size)) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        // One byte more than the limit tells a file that grew, or has no end.
        var bytes = [UInt8](repeating: 0, count: isRegular ? Int(info.st_size) + 1 : min(kind.limit + 1, 1 << 16))
        var count = 0
        while true {
            if count == bytes.count {
                guard count <= kind.limit else { break }
                bytes.append(contentsOf: [UInt8](repeating: 0, count: min(bytes.count, kind.limit + 1 - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(errno == EISDIR ? "is a folder, expected a file" : "cannot be read (check its permissions)")
            }
            if n == 0 { break }
            count += n
        }
        if count > kind.limit { throw tooLarge(nil) }
        bytes.removeLast(bytes.count - count)
        return try decode(bytes, file: name)
    }

    /// Whether `path` is a folder, or a symbolic link to one (as
    /// FileManager's fileExists(atPath:isDirectory:) says).
    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// `(folder as NSString).appendingPathComponent(name)` for a name
    /// without a slash (one read from a folder), without bridging to
    /// NSString.
    public static func path(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The names in `directory` but `.` and `..`, in the order the file
    /// system gives them; nil when it cannot be listed. (FileManager's
    /// contentsOfDirectory took 2% of the kiosk's start for one folder.)
    public static func names(in directory: String) -> [String]? {
        guard let dir = opendir(directory) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(dir) else { break }
            let name = Self.name(of: entry)
            if name != "." && name != ".." { names.append(name) }
        }
        return errno == 0 ? names : nil
    }

    /// The name of a folder's entry, read in place: glibc allocates a
    /// dirent only as long as its name, so copying the whole d_name array
    /// (or the dirent) would read past it.
    public static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
    }

    private static let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!

    /// 1048576 as "1,048,576".
    static func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return out
    }

    public static func decode(_ data: Data, file: String) throws(Diagnostic) -> String {
        try decode([UInt8](data), file: file)
    }

    /// The same on bytes, checked as UTF-8 by the standard library (no trip
    /// through Foundation's Data and String(data:encoding:)).
    public static func decode(_ bytes: [UInt8], file: String) throws(Diagnostic) -> String {
        if var text = String(validating: bytes, as: UTF8.self) {
            // A byte-order mark is not part of the text; nor a second one
            // (Foundation's String(data:encoding:), used before, dropped
            // one and this the other).
            for _ in 0..<2 where text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            return text
        }
        let (line, column) = firstInvalidUTF8(in: bytes)
        throw Diagnostic(
            file: file, line: line, column: column,
            message: "not valid UTF-8 text; save the file as UTF-8 (in LibreOffice: Save As, Text, Character set: Unicode (UTF-8))")
    }

    /// Line and column (1-based, column in characters) of the first byte that
    /// does not belong to a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> (Int, Int) {
        var i = 0
        var line = 1
        var column = 1
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return (line, column)
            }
            if i + length > bytes.count { return (line, column) }
            for k in 1..<length where bytes[i + k] & 0xC0 != 0x80 {
                return (line, column)
            }
            // Overlong and surrogate forms are also invalid.
            if length == 3, b == 0xE0, bytes[i + 1] < 0xA0 { return (line, column) }
            if length == 3, b == 0xED, bytes[i + 1] >= 0xA0 { return (line, column) }
            if length == 4, b == 0xF0, bytes[i + 1] < 0x90 { return (line, column) }
            if length == 4, b == 0xF4, bytes[i + 1] >= 0x90 { return (line, column) }
            if b == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            i += length
        }
        return (line, column)
    }
}

/// read(2), which `TextFile.read` hides inside the type.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
