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
        /// Their latest record: when it was completed and its reference.
        public var lastSigned: (completedAt: String, terminal: String, seq: Int, reference: String)?
        /// For each document the role requires, in the role's order.
        public var documents: [(id: String, standing: Standing)]

        public var overall: Standing {
            if documents.allSatisfy({ $0.standing == .current }) { return .current }
            if documents.allSatisfy({ $0.standing == .never }) { return .never }
            let older = documents.compactMap { if case .olderOnly(let v, let c) = $0.standing { (v, c) } else { nil } }
            return .olderOnly(signedVersion: older.map(\.0).min() ?? 0, changed: older.flatMap(\.1))
        }

        public static func == (a: Entry, b: Entry) -> Bool {
            a.lastSigned?.reference == b.lastSigned?.reference && a.person == b.person && a.roleLabel == b.roleLabel && a.documents.map(\.id) == b.documents.map(\.id)
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

    /// Records whose name is nobody's on the roster, one entry a name.
    public struct Unmatched: Equatable, Sendable {
        public var name: String
        public var roleLabel: String
        public var records: Int
        public var lastCompletedAt: String
        public var lastReference: String
    }

    public let roster: Roster
    public let roles: [Role]
    public let library: ContentLibrary
    private var signed: [String: [String: Signed]] = [:]
    private var latest: [String: (completedAt: String, terminal: String, seq: Int, reference: String)] = [:]
    private var unmatchedByName: [String: Unmatched] = [:]
    public private(set) var untrusted: [Untrusted] = []
    public private(set) var recordsRead = 0

    public init(roster: Roster, roles: [Role], library: ContentLibrary) {
        self.roster = roster
        self.roles = roles
        self.library = library
        for person in roster.people { signed[Self.key(person.name)] = [:] }
    }

    /// Names match without case, accents or extra spaces (Siobhán = SIOBHAN).
    public static func nameKey(_ name: String) -> String { key(name) }

    static func key(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    public mutating func add(_ checked: CheckedRecord) {
        recordsRead += 1
        let session = checked.record?.session
        let name = session?.person.name ?? ""
        guard checked.intact, let record = checked.record else {
            untrusted.append(Untrusted(terminal: checked.terminal, seq: checked.seq, name: name))
            return
        }
        // A key change is no one's agreement.
        guard let session else { return }
        let key = Self.key(name)
        let reference = "\(record.seq) · \(SignedRecord.reference(sha256: checked.sha256))"
        guard signed[key] != nil else {
            var entry = unmatchedByName[key] ?? Unmatched(name: name, roleLabel: session.person.roleLabel, records: 0, lastCompletedAt: "", lastReference: "")
            entry.records += 1
            if session.completedAt >= entry.lastCompletedAt {
                entry.lastCompletedAt = session.completedAt
                entry.lastReference = reference
                entry.roleLabel = session.person.roleLabel
            }
            unmatchedByName[key] = entry
            return
        }
        if session.completedAt >= (latest[key]?.completedAt ?? "") {
            latest[key] = (session.completedAt, checked.terminal, record.seq, reference)
        }
        for document in session.documents {
            var entry = signed[key]![document.id] ?? Signed()
            entry.maxVersion = max(entry.maxVersion, document.version)
            signed[key]![document.id] = entry
        }
        for clause in session.clauses {
            signed[key]![clause.document, default: Signed()].clauses.insert(clause.id)
        }
    }

    /// The people who signed but are on no roster line, by name, latest first.
    public var unmatched: [Unmatched] {
        unmatchedByName.values.sorted { ($0.lastCompletedAt, $0.name) > ($1.lastCompletedAt, $1.name) }
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
            return Entry(person: person, roleLabel: role?.label ?? person.role, lastSigned: latest[Self.key(person.name)], documents: documents)
        }
    }
}
