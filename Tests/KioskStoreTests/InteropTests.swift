import Foundation
import KioskTestSupport
import KioskContent
import Testing
@testable import KioskStore

/// An inspector checks records with the real minisign and openssl, without
/// our code. These run the real binaries (.ci/run installs minisign).
@Suite("minisign and openssl accept the kiosk's records")
struct InteropTests {
    @Test("minisign -Vm verifies a record and prints its trusted comment; an altered record is refused")
    func minisign() throws {
        let minisign = try #require(which("minisign"), "minisign is not installed (apt-get install minisign)")
        let book = Book()
        try book.fill(2)
        let record = book.layout.record(seq: 2)
        let good = run(minisign, ["-Vm", record, "-p", book.layout.publicKey])
        #expect(good.status == 0, "\(good.output)")
        let prev = Hex.sha256(book.bytes(book.layout.record(seq: 1)))
        #expect(good.output.contains("Trusted comment: seq:2\tsha256:\(Hex.sha256(book.bytes(record)))\tprev:\(prev)\tterminal:reception-1"))
        let head = run(minisign, ["-Vm", book.layout.head, "-p", book.layout.publicKey])
        #expect(head.status == 0, "\(head.output)")

        var bytes = book.bytes(record)
        bytes[40] ^= 1
        book.write(record, bytes)
        #expect(run(minisign, ["-Vm", record, "-p", book.layout.publicKey]).status != 0)
    }

    @Test("minisign refuses an edited trusted comment")
    func minisignTrustedComment() throws {
        let minisign = try #require(which("minisign"), "minisign is not installed (apt-get install minisign)")
        let book = Book()
        try book.fill(1)
        let sig = book.layout.record(seq: 1) + ".minisig"
        book.write(sig, Array(String(decoding: book.bytes(sig), as: UTF8.self).replacingOccurrences(of: "seq:1", with: "seq:7").utf8))
        #expect(run(minisign, ["-Vm", book.layout.record(seq: 1), "-p", book.layout.publicKey]).status != 0)
    }

    @Test("openssl pkeyutl -verify accepts the raw Ed25519 signature with terminal.pem, and refuses an altered record")
    func openssl() throws {
        let openssl = try #require(which("openssl"))
        let book = Book()
        try book.fill(1)
        let record = book.layout.record(seq: 1)
        let signature = try Minisign.Signature(fileText: String(decoding: book.bytes(record + ".minisig"), as: UTF8.self))
        let sig64 = book.scratch.write("sig64", bytes: signature.signature)
        let args = ["pkeyutl", "-verify", "-pubin", "-inkey", book.layout.pem, "-rawin", "-in", record, "-sigfile", sig64]
        let good = run(openssl, args)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("Signature Verified Successfully"))
        var bytes = book.bytes(record)
        bytes[bytes.count - 3] ^= 1
        book.write(record, bytes)
        #expect(run(openssl, args).status != 0)
    }

    @Test("the README's one-line extraction of the raw signature works as documented")
    func readmeExtraction() throws {
        let openssl = try #require(which("openssl"))
        let book = Book()
        try book.fill(1)
        let record = book.layout.record(seq: 1)
        let sig64 = book.scratch.path + "/sig64"
        // The command the README gives an inspector.
        let shell = run("/bin/sh", ["-c", "sed -n 2p '\(record).minisig' | base64 -d | tail -c 64 > '\(sig64)'"])
        #expect(shell.status == 0, "\(shell.output)")
        #expect(run(openssl, ["pkeyutl", "-verify", "-pubin", "-inkey", book.layout.pem, "-rawin", "-in", record, "-sigfile", sig64]).status == 0)
    }
}
