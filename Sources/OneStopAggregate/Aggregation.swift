import OneStopModel

/// A dimension of `progress.csv` (docs/contract.md §4.3), in output order.
public enum ProgressDimension: String, Sendable, CaseIterable, Hashable {
    /// One row, key `ALL`.
    case province
    /// Key: the source's level (R16).
    case level
    /// Key: the record's field, else the catalogue's, else empty (R16).
    case field
    /// Key: the record's agency, else the source's name (R16).
    case agency
    /// Key: the procedure code.
    case procedure
}

/// One row of `progress.csv`.
public struct ProgressRow: Sendable, Hashable {
    public var dimension: ProgressDimension
    public var key: String
    public var counters: ProgressCounters

    public init(dimension: ProgressDimension, key: String, counters: ProgressCounters) {
        self.dimension = dimension
        self.key = key
        self.counters = counters
    }
}

/// One row of `procedures.csv`: an (agency, procedure) pair.
public struct ProcedureRow: Sendable, Hashable {
    public var agency: String
    public var procedure: String
    /// R23: the catalogue's name, else the name on a winning dossier, else empty.
    public var procedureName: String
    public var counters: ProgressCounters

    public init(agency: String, procedure: String, procedureName: String, counters: ProgressCounters) {
        self.agency = agency
        self.procedure = procedure
        self.procedureName = procedureName
        self.counters = counters
    }
}

/// One row of `agencies.csv`: an (agency, source level) pair.
public struct AgencyRow: Sendable, Hashable {
    public var agency: String
    public var level: Level
    public var counters: ProgressCounters

    public init(agency: String, level: Level, counters: ProgressCounters) {
        self.agency = agency
        self.level = level
        self.counters = counters
    }
}

/// One row of `monthly.csv`: the province-wide figures of one month of received dates (R17).
public struct MonthRow: Sendable, Hashable {
    /// `YYYY-MM`.
    public var month: String
    public var counters: ProgressCounters

    public init(month: String, counters: ProgressCounters) {
        self.month = month
        self.counters = counters
    }
}

/// The figures of a run: every table's rows sorted by their keys, the scorecard, and what the
/// run should warn about. Equal inputs give equal aggregations, whatever the number of workers.
public struct Aggregation: Sendable, Equatable {
    /// `province` (key `ALL`, always there), then `level`, `field`, `agency`, `procedure`; each by key.
    public var progress: [ProgressRow]
    /// Sorted by (agency, procedure).
    public var procedures: [ProcedureRow]
    /// Sorted by agency, then level name.
    public var agencies: [AgencyRow]
    /// Sorted by month (every month with an in-scope dossier; written only when asked).
    public var monthly: [MonthRow]
    public var scorecard: Scorecard
    /// Every agency with an in-scope dossier, sorted by code.
    public var agencyScorecards: [AgencyScorecard]
    /// `source:dossier id` of the in-scope dossiers decided without a due date (R12), sorted.
    public var noDueDate: [String]
    /// `source:dossier id` of the kept dossiers without an agency (R16), sorted.
    public var missingAgency: [String]
    /// Kept dossiers per procedure code not in the catalogue.
    public var unknownProcedures: [String: Int]
    /// Each agency's worst late and overdue dossiers (`LateDossier.listLength` at most), worst first.
    public var lateByAgency: [String: [LateDossier]]
    /// One line per row whose identity total = resolved + in progress fails (should stay empty).
    public var identityFailures: [String]

    public init(
        progress: [ProgressRow] = [], procedures: [ProcedureRow] = [], agencies: [AgencyRow] = [],
        monthly: [MonthRow] = [], scorecard: Scorecard = Scorecard(), agencyScorecards: [AgencyScorecard] = [],
        noDueDate: [String] = [], missingAgency: [String] = [], unknownProcedures: [String: Int] = [:],
        lateByAgency: [String: [LateDossier]] = [:], identityFailures: [String] = []
    ) {
        self.lateByAgency = lateByAgency
        self.progress = progress
        self.procedures = procedures
        self.agencies = agencies
        self.monthly = monthly
        self.scorecard = scorecard
        self.agencyScorecards = agencyScorecards
        self.noDueDate = noDueDate
        self.missingAgency = missingAgency
        self.unknownProcedures = unknownProcedures
        self.identityFailures = identityFailures
    }

    /// The province-wide row (zero counters when nothing is in scope).
    public var province: ProgressCounters {
        progress.first { $0.dimension == .province }?.counters ?? ProgressCounters()
    }

    /// The `progress.csv` row of a dimension and key, if the group has one (R15).
    public func progressRow(_ dimension: ProgressDimension, _ key: String) -> ProgressRow? {
        progress.first { $0.dimension == dimension && $0.key == key }
    }
}
