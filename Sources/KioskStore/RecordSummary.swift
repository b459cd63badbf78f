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
        let json = record.json
        let person = json?["person"]
        terminal = record.terminal
        seq = record.seq
        reference = record.sha256.isEmpty ? "" : SignedRecord.reference(sha256: record.sha256)
        completedAt = json?["completed_at"]?.string ?? ""
        name = person?["name"]?.string ?? ""
        role = person?["role"]?.string ?? ""
        roleLabel = person?["role_label"]?.string ?? ""
        let answers = person?["answers"]?.object ?? [:]
        let labels = person?["answer_labels"]?.object ?? [:]
        self.answers = answers.keys.sorted().map { "\(labels[$0]?.string ?? $0): \(answers[$0]?.string ?? "")" }.joined(separator: "; ")
        let documents = json?["documents"]?.array ?? []
        documentIDs = documents.compactMap { $0["id"]?.string }
        self.documents = documents.map { "\($0["id"]?.string ?? "?") v\($0["version"]?.int ?? 0)" }.joined(separator: "; ")
        clausesAgreed = json?["clauses"]?.array?.count ?? 0
        typedSignature = json?["signature"]?["typed_name"]?.string ?? ""
        status = record.intact ? "verified" : "NOT VERIFIED: see kiosk verify"
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
