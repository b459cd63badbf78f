/// A run of text in which some words are bold, parsed from Markdown's
/// `**bold**`. Nothing else of Markdown's inline syntax is interpreted: a
/// policy is shown exactly as written.
public struct RichText: Equatable, Sendable, Codable {
    public struct Span: Equatable, Sendable, Codable {
        public var text: String
        public var bold: Bool

        public init(_ text: String, bold: Bool = false) {
            self.text = text
            self.bold = bold
        }
    }

    public var spans: [Span]

    public init(spans: [Span]) {
        self.spans = spans
    }

    /// Parses `**` pairs; an unpaired `**` is kept as literal text.
    public init(markdown: String) {
        let parts = PlainText.components(markdown, separatedBy: "**")
        var spans: [Span] = []
        // Pairs of markers exist only up to the last even count.
        let pairedMarkers = (parts.count - 1) / 2 * 2
        for (index, part) in parts.enumerated() {
            if index > pairedMarkers {
                // Text after an unpaired marker: keep the marker literally.
                spans.append(Span("**" + part))
                continue
            }
            if part.isEmpty { continue }
            spans.append(Span(part, bold: index % 2 == 1))
        }
        self.spans = spans.reduce(into: []) { merged, span in
            if let last = merged.last, last.bold == span.bold {
                merged[merged.count - 1].text += span.text
            } else {
                merged.append(span)
            }
        }
    }

    /// The words without emphasis, as a record or an export shows them.
    public var plain: String { spans.map(\.text).joined() }
}
