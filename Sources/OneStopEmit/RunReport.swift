import OneStopAggregate
import OneStopModel

/// Everything a run publishes: its figures and how they were obtained.
public struct RunReport: Sendable {
    public var period: Period
    /// The pipeline's IANA time zone, e.g. `Asia/Ho_Chi_Minh`.
    public var timezone: String
    public var accounting: RunAccounting
    /// Every warning of the run: the aggregation's and the pipeline's (e.g. export time from mtime).
    public var warnings: [RunWarning]
    public var aggregation: Aggregation
    public var rejects: [Reject]
    public var rules: Rules

    public init(
        period: Period, timezone: String, accounting: RunAccounting, warnings: [RunWarning],
        aggregation: Aggregation, rejects: [Reject], rules: Rules
    ) {
        self.period = period
        self.timezone = timezone
        self.accounting = accounting
        self.warnings = warnings
        self.aggregation = aggregation
        self.rejects = rejects
        self.rules = rules
    }
}

/// How the output set is written.
public struct OutputOptions: Sendable {
    /// Write every CSV with a UTF-8 byte-order mark and CRLF line endings, so Excel shows Vietnamese correctly.
    public var excel: Bool
    /// Write `monthly.csv`.
    public var monthly: Bool

    public init(excel: Bool = false, monthly: Bool = false) {
        self.excel = excel
        self.monthly = monthly
    }
}
