import Crypto
import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

@Suite("Ed25519 and minisign format")
struct SignatureTests {
    /// RFC 8032 section 7.1, tests 1 to 3: (secret, public, message, signature).
    static let rfc8032: [(String, String, String, String)] = [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
        ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
         "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"),
    ]

    @Test("RFC 8032 7.1 vectors: public keys, signatures, and tampered signatures")
    func rfc8032Vectors() throws {
        for (secret, publicHex, message, signature) in Self.rfc8032 {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Hex.decode(secret)!)
            #expect(Hex.encode(key.publicKey.rawRepresentation) == publicHex)
            let msg = Hex.decode(message)!
            var sig = Hex.decode(signature)!
            #expect(key.publicKey.isValidSignature(sig, for: msg))
            #expect(key.publicKey.isValidSignature(try key.signature(for: msg), for: msg))
            sig[0] ^= 1
            #expect(!key.publicKey.isValidSignature(sig, for: msg))
        }
    }

    @Test("a key line is trimmed of what Foundation's .whitespaces holds, every scalar of it, and nothing else")
    func keyLineSpaces() {
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            #expect(Minisign.isSpace(s) == CharacterSet.whitespaces.contains(s), "U+\(String(v, radix: 16))")
        }
        let key = TerminalKey.generate().publicKey
        let line = key.fileText.split(separator: "\n")[1]
        for pad in ["\t", " \u{200B}", "\u{3000}", "\u{A0} "] {
            #expect((try? Minisign.PublicKey(fileText: pad + line + pad)) == key, "\(pad.unicodeScalars.map(\.value))")
        }
    }

    @Test("public key files: minisign's two lines, key id as little-endian hex, and the openssl PEM")
    func publicKeyFiles() throws {
        let seed = Hex.decode(Self.rfc8032[0].0)!
        let key = TerminalKey(keyID: [1, 2, 3, 4, 5, 6, 7, 0xAB], privateKey: try .init(rawRepresentation: seed))
        let pub = key.publicKey
        #expect(pub.keyIDText == "AB07060504030201")
        let lines = pub.fileText.split(separator: "\n")
        #expect(lines[0] == "untrusted comment: minisign public key AB07060504030201")
        #expect(Data(base64Encoded: String(lines[1]))!.count == 42)
        #expect(try Minisign.PublicKey(fileText: pub.fileText) == pub)
        #expect(pub.pemText.contains("MCowBQYDK2VwAyEA"))  // base64 of the DER prefix 302a300506032b6570032100
    }

    @Test("a signature file has four lines and both signatures verify; a changed comment is caught")
    func signatureFile() throws {
        let key = TerminalKey.generate()
        let bytes = Array("hello\n".utf8)
        let signature = try Minisign.sign(bytes, with: key, trustedComment: "seq:1\tterminal:t", untrustedComment: "test")
        let parsed = try Minisign.Signature(fileText: signature.fileText)
        #expect(parsed == signature)
        #expect(signature.fileText.split(separator: "\n", omittingEmptySubsequences: false).count == 5)
        #expect(Minisign.verify(bytes, signature: parsed, keys: [key.publicKey]) == .valid)
        #expect(Minisign.verify(Array("hellO\n".utf8), signature: parsed, keys: [key.publicKey]) == .badSignature)
        var edited = parsed
        edited.trustedComment = "seq:2\tterminal:t"
        #expect(Minisign.verify(bytes, signature: edited, keys: [key.publicKey]) == .badTrustedComment)
        let other = TerminalKey.generate()
        #expect(Minisign.verify(bytes, signature: parsed, keys: [other.publicKey]) == .unknownKey(keyID: Minisign.keyIDText(key.keyID)))
    }

    @Test("a damaged signature file says which line is wrong")
    func damagedSignature() {
        #expect(throws: SignatureFormatError("a .minisig file has four lines; this one has 2")) { try Minisign.Signature(fileText: "a\nb") }
        #expect(throws: SignatureFormatError("line 2 is not a base64 signature of 74 bytes")) {
            try Minisign.Signature(fileText: "untrusted comment: x\nnot base64\ntrusted comment: y\nzz\n")
        }
    }
}

@Suite("Terminal key file")
struct TerminalKeyTests {
    @Test("saved with mode 0600 and read back")
    func roundTrip() throws {
        let scratch = Scratch()
        let key = TerminalKey.generate()
        try key.save(path: scratch.path + "/keys/terminal.key", terminal: "t")
        var info = stat()
        stat(scratch.path + "/keys/terminal.key", &info)
        #expect(info.st_mode & 0o777 == 0o600)
        let loaded = try TerminalKey.load(path: scratch.path + "/keys/terminal.key")
        #expect(loaded.publicKey == key.publicKey)
    }

    @Test("a key group or others can read is refused, as ssh does")
    func openPermissions() throws {
        let scratch = Scratch()
        let path = scratch.path + "/terminal.key"
        try TerminalKey.generate().save(path: path, terminal: "t")
        chmod(path, 0o644)
        #expect(throws: StoreError.key(path: path, problem: "is readable by other users (mode 644)",
                                       advice: "run `chmod 600 \(path)`; if others may have copied it, make a new key with `kiosk keygen --force` and publish the new terminal.pub")) {
            try TerminalKey.load(path: path)
        }
    }

    @Test("a malformed or missing key is refused with what to do")
    func malformed() {
        let scratch = Scratch()
        let path = scratch.write("terminal.key", "untrusted comment: x\nAAAA\n")
        chmod(path, 0o600)
        #expect(throws: StoreError.key(path: path, problem: "is not a conduct kiosk secret key (damaged or another format)",
                                       advice: "restore it from backup, or make a new key with `kiosk keygen --force` and publish the new terminal.pub")) {
            try TerminalKey.load(path: path)
        }
        #expect(throws: (any Error).self) { try TerminalKey.load(path: scratch.path + "/absent.key") }
    }
}
