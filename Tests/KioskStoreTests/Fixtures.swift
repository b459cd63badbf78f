import Foundation
import KioskTestSupport

import KioskContent

/// The shipped content, read once.
let shippedLibrary: ContentLibrary = {
    let result = ContentLibrary.load(directory: repositoryRoot + "/content")
    // The shipped Polish translation is not yet reviewed: a warning, no error.
    precondition(!result.diagnostics.contains { $0.severity == .error }, "\(result.diagnostics)")
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

