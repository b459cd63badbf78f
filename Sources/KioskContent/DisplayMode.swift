/// How the kiosk draws: `colour` (the high-contrast theme, box drawing and
/// arrows), or `plain` for braille displays, screen readers and terminals
/// without colour: no colour at all, no box drawing or decorative glyphs,
/// the important words first on each line. Set with `display = "plain"` in
/// kiosk.conf's [kiosk] table, or `NO_COLOR` in the environment.
public enum DisplayMode: String, Equatable, Sendable, CaseIterable {
    case colour
    case plain

    /// What kiosk.conf may say, and the mode each name means ("color" is
    /// the US spelling of "colour").
    public static let settingNames: [String: DisplayMode] = ["colour": .colour, "color": .colour, "plain": .plain]

    /// The mode to draw in: plain when kiosk.conf says so, or when
    /// `NO_COLOR` is set to anything but the empty string (no-color.org).
    public static func effective(setting: DisplayMode, environment: [String: String]) -> DisplayMode {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .plain }
        return setting
    }
}
