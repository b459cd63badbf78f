import Foundation

/// The terminal folders under the folders an office command was given: a
/// terminal's own folder, or a folder of them (a kiosk's `records`, or the
/// office's collection). Nothing is skipped for looking odd: a file beside
/// the terminal folders is reported, and a folder holding both a terminal's
/// files and terminal folders is a collection with stray files, never a
/// terminal that hides the others.
public enum RecordCollection {
    public struct Found: Sendable {
        /// Terminal folder paths, sorted by terminal id.
        public var terminals: [String] = []
        public var problems: [VerificationProblem] = []
    }

    static func isBookEntry(_ name: String, _ mode: mode_t) -> Bool {
        ["head.json", "head.json.minisig", "terminal.pub", "terminal.pem", "content", ".lock"].contains(name)
            || (name.count == 6 && name.utf8.allSatisfy { (0x30...0x39).contains($0) })
    }

    static func looksLikeBook(_ path: String) -> Bool {
        (BoundedFile.entries(path) ?? []).contains { isBookEntry($0.name, $0.mode) }
    }

    /// The terminal folders under `roots`, and the roots that are not readable folders.
    public static func find(_ roots: [String]) -> (found: Found, unreadable: [String]) {
        var found = Found()
        var unreadable: [String] = []
        for root in roots {
            let path = (root as NSString).standardizingPath
            guard let entries = BoundedFile.entries(path) else {
                unreadable.append(root)
                continue
            }
            let folders = entries.filter { BoundedFile.isFolder($0.mode) && !isBookEntry($0.name, $0.mode) }
            let bookFolders = folders.filter { looksLikeBook(path + "/" + $0.name) }
            let ownEntries = entries.filter { isBookEntry($0.name, $0.mode) }
            if bookFolders.isEmpty && !ownEntries.isEmpty {
                found.terminals.append(path)
                continue
            }
            let origin = (path as NSString).lastPathComponent
            for entry in entries {
                let full = path + "/" + entry.name
                // Nothing else belongs here: the office keeps its keys and
                // witness log beside the collection, where no kiosk's copy lands.
                if BoundedFile.isFolder(entry.mode) && !isBookEntry(entry.name, entry.mode) {
                    found.terminals.append(full)
                } else {
                    found.problems.append(VerificationProblem(
                        kind: .stray, terminal: origin, seq: nil, file: entry.name,
                        detail: "\(BoundedFile.describe(entry.mode)) beside the terminal folders, no part of any terminal's book: remove it, or find out who put it there"))
                }
            }
        }
        found.terminals.sort { ($0 as NSString).lastPathComponent < ($1 as NSString).lastPathComponent }
        return (found, unreadable)
    }
}
