import Foundation
@_exported import ChildProcess

/// A scratch folder for one test, removed when the test ends.
public final class Scratch {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "kiosk-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// A program for a test to run (a fake setfont or rsync), written by
    /// a shell of its own: a file written here would be open for writing in
    /// this process, and a child forked meanwhile by another test's thread
    /// keeps that descriptor until it execs, so running the program could
    /// fail with "Text file busy".
    @discardableResult
    public func writeProgram(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        let result = run("/bin/sh", ["-c", "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\" && chmod 755 \"$1\"", "sh", file], input: text)
        precondition(result.status == 0, "cannot write \(file): \(result.output)")
        return file
    }

    public func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        try! Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// The repository's own folder, for tests that read the shipped files.
public let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

/// A product built beside the test bundle (kiosk, kiosk-bench).
public func builtProduct(_ name: String) -> String {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path,
        repositoryRoot + "/.build/debug/" + name,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
}

/// Every SGR sequence that sets a colour (ESC [ 3x/4x/9x/10x m, 38;5, 48;5,
/// 38;2 ...) and every OSC that sets the palette, as text.
public func colourSequences(_ bytes: [UInt8]) -> [String] {
    var found: [String] = []
    var i = 0
    while i + 1 < bytes.count {
        guard bytes[i] == 0x1B else { i += 1; continue }
        if bytes[i + 1] == UInt8(ascii: "[") {
            var j = i + 2
            while j < bytes.count, !(0x40...0x7E).contains(bytes[j]) { j += 1 }
            guard j < bytes.count else { break }
            if bytes[j] == UInt8(ascii: "m") {
                let params = String(decoding: bytes[(i + 2)..<j], as: UTF8.self)
                let numbers = params.split(whereSeparator: { $0 == ";" || $0 == ":" }).compactMap { Int($0) }
                if numbers.contains(where: { (30...49).contains($0) || (90...97).contains($0) || (100...107).contains($0) }) {
                    found.append("ESC[\(params)m")
                }
            }
            i = j + 1
        } else if bytes[i + 1] == UInt8(ascii: "]") {
            let rest = String(decoding: bytes[(i + 2)..<min(bytes.count, i + 6)], as: UTF8.self)
            if rest.hasPrefix("4;") || rest.hasPrefix("10;") || rest.hasPrefix("11;") { found.append("OSC \(rest)") }
            i += 2
        } else {
            i += 1
        }
    }
    return found
}
