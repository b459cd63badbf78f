import Foundation

/// Everything a person did in one finished session at the kiosk: the value
/// the front end hands to the record store. It holds the documents
/// themselves, so the record can say exactly what was shown.
public struct CompletedSession: Equatable, Sendable, Codable {
    public struct Answer: Equatable, Sendable, Codable {
        public var id: String
        public var label: String
        public var value: String

        public init(id: String, label: String, value: String) {
            self.id = id
            self.label = label
            self.value = value
        }
    }

    /// One document as the person read it.
    public struct Reading: Equatable, Sendable, Codable {
        public var document: PolicyDocument
        /// When the end of each section was first on screen, in section order.
        public var sectionsSeenAt: [Date]
        /// The translation shown in its place (`TranslationCheck.shown`),
        /// when the person read it in another language; `document` stays
        /// the authoritative text.
        public var shown: PolicyDocument?

        public init(document: PolicyDocument, sectionsSeenAt: [Date], shown: PolicyDocument? = nil) {
            self.document = document
            self.sectionsSeenAt = sectionsSeenAt
            self.shown = shown
        }
    }

    /// One clause the person agreed to, and when.
    public struct Acknowledgement: Equatable, Sendable, Codable {
        public var documentID: String
        /// The authoritative clause (its text and identity).
        public var clause: Clause
        public var acknowledgedAt: Date
        /// The clause's text as shown, when it was shown translated.
        public var shownText: String?

        public init(documentID: String, clause: Clause, acknowledgedAt: Date, shownText: String? = nil) {
            self.documentID = documentID
            self.clause = clause
            self.acknowledgedAt = acknowledgedAt
            self.shownText = shownText
        }
    }

    /// Becomes the record's id.
    public var id: String
    public var role: Role
    public var name: String
    public var answers: [Answer]
    public var readings: [Reading]
    public var acknowledgements: [Acknowledgement]
    /// The statement shown above the signature line, as shown.
    public var consent: String
    /// The full name as typed on the signing screen.
    public var typedSignature: String
    public var startedAt: Date
    public var completedAt: Date
    /// The salted hash of the pass code shown on the last screen (never
    /// the code itself); nil for a session saved without one.
    public var passCodeHash: String?
    /// A returning person's earlier agreement this session builds on.
    public var previous: RecordLink?
    /// The language the person chose (BCP 47), when not the documents' own.
    public var language: String?

    public init(
        id: String, role: Role, name: String, answers: [Answer], readings: [Reading], acknowledgements: [Acknowledgement],
        consent: String, typedSignature: String, startedAt: Date, completedAt: Date
    ) {
        self.id = id
        self.role = role
        self.name = name
        self.answers = answers
        self.readings = readings
        self.acknowledgements = acknowledgements
        self.consent = consent
        self.typedSignature = typedSignature
        self.startedAt = startedAt
        self.completedAt = completedAt
    }

    /// The declarations signed, one per document that has one: the
    /// authoritative text, and the text shown when it was translated.
    public var declarations: [(documentID: String, text: String, shownText: String?)] {
        readings.compactMap { reading in reading.document.declaration.map { (reading.document.id, $0, reading.shown?.declaration) } }
    }

    /// What the signing screen says typing one's name means.
    public static let consentStatement =
        "By typing my full name below I sign this declaration electronically, and I agree that this is my signature."
}
