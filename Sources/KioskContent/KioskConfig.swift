/// What `kiosk.conf` says: who this terminal is, where its files are, how
/// it behaves, and the roles a person can choose with what each must read.
public struct KioskConfig: Equatable, Sendable {
    /// The file it was read from.
    public var path: String
    public var school: String
    /// Names this terminal's folder in the record book; plain characters only.
    public var terminal: String
    /// Absolute or config-relative paths, already resolved.
    public var contentDirectory: String
    public var recordsDirectory: String
    public var keyPath: String
    public var logPath: String
    /// Where finished sessions wait when the records cannot be written.
    public var recoveryDirectory: String
    public var idleTimeoutSeconds: Int
    /// How long the "are you still there?" countdown lasts before the session is discarded.
    public var idleWarningSeconds: Int
    public var minClauseSeconds: Int
    /// `pbkdf2-sha256$iterations$salt$hash`, set by `kiosk set-pin`.
    public var adminPinHash: String?
    /// Terminal id -> its minisign public key file (resolved): the other
    /// terminals whose records `verify` and `report` trust, each key for its
    /// own terminal only.
    public var trustedKeys: [String: String]
    /// In the order the file lists them; the welcome screen numbers them so.
    public var roles: [Role]
    /// `display = "plain"`: no colour, box drawing or decorative glyphs.
    public var display: DisplayMode = .colour
    /// `sign_out_by`: minutes after local midnight by which people are
    /// expected to have signed out; after it, those who have not are
    /// listed as closed, never dropped. Nil: no such hour.
    public var signOutBy: Int? = nil
    /// `collected_records`: the office's collected record books copied to
    /// this terminal (resolved), searched for a returning person too.
    public var collectedRecordsDirectory: String? = nil

    public init(
        path: String, school: String, terminal: String, contentDirectory: String, recordsDirectory: String,
        keyPath: String, logPath: String, recoveryDirectory: String, idleTimeoutSeconds: Int, idleWarningSeconds: Int, minClauseSeconds: Int,
        adminPinHash: String?, trustedKeys: [String: String], roles: [Role]
    ) {
        self.path = path
        self.school = school
        self.terminal = terminal
        self.contentDirectory = contentDirectory
        self.recordsDirectory = recordsDirectory
        self.keyPath = keyPath
        self.logPath = logPath
        self.recoveryDirectory = recoveryDirectory
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.idleWarningSeconds = idleWarningSeconds
        self.minClauseSeconds = minClauseSeconds
        self.adminPinHash = adminPinHash
        self.trustedKeys = trustedKeys
        self.roles = roles
    }

    public func role(_ id: String) -> Role? { roles.first { $0.id == id } }
}

/// Who a person is at the kiosk (New staff, Visitor, Supply teacher) and so
/// what they must read and what they are asked.
public struct Role: Equatable, Sendable, Codable {
    public var id: String
    public var label: String
    /// Document ids, in reading order.
    public var documents: [String]
    /// Asked after the full name, which every role is asked.
    public var questions: [Question]
    /// Shown on the last screen ("Please collect your visitor badge").
    public var nextSteps: String?
    /// When set, the role agrees only to the clauses tagged for this
    /// audience (`{visitor}`) in its documents; nil: to every clause.
    public var audience: String?
    /// How long its agreement stays current; nil: until the documents change.
    public var validity: AgreementValidity?
    /// How long each clause must be on screen before "I agree" wakes, for
    /// this role; nil: the kiosk's `min_clause_seconds`.
    public var minClauseSeconds: Int?

    public init(id: String, label: String, documents: [String], questions: [Question], nextSteps: String?, minClauseSeconds: Int? = nil) {
        self.id = id
        self.label = label
        self.documents = documents
        self.questions = questions
        self.nextSteps = nextSteps
        self.minClauseSeconds = minClauseSeconds
    }
}

/// One extra field on the "Your details" screen.
public struct Question: Equatable, Sendable, Codable {
    public var id: String
    public var label: String
    public var required: Bool
    public var maxLength: Int

    public init(id: String, label: String, required: Bool = true, maxLength: Int = 80) {
        self.id = id
        self.label = label
        self.required = required
        self.maxLength = maxLength
    }
}
