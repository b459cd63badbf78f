import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// A person who walks away leaves nothing behind: every way back to the
/// welcome screen or the role list forgets everything they typed.
@Suite("Nothing of one person is left for the next")
struct PrivacyTests {
    static let name = "Zoë Secret 李小龍"
    static let organisation = "Hidden Plumbing Ltd"

    /// One way a person leaves, from a session in which they typed their
    /// name (and more), and the screen it ends on.
    struct Exit: CustomStringConvertible, Sendable {
        var description: String
        var ends: Phase
        var leave: @Sendable (inout Driver) -> Void
    }

    static func detailsTyped(_ k: inout Driver) {
        k.press(.enter)
        k.type("2")
        k.type(name)
        k.press(.enter)
        k.type(organisation)
    }

    static func signingTyped(_ k: inout Driver) {
        k.visitorToSigning(name: name)
        k.type("Zoë Sec")
    }

    static let exits: [Exit] = [
        Exit(description: "Esc on the details screen, back to the role list", ends: .chooseRole(selected: nil, message: nil)) { k in
            detailsTyped(&k)
            k.press(.escape)
        },
        Exit(description: "Esc on the details screen, then the role list", ends: .welcome) { k in
            detailsTyped(&k)
            k.press(.escape, .escape)
        },
        Exit(description: "back from the signature, screen by screen, to the role list", ends: .chooseRole(selected: nil, message: nil)) { k in
            signingTyped(&k)
            for _ in 0..<40 where k.state.phase != .chooseRole(selected: nil, message: nil) { k.press(.escape) }
        },
        Exit(description: "Esc to the role list, then idle there", ends: .welcome) { k in
            detailsTyped(&k)
            k.press(.escape)
            k.wait(150)
        },
        Exit(description: "idle on the details screen", ends: .welcome) { k in
            detailsTyped(&k)
            k.wait(150)
        },
        Exit(description: "idle while reading", ends: .welcome) { k in
            detailsTyped(&k)
            k.press(.enter, .enter)
            k.wait(150)
        },
        Exit(description: "idle with a clause agreed", ends: .welcome) { k in
            k.visitorToReading(name: name)
            k.wait(3)
            k.press(.enter)
            k.wait(150)
        },
        Exit(description: "the thank-you screen once the name has gone, Enter for the next person", ends: .chooseRole(selected: nil, message: nil)) { k in
            signingTyped(&k)
            k.type("ret 李小龍")
            k.press(.enter)
            k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 4, reference: "7F3A-9C21")))
            k.wait(10)
            k.press(.enter)
        },
        Exit(description: "F2 from the signature to the details, then Esc on the details screen's role list way back", ends: .chooseRole(selected: nil, message: nil)) { k in
            signingTyped(&k)
            k.press(.function(2), .escape)
            for _ in 0..<40 where k.state.phase != .chooseRole(selected: nil, message: nil) { k.press(.escape) }
        },
        Exit(description: "idle with the signature half typed", ends: .welcome) { k in
            signingTyped(&k)
            k.wait(150)
        },
        Exit(description: "Enter on the thank-you screen", ends: .welcome) { k in
            signingTyped(&k)
            k.type("ret 李小龍")
            k.press(.enter)
            k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 4, reference: "7F3A-9C21")))
            k.press(.enter)
        },
        Exit(description: "the thank-you screen timing out", ends: .welcome) { k in
            signingTyped(&k)
            k.type("ret 李小龍")
            k.press(.enter)
            k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 4, reference: "7F3A-9C21")))
            k.wait(60)
        },
        Exit(description: "Enter on the failed-save screen", ends: .welcome) { k in
            signingTyped(&k)
            k.type("ret 李小龍")
            k.press(.enter)
            k.send(.saveFailed(sessionID: "session-1", SaveFailure(message: "disk full", inRecoveryFile: true)))
            k.press(.enter)
        },
        Exit(description: "the failed-save screen timing out", ends: .welcome) { k in
            signingTyped(&k)
            k.type("ret 李小龍")
            k.press(.enter)
            k.send(.saveFailed(sessionID: "session-1", SaveFailure(message: "disk full", inRecoveryFile: false)))
            k.wait(60)
        },
        Exit(description: "Esc on the admin PIN screen", ends: .welcome) { k in
            k.press(.function(10))
            k.type("24")
            k.press(.escape)
        },
        Exit(description: "idle on the admin PIN screen", ends: .welcome) { k in
            k.press(.function(10))
            k.type("24")
            k.wait(150)
        },
    ]

    @Test("every way back to the welcome screen or the role list leaves the person's part of the state as a fresh kiosk's", arguments: exits)
    func forgotten(exit: Exit) {
        var k = Driver()
        exit.leave(&k)
        #expect(k.state.phase == exit.ends, "\(exit)")
        #expect(k.state.visit == KioskState.Visit(phase: exit.ends), "\(exit): \(k.state.visit)")
        #expect(!k.screen.contains("Zoë"), "\(exit)")

        // The next person, whichever role they pick, starts with empty fields.
        for role in ["1", "2", "3"] {
            var next = k
            if next.state.phase == .welcome { next.press(.enter) }
            next.type(role)
            guard let draft = next.state.draft else {
                #expect(role == "3", "\(exit): role \(role) gave no session")
                continue
            }
            #expect(draft.name.text.isEmpty, "\(exit): role \(role) shows \(draft.name.text)")
            #expect(draft.answers.allSatisfy { $0.text.isEmpty }, "\(exit): role \(role)")
            #expect(draft.signature.text.isEmpty, "\(exit): role \(role)")
            #expect(draft.acknowledgedAt.allSatisfy { $0 == nil }, "\(exit): role \(role)")
            #expect(!next.screen.contains("Zoë") && !next.screen.contains("Hidden"), "\(exit): role \(role)")
        }
    }
}
