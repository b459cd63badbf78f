import Foundation
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

    /// Whether an agreement that is current by its clauses is still in
    /// date by its role's `valid_for_days` / `renew_on`.
    public enum Renewal: Equatable, Sendable {
        /// The role sets no limit: current until the documents change.
        case lasting
        case until(Date)
        /// Ends within the `--due-within` days asked about.
        case due(Date)
        case expired(since: Date)
    }

    public struct Entry: Equatable, Sendable {
        public var person: Roster.Person
        public var roleLabel: String
        /// Their latest record: when it was completed and its reference.
        public var lastSigned: (completedAt: String, terminal: String, seq: Int, reference: String)?
        /// For each document the role requires, in the role's order.
        public var documents: [(id: String, standing: Standing)]
        /// When current by its clauses: the oldest of the agreements its
        /// currency rests on (each clause counts from the latest record
        /// that agreed to it), and whether that is still in date.
        public var agreedAt: String?
        public var renewal: Renewal?

        /// Current, and in date.
        public var isInDate: Bool {
            guard overall == .current else { return false }
            switch renewal {
            case .expired, .due: return false
            default: return true
            }
        }

        public var overall: Standing {
            if documents.allSatisfy({ $0.standing == .current }) { return .current }
            if documents.allSatisfy({ $0.standing == .never }) { return .never }
            let older = documents.compactMap { if case .olderOnly(let v, let c) = $0.standing { (v, c) } else { nil } }
            return .olderOnly(signedVersion: older.map(\.0).min() ?? 0, changed: older.flatMap(\.1))
        }

        public static func == (a: Entry, b: Entry) -> Bool {
            a.lastSigned?.reference == b.lastSigned?.reference && a.person == b.person && a.roleLabel == b.roleLabel && a.documents.map(\.id) == b.documents.map(\.id)
                && a.documents.map(\.standing) == b.documents.map(\.standing) && a.agreedAt == b.agreedAt && a.renewal == b.renewal
        }
    }

    /// A record left out because it did not verify.
    public struct Untrusted: Equatable, Sendable {
        public var terminal: String
        public var seq: Int
        public var name: String
    }

    /// What one person agreed to of one document: each version and each
    /// clause with the completion time of the latest record that held it.
    private struct Signed: Sendable {
        var versions: [Int: String] = [:]
        var clauses: [String: String] = [:]
        var maxVersion: Int { versions.keys.max() ?? 0 }
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
    /// What "expired" and "due" are measured against.
    public let now: Date
    /// `--due-within`: an agreement ending within this many days is due.
    public let dueWithinDays: Int?
    private var signed: [String: [String: Signed]] = [:]
    private var latest: [String: (completedAt: String, terminal: String, seq: Int, reference: String)] = [:]
    private var unmatchedByName: [String: Unmatched] = [:]
    /// Each name as written -> its key: people sign many times, and
    /// folding accents goes through Foundation.
    private var keys: [String: String] = [:]
    public private(set) var untrusted: [Untrusted] = []
    public private(set) var recordsRead = 0

    public init(roster: Roster, roles: [Role], library: ContentLibrary, now: Date = Date(), dueWithinDays: Int? = nil) {
        self.roster = roster
        self.roles = roles
        self.library = library
        self.now = now
        self.dueWithinDays = dueWithinDays
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
        let key = keys[name] ?? Self.key(name)
        keys[name] = key
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
        let at = session.completedAt
        // Changed in place: a copy of the entry to change would copy its
        // tables for every clause of every record.
        for document in session.documents {
            signed[key]![document.id, default: Signed()].versions[document.version, default: ""].keepLater(at)
        }
        for clause in session.clauses {
            signed[key]![clause.document, default: Signed()].clauses[clause.id, default: ""].keepLater(at)
        }
    }

    /// Whether an agreement made at `agreedAt` is in date now.
    func renewal(of agreedAt: String, rule: AgreementValidity?) -> Renewal {
        guard let rule, let signedAt = Timestamp.parse(agreedAt) else { return .lasting }
        let ends = rule.expiry(ofAgreementSignedAt: signedAt)
        if ends <= now { return .expired(since: ends) }
        if let dueWithinDays, ends <= now.addingTimeInterval(Double(dueWithinDays) * 86_400) { return .due(ends) }
        return .until(ends)
    }

    /// The people who signed but are on no roster line, by name, latest first.
    public var unmatched: [Unmatched] {
        unmatchedByName.values.sorted { ($0.lastCompletedAt, $0.name) > ($1.lastCompletedAt, $1.name) }
    }

    public var entries: [Entry] {
        roster.people.map { person in
            let role = roles.first { $0.id == person.role }
            let history = signed[Self.key(person.name)] ?? [:]
            // When each document's agreement was made, for the current ones.
            var agreed: [String] = []
            let documents: [(id: String, standing: Standing)] = (role?.documents ?? []).map { id in
                // As the role reads it: a visitor's current version is the visitor's clauses.
                guard let current = library.document(id)?.reading(for: role?.audience) else { return (id, .never) }
                guard let mine = history[id] else { return (id, .never) }
                // A clause's identity is its text's hash: a re-wrapped
                // clause is the same clause, a reworded one is new.
                // A document with no clauses is current by its version.
                if current.clauses.isEmpty {
                    guard let at = mine.versions.filter({ $0.key >= current.version }).map(\.value).max() else {
                        return (id, .olderOnly(signedVersion: mine.maxVersion, changed: []))
                    }
                    agreed.append(at)
                    return (id, .current)
                }
                let missing = current.clauses.filter { mine.clauses[$0.id] == nil }
                guard missing.isEmpty else { return (id, .olderOnly(signedVersion: mine.maxVersion, changed: missing)) }
                agreed += current.clauses.compactMap { mine.clauses[$0.id] }
                return (id, .current)
            }
            var entry = Entry(person: person, roleLabel: role?.label ?? person.role, lastSigned: latest[Self.key(person.name)], documents: documents)
            if entry.overall == .current, !documents.isEmpty, let oldest = agreed.min() {
                entry.agreedAt = oldest
                entry.renewal = renewal(of: oldest, rule: role?.validity)
            }
            return entry
        }
    }
}

private extension String {
    /// Keeps the later of two RFC 3339 times (they sort as text).
    mutating func keepLater(_ time: String) {
        if time > self { self = time }
    }
}
