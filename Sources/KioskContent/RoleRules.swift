/// The settings of a role that say which of its documents' clauses it
/// agrees to and how long its agreement lasts: `audience`,
/// `valid_for_days` and `renew_on`.
extension ConfigParser {
    static let roleRuleKeys: Set<String> = ["audience", "valid_for_days", "renew_on"]

    /// A role's `audience` and where it is written, for lint's checks
    /// against the documents' tags.
    public struct RoleAudience: Equatable, Sendable {
        public var role: String
        public var audience: String
        public var line: Int
        public var column: Int
    }

    struct RoleRules {
        var audience: String?
        var validity: AgreementValidity?
    }

    static func readRoleRules(_ reader: inout TableReader, role: String) -> RoleRules {
        var rules = RoleRules()
        if let audience = reader.optionalString("audience") {
            if DocumentParser.isValidID(audience) {
                rules.audience = audience
            } else {
                reader.failValue("audience", "audience `\(audience)` of role `\(role)` may use only a-z, 0-9 and '-': it is the word in the tags of the clauses the role agrees to, e.g. `audience = \"visitor\"` and `- [ ] ... {visitor}`")
            }
        }
        let days = reader.optionalInt("valid_for_days", minimum: 1, maximum: 3_660)
        var renewOn: MonthDay?
        if let text = reader.optionalString("renew_on") {
            if let parsed = MonthDay(text) {
                renewOn = parsed
            } else if text == "02-29" {
                reader.failValue("renew_on", "`renew_on` in [roles.\(role)] cannot be \"02-29\", which comes only in leap years: use \"02-28\" or \"03-01\"")
            } else {
                reader.failValue("renew_on", "`renew_on` in [roles.\(role)] must be a month and day written \"MM-DD\", e.g. \"09-01\" for 1 September; found \"\(text)\"")
            }
        }
        if days != nil || renewOn != nil {
            rules.validity = AgreementValidity(validForDays: days, renewOn: renewOn)
        }
        return rules
    }
}

extension Role {
    /// The role with its audience and validity from kiosk.conf.
    func with(_ rules: ConfigParser.RoleRules) -> Role {
        var role = self
        role.audience = rules.audience
        role.validity = rules.validity
        return role
    }
}
