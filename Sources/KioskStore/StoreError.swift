import Foundation

/// Why the record store could not do what it was asked, in words a school
/// office can act on: what failed, where, and what to do.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file system call failed (errno kept for the advice).
    case io(operation: String, path: String, errno: Int32)
    case key(path: String, problem: String, advice: String)
    /// Another kiosk process holds this terminal's records.
    case locked(path: String, holder: String)
    /// The record book on disk is not what this kiosk wrote.
    case damaged(path: String, problem: String)
    /// The book is missing, or not the one this kiosk wrote: removed or
    /// replaced while the kiosk ran, or found so at start-up.
    case lost(path: String, problem: String, atStartUp: Bool)
    /// The clock is before the last record, or before any plausible date.
    case clock(now: String, last: String?, ahead: Bool)
    /// A session whose own times a right clock cannot have given: it was
    /// finished while the clock was wrong.
    case sessionTimes(completed: String, now: String)
    /// A record larger than verify reads (the role's documents are too long).
    case tooLarge(bytes: Int, limit: Int)

    /// A session that fails so can never be saved as it is: it is set
    /// aside for the office rather than tried again.
    public var neverSavable: Bool {
        switch self {
        case .sessionTimes, .tooLarge: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            return "cannot \(operation) \(path): \(String(cString: strerror(code))). \(Self.advice(for: code))"
        case .key(let path, let problem, let advice):
            return "signing key \(path) \(problem): \(advice)"
        case .locked(let path, let holder):
            return "the records in \(path) are in use by another kiosk (\(holder)): stop it first; two kiosks must never write one terminal's records"
        case .damaged(let path, let problem):
            return "record book \(path) is damaged: \(problem). Run `kiosk verify` to see every problem, and keep a copy of the folder before changing anything"
        case .lost(let path, let problem, let atStartUp):
            if atStartUp {
                return "record book \(path) \(problem). The kiosk does not start a new book in its place: that would cut the records off from the ones before. "
                    + "Put the folder back as it was (from the office's copy; check that its disk is mounted), "
                    + "or, if it is lost for good, run `kiosk resume-book --reason \"...\"`: the new book follows the lost one's last record, "
                    + "so the office's copy of the lost records and the new ones make one chain. "
                    + "Finished sessions wait in the recovery folder meanwhile"
            }
            return "record book \(path) \(problem) while the kiosk was running; finished sessions are kept in the recovery folder. "
                + "Put the folder back as it was (from the office's copy) and they are saved within seconds, "
                + "or, if it is lost for good, leave the kiosk with the admin PIN and run `kiosk resume-book --reason \"...\"`, "
                + "which starts a book that follows the lost one's last record"
        case .sessionTimes(let completed, let now):
            return "this session says it was finished at \(completed), which cannot be right now (\(now)): it was finished while the kiosk's clock was wrong. "
                + "Set the date and time (`date -s`, or the BIOS clock). The session is set aside in the recovery folder's set-aside/ for the office to deal with; the kiosk goes on saving other sessions"
        case .tooLarge(let bytes, let limit):
            return "this session's record would be \(bytes) bytes, more than a record may be (\(limit)): the role's documents are too long. "
                + "It is set aside in the recovery folder's set-aside/ for the office; shorten the documents (`kiosk lint` names the role)"
        case .clock(let now, let last, let ahead):
            if ahead && last == nil {
                return "the kiosk's clock says \(now), years after this program was installed: it is probably wrong, and a record's times are evidence. "
                    + "Set the date and time (`date -s`, or the BIOS clock); if it is right, start the kiosk with `kiosk run --clock-is-right`. The session is kept in the recovery folder meanwhile"
            }
            if ahead, let last {
                return "the kiosk's clock says \(now), more than a year after the last record (\(last)): it is probably wrong, and a record's times are evidence. "
                    + "Set the date and time (`date -s`, or the BIOS clock); if it is right (the kiosk was not used for that long), start the kiosk with `kiosk run --clock-is-right`. The session is kept in the recovery folder meanwhile"
            }
            let after = last.map { "before the last record (\($0))" } ?? "before 2026"
            return "the kiosk's clock says \(now), \(after): it has lost its setting (a flat clock battery?), and a record's times are evidence. "
                + "Set the date and time (`date -s`, or the BIOS clock). The session waits in the recovery folder and is saved once the clock is right, "
                + "unless its own times cannot be right (then it is set aside there for the office)"
        }
    }

    /// What an office can do about each kind of failure.
    static func advice(for code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: return "The disk is full: free some space; the session is kept and saved when there is room."
        case EROFS: return "The disk is read-only: check it (it may have been remounted after an error); the session is kept."
        case EACCES, EPERM: return "Permission denied: the kiosk's user must own the records folder (see the deployment notes)."
        case EIO: return "The disk reported an error: check it and its cable; the session is kept."
        case ENOENT: return "A folder is missing: check that the records folder exists and is mounted."
        default: return "Check the disk and the records folder; the session is kept."
        }
    }
}
