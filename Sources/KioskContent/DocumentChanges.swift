/// Which clauses of a document are new or changed since the version before
/// it, so that everyone (a returning person included) sees what is
/// different, without the kiosk looking at anyone's own history.
public struct DocumentChange: Equatable, Sendable {
    /// The version compared against.
    public var sinceVersion: Int
    /// Ids of the current version's clauses that the earlier version lacks.
    public var clauses: Set<String>

    public init(sinceVersion: Int, clauses: Set<String>) {
        self.sinceVersion = sinceVersion
        self.clauses = clauses
    }

    /// For each current document, the change since the highest earlier
    /// version among `earlier` (documents shown before, e.g. stored in the
    /// record book). Documents with no earlier version, or no changed
    /// clause (a whitespace-only edit), have no entry.
    public static func compute(current: ContentLibrary, earlier: [PolicyDocument]) -> [String: DocumentChange] {
        var changes: [String: DocumentChange] = [:]
        for document in current.documents {
            guard let previous = earlier.filter({ $0.id == document.id && $0.version < document.version }).max(by: { $0.version < $1.version })
            else { continue }
            let before = Set(previous.clauses.map(\.id))
            let changed = Set(document.clauses.map(\.id).filter { !before.contains($0) })
            if !changed.isEmpty { changes[document.id] = DocumentChange(sinceVersion: previous.version, clauses: changed) }
        }
        return changes
    }
}
