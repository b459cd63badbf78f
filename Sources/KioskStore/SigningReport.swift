import KioskContent

/// Who on a roster has signed the current version of every document their
/// role requires, who signed an older version only (and which clauses
/// changed since), and who never signed. Fed the record book one record at
/// a time; it keeps only what it learns about the roster's people.
public struct SigningReport: Sendable {
    public enum Standing: Equatable, Sendable {
        case current
        /// Signed, but these clauses of the current version were not among
        /// those agreed (new or changed since `signedVersion`).
        case olderOnly(signedVersion: Int, changed: [Clause])
        case never
    }

    public struct Entry: Equatable, Sendable {
        public var person: Roster.Person
        public var roleLabel: String
        /// For each document the role requires, in the role's order.
        public var documents: [(id: String, standing: Standing)]

        public var overall: Standing {
            if documents.allSatisfy({ $0.standing == .current }) { return .current }
            if documents.allSatisfy({ $0.standing == .never }) { return .never }
            let older = documents.compactMap { if case .olderOnly(let v, let c) = $0.standing { (v, c) } else { nil } }
            return .olderOnly(signedVersion: older.map(\.0).min() ?? 0, changed: older.flatMap(\.1))
        }

        public static func == (a: Entry, b: Entry) -> Bool {
            a.person == b.person && a.roleLabel == b.roleLabel && a.documents.map(\.id) == b.documents.map(\.id)
                && a.documents.map(\.standing) == b.documents.map(\.standing)
        }
    }

    /// A record left out because it did not verify.
    public struct Untrusted: Equatable, Sendable {
        public var terminal: String
        public var seq: Int
        public var name: String
    }

    private struct Signed: Sendable {
        var maxVersion = 0
        var clauses: Set<String> = []
    }

    public let roster: Roster
    public let roles: [Role]
    public let library: ContentLibrary
    private var signed: [String: [String: Signed]] = [:]
    public private(set) var untrusted: [Untrusted] = []
    public private(set) var recordsRead = 0

    public init(roster: Roster, roles: [Role], library: ContentLibrary) {
        self.roster = roster
        self.roles = roles
        self.library = library
        for person in roster.people { signed[Self.key(person.name)] = [:] }
    }

    /// Names match without case or extra spaces.
    static func key(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    public mutating func add(_ record: CheckedRecord) {
        recordsRead += 1
        let session = record.record?.session
        let name = session?.person.name ?? ""
        guard record.intact, let record = record.record else {
            untrusted.append(Untrusted(terminal: record.terminal, seq: record.seq, name: name))
            return
        }
        // A key change is no one's agreement.
        guard let session else { return }
        let key = Self.key(name)
        guard signed[key] != nil else { return }
        _ = record
        for document in session.documents {
            var entry = signed[key]![document.id] ?? Signed()
            entry.maxVersion = max(entry.maxVersion, document.version)
            signed[key]![document.id] = entry
        }
        for clause in session.clauses {
            signed[key]![clause.document, default: Signed()].clauses.insert(clause.id)
        }
    }

    public var entries: [Entry] {
        roster.people.map { person in
            let role = roles.first { $0.id == person.role }
            let history = signed[Self.key(person.name)] ?? [:]
            let documents: [(id: String, standing: Standing)] = (role?.documents ?? []).map { id in
                guard let current = library.document(id) else { return (id, .never) }
                guard let mine = history[id] else { return (id, .never) }
                // A clause's identity is its text's hash: a re-wrapped
                // clause is the same clause, a reworded one is new.
                // A document with no clauses is current by its version.
                if current.clauses.isEmpty {
                    return (id, mine.maxVersion >= current.version ? .current : .olderOnly(signedVersion: mine.maxVersion, changed: []))
                }
                let missing = current.clauses.filter { !mine.clauses.contains($0.id) }
                return (id, missing.isEmpty ? .current : .olderOnly(signedVersion: mine.maxVersion, changed: missing))
            }
            return Entry(person: person, roleLabel: role?.label ?? person.role, documents: documents)
        }
    }
}
