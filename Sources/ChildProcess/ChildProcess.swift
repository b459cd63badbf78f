import Foundation

// Running other programs, for the tests and the benchmarks: minisign,
// openssl, tmux, dialog and the kiosk itself.

/// Starts a program with its standard output and error going to
/// `outputPath`, and returns its pid. posix_spawn rather than Foundation's
/// Process: Process notices a child's exit through a descriptor the child
/// inherits, so a child that leaves a daemon behind (the tmux server) would
/// never be seen to finish. The child gets a clean signal mask and default
/// handlers: the test runner's threads block signals, and the kiosk must
/// hear SIGWINCH.
public func spawn(_ executable: String, _ arguments: [String], outputPath: String, inputPath: String = "/dev/null") -> pid_t? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    var all = sigset_t()
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, executable, &actions, &attributes, argv, environ) == 0 else { return nil }
    return pid
}

/// Waits for a child; returns its exit status (or 128 + the signal that
/// ended it) and its peak resident memory in KiB.
@discardableResult
public func wait(for pid: pid_t) -> (status: Int32, maxRSSKiB: Int) {
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS, which Swift cannot import as macros.
    return (status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F), Int(usage.ru_maxrss))
}

/// Runs a program and returns its exit status and output (stdout and stderr together).
@discardableResult
public func run(_ executable: String, _ arguments: [String], input: String? = nil) -> (status: Int32, output: String) {
    let outputPath = NSTemporaryDirectory() + "kiosk-run-" + UUID().uuidString
    let inputPath = outputPath + ".in"
    defer {
        unlink(outputPath)
        unlink(inputPath)
    }
    guard FileManager.default.createFile(atPath: inputPath, contents: Data((input ?? "").utf8)) else {
        return (127, "cannot write the input for \(executable) to \(inputPath)")
    }
    guard let pid = spawn(executable, arguments, outputPath: outputPath, inputPath: inputPath) else { return (127, "cannot run \(executable)") }
    let status = wait(for: pid).status
    return (status, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "")
}

public func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

