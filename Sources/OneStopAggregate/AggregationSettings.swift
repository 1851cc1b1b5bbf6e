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
    /// Below this many dossiers an agency's scorecard line is not ranked.
    public var minimumDossiersToRank: Int
    /// Number of parallel workers; values below 1 count as 1. Results never depend on it.
    public var jobs: Int

    public init(
        period: Period, clock: LocalClock, rules: Rules = Rules(), targets: Targets = Targets(),
        catalogue: Catalogue, sources: [Source], jobs: Int = 1, minimumDossiersToRank: Int = 10
    ) {
        self.period = period
        self.clock = clock
        self.rules = rules
        self.targets = targets
        self.catalogue = catalogue
        self.sources = sources
        self.jobs = jobs
        self.minimumDossiersToRank = minimumDossiersToRank
    }

    /// What assembling this run's tally needs.
    public var assembly: AssemblySettings {
        AssemblySettings(
            catalogue: catalogue, targets: targets, levelsWithSources: Set(sources.map(\.level)),
            minimumDossiersToRank: minimumDossiersToRank)
    }
}
