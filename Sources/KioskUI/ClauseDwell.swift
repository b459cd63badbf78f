import Foundation

extension KioskState {
    /// How long each clause must be on screen before "I agree" wakes, for
    /// the person at the kiosk: their role's `min_clause_seconds`, else the
    /// kiosk's (WCAG 2.2.1: time limits are adjustable).
    public var minClauseSeconds: TimeInterval {
        guard let role = draft?.role else { return settings.minClauseSeconds }
        return settings.minClauseSeconds(for: role)
    }
}
