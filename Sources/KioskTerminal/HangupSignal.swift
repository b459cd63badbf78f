import CNcursesw
import Foundation

/// SIGHUP means two things. Sent by the kernel, the terminal has hung up
/// (a closed ssh session or terminal window): the kiosk restores the
/// terminal and ends, as on any fatal signal. Sent by a person or a
/// program (`kill -HUP`, `systemctl reload`), it asks the kiosk to read
/// kiosk.conf again. The handler only writes a byte into a pipe (safe in a
/// signal handler); the run loop takes it on its next tick.
enum HangupSignal {
    /// The pipe's ends: the handler writes, `takeRequest` reads. Set once,
    /// before the handler is installed.
    nonisolated(unsafe) private static var readEnd: Int32 = -1
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    static func install() {
        if writeEnd < 0 {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { return }
            for fd in fds {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            }
            readEnd = fds[0]
            writeEnd = fds[1]
        }
        var action = sigaction()
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_SIGINFO | SA_RESTART
        action.__sigaction_handler.sa_sigaction = { received, info, _ in
            if let info, Int(info.pointee.si_code) == Int(SI_KERNEL) {
                endwin()
                signal(received, SIG_DFL)
                raise(received)
                return
            }
            var byte: UInt8 = 1
            _ = write(HangupSignal.writeEnd, &byte, 1)
        }
        sigaction(SIGHUP, &action, nil)
    }

    /// True when a SIGHUP asked for a reload since the last call; several
    /// count as one.
    static func takeRequest() -> Bool {
        guard readEnd >= 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        var requested = false
        while read(readEnd, &buffer, buffer.count) > 0 { requested = true }
        return requested
    }
}
