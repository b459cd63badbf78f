import Foundation
import KioskContent

/// One record as a line in an office's list: who, when, which role, what
/// they signed. Built from a record's JSON; what is missing stays empty.
public struct RecordSummary: Equatable, Sendable {
    public var terminal: String
    public var seq: Int
    public var reference: String
    public var completedAt: String
    public var name: String
    public var role: String
    public var roleLabel: String
    /// "Organisation: Acme; Visiting whom: Mrs Patel"
    public var answers: String
    /// "ict-code-of-conduct v1; social-media-policy v1"
    public var documents: String
    public var documentIDs: [String]
    public var clausesAgreed: Int
    public var typedSignature: String
    /// "verified", or why not.
    public var status: String
    /// Question id -> the answer given, for a column per question.
    public var answerValues: [String: String] = [:]
    /// From the start of the session to its signature.
    public var durationSeconds: Int?
    /// How long each section took to read: "Rules 1 min 5 s; Use of ICT 40 s".
    public var sectionTimes = ""
    /// For a returning person's record: the earlier agreement it builds on,
    /// "record 1 · FA4E-8292 of terminal reception-1" (also said in `answers`).
    public var buildsOn = ""

    /// The columns of an export: with a column for each of `questions`
    /// (the roles' questions in kiosk.conf), between the role and the rest.
    public static func columns(questions: [Question] = []) -> [String] {
        ["terminal", "seq", "reference", "completed_at", "name", "role"] + questions.map(\.label)
            + ["answers", "documents", "clauses_agreed", "duration_seconds", "section_times", "signature", "status"]
    }

    public static let columns = columns()

    public init(_ record: CheckedRecord) {
        terminal = record.terminal
        seq = record.seq
        reference = record.sha256.isEmpty ? "" : SignedRecord.reference(sha256: record.sha256)
        completedAt = record.record?.completedAt ?? ""
        status = record.intact ? "verified" : "NOT VERIFIED: see kiosk verify"
        let session = record.record?.session
        let person = session?.person
        name = person?.name ?? ""
        role = person?.role ?? ""
        roleLabel = person?.roleLabel ?? ""
        let answers = person?.answers ?? [:]
        let labels = person?.answerLabels ?? [:]
        self.answers = answers.keys.sorted().map { "\(labels[$0] ?? $0): \(answers[$0] ?? "")" }.joined(separator: "; ")
        let documents = session?.documents ?? []
        documentIDs = documents.map(\.id)
        // A document read in translation names its language: "ict-code-of-conduct v2 (pl)".
        self.documents = documents.map { "\($0.id) v\($0.version)" + ($0.translation.map { " (\($0.language))" } ?? "") }.joined(separator: "; ")
        clausesAgreed = session?.clauses.count ?? 0
        typedSignature = session?.signature.typedName ?? ""
        answerValues = answers
        if let session { (durationSeconds, sectionTimes) = Self.timing(of: session) }
        if let previous = session?.previous {
            // Its clauses are only those new since: the rest are in the earlier one.
            buildsOn = "record \(previous.seq) · \(SignedRecord.reference(sha256: previous.sha256)) of terminal \(previous.terminal)"
            self.answers += (self.answers.isEmpty ? "" : "; ") + "returning: builds on \(buildsOn) (only clauses new since were asked)"
        }
        if let resumed = record.record?.bookResumed {
            roleLabel = "(book started again)"
            self.answers = "follows record \(resumed.lostSeq), the last of the lost folder: \(resumed.reason)"
        }
        if let out = record.record?.signOut {
            // A sign-out is no one's agreement: it says which visit it ends.
            roleLabel = "(sign-out)"
            self.answers = "signs out record \(out.session.seq) · \(SignedRecord.reference(sha256: out.session.sha256)) of terminal \(out.session.terminal) (with the \(out.method == "pass-code" ? "pass code" : "reference"))"
        }
        if let change = record.record?.keyChange {
            roleLabel = "(key change)"
            self.answers = "signing key handed over to \(change.newKeyID): \(change.reason)"
        }
    }

    /// How long a session took, in seconds, and each section's reading
    /// time, from the end of the one before (or the start) to its own end
    /// seen: "Rules 1 min 5 s; Use of ICT 40 s".
    public static func timing(of session: RecordFile.Session) -> (seconds: Int?, sections: String) {
        guard let started = Timestamp.parse(session.startedAt), let completed = Timestamp.parse(session.completedAt) else { return (nil, "") }
        var from = started
        var parts: [String] = []
        for document in session.documents {
            for section in document.sections {
                guard let end = Timestamp.parse(section.endSeenAt) else { continue }
                parts.append("\(section.title) \(duration(Int(end.timeIntervalSince(from))))")
                from = end
            }
        }
        return (Int(completed.timeIntervalSince(started)), parts.joined(separator: "; "))
    }

    /// "1 min 5 s", "40 s".
    public static func duration(_ seconds: Int) -> String {
        let s = max(0, seconds)
        return s >= 60 ? "\(s / 60) min \(s % 60) s" : "\(s) s"
    }

    public func cells(questions: [Question] = []) -> [String] {
        [terminal, String(seq), reference, completedAt, name, roleLabel.isEmpty ? role : roleLabel]
            + questions.map { answerValues[$0.id] ?? "" }
            + [answers, documents, String(clausesAgreed), durationSeconds.map(String.init) ?? "", sectionTimes, typedSignature, status]
    }

    public var cells: [String] { cells() }

    public var json: JSONValue {
        .object([
            "terminal": .string(terminal), "seq": .int(seq), "reference": .string(reference), "completed_at": .string(completedAt),
            "name": .string(name), "role": .string(role), "role_label": .string(roleLabel), "answers": .string(answers),
            "documents": .array(documentIDs.map { .string($0) }), "clauses_agreed": .int(clausesAgreed),
            "signature": .string(typedSignature), "status": .string(status),
            "answers_by_question": .object(answerValues.mapValues { .string($0) }),
            "duration_seconds": durationSeconds.map { .int($0) } ?? .string(""), "section_times": .string(sectionTimes),
            "builds_on": .string(buildsOn),
        ])
    }
}
