import Foundation

/// A scratch folder for one test, removed when the test ends.
final class Scratch {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "kiosk-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        try! Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

/// The repository's own folder, for tests that read the shipped files.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

let minimalDocument = """
    +++
    id = "code"
    title = "Code of Conduct"
    version = 2
    declaration = "I agree to follow this code."
    +++

    ## Rules

    - [ ] I will be kind.
    - [ ] I will be **careful**.
    """

let minimalConfig = """
    [kiosk]
    school = "Test School"
    terminal = "t-1"

    [roles.visitor]
    label = "Visitor"
    documents = ["code"]
    questions = [{ id = "organisation", label = "Organisation" }]
    """

import KioskContent

/// The shipped content, read once.
let shippedLibrary: ContentLibrary = {
    let result = ContentLibrary.load(directory: repositoryRoot + "/content")
    precondition(result.diagnostics.isEmpty, "\(result.diagnostics)")
    return result.library
}()

let visitorRole = Role(id: "visitor", label: "Visitor", documents: ["ict-code-of-conduct"],
                       questions: [Question(id: "organisation", label: "Organisation")], nextSteps: nil)

/// A finished visitor session over the shipped code of conduct.
func visitorSession(name: String = "Zoë Ångström-李", at start: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> CompletedSession {
    let document = shippedLibrary.document("ict-code-of-conduct")!
    let acks = document.clauses.enumerated().map { index, clause in
        CompletedSession.Acknowledgement(documentID: document.id, clause: clause, acknowledgedAt: start.addingTimeInterval(Double(60 + index * 4)))
    }
    return CompletedSession(
        id: UUID().uuidString.lowercased(), role: visitorRole, name: name,
        answers: [.init(id: "organisation", label: "Organisation", value: "Acme, \"Plumbing\" & Sons")],
        readings: [.init(document: document, sectionsSeenAt: document.sections.indices.map { start.addingTimeInterval(Double(10 + $0 * 10)) })],
        acknowledgements: acks, consent: CompletedSession.consentStatement, typedSignature: name,
        startedAt: start, completedAt: start.addingTimeInterval(200))
}

/// Runs a program and returns its exit status and output.
@discardableResult
func run(_ executable: String, _ arguments: [String], input: String? = nil) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try! process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}
