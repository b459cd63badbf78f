import Foundation
import KioskContent
import Testing
@testable import KioskUI

/// The welcome screen's languages (by their own names, on number keys),
/// the documents shown in the language chosen for that visit only, and the
/// session handed to the store with both texts.
@Suite("Languages at the kiosk")
struct LanguageTests {
    static let polishCode = """
        +++
        translation_of = "code"
        translation_of_version = 2
        language = "pl"
        language_name = "Polski"
        reviewed = false
        title = "Kodeks postępowania ICT"
        declaration = "Zobowiązuję się przestrzegać tego Kodeksu."
        +++
        ## Zasady

        - [ ] **Nigdy** nie udostępnię mojego hasła.
        - [ ] Będę szanować prawa autorskie.
        - [ ] Będę chronić dane osobowe.
        """

    static let translated: KioskSettings = {
        var s = settings
        s.library = ContentLibrary(documents: settings.library.documents,
                                   translations: [DocumentParser.parse(polishCode, path: "code.pl.md").document!])
        return s
    }()

    @Test("welcome at 80x24 offers the languages by their own names on number keys")
    func welcome80() {
        let k = Driver(settings: Self.translated)
        #expect(k.screen == """
             Redhill Primary School                                         Code of conduct
            
            
            
            
            
            
                                   Welcome to Redhill Primary School
            
              Everyone who works here or visits: please read our code of conduct and sign
                                           to say you agree.
            
                                          Press Enter to begin
            
                                          1 English · 2 Polski
            
                       Leaving? Press S to sign out. Signed here before? Press R.
            
            
            
            
            
            
             Enter begin   1-2 language   S sign out   R signed before
            """)
    }

    @Test("welcome at 40x12: the language line stays, the key bar keeps S and R")
    func welcome40() {
        let k = Driver(size: Size(width: 40, height: 12), settings: Self.translated)
        #expect(k.screen == """
             Redhill Primary School
            
               Welcome to Redhill Primary School
               Everyone who works here or visits:
              please read our code of conduct and
                     sign to say you agree.
                      Press Enter to begin
                      1 English · 2 Polski
              Leaving? Press S to sign out. Signed
                     here before? Press R.
            
             Enter begin S sign out R signed before
            """)
    }

    @Test("plain display: the separator is a comma")
    func plain() {
        var s = Self.translated
        s.display = .plain
        #expect(Driver(settings: s).screen.contains("1 English, 2 Polski"))
    }

    @Test("a number chooses the language and goes on to the role list, which names it; the documents are shown in it")
    func choose() throws {
        var k = Driver(settings: Self.translated)
        k.type("2")
        #expect(k.state.phase == .chooseRole(selected: nil, message: nil))
        #expect(k.state.visit.language == "pl")
        #expect(k.screen.split(separator: "\n").first?.hasSuffix("Polski") == true)
        k.type("2")
        let draft = try #require(k.state.draft)
        #expect(draft.language == "pl")
        #expect(draft.documents[0].title == "Kodeks postępowania ICT")
        #expect(draft.authoritative[0].title == "ICT Code of Conduct")
        #expect(draft.clauses.map(\.clause.id) == draft.authoritative[0].clauses.map(\.id))
    }

    @Test("1 is the documents as written; a number past the last language rings; with no translations the digits do nothing")
    func otherNumbers() {
        var k = Driver(settings: Self.translated)
        k.type("1")
        #expect(k.state.phase == .chooseRole(selected: nil, message: nil) && k.state.visit.language == nil)
        var far = Driver(settings: Self.translated)
        far.type("3")
        #expect(far.state.phase == .welcome && far.effects == [.bell])
        var none = Driver()
        none.type("2")
        #expect(none.state.phase == .welcome && none.effects == [])
    }

    @Test("the language is this visit's only: Esc from the role list, the idle timeout and the next person start in English")
    func resets() {
        var k = Driver(settings: Self.translated)
        k.type("2")
        k.press(.escape)
        #expect(k.state.phase == .welcome && k.state.visit.language == nil)
        k.type("2")
        k.type("2")
        k.wait(200)
        #expect(k.state.phase == .welcome && k.state.visit.language == nil)
    }

    @Test("a document with no translation says it is in English only; the translated one that it is not yet reviewed")
    func notes() {
        var k = Driver(settings: Self.translated)
        k.type("2")
        k.type("1")           // New staff: the policy (English only), then the code (Polish)
        k.type("Jan")
        k.press(.enter)
        #expect(k.screen.contains("This document is in English only."))
        #expect(k.screen.contains("Social Media Policy"))
        var v = Driver(settings: Self.translated)
        v.type("2")
        v.visitorToReadingFromRoles()
        #expect(v.screen.contains("Polski: a translation not yet reviewed by the school."))
        #expect(v.screen.contains("Nigdy"))
        #expect(!v.screen.contains("English only"))
    }

    @Test("the finished session holds the authoritative document and clauses, the translation and each text as shown, and the language")
    func completed() throws {
        var k = Driver(settings: Self.translated)
        k.type("2")
        k.visitorToReadingFromRoles()
        k.readEverything()
        #expect(k.screen.contains("Zobowiązuję się przestrzegać tego Kodeksu."))
        let session = try #require(k.state.draft).completedSession(at: k.now)
        #expect(session.language == "pl")
        #expect(session.readings[0].document.title == "ICT Code of Conduct")
        #expect(session.readings[0].shown?.title == "Kodeks postępowania ICT")
        #expect(session.acknowledgements.map(\.clause.text) == ["I will **never** share my password.", "I will respect copyright.", "I will keep personal data secure."])
        #expect(session.acknowledgements.map(\.shownText) == ["**Nigdy** nie udostępnię mojego hasła.", "Będę szanować prawa autorskie.", "Będę chronić dane osobowe."])
        #expect(session.acknowledgements.map(\.clause.id) == session.readings[0].document.clauses.map(\.id))
        #expect(session.declarations.map(\.shownText) == ["Zobowiązuję się przestrzegać tego Kodeksu."])
        // In English, nothing of the kind.
        var e = Driver(settings: Self.translated)
        e.visitorToSigning()
        let english = try #require(e.state.draft).completedSession(at: e.now)
        #expect(english.language == nil && english.readings.allSatisfy { $0.shown == nil } && english.acknowledgements.allSatisfy { $0.shownText == nil })
    }
}

extension Driver {
    /// From the role list to the first reading page as a visitor.
    mutating func visitorToReadingFromRoles(name: String = "Anna") {
        type("2")
        type(name)
        press(.enter)
        type("Budimex")
        press(.enter, .enter)
    }
}

extension LanguageTests {
    @Test("sections laid out for one visit are never another's: a visitor's part of the code, then staff's whole code, in English and in Polish")
    func layoutsPerReading() throws {
        var s = Self.translated
        let tagged = codeText.replacingOccurrences(of: "share my password.", with: "share my password. {visitor}")
        let polish = Self.polishCode.replacingOccurrences(of: "version = 2", with: "version = 2")
        s.library = ContentLibrary(documents: [document(policyText), document(tagged)],
                                   translations: [DocumentParser.parse(polish, path: "code.pl.md").document!])
        s.roles[1].audience = "visitor"
        for language in ["1", "2"] {
            var k = Driver(settings: s)
            k.type(language)
            k.visitorToReadingFromRoles()
            #expect(k.state.draft?.clauses.count == 1)
            k.press(.escape)
            while k.state.phase != .welcome && k.state.phase != .chooseRole(selected: nil, message: nil) { k.press(.escape) }
            k.state.visit = KioskState.Visit()
            k.type(language)
            k.type("1")
            k.type("Jan")
            k.press(.enter)
            // To the code's page: through the policy first.
            while case .reading(let d, _, _) = k.state.phase, d == 0 { k.press(.enter) }
            let screen = k.screen
            #expect(screen.contains(language == "1" ? "respect copyright" : "szanować prawa autorskie"), "staff see every clause of the code:\n\(screen)")
        }
    }
}

extension LanguageTests {
    @Test("the next person, with languages offered, begins on the welcome screen where they are offered, in English")
    func nextPerson() {
        var k = Driver(settings: Self.translated)
        k.type("2")
        k.visitorToReadingFromRoles(name: "Anna")
        k.readEverything()
        k.type("Anna")
        k.press(.enter)
        k.send(.saved(sessionID: "session-1", SaveReceipt(seq: 1, reference: "780F-5DB8")))
        k.wait(11)
        #expect(k.state.phase == .welcome && k.state.visit.language == nil)
        #expect(k.screen.contains("1 English · 2 Polski"))
    }
}
