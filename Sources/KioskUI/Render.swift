import Foundation
import KioskContent

/// Draws the state as a screen: a pure function, compared as text in tests.
extension Kiosk {
    public static func render(_ state: KioskState) -> Screen {
        var screen = Screen(size: state.size)
        screen.glyphs = Glyphs(state.settings.display)
        guard !state.isTooSmall else {
            tooSmall(&screen)
            if screen.glyphs.plain { screen.useASCIIDecorations() }
            return screen
        }
        switch state.phase {
        case .welcome: welcome(state, &screen)
        case .adminPIN(let entry, let message): admin(state, entry: entry, message: message, &screen)
        case .chooseRole(let selected, let message): roles(state, selected: selected, message: message, &screen)
        case .details(let field, let message, let fromSigning): details(state, field: field, message: message, fromSigning: fromSigning, &screen)
        case .reading(let d, let s, let scroll): reading(state, document: d, section: s, scroll: scroll, &screen)
        case .signing(let scroll, let message): signing(state, scroll: scroll, message: message, &screen)
        case .saving(let failure): saving(state, failure: failure, &screen)
        case .done(let receipt, let name, let nextSteps, _): done(state, receipt: receipt, name: name, nextSteps: nextSteps, &screen)
        case .desk(let desk): Desk.render(state, desk, &screen)
        }
        if let countdown = state.idleCountdown {
            // Whoever comes up to the kiosk now may not be the person who
            // typed: nothing of theirs shows behind the warning.
            for y in 1..<screen.size.height { screen.fill(y: y, style: .normal) }
            keyBar([("Any key", "more time")], &screen)
            idleWarning(countdown, &screen)
        }
        if screen.glyphs.plain { screen.useASCIIDecorations() }
        return screen
    }

    // MARK: - Chrome

    static func titleBar(_ text: String, right: String = "", _ screen: inout Screen) {
        let bar = Style(.bar, bold: true)
        screen.fill(y: 0, style: bar)
        // The right-hand label gives way when the title would not fit beside it.
        let rightWidth = DisplayWidth.of(right)
        let besideRight = screen.size.width - 2 - (rightWidth > 0 ? rightWidth + 2 : 0)
        let showRight = rightWidth > 0 && DisplayWidth.of(text) <= besideRight
        screen.put(ellipsized(text, showRight ? besideRight : screen.size.width - 2, screen.glyphs), x: 1, y: 0, style: bar)
        if showRight {
            screen.put(right, x: screen.size.width - 1 - rightWidth, y: 0, style: Style(.bar))
        }
    }

    /// The bottom line: always the keys that work on this screen.
    static func keyBar(_ keys: [(String, String)], _ screen: inout Screen) {
        let y = screen.size.height - 1
        let bar = Style(.bar)
        screen.fill(y: y, style: bar)
        let keys = keys.map { (screen.glyphs.key($0.0), $0.1) }
        let total = keys.reduce(0) { $0 + DisplayWidth.of($1.0) + 1 + DisplayWidth.of($1.1) }
        // Three spaces between keys where they fit, else two, else one.
        let gap = [3, 2, 1].first { total + $0 * (keys.count - 1) <= screen.size.width - 2 } ?? 1
        var x = 1
        for (key, action) in keys {
            let w = DisplayWidth.of(key) + 1 + DisplayWidth.of(action)
            if x + w > screen.size.width - 1 { break }
            x += screen.put(key, x: x, y: y, style: Style(.bar, bold: true))
            x += screen.put(" " + action, x: x, y: y, style: bar)
            x += gap
        }
    }

    static func progressLine(_ text: String, _ screen: inout Screen, style: Style = Style(.quiet)) {
        let body = Layout.body(screen.size)
        screen.put(ellipsized(text, body.width, screen.glyphs), x: body.x, y: screen.size.height - 2, style: style)
    }

    static func ellipsized(_ text: String, _ width: Int, _ glyphs: Glyphs = .unicode) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        let mark = glyphs.ellipsis
        guard width > mark.count else { return String(repeating: ".", count: width) }
        return DisplayWidth.prefix(text, fitting: width - DisplayWidth.of(mark)).0 + mark
    }

    /// Lines into the body rows from `top`, starting at `scroll`; returns rows used.
    @discardableResult
    static func draw(_ lines: [StyledLine], scroll: Int = 0, top: Int? = nil, height: Int? = nil, _ screen: inout Screen) -> Int {
        let body = Layout.body(screen.size)
        let y0 = top ?? body.y
        let rows = height ?? body.height
        var used = 0
        for (row, line) in lines.dropFirst(scroll).prefix(rows).enumerated() {
            var x = body.x
            for span in line {
                x += screen.put(span.text, x: x, y: y0 + row, style: span.style, width: body.x + body.width - x)
            }
            used = row + 1
        }
        return used
    }

    static func wrapped(_ text: String, style: Style = .normal, width: Int) -> [StyledLine] {
        TextLayout.wrap(text, width: width).map { [StyledSpan($0, style)] }
    }

    /// A text field: a highlighted area with the editor's visible window.
    static func field(_ editor: LineEditor, x: Int, y: Int, width: Int, focused: Bool, secret: Bool = false, _ screen: inout Screen) {
        let style = Style(focused ? .selected : .quiet, underline: true)
        screen.fill(y: y, x: x, width: width, style: style)
        // A PIN shows as dots; its cursor is always at the end.
        let shown = secret ? LineEditor(String(repeating: screen.glyphs.pinDot, count: editor.characters.count), maxLength: editor.maxLength) : editor
        let window = shown.window(width: width)
        screen.put(window.text, x: x, y: y, style: style, width: width)
        if focused { screen.cursor = Point(x: x + window.cursorColumn, y: y) }
    }

    // MARK: - Screens

    static func tooSmall(_ screen: inout Screen) {
        let lines = TextLayout.wrap("Please make this window larger (at least \(KioskSettings.minimumSize.width) \(screen.glyphs.times) \(KioskSettings.minimumSize.height)).", width: max(1, screen.size.width - 2))
        let top = max(0, (screen.size.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            screen.put(line, x: max(0, (screen.size.width - DisplayWidth.of(line)) / 2), y: top + i, style: Style(.attention, bold: true))
        }
        screen.focusFirstText(top: top, bottom: screen.size.height - 1)
    }

    static func centred(_ paragraphs: [(String, Style)], _ screen: inout Screen) {
        let body = Layout.body(screen.size)
        var lines: [StyledLine] = []
        for (text, style) in paragraphs {
            if text.isEmpty { lines.append([]); continue }
            lines += wrapped(text, style: style, width: body.width)
        }
        // On a small screen the blank lines between paragraphs go first.
        if lines.count > body.height { lines.removeAll { $0.isEmpty } }
        let top = body.y + max(0, (body.height - lines.count) / 2)
        for (i, line) in lines.prefix(body.height).enumerated() {
            let w = line.reduce(0) { $0 + DisplayWidth.of($1.text) }
            var x = body.x + max(0, (body.width - w) / 2)
            for span in line { x += screen.put(span.text, x: x, y: top + i, style: span.style) }
        }
    }

    static func welcome(_ state: KioskState, _ screen: inout Screen) {
        titleBar(state.settings.school, right: "Code of conduct", &screen)
        let intro = ("Everyone who works here or visits: please read our code of conduct and sign to say you agree.", Style.normal)
        var paragraphs: [(String, Style)] = [
            ("Welcome to \(state.settings.school)", Style(.strong, bold: true)),
            ("", .normal),
            intro,
            ("", .normal),
            ("Press Enter to begin", Style(.selected, bold: true)),
            ("", .normal),
            // Said where people look, not only in the key bar.
            ("Leaving? Press S to sign out. Signed here before? Press R.", .normal),
        ]
        // Each language by its own name, on a number key: 1 is the documents' own.
        let languages = state.settings.languages
        if !languages.isEmpty {
            let names = ["English"] + languages.map(\.languageName)
            let line = names.enumerated().map { "\($0 + 1) \($1)" }.joined(separator: screen.glyphs.separator)
            paragraphs.insert(contentsOf: [("", .normal), (line, Style(.strong, bold: true))], at: 5)
        }
        if state.pendingSaves > 0 {
            let n = state.pendingSaves
            let m = state.inMemoryOnly
            let agreements = "\(n) signed agreement\(n == 1 ? "" : "s")"
            let text = m == 0
                ? "\(agreements) \(n == 1 ? "is" : "are") waiting to be saved: please tell the school office."
                : (m == n ? "\(agreements) could not be written to disk yet" : "\(agreements) are waiting to be saved, \(m) not yet on disk")
                    + ": please tell the school office, and do not switch the kiosk off."
            paragraphs += [("", .normal), (text, Style(.attention, bold: true))]
        }
        // On a small screen the warning, then the way in and out, matter
        // more than the introduction.
        let body = Layout.body(screen.size)
        func lines() -> Int { paragraphs.reduce(0) { $0 + max(1, TextLayout.wrap($1.0, width: body.width).count) } }
        while lines() > body.height, let blank = paragraphs.lastIndex(where: { $0.0.isEmpty }) { paragraphs.remove(at: blank) }
        if lines() > body.height { paragraphs.removeAll { $0 == intro } }
        centred(paragraphs, &screen)
        screen.focus(on: "Press Enter to begin")
        // On a narrow screen the numbered line says it, and S and R keep their room.
        let languageKey = languages.isEmpty || screen.size.width < 60 ? [] : [("1-\(languages.count + 1)", "language")]
        keyBar([("Enter", "begin")] + languageKey + Desk.welcomeKeys, &screen)
    }

    /// The PIN prompt, with what staff check on the kiosk: the record
    /// book's last record (for the office's paper register) and the
    /// kiosk's clock (a wrong one puts wrong times on every record).
    static func admin(_ state: KioskState, entry: LineEditor, message: String?, _ screen: inout Screen) {
        titleBar("Staff only", &screen)
        let body = Layout.body(screen.size)
        let wait = state.adminGuard.wait(at: state.now)
        screen.put("Admin PIN:", x: body.x, y: body.y + 1, style: Style(.strong, bold: true))
        field(entry, x: body.x + 11, y: body.y + 1, width: min(14, body.width - 11), focused: wait == nil, secret: true, &screen)
        let attention = Style(.attention, bold: true)
        var notes: [StyledLine] = []
        if let wait {
            // The field sleeps: the cursor is on why.
            screen.cursor = Point(x: body.x, y: body.y + 3)
            notes += wrapped("Too many wrong PINs. Please wait \(duration(wait)) before trying again.", style: attention, width: body.width)
        } else if let message {
            notes += wrapped(message, style: attention, width: body.width)
        }
        if state.inMemoryOnly > 0 {
            let n = state.inMemoryOnly
            notes += wrapped("\(n) signed agreement\(n == 1 ? " is" : "s are") held in memory only: leaving the kiosk now loses \(n == 1 ? "it" : "them").",
                             style: attention, width: body.width)
        }
        let facts = adminFacts(state).map { [StyledSpan(ellipsized($0, body.width, screen.glyphs))] }
        // The facts go below the notes, or at the foot of a small screen.
        let rows = body.height - 3
        let spare = rows - notes.count - facts.count
        draw(Array(notes.prefix(rows - facts.count)), top: body.y + 3, height: max(0, rows - facts.count), &screen)
        draw(facts, top: spare > 0 ? body.y + 3 + notes.count + (notes.isEmpty ? 0 : 1) : body.y + body.height - facts.count, &screen)
        keyBar(wait == nil ? [("Enter", "unlock"), Desk.onSiteKey, ("Esc", "cancel")] : [("Esc", "cancel")], &screen)
    }

    /// "Record book: 42 · 7F3A-9C21", the clock and its time zone.
    static func adminFacts(_ state: KioskState) -> [String] {
        var lines: [String] = []
        if let head = state.bookHead {
            lines.append(head.seq == 0 ? "Record book: no records yet"
                : "Record book: " + Glyphs(state.settings.display).reference(seq: head.seq, code: head.reference))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = state.settings.timeZone
        formatter.dateFormat = "EEE d MMM yyyy, HH:mm:ss zzz"
        lines.append("Clock: " + formatter.string(from: state.now))
        lines.append("Time zone: " + state.settings.timeZone.identifier)
        return lines
    }

    /// "40 seconds", "1 second", "4 min 47 s".
    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return seconds == 1 ? "1 second" : "\(seconds) seconds" }
        return seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds / 60) min \(seconds % 60) s"
    }

    static func roles(_ state: KioskState, selected: Int?, message: String?, _ screen: inout Screen) {
        // The language chosen on the welcome screen, by its own name.
        let language = state.visit.language.flatMap { code in state.settings.languages.first { $0.language == code }?.languageName }
        titleBar(state.settings.school, right: language ?? "Code of conduct", &screen)
        let body = Layout.body(screen.size)
        screen.put("Who are you?", x: body.x, y: body.y, style: Style(.strong, bold: true))
        for (i, role) in state.settings.roles.enumerated() {
            let y = body.y + 2 + i
            let isSelected = i == selected
            let style = isSelected ? Style(.selected, bold: true) : Style.normal
            if isSelected { screen.fill(y: y, x: body.x, width: body.width, style: style) }
            let marker = screen.glyphs.plain ? "" : isSelected ? screen.glyphs.chosen : "  "
            screen.put("\(marker)\(i + 1)  \(role.label)", x: body.x, y: y, style: style, width: body.width)
            if isSelected { screen.cursor = Point(x: body.x, y: y) }
        }
        let count = state.settings.roles.count
        if let message {
            draw(wrapped(message, style: Style(.attention, bold: true), width: body.width), top: body.y + 3 + count, height: max(0, body.height - 3 - count), &screen)
        }
        // Nothing chosen yet: the cursor on what to do, the message that
        // says it, else the question (the list is right under it).
        if selected == nil {
            screen.cursor = Point(x: body.x, y: body.y)
            if message != nil && body.height > 3 + count { screen.cursor = Point(x: body.x, y: body.y + 3 + count) }
        }
        // Enter is offered only once something is selected.
        keyBar([("1-\(count)", "choose"), ("↑↓", "move")] + (selected == nil ? [] : [("Enter", "continue")]) + [("Esc", "back")], &screen)
    }

    static func details(_ state: KioskState, field focused: Int, message: String?, fromSigning: Bool, _ screen: inout Screen) {
        guard let draft = state.draft else { return }
        titleBar("Your details: \(draft.role.label)", &screen)
        let body = Layout.body(screen.size)
        var labels = [("Full name", true)]
        labels += draft.role.questions.map { ($0.label, $0.required) }
        let editors = [draft.name] + draft.answers
        // Two rows a field (label, box) and a blank between, squeezed on a small screen.
        let spacing = body.height >= labels.count * 3 + 2 ? 3 : 2
        let attention = Style(.attention, bold: true)
        for (i, (label, required)) in labels.enumerated() {
            let y = body.y + i * spacing
            let text = required ? label : "\(label) (optional)"
            if i == 0, draft.previous != nil {
                // A returning person's name, as their earlier agreement has it: not a field.
                screen.put(body.width >= 40 ? "Full name (as when you signed before)" : "Full name (as before)", x: body.x, y: y, style: .normal, width: body.width)
                screen.put(draft.name.text, x: body.x + 1, y: y + 1, style: Style(.strong, bold: true), width: body.width - 1)
                // Why it takes no edit: longer than a field's row, so on the progress line.
                if let message, i == focused { progressLine(message, &screen, style: attention) }
                continue
            }
            let used = screen.put(text, x: body.x, y: y, style: i == focused ? Style(.strong, bold: true) : .normal, width: body.width)
            let boxWidth = min(body.width, 50)
            field(editors[i], x: body.x, y: y + 1, width: boxWidth, focused: i == focused, &screen)
            // What is wrong with a field is said at that field: under its
            // box where there is a row for it, else beside its label.
            if let message, i == focused {
                if spacing == 3 {
                    screen.put(ellipsized(message, body.width), x: body.x, y: y + 2, style: attention)
                } else {
                    screen.put(ellipsized(message, body.width - used - 2), x: body.x + used + 2, y: y, style: attention)
                }
            }
        }
        let last = focused == labels.count - 1
        let narrow = body.width < 60
        keyBar([("Enter", fromSigning && last ? (narrow ? "to signing" : "back to signing") : last ? "continue" : "next field"), ("↑↓", "field"),
                ("Esc", fromSigning && !narrow ? "back to signing" : "back")], &screen)
    }

    static func reading(_ state: KioskState, document d: Int, section s: Int, scroll: Int, _ screen: inout Screen) {
        guard let draft = state.draft else { return }
        let document = draft.documents[d]
        let count = document.sections.count
        let body = Layout.body(screen.size)
        let long = "\(document.shortTitle), section \(s + 1) of \(count): \(document.sections[s].title)"
        let short = "\(document.shortTitle) \(s + 1)/\(count): \(document.sections[s].title)"
        titleBar(DisplayWidth.of(long) <= screen.size.width - 2 ? long : short, &screen)
        let view = ReadingView(state, draft, document: d, section: s, scroll: scroll)
        let lines = view.text.lines
        draw(lines, scroll: scroll, &screen)
        readingCursor(state, view: view, &screen)
        let atEnd = view.text.atEnd
        let narrow = body.width < 60
        let sep = screen.glyphs.separator
        let docPart = draft.documents.count > 1 ? (narrow ? "Doc \(d + 1)/\(draft.documents.count)\(sep)" : "Document \(d + 1) of \(draft.documents.count)\(sep)") : ""
        let position = view.text.maxScroll == 0 ? "" : atEnd ? (narrow ? "\(sep)end" : "\(sep)end of section") : "\(sep)\(Int(Double(scroll + body.height) * 100 / Double(lines.count)))%"
        let sectionPart = narrow ? "Section \(s + 1)/\(count)" : "Section \(s + 1) of \(count)"
        let total = draft.clauses.count
        let agreed = draft.acknowledgedAt.filter { $0 != nil }.count
        let agreedPart = total == 0 ? "" : narrow ? "\(sep)\(agreed)/\(total) agreed" : "\(sep)agreed \(agreed) of \(total)"
        let more = screen.glyphs.more(above: false, below: true)
        screen.put(ellipsized(docPart + sectionPart + agreedPart + position, body.width - (atEnd ? 0 : DisplayWidth.of(more) + 1), screen.glyphs),
                   x: body.x, y: screen.size.height - 2, style: Style(.quiet))
        if !atEnd {
            screen.put(more, x: body.x + body.width - DisplayWidth.of(more), y: screen.size.height - 2, style: Style(.selected, bold: true))
        }
        keyBar([("Enter", view.enter.label), (narrow ? "↑↓" : "↑↓ PgUp PgDn", "scroll"), ("←", "back")], &screen)
    }

    static func signing(_ state: KioskState, scroll: Int, message: String?, _ screen: inout Screen) {
        guard let draft = state.draft else { return }
        titleBar("Sign: \(draft.name.text)", &screen)
        let body = Layout.body(screen.size)
        let view = SigningView(state, draft, scroll: scroll)
        draw(view.text.lines, scroll: scroll, height: view.text.height, &screen)
        let y = body.y + body.height - 2
        var messageTakesProgressLine = false
        screen.put("Full name:", x: body.x, y: y, style: Style(.strong, bold: true))
        field(draft.signature, x: body.x + 11, y: y, width: min(body.width - 11, 50), focused: true, &screen)
        if let message {
            // A long name's message may take the progress line too.
            let lines = wrapped(message, style: Style(.attention, bold: true), width: body.width)
            draw(lines, top: y + 1, height: 2, &screen)
            if lines.count > 1 { messageTakesProgressLine = true }
        } else if scroll > 0 || !view.text.atEnd {
            // Text above the view (once Enter has scrolled) is marked too.
            let marker = screen.glyphs.more(above: scroll > 0, below: !view.text.atEnd)
            screen.put(marker, x: body.x, y: y + 1, style: Style(.selected, bold: true))
        }
        if !messageTakesProgressLine { progressLine(draft.clauses.isEmpty ? "" : "All \(draft.clauses.count) statements agreed", &screen) }
        var keys = [("Enter", view.enter.label)]
        if view.text.maxScroll > 0 { keys.append(("↑↓", "scroll")) }
        keyBar(keys + [("F2", body.width < 60 ? "edit" : "change my details"), ("Esc", "back")], &screen)
    }

    static func saving(_ state: KioskState, failure: SaveFailure?, _ screen: inout Screen) {
        titleBar(state.settings.school, &screen)
        // The cursor on the main message, whichever is drawn.
        defer { screen.focusFirstText(top: Layout.body(screen.size).y, bottom: screen.size.height - 2) }
        if let failure, failure.inRecoveryFile {
            centred([
                ("Your agreement could not be saved just now.", Style(.attention, bold: true)),
                ("", .normal),
                (failure.setAside ? "Please tell the school office. Nothing is lost: it is kept on this terminal for the office."
                    : "Please tell the school office. Nothing is lost: it is kept on this terminal and saved as soon as it can be.", .normal),
                ("", .normal),
                ("For the office: \(failure.message)", Style(.quiet)),
            ], &screen)
            keyBar([("Enter", "finish")], &screen)
        } else if let failure {
            // Not even a recovery file could be written: the session is only
            // in the kiosk's memory, and the person must not be told it is safe.
            centred([
                ("Your agreement could not be saved.", Style(.attention, bold: true)),
                ("", .normal),
                ("Please tell the school office now. The kiosk keeps trying, but if it is switched off first, your agreement is lost.", .normal),
                ("", .normal),
                ("For the office: \(failure.message)", Style(.quiet)),
            ], &screen)
            keyBar([("Enter", "finish")], &screen)
        } else {
            centred([("Saving your agreement\(screen.glyphs.ellipsis)", Style(.strong, bold: true))], &screen)
            keyBar([("", "Please wait")], &screen)
        }
    }

    static func done(_ state: KioskState, receipt: SaveReceipt, name: String, nextSteps: String?, _ screen: inout Screen) {
        titleBar(state.settings.school, right: "Code of conduct", &screen)
        var paragraphs: [(String, Style)] = [
            ("Thank you, \(name).", Style(.strong, bold: true)),
            ("Your agreement is signed and saved.", Style(.good, bold: true)),
            ("", .normal),
            ("Reference: " + screen.glyphs.reference(seq: receipt.seq, code: receipt.reference), Style(.strong, bold: true)),
        ] + Desk.passCodeLines(receipt)
        if let nextSteps { paragraphs += [("", .normal), (nextSteps, .normal)] }
        centred(paragraphs, &screen)
        screen.focusFirstText(top: Layout.body(screen.size).y, bottom: screen.size.height - 2)
        keyBar([("Enter", "finish")], &screen)
    }

    static func idleWarning(_ seconds: Int, _ screen: inout Screen) {
        let width = min(screen.size.width - 4, 44)
        let text = [
            ("Are you still there?", Style(.attention, bold: true)),
            ("Press any key for more time.", Style.normal),
            ("Otherwise this session will be cleared in \(seconds) seconds.", Style.normal),
        ]
        var lines: [StyledLine] = []
        for (t, style) in text { lines += wrapped(t, style: style, width: width - 4) }
        let height = lines.count + 2
        let x0 = (screen.size.width - width) / 2
        let y0 = max(0, (screen.size.height - height) / 2)
        let box = Style(.attention)
        if screen.glyphs.plain {
            // No box drawing: a frame of reverse-video blanks.
            for y in y0..<(y0 + height) {
                screen.fill(y: y, x: x0, width: width, style: Style(.bar))
                screen.fill(y: y, x: x0 + 1, width: width - 2, style: .normal)
            }
            screen.fill(y: y0, x: x0, width: width, style: Style(.bar))
            screen.fill(y: y0 + height - 1, x: x0, width: width, style: Style(.bar))
        } else {
            for y in y0..<(y0 + height) {
                screen.fill(y: y, x: x0, width: width, style: .normal)
                screen.put("│", x: x0, y: y, style: box)
                screen.put("│", x: x0 + width - 1, y: y, style: box)
            }
            screen.put("┌" + String(repeating: "─", count: width - 2) + "┐", x: x0, y: y0, style: box)
            screen.put("└" + String(repeating: "─", count: width - 2) + "┘", x: x0, y: y0 + height - 1, style: box)
        }
        for (i, line) in lines.enumerated() {
            var x = x0 + 2
            for span in line { x += screen.put(span.text, x: x, y: y0 + 1 + i, style: span.style) }
        }
        // On the warning: a screen reader says it, and the key that answers it.
        screen.cursor = Point(x: x0 + 2, y: y0 + 1)
    }

    /// "08:14:03", in the kiosk's local time.
    static func clock(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
