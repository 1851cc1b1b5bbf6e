/// The reporting period: whole local days `from` through `to`, inclusive.
public struct Period: Sendable, Hashable {
    public var from: LocalDate
    public var to: LocalDate

    public init(from: LocalDate, to: LocalDate) {
        self.from = from
        self.to = to
    }

    /// The period's bounds as instants: `from` 00:00 (inclusive) and the day after `to`, 00:00 (exclusive).
    public func bounds(in clock: LocalClock) -> (start: Instant, end: Instant) {
        let start = clock.startOfDay(from)
        let end = clock.instant(atLocalSeconds: (to.daysSinceEpoch + 1) * 86_400)
        return (start, end)
    }
}
