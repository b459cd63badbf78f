import Foundation
import KioskContent

/// The record of one completed session as it is written to disk: canonical
/// JSON that says, without the content files, exactly what the person saw
/// and agreed to.
public enum SignedRecord {
    public static let schema = "conduct-kiosk/record/1"
    /// The `prev` of the first record of a terminal.
    public static let genesis = String(repeating: "0", count: 64)

    /// The record's JSON value.
    public static func json(
        for session: CompletedSession, seq: Int, id: String, terminal: String, school: String, prev: String
    ) -> JSONValue {
        var answers: [String: JSONValue] = [:]
        var answerLabels: [String: JSONValue] = [:]
        for answer in session.answers {
            answers[answer.id] = .string(answer.value)
            answerLabels[answer.id] = .string(answer.label)
        }
        let documents: [JSONValue] = session.readings.map { reading in
            let d = reading.document
            let sections: [JSONValue] = zip(d.sections, reading.sectionsSeenAt).map { section, seen in
                .object(["title": .string(section.title), "end_seen_at": .string(Timestamp.format(seen))])
            }
            var object: [String: JSONValue] = [
                "id": .string(d.id), "title": .string(d.title), "version": .int(d.version),
                "sha256": .string(d.sha256), "sections": .array(sections),
            ]
            if let declaration = d.declaration { object["declaration"] = .string(declaration) }
            return .object(object)
        }
        let clauses: [JSONValue] = session.acknowledgements.enumerated().map { index, ack in
            .object([
                "number": .int(index + 1), "document": .string(ack.documentID), "id": .string(ack.clause.id),
                "text": .string(ack.clause.text), "acknowledged_at": .string(Timestamp.format(ack.acknowledgedAt)),
            ])
        }
        let declarations: [JSONValue] = session.declarations.map {
            .object(["document": .string($0.documentID), "text": .string($0.text)])
        }
        return .object([
            "schema": .string(schema),
            "seq": .int(seq),
            "id": .string(id),
            "terminal": .string(terminal),
            "school": .string(school),
            "prev": .string(prev),
            "started_at": .string(Timestamp.format(session.startedAt)),
            "completed_at": .string(Timestamp.format(session.completedAt)),
            "person": .object([
                "name": .string(session.name),
                "role": .string(session.role.id),
                "role_label": .string(session.role.label),
                "answers": .object(answers),
                "answer_labels": .object(answerLabels),
            ]),
            "documents": .array(documents),
            "clauses": .array(clauses),
            "declarations": .array(declarations),
            "signature": .object([
                "typed_name": .string(session.typedSignature),
                "consent": .string(session.consent),
                "signed_at": .string(Timestamp.format(session.completedAt)),
            ]),
        ])
    }

    /// The trusted comment signed with a record: what `minisign -V` prints.
    public static func trustedComment(seq: Int, sha256: String, prev: String, terminal: String) -> String {
        "seq:\(seq)\tsha256:\(sha256)\tprev:\(prev)\tterminal:\(terminal)"
    }

    /// A short code a person can read out or write down ("7F3A-9C21"),
    /// taken from the record's hash.
    public static func reference(sha256: String) -> String {
        let code = sha256.prefix(8).uppercased()
        return "\(code.prefix(4))-\(code.suffix(4))"
    }
}
