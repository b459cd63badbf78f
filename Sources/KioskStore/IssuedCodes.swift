import Crypto
import Foundation
import KioskContent

/// The pass codes this running kiosk has handed out lately, held in memory
/// only, so that a sign-out finds its visit without trying the code
/// against every open visit's slow hash (~30 ms each: 150 open visits
/// would freeze the kiosk for seconds). Each code is kept as an HMAC under
/// a key made at start and never written anywhere; the record's own
/// salted hash still decides. A restart forgets them all: the visits
/// saved before it are tried one by one, as before.
public final class IssuedCodes {
    private let key = SymmetricKey(size: .bits256)
    private var seqs: [String: (seq: Int, at: Date)] = [:]
    /// Seqs of the visits whose code is held here.
    public private(set) var remembered = Set<Int>()

    public init() {}

    private func tag(_ code: String) -> String {
        Hex.sha256(Array(HMAC<SHA256>.authenticationCode(for: Array(code.utf8), using: key)))
    }

    /// Remembers that record `seq`, saved at `at`, was given `code`;
    /// forgets codes older than `keep`.
    public func remember(_ code: String, seq: Int, at: Date, keep: TimeInterval) {
        guard let code = PassCode.normalised(code) else { return }
        seqs[tag(code)] = (seq, at)
        remembered.insert(seq)
        for (tag, entry) in seqs where at.timeIntervalSince(entry.at) > keep {
            seqs[tag] = nil
            remembered.remove(entry.seq)
        }
    }

    /// The record this kiosk gave `code` to, if it did (a hint: the
    /// record's hash must still match).
    public func seq(of code: String) -> Int? {
        guard let code = PassCode.normalised(code) else { return nil }
        return seqs[tag(code)]?.seq
    }
}
