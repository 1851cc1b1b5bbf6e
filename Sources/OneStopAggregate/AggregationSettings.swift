import OneStopModel

/// Everything aggregation needs besides the dossiers: the period and how to read it, the plan's
/// rules and targets, the catalogue and the run's sources.
public struct AggregationSettings: Sendable {
    public var period: Period
    public var clock: LocalClock
    public var rules: Rules
    public var targets: Targets
    public var catalogue: Catalogue
    /// The run's sources; `Dossier.source` indexes this array.
    public var sources: [Source]
    /// Whether to build the per-month breakdown (R17).
    public var monthly: Bool
    /// Number of parallel workers; values below 1 count as 1. Results never depend on it.
    public var jobs: Int

    public init(
        period: Period, clock: LocalClock, rules: Rules = Rules(), targets: Targets = Targets(),
        catalogue: Catalogue, sources: [Source], monthly: Bool = false, jobs: Int = 1
    ) {
        self.period = period
        self.clock = clock
        self.rules = rules
        self.targets = targets
        self.catalogue = catalogue
        self.sources = sources
        self.monthly = monthly
        self.jobs = jobs
    }
}
