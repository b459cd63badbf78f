import Foundation
import KioskTestSupport
import Testing
@testable import KioskContent

/// How long a role's agreement lasts: `valid_for_days` and `renew_on`.
@Suite("Agreements that last")
struct ValidityTests {
    func day(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    func config(_ lines: String) -> String {
        "[kiosk]\nschool = \"S\"\nterminal = \"t\"\n\n[roles.staff]\nlabel = \"Staff\"\ndocuments = [\"code\"]\n" + lines + "\n"
    }

    @Test("renew_on: signed the day before it, out of date on it; signed on it, current for a year")
    func renewOn() throws {
        let rule = AgreementValidity(renewOn: MonthDay("09-01"))
        #expect(rule.expiry(ofAgreementSignedAt: day("2026-08-31T15:00:00Z")) == day("2026-09-01T00:00:00Z"))
        #expect(rule.expiry(ofAgreementSignedAt: day("2026-09-01T08:30:00Z")) == day("2027-09-01T00:00:00Z"))
        #expect(rule.expiry(ofAgreementSignedAt: day("2026-11-25T10:00:00Z")) == day("2027-09-01T00:00:00Z"))
        #expect(rule.expiry(ofAgreementSignedAt: day("2026-01-10T10:00:00Z")) == day("2026-09-01T00:00:00Z"))
    }

    @Test("valid_for_days counts from the moment of signing; with renew_on too, the earlier ends it")
    func days() throws {
        #expect(AgreementValidity(validForDays: 365).expiry(ofAgreementSignedAt: day("2026-01-10T10:00:00Z")) == day("2027-01-10T10:00:00Z"))
        let both = AgreementValidity(validForDays: 30, renewOn: MonthDay("09-01"))
        #expect(both.expiry(ofAgreementSignedAt: day("2026-08-20T10:00:00Z")) == day("2026-09-01T00:00:00Z"))
        #expect(both.expiry(ofAgreementSignedAt: day("2026-03-01T10:00:00Z")) == day("2026-03-31T10:00:00Z"))
        #expect(AgreementValidity().expiry(ofAgreementSignedAt: day("2026-03-01T10:00:00Z")) == .distantFuture)
    }

    @Test("the shipped kiosk.conf: staff, supply and governors renew on 1 September, visitors after 365 days")
    func shipped() throws {
        let config = try #require(ConfigParser.load(path: repositoryRoot + "/kiosk.conf").config)
        #expect(config.role("staff")?.validity == AgreementValidity(renewOn: MonthDay("09-01")))
        #expect(config.role("supply")?.validity == AgreementValidity(renewOn: MonthDay("09-01")))
        #expect(config.role("governor")?.validity == AgreementValidity(renewOn: MonthDay("09-01")))
        #expect(config.role("visitor")?.validity == AgreementValidity(validForDays: 365))
        #expect(config.role("visitor")?.audience == "visitor")
        #expect(config.role("staff")?.audience == nil)
    }

    @Test("read from kiosk.conf; without either an agreement lasts until the documents change")
    func parsed() throws {
        let role = try #require(ConfigParser.parse(config("valid_for_days = 365\nrenew_on = \"09-01\"\naudience = \"staff\""), path: "kiosk.conf").config?.roles.first)
        #expect(role.validity == AgreementValidity(validForDays: 365, renewOn: MonthDay("09-01")))
        #expect(role.audience == "staff")
        let plain = try #require(ConfigParser.parse(config(""), path: "kiosk.conf").config?.roles.first)
        #expect(plain.validity == nil && plain.audience == nil)
    }

    @Test("a wrong value is an error at its line and column, saying what to write", arguments: [
        ("renew_on = \"9/1\"", "kiosk.conf:8:12: error: `renew_on` in [roles.staff] must be a month and day written \"MM-DD\", e.g. \"09-01\" for 1 September; found \"9/1\""),
        ("renew_on = \"13-01\"", "kiosk.conf:8:12: error: `renew_on` in [roles.staff] must be a month and day written \"MM-DD\", e.g. \"09-01\" for 1 September; found \"13-01\""),
        ("renew_on = \"04-31\"", "kiosk.conf:8:12: error: `renew_on` in [roles.staff] must be a month and day written \"MM-DD\", e.g. \"09-01\" for 1 September; found \"04-31\""),
        ("renew_on = \"02-29\"", "kiosk.conf:8:12: error: `renew_on` in [roles.staff] cannot be \"02-29\", which comes only in leap years: use \"02-28\" or \"03-01\""),
        ("renew_on = 2026-09-01", "kiosk.conf:8:12: error: `renew_on` in [roles.staff] must be a string in quotes, found date"),
        ("valid_for_days = 0", "kiosk.conf:8:18: error: `valid_for_days` in [roles.staff] must be from 1 to 3660, found 0"),
        ("valid_for_days = \"365\"", "kiosk.conf:8:18: error: `valid_for_days` in [roles.staff] must be a whole number, found string"),
        ("valid_for_day = 365", "kiosk.conf:8:1: error: unknown setting `valid_for_day` in [roles.staff]; expected one of: audience, documents, label, min_clause_seconds, next_steps, questions, renew_on, valid_for_days"),
    ])
    func wrong(line: String, expected: String) {
        let result = ConfigParser.parse(config(line), path: "kiosk.conf")
        #expect(result.diagnostics.map(\.description) == [expected])
        #expect(result.config == nil)
    }
}
