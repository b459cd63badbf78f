import Foundation

/// How long a role's agreement stays current (`valid_for_days` and
/// `renew_on` in kiosk.conf): so many days after it was signed, or until
/// the next renewal date (1 September, when KCSIE changes), whichever
/// comes first. Days are UTC days, as the records' times are.
public struct AgreementValidity: Equatable, Sendable, Codable {
    public var validForDays: Int?
    public var renewOn: MonthDay?

    public init(validForDays: Int? = nil, renewOn: MonthDay? = nil) {
        self.validForDays = validForDays
        self.renewOn = renewOn
    }

    /// When an agreement signed at `signed` stops being current.
    public func expiry(ofAgreementSignedAt signed: Date) -> Date {
        var ends: [Date] = []
        if let validForDays { ends.append(signed.addingTimeInterval(Double(validForDays) * 86_400)) }
        if let renewOn { ends.append(renewOn.next(after: signed)) }
        return ends.min() ?? .distantFuture
    }

    /// As kiosk.conf says it, for messages: "365 days, renewed each 1 September".
    public var description: String {
        [validForDays.map { "\($0) day\($0 == 1 ? "" : "s")" }, renewOn.map { "renewed each \($0.spoken)" }]
            .compactMap { $0 }.joined(separator: ", ")
    }
}

/// A day of the year, written "MM-DD" ("09-01" is 1 September).
public struct MonthDay: Equatable, Sendable, Codable, CustomStringConvertible {
    public var month: Int
    public var day: Int

    /// The form kiosk.conf takes, or nil. 29 February is refused: it comes
    /// only in leap years.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let month = Int(parts[0]), let day = Int(parts[1]), (1...12).contains(month) else { return nil }
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day >= 1 && day <= lengths[month - 1] else { return nil }
        self.month = month
        self.day = day
    }

    public var description: String { String(format: "%02d-%02d", month, day) }

    /// "1 September".
    public var spoken: String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(day) \(names[month - 1])"
    }

    /// The first start of this day (00:00 UTC) after the UTC day of `date`:
    /// an agreement signed on 1 September itself lasts a whole year.
    public func next(after date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let year = calendar.component(.year, from: date)
        let startOfDay = calendar.startOfDay(for: date)
        for candidateYear in [year, year + 1] {
            let candidate = calendar.date(from: DateComponents(year: candidateYear, month: month, day: day))!
            if candidate > startOfDay { return candidate }
        }
        return calendar.date(from: DateComponents(year: year + 1, month: month, day: day))!
    }
}
