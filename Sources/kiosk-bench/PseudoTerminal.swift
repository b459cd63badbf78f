import Foundation

/// A program running on a pseudo-terminal: the benchmark types keys into it
/// and times what it writes back, as a terminal would see it.
final class PseudoTerminal {
    let pid: pid_t
    private let master: Int32
    private(set) var output: [UInt8] = []
    /// When each chunk of output arrived (monotonic seconds) and its end offset.
    private(set) var arrivals: [(time: Double, end: Int)] = []
    let started: Double

    init(_ executable: String, _ arguments: [String], directory: String, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws {
        var master: Int32 = 0
        var slave: Int32 = 0
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        var name = [CChar](repeating: 0, count: 128)
        guard openpty(&master, &slave, &name, nil, &size) == 0 else { throw BenchError("openpty failed") }
        let slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        close(slave)
        self.master = master
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addclose(&actions, master)
        // A new session opening the tty makes it the controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26), not exported to Swift.
        posix_spawnattr_setflags(&attributes, Int16(0x80))
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "xterm-256color"
        env["LANG"] = "C.UTF-8"
        env["LINES"] = nil
        env["COLUMNS"] = nil
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer {
            envp.forEach { free($0) }
            argv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let previous = FileManager.default.currentDirectoryPath
        guard FileManager.default.changeCurrentDirectoryPath(directory) else { throw BenchError("cannot enter \(directory)") }
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        started = now()
        guard posix_spawn(&pid, executable, &actions, &attributes, argv, envp) == 0 else { throw BenchError("cannot run \(executable)") }
        self.pid = pid
    }

    deinit {
        stop()
        close(master)
    }

    /// Ends the program (if it has not ended) and waits for it, so its
    /// lock on the records is free for the next run.
    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Reads whatever arrives within `timeout` seconds; false on timeout.
    @discardableResult
    func pump(timeout: Double) -> Bool {
        var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, Int32(timeout * 1000)) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = read(master, &buffer, buffer.count)
        guard n > 0 else { return false }
        output += buffer[0..<n]
        arrivals.append((now(), output.count))
        return true
    }

    /// Waits until the output (from offset `from`) contains `text`; returns when it arrived.
    func waitFor(_ text: String, from: Int = 0, timeout: Double = 20) throws -> Double {
        let needle = Array(text.utf8)
        let deadline = now() + timeout
        while now() < deadline {
            if let end = find(needle, from: from) {
                return arrivals.first { $0.end >= end }?.time ?? now()
            }
            pump(timeout: 0.05)
        }
        let tail = String(decoding: output.suffix(400), as: UTF8.self)
        throw BenchError("timed out waiting for \"\(text)\"; the program wrote: \(tail.debugDescription)")
    }

    /// Reads until nothing arrives for `quiet` seconds; returns the time of the last byte.
    func settle(quiet: Double = 0.15) -> Double {
        var last = arrivals.last?.time ?? now()
        while pump(timeout: quiet) { last = arrivals.last!.time }
        return last
    }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard needle.count <= output.count - from else { return nil }
        var i = from
        while i + needle.count <= output.count {
            if output[i] == needle[0] && Array(output[i..<i + needle.count]) == needle { return i + needle.count }
            i += 1
        }
        return nil
    }

    /// Waits for the program to end and returns its peak memory in KiB.
    func finish(timeout: Double = 20) -> (status: Int32, maxRSSKiB: Int)? {
        let deadline = now() + timeout
        var status: Int32 = 0
        var usage = rusage()
        while now() < deadline {
            pump(timeout: 0.02)
            if wait4(pid, &status, WNOHANG, &usage) == pid {
                return ((status >> 8) & 0xFF, Int(usage.ru_maxrss))
            }
        }
        return nil
    }
}
