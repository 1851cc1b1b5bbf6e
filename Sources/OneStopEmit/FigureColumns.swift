import OneStopAggregate
import OneStopModel

/// The figure columns every figures CSV ends with (docs/contract.md §5) — a contract spreadsheets link to by
/// name: change only on purpose.
public enum FigureColumns {
    /// The column names, in order.
    public static let names = [
        "received_online", "received_inperson_post", "carried_over", "total",
        "resolved_early", "resolved_on_time", "resolved_late", "resolved_total",
        "in_progress_within", "in_progress_overdue", "in_progress_total",
        "received", "online", "postal", "digitised", "on_time",
        "online_share", "postal_share", "digitisation_rate", "on_time_rate",
    ]

    /// One row's figures, in `names` order: counts, then the ratios rounded half-up to 4 decimals
    /// (R18), empty where the denominator is 0.
    public static func values(of counters: ProgressCounters) -> [String] {
        counts(of: counters).map(String.init) + ratios(of: counters).map { $0.formatted(places: 4) ?? "" }
    }

    /// The sixteen count columns, in order.
    public static func counts(of counters: ProgressCounters) -> [Int] {
        [
            counters.receivedOnline, counters.receivedInPersonPost, counters.carriedOver, counters.total,
            counters.resolvedEarly, counters.resolvedOnTime, counters.resolvedLate, counters.resolvedTotal,
            counters.inProgressWithin, counters.inProgressOverdue, counters.inProgressTotal,
            counters.received, counters.online, counters.postal, counters.digitised, counters.onTime,
        ]
    }

    /// The four ratio columns, in order, exact.
    public static func ratios(of counters: ProgressCounters) -> [Fraction] {
        [counters.onlineShare, counters.postalShare, counters.digitisationRate, counters.onTimeRate]
    }
}
