/// Lint's checks of audiences: the tags on clauses (`{visitor}`) against
/// the roles' `audience` in kiosk.conf.
extension Lint {
    static func audienceCheck(
        audiences: [ConfigParser.RoleAudience]?, roles: [(role: String, documents: [String])]?,
        outlines: [DocumentParser.Outline], positions: [String: [String: Diagnostic]], configFile: String
    ) -> [Diagnostic] {
        // Without every role's audience, "no role has it" would be a guess.
        guard let audiences else { return [] }
        var diagnostics: [Diagnostic] = []
        let known = Set(audiences.map(\.audience))
        let list = known.isEmpty ? "no role has an `audience` yet" : "the roles' audiences are: \(known.sorted().joined(separator: ", "))"
        for outline in outlines {
            for mark in outline.audienceMarks where !known.contains(mark.audience) {
                diagnostics.append(Diagnostic(file: outline.path, line: mark.line, column: mark.column,
                    message: "no role in kiosk.conf has `audience = \"\(mark.audience)\"`, so the tag gives this clause to no one as `\(mark.audience)` (\(list)): correct the tag, or give the role it is meant for `audience = \"\(mark.audience)\"`"))
            }
        }
        guard let roles else { return diagnostics }
        for entry in audiences {
            guard let documents = roles.first(where: { $0.role == entry.role })?.documents else { continue }
            for id in documents {
                guard let outline = outlines.first(where: { $0.id == id }), !outline.clauses.isEmpty,
                      !outline.clauses.contains(where: { $0.audiences.contains(entry.audience) }) else { continue }
                let at = positions[entry.role]?[id]
                diagnostics.append(Diagnostic(file: configFile, line: at?.line ?? entry.line, column: at?.column ?? entry.column,
                    message: "role `\(entry.role)` has `audience = \"\(entry.audience)\"` and reads `\(id)`, but none of its \(outline.clauses.count) clauses is tagged for `\(entry.audience)`, so the role would agree to none of them: end each clause that applies with `{\(entry.audience)}` in \(outline.path), take `\(id)` out of the role's `documents`, or remove `audience` so the role agrees to every clause"))
            }
        }
        return diagnostics
    }
}
