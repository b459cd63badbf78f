import Foundation
import KioskContent

/// Who signed in on one day and has not signed out: the fire list. Fed the
/// record books one record at a time (as verify reads them); it keeps only
/// the sessions of that day and the day before and the sign-outs since,
/// so memory follows two days' visitors, not the book.
///
/// It errs on the side of listing: a sign-out that does not verify takes
/// nobody off the list; a session that does not verify is still listed
/// (marked) if its bytes still read as a record, and a record that cannot
/// be read at all is named (`unreadable`: a person may be missing); a
/// session signed in the day before and never signed out (a night shift,
/// a late event) is listed until it is closed; sessions waiting in the
/// kiosk's recovery folder are listed as not yet saved. In an evacuation a
/// person missing from the list is worse than one too many.
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
        /// For a session not yet in any book (it waits in the kiosk's
        /// recovery folder, as after a full disk): that file's name.
        public var waitingIn: String? = nil

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
    /// Sessions from here on are read: those before `dayStart` that were
    /// never signed out nor closed are still on the list (at least the
    /// last 24 hours, the kiosk's own sign-out window).
    public let carriedFrom: Date
    /// Minutes after midnight (`sign_out_by`), or nil.
    public let signOutBy: Int?
    private let calendar: Calendar
    private var sessions: [Entry] = []
    /// Records and recovery files that could not be read at all: each may
    /// be a person missing from the list ("record reception-1 12", "recovery file X").
    public private(set) var unreadable: [String] = []
    /// Sign-outs that verified: the record closed -> when.
    private var signOuts: [RecordLink: Date] = [:]
    /// The day's session records -> their place in `sessions`.
    private var sessionHashes: [RecordLink: Int] = [:]
    public private(set) var recordsRead = 0

    /// The list for the local day holding `day`, in `timeZone`.
    public init(day: Date, timeZone: TimeZone, signOutBy: Int?) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
        dayStart = calendar.startOfDay(for: day)
        dayEnd = calendar.date(byAdding: .day, value: 1, to: dayStart) ?? dayStart.addingTimeInterval(86_400)
        let dayBefore = calendar.date(byAdding: .day, value: -1, to: dayStart) ?? dayStart
        carriedFrom = min(dayBefore, dayStart.addingTimeInterval(-86_400))
        self.signOutBy = signOutBy
    }

    public mutating func add(_ checked: CheckedRecord) {
        recordsRead += 1
        // A record whose signature fails may still read: the person is
        // listed, marked. One that does not read at all is named.
        guard let record = checked.record ?? checked.unverified else {
            unreadable.append("record \(checked.terminal) \(checked.seq)")
            return
        }
        let verified = checked.intact && checked.record != nil
        switch record.body {
        case .session(let session):
            guard let time = Timestamp.parse(session.completedAt), time >= carriedFrom, time < dayEnd else { return }
            let person = session.person
            sessions.append(Entry(
                terminal: checked.terminal, seq: checked.seq, reference: SignedRecord.reference(sha256: checked.sha256),
                signedInAt: time, name: person.name, role: person.role, roleLabel: person.roleLabel,
                answers: person.answers, answerLabels: person.answerLabels, verified: verified, signedOutAt: nil))
            sessionHashes[RecordLink(terminal: checked.terminal, seq: checked.seq, sha256: checked.sha256)] = sessions.count - 1
        case .signOut(let out):
            // Only a verified sign-out of a session of its own book takes
            // anyone off (another terminal's key may not).
            guard verified, out.session.terminal == checked.terminal,
                  let time = Timestamp.parse(out.signedOutAt), time >= carriedFrom else { return }
            signOuts[out.session] = min(time, signOuts[out.session] ?? time)
        default:
            return
        }
    }

    /// A finished session waiting in the kiosk's recovery folder (`file`
    /// its name there): not in any book yet, so listed as not yet saved.
    /// Read the recovery folder before the books: a session saved in
    /// between is then listed twice, never not at all.
    public mutating func addWaiting(_ session: CompletedSession, file: String) {
        guard session.completedAt >= carriedFrom, session.completedAt < dayEnd else { return }
        sessions.append(Entry(
            terminal: "", seq: 0, reference: "", signedInAt: session.completedAt, name: session.name, role: session.role.id,
            roleLabel: session.role.label, answers: Dictionary(session.answers.map { ($0.id, $0.value) }, uniquingKeysWith: { a, _ in a }),
            answerLabels: Dictionary(session.answers.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a }),
            verified: false, signedOutAt: nil, waitingIn: file))
    }

    /// A recovery file that cannot be read: a person may be missing.
    public mutating func addUnreadable(_ what: String) {
        unreadable.append(what)
    }

    /// When the day's `sign_out_by` falls: that hour on the local clock,
    /// also on the days the clocks change.
    public var closingTime: Date? {
        signOutBy.flatMap { closing(on: dayStart, $0) }
    }

    private func closing(on day: Date, _ minutes: Int) -> Date? {
        calendar.date(bySettingHour: minutes / 60, minute: minutes % 60, second: 0, of: day)
    }

    /// Whether `entry` signed in before the day (and is still listed).
    public func carriedOver(_ entry: Entry) -> Bool { entry.signedInAt < dayStart }

    /// Everyone signed in on the day, in time order, with when they signed
    /// out (if they did); first those signed in the day before who never
    /// signed out and were not closed then (after that day's `sign_out_by`,
    /// or any time that day without one).
    public var everyone: [Entry] {
        var all = sessions
        for (link, time) in signOuts {
            if let i = sessionHashes[link] { all[i].signedOutAt = time }
        }
        let closedBefore = signOutBy.flatMap { minutes in
            calendar.date(byAdding: .day, value: -1, to: dayStart).flatMap { closing(on: $0, minutes) }
        }
        all = all.filter { entry in
            guard carriedOver(entry) else { return true }
            return entry.signedOutAt == nil && closedBefore.map { entry.signedInAt >= $0 } ?? true
        }
        return all.sorted { ($0.signedInAt, $0.terminal, $0.seq) < ($1.signedInAt, $1.terminal, $1.seq) }
    }

    /// Where `entry` stands at `now`: signed out; not signed out by the
    /// closing hour (midnight for someone who came after it, who is also
    /// on the next day's list) once that has passed; not signed out on a
    /// day gone by; or on site.
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
