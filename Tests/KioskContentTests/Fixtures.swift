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
