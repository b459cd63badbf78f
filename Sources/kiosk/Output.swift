import ArgumentParser
import CNcursesw
import Foundation

/// What the office tools write, written so that a full disk, a closed pipe
/// or /dev/full is an error the command reports and exits 1 for, never a
/// crash and never a silent success.
struct Output {
    let fd: Int32
    let name: String
    let command: String

    static func standard(_ command: String) -> Output {
        Output(fd: STDOUT_FILENO, name: "standard output", command: command)
    }

    /// A new file at `path` (replacing one there), or a clear error.
    static func file(_ path: String, command: String) throws -> Output {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            Console.error("\(command): cannot write \(path): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        return Output(fd: fd, name: path, command: command)
    }

    func write(_ text: String) throws {
        // What print() has buffered goes first, in order.
        if fd == STDOUT_FILENO, kiosk_stdout_failed() != 0 {
            Console.error("\(command): cannot write standard output: \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                Console.error("\(command): cannot write \(name): \(String(cString: strerror(errno)))")
                throw ExitCode(1)
            }
            offset += n
        }
    }

    /// For a file: flushed to disk and closed; only then is it written.
    func finish() throws {
        guard fd != STDOUT_FILENO else { return try Self.finishStandardOutput(command) }
        if fsync(fd) != 0 || close(fd) != 0 {
            Console.error("\(command): cannot write \(name): \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
    }

    /// After print(): what could not be written is an error.
    static func finishStandardOutput(_ command: String) throws {
        if kiosk_stdout_failed() != 0 {
            Console.error("\(command): cannot write standard output: \(String(cString: strerror(errno)))")
            throw ExitCode(1)
        }
    }
}
