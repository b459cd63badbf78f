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

    public static let columns = ["terminal", "seq", "reference", "completed_at", "name", "role", "answers", "documents",
                                 "clauses_agreed", "signature", "status"]

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
        self.documents = documents.map { "\($0.id) v\($0.version)" }.joined(separator: "; ")
        clausesAgreed = session?.clauses.count ?? 0
        typedSignature = session?.signature.typedName ?? ""
        if let resumed = record.record?.bookResumed {
            roleLabel = "(book started again)"
            self.answers = "follows record \(resumed.lostSeq), the last of the lost folder: \(resumed.reason)"
        }
        if let change = record.record?.keyChange {
            roleLabel = "(key change)"
            self.answers = "signing key handed over to \(change.newKeyID): \(change.reason)"
        }
    }

    public var cells: [String] {
        [terminal, String(seq), reference, completedAt, name, roleLabel.isEmpty ? role : roleLabel, answers, documents,
         String(clausesAgreed), typedSignature, status]
    }

    public var json: JSONValue {
        .object([
            "terminal": .string(terminal), "seq": .int(seq), "reference": .string(reference), "completed_at": .string(completedAt),
            "name": .string(name), "role": .string(role), "role_label": .string(roleLabel), "answers": .string(answers),
            "documents": .array(documentIDs.map { .string($0) }), "clauses_agreed": .int(clausesAgreed),
            "signature": .string(typedSignature), "status": .string(status),
        ])
    }
}
