import Foundation
import KioskContent

extension Kiosk {
    /// Words a minute an adult reads a policy at, carefully: the low end of
    /// the 200-300 usually given for reading to understand.
    static let wordsPerMinute = 200.0
    /// Typing one's details, and the name again to sign.
    static let typingSeconds = 45.0

    /// The line on the first reading page, before any clause: how many
    /// statements there are and about how long the whole session takes.
    /// "20 statements to agree to, one at a time as you read: about 5 minutes."
    static func sessionEstimate(_ draft: SessionDraft, settings: KioskSettings) -> String {
        let minutes = estimatedMinutes(draft, settings: settings)
        let time = minutes == 1 ? "about 1 minute" : "about \(minutes) minutes"
        switch draft.clauses.count {
        case 0: return "Please read to the end, then sign: \(time)."
        case 1: return "1 statement to agree to as you read: \(time)."
        case let n: return "\(n) statements to agree to, one at a time as you read: \(time)."
        }
    }

    /// Minutes, rounded to the nearest and at least one: the words of every
    /// document at `wordsPerMinute` (each clause waits at least
    /// `min_clause_seconds`), plus the typing.
    static func estimatedMinutes(_ draft: SessionDraft, settings: KioskSettings) -> Int {
        var seconds = typingSeconds
        for document in draft.documents {
            var words = Self.words(in: document.title) + document.preamble.reduce(0) { $0 + Self.words(in: $1) }
            for section in document.sections {
                words += Self.words(in: section.title) + section.blocks.reduce(0) { $0 + Self.words(in: $1) }
            }
            seconds += Double(words) * 60 / wordsPerMinute
        }
        // A clause read faster than its dwell time waits for it.
        seconds = max(seconds, Double(draft.clauses.count) * settings.minClauseSeconds(for: draft.role) + typingSeconds)
        return max(1, Int((seconds / 60).rounded()))
    }

    static func words(in block: Block) -> Int {
        switch block {
        case .paragraph(let text), .subheading(let text), .bullet(let text): words(in: text.plain)
        case .clause(let clause): words(in: clause.rich.plain)
        }
    }

    static func words(in text: String) -> Int {
        text.split(whereSeparator: \.isWhitespace).count
    }
}
