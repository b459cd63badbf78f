import Foundation
import KioskContent

/// What the kiosk's behaviour depends on, taken from kiosk.conf and the
/// content once at start-up.
public struct KioskSettings: Equatable, Sendable {
    public var school: String
    public var terminal: String
    public var roles: [Role] { didSet { languages = library.languages(for: roles) } }
    public var library: ContentLibrary { didSet { languages = library.languages(for: roles) } }
    public var idleTimeout: TimeInterval
    public var idleWarning: TimeInterval
    public var minClauseSeconds: TimeInterval
    public var adminPinHash: String?
    /// The smallest screen the kiosk draws on; below it, "please enlarge".
    public static let minimumSize = Size(width: 40, height: 12)
    /// How long the thank-you screen stays before the welcome returns.
    public var doneTimeout: TimeInterval = 60
    /// How long the person's name and reference stay on the thank-you
    /// screen: the next person in the queue is watching.
    public var doneNameSeconds: TimeInterval = 10
    /// Clauses new or changed since the version before, by document id.
    public var changes: [String: DocumentChange] = [:]
    /// The kiosk's time zone, for the clock staff see (a seam for tests):
    /// the system's unless set. Looked up when first used, after the first
    /// frame: Foundation's first time zone takes 0.2 ms.
    public var timeZone: TimeZone {
        get { fixedTimeZone ?? .current }
        set { fixedTimeZone = newValue }
    }
    /// The time zone set in place of the system's, if any.
    public var fixedTimeZone: TimeZone?
    /// Colour (high contrast) or plain: no colour, box drawing or symbols.
    public var display: DisplayMode = .colour

    public init(
        school: String, terminal: String, roles: [Role], library: ContentLibrary, idleTimeout: TimeInterval,
        idleWarning: TimeInterval, minClauseSeconds: TimeInterval, adminPinHash: String?
    ) {
        self.school = school
        self.terminal = terminal
        self.roles = roles
        self.library = library
        self.idleTimeout = idleTimeout
        self.idleWarning = idleWarning
        self.minClauseSeconds = minClauseSeconds
        self.adminPinHash = adminPinHash
        languages = library.languages(for: roles)
    }

    public init(config: KioskConfig, library: ContentLibrary) {
        self.init(
            school: config.school, terminal: config.terminal, roles: config.roles, library: library,
            idleTimeout: TimeInterval(config.idleTimeoutSeconds), idleWarning: TimeInterval(config.idleWarningSeconds),
            minClauseSeconds: TimeInterval(config.minClauseSeconds), adminPinHash: config.adminPinHash)
        display = config.display
    }

    /// The languages offered on the welcome screen besides the documents'
    /// own (English): each with a current translation of a document some
    /// role reads. Kept, not worked out at each drawing of the welcome
    /// screen (it compares every translation with its original).
    public private(set) var languages: [Translation] = []

    /// How long a clause must be on screen for `role`: the role's own
    /// `min_clause_seconds`, else the kiosk's.
    public func minClauseSeconds(for role: Role) -> TimeInterval {
        role.minClauseSeconds.map(TimeInterval.init) ?? minClauseSeconds
    }
}

/// One conduct clause in the order a session asks for them.
public struct ClauseStep: Equatable, Sendable {
    public var document: Int
    public var section: Int
    public var clause: Clause
}

/// A session in progress: who the person is and what they have done.
public struct SessionDraft: Equatable, Sendable {
    public var id: String
    public var role: Role
    public var startedAt: Date
    public var name: LineEditor
    public var answers: [LineEditor]
    public var documents: [PolicyDocument]
    /// When the end of each section was first on screen, per document.
    public var sectionEndSeen: [[Date?]]
    public var clauses: [ClauseStep]
    public var acknowledgedAt: [Date?]
    /// When each clause, with the focus, was first wholly on screen: its
    /// dwell time counts from then.
    public var clauseShownAt: [Date?]
    public var signature: LineEditor
    /// A returning person's earlier agreement this session builds on.
    public var previous: RecordLink? = nil
    /// The language chosen on the welcome screen (BCP 47); nil: the
    /// documents as written.
    public var language: String? = nil
    /// The documents as written, one for each of `documents` (which are
    /// shown translated where a translation is offered): what the record
    /// holds as authoritative.
    public var authoritative: [PolicyDocument]

    /// `documents` are shown; `authoritative` (default: the same) are the
    /// documents as written, in the same order, when some are shown translated.
    public init(id: String, role: Role, documents: [PolicyDocument], startedAt: Date, name: LineEditor = LineEditor(),
                authoritative: [PolicyDocument]? = nil, language: String? = nil) {
        self.id = id
        self.role = role
        self.startedAt = startedAt
        self.name = name
        self.answers = role.questions.map { LineEditor(maxLength: $0.maxLength) }
        self.documents = documents
        self.authoritative = authoritative ?? documents
        self.language = language
        self.sectionEndSeen = documents.map { Array(repeating: nil, count: $0.sections.count) }
        self.clauses = documents.enumerated().flatMap { d, document in
            document.sections.enumerated().flatMap { s, section in
                section.blocks.compactMap { block -> ClauseStep? in
                    if case .clause(let clause) = block { ClauseStep(document: d, section: s, clause: clause) } else { nil }
                }
            }
        }
        self.acknowledgedAt = Array(repeating: nil, count: clauses.count)
        self.clauseShownAt = Array(repeating: nil, count: clauses.count)
        self.signature = LineEditor(maxLength: name.maxLength)
    }

    /// Every clause agreed and every section's end seen: nothing stands
    /// between the person and signing.
    public var isReadyToSign: Bool {
        acknowledgedAt.allSatisfy { $0 != nil } && sectionEndSeen.allSatisfy { $0.allSatisfy { $0 != nil } }
    }

    /// The session as the record store takes it.
    public func completed(at now: Date) -> CompletedSession {
        // A document shown translated is recorded as written, with the translation beside it.
        func translated(_ d: Int) -> Bool { documents[d].translation != nil && d < authoritative.count }
        var session = CompletedSession(
            id: id, role: role,
            name: name.text.trimmingCharacters(in: .whitespaces),
            answers: zip(role.questions, answers).map { .init(id: $0.id, label: $0.label, value: $1.text.trimmingCharacters(in: .whitespaces)) },
            readings: documents.enumerated().map { d, document in
                translated(d)
                    ? .init(document: authoritative[d], sectionsSeenAt: sectionEndSeen[d].map { $0 ?? now }, shown: document)
                    : .init(document: document, sectionsSeenAt: sectionEndSeen[d].map { $0 ?? now })
            },
            acknowledgements: clauses.enumerated().map { i, step in
                guard translated(step.document) else {
                    return .init(documentID: documents[step.document].id, clause: step.clause, acknowledgedAt: acknowledgedAt[i] ?? now)
                }
                // The clause it translates carries the same identity.
                let original = authoritative[step.document].clauses.first { $0.id == step.clause.id } ?? step.clause
                return .init(documentID: documents[step.document].id, clause: original, acknowledgedAt: acknowledgedAt[i] ?? now,
                             shownText: step.clause.text)
            },
            consent: CompletedSession.consentStatement,
            typedSignature: signature.text.trimmingCharacters(in: .whitespaces),
            startedAt: startedAt, completedAt: now)
        session.language = language
        return session
    }
}
