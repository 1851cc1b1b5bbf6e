import GRDB
import OneStopModel

/// One run kept in the history, as `onestop history --list` shows it.
public struct HistoryRun: Sendable, Hashable {
    /// `runs.id`: the number the history gave the run.
    public var id: Int
    /// The run's identity (`RunIdentity.digest`).
    public var identity: String
    public var pipeline: String
    public var periodFrom: String
    public var periodTo: String
    public var periodKind: String
    public var recordedAt: String
    public var exitStatus: Int
    public var files: Int
    public var recordsRead: Int
    public var kept: Int
    public var rejected: Int
    /// Rows of `dossiers`, nil when the run did not write `dossiers.csv`.
    public var dossiers: Int?
    /// Whether it is the latest run of its (pipeline, period): the one comparisons and
    /// `scorecard_over_time` use.
    public var isLatest: Bool

    init(_ row: Row) {
        id = row["id"]
        identity = row["identity"]
        pipeline = row["pipeline"]
        periodFrom = row["period_from"]
        periodTo = row["period_to"]
        periodKind = row["period_kind"]
        recordedAt = row["recorded_at"]
        exitStatus = row["exit_status"]
        files = row["files"]
        recordsRead = row["records_read"]
        kept = row["kept"]
        rejected = row["rejected"]
        dossiers = row["dossiers"]
        isLatest = (row["latest"] as Int? ?? 0) > 0
    }
}

/// One value of a measure in one period (`onestop history --measure`).
public struct HistoryPoint: Sendable, Hashable {
    public var pipeline: String
    public var periodFrom: String
    public var periodTo: String
    public var key: String
    public var measure: String
    public var numerator: Int
    /// Nil for a count.
    public var denominator: Int?

    init(_ row: Row) {
        pipeline = row["pipeline"]
        periodFrom = row["period_from"]
        periodTo = row["period_to"]
        key = row["key"]
        measure = row["measure"]
        numerator = row["numerator"]
        denominator = row["denominator"]
    }

    /// The count, or the ratio rounded half-up to 4 decimals (empty when the denominator is 0),
    /// as `figures.csv` writes it.
    public var value: String {
        guard let denominator else { return String(numerator) }
        return Fraction(numerator, denominator).formatted(places: 4) ?? ""
    }
}
