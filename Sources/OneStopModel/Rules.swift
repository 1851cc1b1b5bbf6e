/// How on-time status compares end and due (docs/contract.md §4).
public enum OnTimeGranularity: String, Sendable, CaseIterable {
    /// Compare local calendar days (the national reports' way; the default).
    case day
    /// Compare instants.
    case instant
}

/// The rules a province may choose differently (pipeline `rules:`).
public struct Rules: Sendable {
    public var onTimeGranularity: OnTimeGranularity
    /// More than one supplement request makes a dossier late (R12).
    public var multipleSupplementsAreLate: Bool
    /// The run exits 65 when rejected / records read exceeds this; nil for no limit.
    public var maxRejectRate: Fraction?

    public init(
        onTimeGranularity: OnTimeGranularity = .day,
        multipleSupplementsAreLate: Bool = true,
        maxRejectRate: Fraction? = Fraction(5, 100)
    ) {
        self.onTimeGranularity = onTimeGranularity
        self.multipleSupplementsAreLate = multipleSupplementsAreLate
        self.maxRejectRate = maxRejectRate
    }
}

/// The scorecard's lines (docs/contract.md §4.4), in output order.
public enum ScorecardMeasure: String, Sendable, CaseIterable, Hashable {
    case onlineProcedureCoverage = "online_procedure_coverage"
    case onlineDossierShare = "online_dossier_share"
    case postalProcedureCoverage = "postal_procedure_coverage"
    case onTimeRate = "on_time_rate"
    case digitisationRate = "digitisation_rate"
}

/// The plan's targets (pipeline `targets:`) and the digitisation effective dates per level.
public struct Targets: Sendable {
    /// Target per measure, as an exact fraction (0.999 → 999/1000). A missing target leaves `met` null.
    public var values: [ScorecardMeasure: Fraction]
    /// From which local day each level's dossiers count in the digitisation line (R20).
    public var digitisationEffective: [Level: LocalDate]

    public init(values: [ScorecardMeasure: Fraction] = [:], digitisationEffective: [Level: LocalDate] = [:]) {
        self.values = values
        self.digitisationEffective = digitisationEffective
    }
}
