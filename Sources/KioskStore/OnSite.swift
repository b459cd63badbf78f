import Foundation
import KioskContent

/// Who signed in on one day and has not signed out: the fire list. Fed the
/// record books one record at a time (as verify reads them); it keeps only
/// that day's sessions and the sign-outs since the day began, so memory
/// follows one day's visitors, not the book.
///
/// It errs on the side of listing: a sign-out that does not verify takes
/// nobody off the list, and a session that does not verify is still
/// listed (marked), because in an evacuation a person missing from the
/// list is worse than one too many.
public struct OnSiteList: Sendable {
    /// One person signed in on the day.
    public struct Entry: Equatable, Sendable {
        public var terminal: String
        public var seq: Int
        public var reference: String
        public var signedInAt: Date
        public var name: String
        public var role: String
        public var roleLabel: String
        /// Question id -> answer, and -> its label as asked.
        public var answers: [String: String]
        public var answerLabels: [String: String]
        public var verified: Bool
        /// When they signed out, if they did.
        public var signedOutAt: Date?

        /// "Organisation: Acme; Visiting whom: Mrs Patel"
        public var answersText: String {
            answers.keys.sorted().map { "\(answerLabels[$0] ?? $0): \(answers[$0] ?? "")" }.joined(separator: "; ")
        }
    }

    /// Where a person stands on the list.
    public enum Standing: Equatable, Sendable {
        case onSite
        /// Not signed out by `sign_out_by` (minutes after midnight), or, for
        /// someone who signed in after that hour, by midnight (1440).
        case closed(at: Int)
        /// A past day with no `sign_out_by`: never signed out.
        case notSignedOut
        case signedOut
    }

    public let dayStart: Date
    public let dayEnd: Date
    /// Minutes after midnight (`sign_out_by`), or nil.
    public let signOutBy: Int?
    private var sessions: [Entry] = []
    /// Sign-outs that verified: the record closed -> when.
    private var signOuts: [RecordLink: Date] = [:]
    /// The day's session records -> their place in `sessions`.
    private var sessionHashes: [RecordLink: Int] = [:]
    public private(set) var recordsRead = 0

    /// The list for the local day holding `day`, in `timeZone`.
    public init(day: Date, timeZone: TimeZone, signOutBy: Int?) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        dayStart = calendar.startOfDay(for: day)
        dayEnd = calendar.date(byAdding: .day, value: 1, to: dayStart) ?? dayStart.addingTimeInterval(86_400)
        self.signOutBy = signOutBy
    }

    public mutating func add(_ checked: CheckedRecord) {
        recordsRead += 1
        guard let record = checked.record else { return }
        switch record.body {
        case .session(let session):
            guard let time = Timestamp.parse(session.completedAt), time >= dayStart, time < dayEnd else { return }
            let person = session.person
            sessions.append(Entry(
                terminal: checked.terminal, seq: checked.seq, reference: SignedRecord.reference(sha256: checked.sha256),
                signedInAt: time, name: person.name, role: person.role, roleLabel: person.roleLabel,
                answers: person.answers, answerLabels: person.answerLabels, verified: checked.intact, signedOutAt: nil))
            sessionHashes[RecordLink(terminal: checked.terminal, seq: checked.seq, sha256: checked.sha256)] = sessions.count - 1
        case .signOut(let out):
            guard checked.intact, let time = Timestamp.parse(out.signedOutAt), time >= dayStart else { return }
            signOuts[out.session] = min(time, signOuts[out.session] ?? time)
        default:
            return
        }
    }

    /// When the day's `sign_out_by` falls.
    public var closingTime: Date? {
        signOutBy.map { dayStart.addingTimeInterval(TimeInterval($0 * 60)) }
    }

    /// Everyone signed in on the day, in time order, with when they signed
    /// out (if they did).
    public var everyone: [Entry] {
        var all = sessions
        for (link, time) in signOuts {
            if let i = sessionHashes[link] { all[i].signedOutAt = time }
        }
        return all.sorted { ($0.signedInAt, $0.terminal, $0.seq) < ($1.signedInAt, $1.terminal, $1.seq) }
    }

    /// Where `entry` stands at `now`: signed out; not signed out by the
    /// closing hour (midnight for someone who came after it) once that
    /// has passed; not signed out on a day gone by; or on site.
    public func standing(_ entry: Entry, now: Date) -> Standing {
        if entry.signedOutAt != nil { return .signedOut }
        if let signOutBy, let closing = closingTime {
            let (minutes, time) = entry.signedInAt < closing ? (signOutBy, closing) : (24 * 60, dayEnd)
            if now >= time { return .closed(at: minutes) }
        } else if now >= dayEnd {
            return .notSignedOut
        }
        return .onSite
    }

    /// Those not signed out, grouped by role in `roles` order (roles no
    /// longer in kiosk.conf last, by their label).
    public func notSignedOut(roles: [Role]) -> [(roleLabel: String, entries: [Entry])] {
        let open = everyone.filter { $0.signedOutAt == nil }
        var groups: [(String, String, [Entry])] = []
        for entry in open {
            if let i = groups.firstIndex(where: { $0.0 == entry.role }) {
                groups[i].2.append(entry)
            } else {
                groups.append((entry.role, roles.first { $0.id == entry.role }?.label ?? entry.roleLabel, [entry]))
            }
        }
        let order = roles.map(\.id)
        groups.sort { a, b in
            let ia = order.firstIndex(of: a.0) ?? Int.max, ib = order.firstIndex(of: b.0) ?? Int.max
            return ia != ib ? ia < ib : a.1 < b.1
        }
        return groups.map { ($0.1, $0.2) }
    }
}
