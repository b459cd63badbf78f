import Foundation
import KioskContent

/// The one check of one record file and its signature, apart from the
/// chain: verify, start-up, `records show` and the office tools all ask it,
/// so the same bytes get the same verdict everywhere.
public enum RecordCheck {
    /// The one line the kiosk writes as a record signature's untrusted comment.
    public static func untrustedComment(seq: Int, terminal: String, keyID: [UInt8]) -> String {
        "conduct kiosk record \(seq) of terminal \(terminal), signed by key \(Minisign.keyIDText(keyID))"
    }

    /// What one record file is, on its own.
    public struct Verdict: Sendable {
        /// The SHA-256 of the record file's bytes.
        public var sha256: String
        /// The key id its signature names (nil when there is no readable signature).
        public var keyID: [UInt8]?
        public var problem: Problem?
        /// The record, when its signature is good and its bytes are a record.
        public var record: RecordFile?
        /// When the signature does not hold but the bytes still read as a
        /// record: what they say, untrusted (for the fire list only, which
        /// keeps listing the person, marked).
        public var unverified: RecordFile?
        /// The key whose signatures were checked in full (not taken from
        /// the verified cache), for the cache to remember.
        public var checkedWith: Minisign.PublicKey?

        public var isIntact: Bool { problem == nil && record != nil }
    }

    public struct Problem: Equatable, Sendable {
        public var kind: VerificationProblem.Kind
        public var detail: String
        public init(_ kind: VerificationProblem.Kind, _ detail: String) {
            self.kind = kind
            self.detail = detail
        }
    }

    /// Checks `bytes` against `signatureFile` (nil when missing) with the
    /// keys that may sign this terminal's records: the signature over the
    /// bytes, the signature over the trusted comment, the record's form,
    /// and that the trusted comment describes this very record. Whatever
    /// the bytes, it gives a verdict rather than failing.
    /// `verifiedBefore` says whether these exact bytes and signature file
    /// were verified in full with a key before (the office tools' cache):
    /// then only the signature arithmetic is skipped.
    public static func check(
        _ bytes: [UInt8], signatureFile: [UInt8]?, keys: [Minisign.PublicKey],
        verifiedBefore: ((_ recordSHA256: String, Minisign.PublicKey) -> Bool)? = nil
    ) -> Verdict {
        check(bytes, signatureFile: signatureFile, keys: keys, verifiedBefore: verifiedBefore, shared: nil)
    }

    /// `shared`: the reading thread's strings that repeat from record to record.
    static func check(
        _ bytes: [UInt8], signatureFile: [UInt8]?, keys: [Minisign.PublicKey],
        verifiedBefore: ((_ recordSHA256: String, Minisign.PublicKey) -> Bool)?, shared: TextInterner?
    ) -> Verdict {
        var verdict = checkSigned(bytes, signatureFile: signatureFile, keys: keys, verifiedBefore: verifiedBefore, shared: shared)
        if verdict.record == nil { verdict.unverified = try? RecordFile(bytes: bytes, checkCanonical: false, shared: shared) }
        return verdict
    }

    /// The third line of a signature file, as bytes (empty when there is none).
    static func trustedCommentLine(_ file: [UInt8]) -> ArraySlice<UInt8> {
        var start = 0
        for _ in 0..<2 {
            guard let newline = file[start...].firstIndex(of: 0x0A) else { return [] }
            start = newline + 1
        }
        let end = file[start...].firstIndex(of: 0x0A) ?? file.endIndex
        return file[start..<end]
    }

    private static func checkSigned(
        _ bytes: [UInt8], signatureFile: [UInt8]?, keys: [Minisign.PublicKey],
        verifiedBefore: ((_ recordSHA256: String, Minisign.PublicKey) -> Bool)?, shared: TextInterner?
    ) -> Verdict {
        var verdict = Verdict(sha256: Hex.sha256(bytes))
        guard let sigBytes = signatureFile else {
            verdict.problem = Problem(.unsigned, "its signature file is missing")
            return verdict
        }
        // These exact bytes and signature file, checked in full with a key
        // trusted here before: the signature arithmetic is skipped, and the
        // re-encoding (they were found canonical then). The record's form
        // and that the trusted comment describes it are still checked.
        if let verifiedBefore, let key = keys.first(where: { verifiedBefore(verdict.sha256, $0) }) {
            if let record = try? RecordFile(bytes: bytes, checkCanonical: false, shared: shared),
               Self.trustedCommentLine(sigBytes).elementsEqual(
                   (Minisign.Signature.trustedPrefix + RecordFile.trustedComment(seq: record.seq, sha256: verdict.sha256, prev: record.prev, terminal: record.terminal)).utf8) {
                verdict.keyID = key.keyID
                verdict.record = record
                return verdict
            }
            // Not as it was when checked: checked in full below, which names what is wrong.
        }
        let signature: Minisign.Signature
        do {
            signature = try Minisign.Signature(fileText: String(decoding: sigBytes, as: UTF8.self))
        } catch {
            verdict.problem = Problem(.malformed, "the signature file is damaged: \(error)")
            return verdict
        }
        verdict.keyID = signature.keyID
        let key = keys.first { $0.keyID == signature.keyID }
        switch Minisign.verify(bytes, signature: signature, keys: keys) {
        case .valid: break
        case .unknownKey(let id):
            verdict.problem = Problem(.forged, "signed by key \(id), which is not a key of this terminal")
            return verdict
        case .badSignature:
            verdict.problem = Problem(.modified, "the record's bytes do not match its signature")
            return verdict
        case .badTrustedComment:
            verdict.problem = Problem(.modified, "the trusted comment of its signature was changed")
            return verdict
        }
        let record: RecordFile
        do {
            record = try RecordFile(bytes: bytes, checkCanonical: true, shared: shared)
        } catch {
            verdict.problem = Problem(.malformed, "signed, but not a record this kiosk writes: \(error)")
            return verdict
        }
        let expected = RecordFile.trustedComment(seq: record.seq, sha256: verdict.sha256, prev: record.prev, terminal: record.terminal)
        guard signature.trustedComment == expected else {
            verdict.problem = Problem(.malformed, "the trusted comment does not describe this record")
            return verdict
        }
        // The untrusted comment is signed by nobody, minisign's format says;
        // the kiosk writes one line for it, and the file must be exactly
        // what the kiosk writes, so nothing can be added to it unseen.
        var exact = signature
        exact.untrustedComment = untrustedComment(seq: record.seq, terminal: record.terminal, keyID: signature.keyID)
        guard Array(exact.fileText.utf8) == sigBytes else {
            verdict.problem = Problem(.modified, "the signature file is not as the kiosk wrote it (its untrusted comment or its lines were changed)")
            return verdict
        }
        verdict.record = record
        verdict.checkedWith = key
        return verdict
    }
}
