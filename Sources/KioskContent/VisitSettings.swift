/// The settings in [kiosk] for visits: when people are expected to have
/// signed out (`sign_out_by = "18:00"`), and where the office's collected
/// record books are copied on this terminal (`collected_records`), so a
/// returning person who signed at another terminal is found.
extension ConfigParser {
    static let visitKeys: Set<String> = ["sign_out_by", "collected_records"]

    /// `sign_out_by`: "HH:MM", 24-hour, local time; minutes after midnight.
    static func readSignOutBy(_ kiosk: inout TableReader) -> Int? {
        guard let text = kiosk.optionalString("sign_out_by") else { return nil }
        guard let minutes = KioskConfig.minutes(text) else {
            kiosk.failValue("sign_out_by", "sign_out_by `\(text)` is not a time of day: write it as HH:MM on the 24-hour clock, like \"18:00\"")
            return nil
        }
        return minutes
    }
}

extension KioskConfig {
    /// "18:00" -> 1080; nil for anything but HH:MM from 00:00 to 23:59.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 else { return nil }
        return h * 60 + m
    }

    /// 1080 -> "18:00".
    public static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
    }
}
