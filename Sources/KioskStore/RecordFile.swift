import Foundation
import KioskContent

/// One record of the book as a typed value: the only code that turns a
/// record into bytes and bytes back into a record. The writer, start-up,
/// verify, `records`, `report` and `export` all read records through it,
/// so the same bytes mean the same thing everywhere.
///
/// Decoding is strict: every field must be there with its type, no field
/// may be unknown, and the bytes must be exactly the canonical encoding of
/// what was decoded. A record that passes says nothing it could hide.
public struct RecordFile: Equatable, Sendable {
    /// What every record has: where it stands in its terminal's chain.
    public var seq: Int
    public var id: String
    public var terminal: String
    public var school: String
    /// The SHA-256 of the previous record file (64 zeros for the first).
    public var prev: String
    public var body: Body

    public enum Body: Equatable, Sendable {
        /// A person's finished session.
        case session(Session)
        /// The terminal's signing key handed over to a new one: signed with
        /// the old key, it names the key that signs every record after it.
        case keyChange(KeyChange)
        /// The first record of a book started again after the terminal's
        /// folder was lost: it follows the lost book's last record (its
        /// `prev` is that record's hash), so the office's copy of the lost
        /// records and the new ones make one chain.
        case bookResumed(BookResumed)
        /// A person leaving: closes the session record it names.
        case signOut(SignOut)
    }

    public struct Session: Equatable, Sendable {
        public var startedAt: String
        public var completedAt: String
        public var person: Person
        public var documents: [Document]
        public var clauses: [ClauseAgreed]
        public var declarations: [Declaration]
        public var signature: Signature
        /// The salted PBKDF2 hash of the pass code shown on the last
        /// screen (`pass_code_hash`). Absent in records written before
        /// pass codes, which read and verify exactly as before.
        public var passCodeHash: String? = nil
        /// A returning person's earlier agreement this one builds on
        /// (`previous`); absent for a first agreement.
        public var previous: RecordLink? = nil
        /// The language the person read in (`language`, BCP 47); absent
        /// when they read the documents as written.
        public var language: String? = nil
    }

    public struct Person: Equatable, Sendable {
        public var name: String
        public var role: String
        public var roleLabel: String
        /// Question id -> answer, and question id -> its label as asked.
        public var answers: [String: String]
        public var answerLabels: [String: String]
    }

    public struct Document: Equatable, Sendable {
        public var id: String
        public var title: String
        public var version: Int
        public var sha256: String
        public var declaration: String?
        public var sections: [Section]
        /// The translation shown in its place (`translation`); absent when
        /// the document was shown as written. Its file is stored beside
        /// the original's, under its own SHA-256.
        public var translation: DocumentTranslation? = nil
    }

    /// A translation shown in place of a document: what it is and what it
    /// said that is not a clause (the clauses carry their own shown text).
    public struct DocumentTranslation: Equatable, Sendable {
        public var language: String
        public var title: String
        public var sha256: String
        public var declaration: String?
    }

    public struct Section: Equatable, Sendable {
        public var title: String
        public var endSeenAt: String
    }

    public struct ClauseAgreed: Equatable, Sendable {
        public var number: Int
        public var document: String
        /// The clause's identity: the SHA-256 of its folded text.
        public var id: String
        /// The authoritative text (the document as written).
        public var text: String
        public var acknowledgedAt: String
        /// The text as shown, when it was shown translated (`shown_text`).
        public var shownText: String? = nil
    }

    public struct Declaration: Equatable, Sendable {
        public var document: String
        /// The authoritative text.
        public var text: String
        /// The text as shown, when it was shown translated (`shown_text`).
        public var shownText: String? = nil
    }

    public struct Signature: Equatable, Sendable {
        public var typedName: String
        public var consent: String
        public var signedAt: String
    }

    public struct KeyChange: Equatable, Sendable {
        public var changedAt: String
        /// The new key as terminal.pub's second line (base64 of "Ed", id, key).
        public var newKey: String
        public var newKeyID: String
        public var reason: String
    }

    /// A person signing out: which session record it closes, when, and
    /// how the person showed it was theirs.
    public struct SignOut: Equatable, Sendable {
        public var signedOutAt: String
        /// The session record closed (of this terminal or another one).
        public var session: RecordLink
        /// `pass-code` or `reference`.
        public var method: String

        public static let methods = ["pass-code", "reference"]

        public init(signedOutAt: String, session: RecordLink, method: String) {
            self.signedOutAt = signedOutAt
            self.session = session
            self.method = method
        }
    }

    public struct BookResumed: Equatable, Sendable {
        public var resumedAt: String
        /// The last record of the lost book: the records before this one.
        public var lostSeq: Int
        public var reason: String
    }

    public static let sessionSchema = "conduct-kiosk/record/1"
    public static let keyChangeSchema = "conduct-kiosk/key-change/1"
    public static let bookResumedSchema = "conduct-kiosk/book-resumed/1"
    public static let signOutSchema = "conduct-kiosk/sign-out/1"
    /// No book comes near it; a seq beyond it is refused, so no sum overflows.
    public static let maxSeq = 999_999_999_999
    /// The `prev` of the first record of a terminal.
    public static let genesis = String(repeating: "0", count: 64)

    public init(seq: Int, id: String, terminal: String, school: String, prev: String, body: Body) {
        self.seq = seq
        self.id = id
        self.terminal = terminal
        self.school = school
        self.prev = prev
        self.body = body
    }

    public var session: Session? { if case .session(let s) = body { s } else { nil } }
    public var keyChange: KeyChange? { if case .keyChange(let k) = body { k } else { nil } }
    public var bookResumed: BookResumed? { if case .bookResumed(let b) = body { b } else { nil } }
    public var signOut: SignOut? { if case .signOut(let o) = body { o } else { nil } }

    /// When the record was completed: what time order and reports use.
    public var completedAt: String {
        switch body {
        case .session(let s): s.completedAt
        case .keyChange(let k): k.changedAt
        case .bookResumed(let b): b.resumedAt
        case .signOut(let o): o.signedOutAt
        }
    }

    /// The key a key-change record hands over to.
    public var newPublicKey: Minisign.PublicKey? {
        keyChange.flatMap { try? Minisign.PublicKey(fileText: $0.newKey) }
    }

    // MARK: - Encoding

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "seq": .int(seq), "id": .string(id), "terminal": .string(terminal), "school": .string(school), "prev": .string(prev),
        ]
        switch body {
        case .session(let s):
            object["schema"] = .string(Self.sessionSchema)
            object["started_at"] = .string(s.startedAt)
            object["completed_at"] = .string(s.completedAt)
            object["person"] = .object([
                "name": .string(s.person.name), "role": .string(s.person.role), "role_label": .string(s.person.roleLabel),
                "answers": .object(s.person.answers.mapValues { .string($0) }),
                "answer_labels": .object(s.person.answerLabels.mapValues { .string($0) }),
            ])
            object["documents"] = .array(s.documents.map { d in
                var o: [String: JSONValue] = [
                    "id": .string(d.id), "title": .string(d.title), "version": .int(d.version), "sha256": .string(d.sha256),
                    "sections": .array(d.sections.map { .object(["title": .string($0.title), "end_seen_at": .string($0.endSeenAt)]) }),
                ]
                if let declaration = d.declaration { o["declaration"] = .string(declaration) }
                if let t = d.translation {
                    var shown: [String: JSONValue] = ["language": .string(t.language), "title": .string(t.title), "sha256": .string(t.sha256)]
                    if let declaration = t.declaration { shown["declaration"] = .string(declaration) }
                    o["translation"] = .object(shown)
                }
                return .object(o)
            })
            object["clauses"] = .array(s.clauses.map {
                var o: [String: JSONValue] = ["number": .int($0.number), "document": .string($0.document), "id": .string($0.id),
                                              "text": .string($0.text), "acknowledged_at": .string($0.acknowledgedAt)]
                if let shown = $0.shownText { o["shown_text"] = .string(shown) }
                return .object(o)
            })
            object["declarations"] = .array(s.declarations.map {
                var o: [String: JSONValue] = ["document": .string($0.document), "text": .string($0.text)]
                if let shown = $0.shownText { o["shown_text"] = .string(shown) }
                return .object(o)
            })
            object["signature"] = .object([
                "typed_name": .string(s.signature.typedName), "consent": .string(s.signature.consent), "signed_at": .string(s.signature.signedAt),
            ])
            // Written only when there: a record without them is byte for
            // byte what the kiosk wrote before they existed.
            if let hash = s.passCodeHash { object["pass_code_hash"] = .string(hash) }
            if let previous = s.previous { object["previous"] = Self.json(previous) }
            if let language = s.language { object["language"] = .string(language) }
        case .keyChange(let k):
            object["schema"] = .string(Self.keyChangeSchema)
            object["changed_at"] = .string(k.changedAt)
            object["new_key"] = .string(k.newKey)
            object["new_key_id"] = .string(k.newKeyID)
            object["reason"] = .string(k.reason)
        case .bookResumed(let b):
            object["schema"] = .string(Self.bookResumedSchema)
            object["resumed_at"] = .string(b.resumedAt)
            object["lost_seq"] = .int(b.lostSeq)
            object["reason"] = .string(b.reason)
        case .signOut(let o):
            object["schema"] = .string(Self.signOutSchema)
            object["signed_out_at"] = .string(o.signedOutAt)
            object["session"] = Self.json(o.session)
            object["method"] = .string(o.method)
        }
        return .object(object)
    }

    static func json(_ link: RecordLink) -> JSONValue {
        .object(["terminal": .string(link.terminal), "seq": .int(link.seq), "sha256": .string(link.sha256)])
    }

    /// 64 lower-case hex digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The record's bytes as written to disk.
    public var bytes: [UInt8] { CanonicalJSON.encode(json) }

    /// The trusted comment signed with a record: what `minisign -V` prints.
    public static func trustedComment(seq: Int, sha256: String, prev: String, terminal: String) -> String {
        "seq:\(seq)\tsha256:\(sha256)\tprev:\(prev)\tterminal:\(terminal)"
    }

    // MARK: - Decoding

    /// Why bytes are not a record this kiosk writes.
    public struct DecodeError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    /// Reads a record, refusing anything that is not exactly what the
    /// kiosk writes (an unknown field, a wrong type, bytes that are not
    /// canonical). Whatever the bytes, it throws rather than failing.
    public init(bytes: [UInt8]) throws(DecodeError) {
        try self.init(bytes: bytes, checkCanonical: true)
    }

    /// `checkCanonical: false` only for bytes already found canonical (the
    /// office tools' cache of records verified before names their hash).
    /// `shared`: strings that repeat from record to record are taken from
    /// it (a thread reading many records).
    init(bytes: [UInt8], checkCanonical: Bool, shared: TextInterner? = nil) throws(DecodeError) {
        let decoded: Result<RecordFile, DecodeError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(DecodeError) {
                return .success(try Self.decode(buffer, shared: shared))
            } catch {
                return .failure(error)
            }
        }
        self = try decoded.get()
        guard !checkCanonical || CanonicalJSON.encode(json) == bytes else {
            throw DecodeError("the bytes are not the canonical form of the record (spacing, order or escapes differ)")
        }
    }

    private static func decode(_ buffer: UnsafeBufferPointer<UInt8>, shared: TextInterner?) throws(DecodeError) -> RecordFile {
        let value: ParsedJSON
        do {
            value = try CanonicalJSON.parse(buffer)
        } catch {
            throw DecodeError("not JSON: \(error)")
        }
        let text = Fields.Text(buffer, shared: shared)
        var root = try Fields(value, "the record", text: text)
        let schema = try root.string("schema")
        let seq = try root.int("seq")
        let id = try root.string("id")
        let terminal = try root.string("terminal", repeats: true)
        let school = try root.string("school", repeats: true)
        let prev = try root.string("prev")
        let body: Body
        guard seq >= 1, seq <= Self.maxSeq else { throw DecodeError("seq \(seq) is not a record number") }
        guard RecordFile.isSHA256(prev) else { throw DecodeError("prev is not a SHA-256 in lower-case hex") }
        switch schema {
        case Self.sessionSchema:
            body = .session(try Self.session(&root))
        case Self.keyChangeSchema:
            let change = KeyChange(changedAt: try root.time("changed_at"), newKey: try root.string("new_key"),
                                   newKeyID: try root.string("new_key_id"), reason: try root.string("reason"))
            guard let key = try? Minisign.PublicKey(fileText: change.newKey), key.keyIDText == change.newKeyID else {
                throw DecodeError("new_key is not a minisign public key with the id new_key_id names")
            }
            body = .keyChange(change)
        case Self.bookResumedSchema:
            let resumed = BookResumed(resumedAt: try root.time("resumed_at"), lostSeq: try root.int("lost_seq"), reason: try root.string("reason"))
            guard resumed.lostSeq == seq - 1, resumed.lostSeq >= 1 else {
                throw DecodeError("lost_seq must be the record before this one")
            }
            body = .bookResumed(resumed)
        case Self.signOutSchema:
            var link = try root.object("session")
            let closes = try Self.link(&link)
            let out = SignOut(signedOutAt: try root.time("signed_out_at"), session: closes, method: try root.string("method"))
            guard SignOut.methods.contains(out.method) else {
                throw DecodeError("method \"\(out.method)\" is not one of \(SignOut.methods.joined(separator: ", "))")
            }
            if closes.terminal == terminal, closes.seq >= seq {
                throw DecodeError("a sign-out closes a record before it, not record \(closes.seq)")
            }
            body = .signOut(out)
        default:
            throw DecodeError("schema \"\(schema)\" is not one this kiosk writes")
        }
        try root.done()
        return RecordFile(seq: seq, id: id, terminal: terminal, school: school, prev: prev, body: body)
    }

    private static func session(_ root: inout Fields) throws(DecodeError) -> Session {
        var person = try root.object("person")
        let p = Person(name: try person.string("name"), role: try person.string("role"), roleLabel: try person.string("role_label", repeats: true),
                       answers: try person.stringMap("answers"), answerLabels: try person.stringMap("answer_labels", repeats: true))
        try person.done()
        var documents: [Document] = []
        for value in try root.array("documents") {
            var d = try Fields(value, "a document", text: root.text)
            var sections: [Section] = []
            for s in try d.array("sections") {
                var f = try Fields(s, "a section", text: root.text)
                sections.append(Section(title: try f.string("title", repeats: true), endSeenAt: try f.time("end_seen_at")))
                try f.done()
            }
            let sha = try d.string("sha256", repeats: true)
            guard RecordFile.isSHA256(sha) else { throw DecodeError("a document's sha256 is not a SHA-256 in lower-case hex") }
            var translation: DocumentTranslation?
            if var t = try d.optionalObject("translation") {
                let shown = DocumentTranslation(language: try t.string("language"), title: try t.string("title", repeats: true),
                                                sha256: try t.string("sha256", repeats: true), declaration: try t.optionalString("declaration", repeats: true))
                try t.done()
                guard RecordFile.isSHA256(shown.sha256) else { throw DecodeError("a translation's sha256 is not a SHA-256 in lower-case hex") }
                guard Translation.isLanguageTag(shown.language) else { throw DecodeError("a translation's language is not a BCP 47 tag") }
                translation = shown
            }
            documents.append(Document(id: try d.string("id", repeats: true), title: try d.string("title", repeats: true), version: try d.int("version"),
                                      sha256: sha, declaration: try d.optionalString("declaration", repeats: true), sections: sections,
                                      translation: translation))
            try d.done()
        }
        var clauses: [ClauseAgreed] = []
        for value in try root.array("clauses") {
            var c = try Fields(value, "a clause", text: root.text)
            clauses.append(ClauseAgreed(number: try c.int("number"), document: try c.string("document", repeats: true), id: try c.string("id", repeats: true),
                                        text: try c.string("text", repeats: true), acknowledgedAt: try c.time("acknowledged_at"),
                                        shownText: try c.optionalString("shown_text", repeats: true)))
            try c.done()
        }
        var declarations: [Declaration] = []
        for value in try root.array("declarations") {
            var d = try Fields(value, "a declaration", text: root.text)
            declarations.append(Declaration(document: try d.string("document", repeats: true), text: try d.string("text", repeats: true),
                                            shownText: try d.optionalString("shown_text", repeats: true)))
            try d.done()
        }
        var signature = try root.object("signature")
        let s = Signature(typedName: try signature.string("typed_name"), consent: try signature.string("consent", repeats: true),
                          signedAt: try signature.time("signed_at"))
        try signature.done()
        let passCodeHash = try root.optionalString("pass_code_hash")
        if let passCodeHash, !PassCode.isHash(passCodeHash) {
            throw DecodeError("pass_code_hash is not a hash in the form pbkdf2-sha256$rounds$salt$hash")
        }
        var previous: RecordLink?
        if var fields = try root.optionalObject("previous") { previous = try Self.link(&fields) }
        let language = try root.optionalString("language")
        if let language, !Translation.isLanguageTag(language) { throw DecodeError("language is not a BCP 47 tag") }
        return Session(startedAt: try root.time("started_at"), completedAt: try root.time("completed_at"), person: p,
                       documents: documents, clauses: clauses, declarations: declarations, signature: s,
                       passCodeHash: passCodeHash, previous: previous, language: language)
    }

    /// `{"seq", "sha256", "terminal"}`: one record named exactly.
    private static func link(_ fields: inout Fields) throws(DecodeError) -> RecordLink {
        let link = RecordLink(terminal: try fields.string("terminal"), seq: try fields.int("seq"), sha256: try fields.string("sha256"))
        try fields.done()
        guard link.seq >= 1, link.seq <= maxSeq, isSHA256(link.sha256), ConfigParser.isValidTerminalID(link.terminal) else {
            throw DecodeError("a record named by terminal, seq and sha256 must have a terminal id, a record number and a SHA-256 in lower-case hex")
        }
        return link
    }

    /// Reads an object's members one by one; `done()` refuses any left over.
    struct Fields {
        /// Makes the strings of one record, shared by all its objects.
        final class Text {
            var maker: ParsedText
            init(_ buffer: UnsafeBufferPointer<UInt8>, shared: TextInterner?) { maker = ParsedText(buffer, shared: shared) }
            var buffer: UnsafeBufferPointer<UInt8> { maker.buffer }
        }

        let text: Text
        private let members: [ParsedMember]
        /// Bit i: member i was taken. Objects of a record have a few
        /// fields, so more than 64 can only be fields it does not write.
        private var taken: UInt64 = 0
        /// What the object is, for messages: "a clause", or the key it is
        /// under and its parent's (put into words only for an error).
        private let name: String
        private let parent: String?
        private var what: String { parent.map { "\"\(name)\" in \($0)" } ?? name }

        init(_ value: ParsedJSON, _ name: String, in parent: String? = nil, text: Text) throws(DecodeError) {
            self.name = name
            self.parent = parent
            self.text = text
            func what() -> String { parent.map { "\"\(name)\" in \($0)" } ?? name }
            guard case .object(let members) = value else { throw DecodeError("\(what()) is not an object") }
            guard members.count <= 64 else { throw DecodeError("\(what()) has \(members.count) fields, more than this kiosk writes") }
            self.members = members
        }

        private func index(_ key: StaticString) -> Int? {
            members.indices.first { taken & (1 << $0) == 0 && members[$0].key.isKey(key, in: text.buffer) }
        }

        private mutating func take(_ key: StaticString) throws(DecodeError) -> ParsedJSON {
            guard let i = index(key) else { throw DecodeError("\(what) has no \"\(key)\"") }
            taken |= 1 << i
            return members[i].value
        }

        private func has(_ key: StaticString) -> Bool { index(key) != nil }

        private func made(_ s: ParsedString, repeats: Bool = false, _ where: @autoclosure () -> String) throws(DecodeError) -> String {
            guard let made = text.maker.text(s, repeats: repeats) else { throw DecodeError("\(`where`()) is not valid UTF-8") }
            return made
        }

        /// `repeats`: a field other records hold the same text in (a
        /// clause's text), taken from the reading thread's strings.
        mutating func string(_ key: StaticString, repeats: Bool = false) throws(DecodeError) -> String {
            guard case .string(let s) = try take(key) else { throw DecodeError("\"\(key)\" in \(what) is not a string") }
            return try made(s, repeats: repeats, "\"\(key)\" in \(what)")
        }

        mutating func optionalString(_ key: StaticString, repeats: Bool = false) throws(DecodeError) -> String? {
            has(key) ? try string(key, repeats: repeats) : nil
        }

        mutating func int(_ key: StaticString) throws(DecodeError) -> Int {
            guard case .int(let i) = try take(key) else { throw DecodeError("\"\(key)\" in \(what) is not a whole number") }
            return i
        }

        mutating func time(_ key: StaticString) throws(DecodeError) -> String {
            let s = try string(key)
            guard Timestamp.isCanonical(s) else { throw DecodeError("\"\(key)\" in \(what) is not an RFC 3339 time") }
            return s
        }

        mutating func array(_ key: StaticString) throws(DecodeError) -> [ParsedJSON] {
            guard case .array(let a) = try take(key) else { throw DecodeError("\"\(key)\" in \(what) is not a list") }
            return a
        }

        mutating func object(_ key: StaticString) throws(DecodeError) -> Fields {
            try Fields(try take(key), key.description, in: what, text: text)
        }

        mutating func optionalObject(_ key: StaticString) throws(DecodeError) -> Fields? {
            has(key) ? try object(key) : nil
        }

        mutating func stringMap(_ key: StaticString, repeats: Bool = false) throws(DecodeError) -> [String: String] {
            guard case .object(let o) = try take(key) else { throw DecodeError("\"\(key)\" in \(what) is not an object") }
            var out: [String: String] = [:]
            for (k, v) in o.map({ ($0.key, $0.value) }) {
                let name = try made(k, "a key of \"\(key)\" in \(what)")
                guard case .string(let s) = v else { throw DecodeError("\"\(key).\(name)\" in \(what) is not a string") }
                // Keys the parser told apart by their bytes may still be one
                // key as text (é composed, and e with a combining accent).
                guard out.updateValue(try made(s, repeats: repeats, "\"\(key).\(name)\" in \(what)"), forKey: name) == nil else {
                    throw DecodeError("\"\(key).\(name)\" in \(what) appears twice")
                }
            }
            return out
        }

        func done() throws(DecodeError) {
            let left = members.indices.filter { taken & (1 << $0) == 0 }.map { members[$0].key.lossy(in: text.buffer) }
            if let extra = left.sorted().first { throw DecodeError("\(what) has a field this kiosk does not write: \"\(extra)\"") }
        }
    }
}

extension RecordFile {
    /// The record of a finished session, ready to sign.
    public init(session: CompletedSession, seq: Int, terminal: String, school: String, prev: String) {
        var answers: [String: String] = [:]
        var labels: [String: String] = [:]
        for answer in session.answers {
            answers[answer.id] = answer.value
            labels[answer.id] = answer.label
        }
        let documents = session.readings.map { reading in
            let d = reading.document
            let translation = reading.shown.flatMap { shown in
                shown.translation.map { DocumentTranslation(language: $0.language, title: shown.title, sha256: shown.sha256, declaration: shown.declaration) }
            }
            return Document(
                id: d.id, title: d.title, version: d.version, sha256: d.sha256, declaration: d.declaration,
                sections: zip(d.sections, reading.sectionsSeenAt).map { Section(title: $0.title, endSeenAt: Timestamp.format($1)) },
                translation: translation)
        }
        let clauses = session.acknowledgements.enumerated().map { index, ack in
            ClauseAgreed(number: index + 1, document: ack.documentID, id: ack.clause.id, text: ack.clause.text,
                         acknowledgedAt: Timestamp.format(ack.acknowledgedAt), shownText: ack.shownText)
        }
        self.init(
            seq: seq, id: session.id, terminal: terminal, school: school, prev: prev,
            body: .session(Session(
                startedAt: Timestamp.format(session.startedAt), completedAt: Timestamp.format(session.completedAt),
                person: Person(name: session.name, role: session.role.id, roleLabel: session.role.label, answers: answers, answerLabels: labels),
                documents: documents, clauses: clauses,
                declarations: session.declarations.map { Declaration(document: $0.documentID, text: $0.text, shownText: $0.shownText) },
                signature: Signature(typedName: session.typedSignature, consent: session.consent,
                                     signedAt: Timestamp.format(session.completedAt)),
                passCodeHash: session.passCodeHash, previous: session.previous, language: session.language)))
    }
}

extension RecordFile.Session {
    /// The SHA-256 of every file the record names in the book's content
    /// folder: each document as written, and each translation shown.
    public var storedSHA256s: [String] {
        documents.flatMap { [$0.sha256] + ($0.translation.map { [$0.sha256] } ?? []) }
    }
}
