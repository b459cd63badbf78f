import Foundation
import KioskContent

/// A finished session over real content, as the kiosk would hand it to the
/// store: the documents of a role, every clause agreed a few seconds apart.
enum SampleSession {
    static func make(library: ContentLibrary, role: Role, name: String, at start: Date) -> CompletedSession {
        let documents = library.documents(for: role)
        var acknowledgements: [CompletedSession.Acknowledgement] = []
        for document in documents {
            for clause in document.clauses {
                acknowledgements.append(.init(documentID: document.id, clause: clause,
                                              acknowledgedAt: start.addingTimeInterval(Double(30 + 4 * acknowledgements.count))))
            }
        }
        return CompletedSession(
            id: UUID().uuidString.lowercased(), role: role, name: name,
            answers: role.questions.map { .init(id: $0.id, label: $0.label, value: "Acme Ltd") },
            readings: documents.map { document in
                .init(document: document, sectionsSeenAt: document.sections.indices.map { start.addingTimeInterval(Double(5 * ($0 + 1))) })
            },
            acknowledgements: acknowledgements, consent: CompletedSession.consentStatement, typedSignature: name,
            startedAt: start, completedAt: start.addingTimeInterval(240))
    }

    /// The shipped content and its visitor role (or the first role), asked
    /// every clause as visitors were before roles took a part of a document:
    /// records the size of those in the earlier benchmark runs (~9 KB), so
    /// the store's figures stay comparable from run to run.
    static func shipped(root: String) throws -> (ContentLibrary, Role) {
        let lint = Lint.check(configPath: root + "/kiosk.conf", checkPIN: false)
        guard let config = lint.config, let library = lint.library else {
            throw BenchError("cannot read the shipped content: \(lint.errors.map(\.description).joined(separator: "\n"))")
        }
        var role = config.role("visitor") ?? config.roles[0]
        role.audience = nil
        return (library, role)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
