import OneStopAggregate
import OneStopModel

/// Everything a run publishes — its figures and how they were obtained — assembled from one or
/// more partial figures (`PartialFigures`); the renderers turn it into the output set.
public struct RunReport: Sendable {
    /// The pipeline's name.
    public var pipeline: String
    public var period: Period
    /// The pipeline's IANA time zone, e.g. `Asia/Ho_Chi_Minh`.
    public var timezone: String
    public var rules: Rules
    public var accounting: RunAccounting
    public var warnings: RunWarnings
    public var aggregation: Aggregation
    /// Sorted by file, line, then the other columns (the order of `rejects.csv`).
    public var rejects: [Reject]
    /// Every source of the pipeline, in the pipeline's order.
    public var sources: [SourceReport]
    /// The instant freshness is judged at (ISO 8601), when the pipeline sets `freshness`.
    public var asOf: String?
    /// The pipeline's `freshness.maxAge` as written (e.g. `36h`), when it sets one.
    public var freshnessMaxAge: String?
    /// Agency names from the pipeline's agency register, by code (empty without one).
    public var agencyNames: [String: String]
    /// The kept dossiers' rows, when the run was asked for `dossiers.csv`.
    public var dossiers: DossierRows?
    /// The same pipeline's figures for the period before (or `--compare PERIOD`), from the run
    /// history, when it holds them; outputs then show each scorecard line's change.
    public var comparison: PeriodComparison?
    /// The procedure catalogue, for the level and field the workbook's Procedures sheet shows.
    public var catalogue = Catalogue(entries: [])
    /// How many dossiers an agency's line needs to be ranked (`report.minDossiers`), for the
    /// report's "too few dossiers" note.
    public var minimumDossiersToRank = 10
    /// `PipelineConfiguration.fingerprint(period:)` of the run (`summary.json` →
    /// `configuration_fingerprint`): with the inputs' digests it names the run in a database.
    public var configurationFingerprint: String?

    public init(
        pipeline: String = "", period: Period, timezone: String, accounting: RunAccounting,
        warnings: RunWarnings = RunWarnings(), aggregation: Aggregation, rejects: [Reject], rules: Rules,
        sources: [SourceReport] = [], asOf: String? = nil, freshnessMaxAge: String? = nil,
        agencyNames: [String: String] = [:],
        dossiers: DossierRows? = nil
    ) {
        self.pipeline = pipeline
        self.period = period
        self.timezone = timezone
        self.accounting = accounting
        self.warnings = warnings
        self.aggregation = aggregation
        self.rejects = rejects
        self.rules = rules
        self.sources = sources
        self.asOf = asOf
        self.freshnessMaxAge = freshnessMaxAge
        self.agencyNames = agencyNames
        self.dossiers = dossiers
    }

    /// Why the run's exit status is not 0, in the order they are reported; empty when all is well.
    public var problems: [RunProblem] {
        var problems: [RunProblem] = []
        let failed = accounting.files.filter { $0.status == .failed }.map(\.path)
        if !failed.isEmpty { problems.append(.failedFiles(failed)) }
        for source in sources {
            switch source.status {
            case .missing: problems.append(.missingSource(name: source.name, patterns: source.patterns))
            case .stale:
                problems.append(.staleSource(name: source.name, newestExport: source.newestExportTime, asOf: asOf ?? ""))
            case .ok, .optionalMissing, .notSelected: break
            }
        }
        if let limit = rules.maxRejectRate, accounting.recordsRead > 0 {
            let rate = Fraction(accounting.rejected, accounting.recordsRead)
            if rate.comparison(with: limit) > 0 {
                problems.append(.rejectRate(rejected: accounting.rejected, read: accounting.recordsRead, limit: limit))
            }
        }
        return problems
    }

    /// The agency's name from the register, or nil.
    public func agencyName(_ code: String) -> String? { agencyNames[code] }
}

/// The scorecard of an earlier period of the same pipeline, to show each line's change.
public struct PeriodComparison: Sendable, Hashable {
    /// The earlier period.
    public var period: Period
    /// Its province-wide and per-level lines.
    public var scorecard: Scorecard
    /// Its per-agency lines.
    public var agencyScorecards: [AgencyScorecard]

    public init(period: Period, scorecard: Scorecard, agencyScorecards: [AgencyScorecard] = []) {
        self.period = period
        self.scorecard = scorecard
        self.agencyScorecards = agencyScorecards
    }

    /// The earlier value of a province-wide line (`level` nil) or a level's line.
    public func previous(_ measure: ScorecardMeasure, level: Level? = nil) -> ScorecardLine? {
        level.map { scorecard.line(measure, level: $0) } ?? scorecard.line(measure)
    }

    /// The earlier value of an agency's line.
    public func previous(_ measure: ScorecardMeasure, agency: String) -> ScorecardLine? {
        agencyScorecards.first { $0.agency == agency }?.line(measure)?.line
    }
}

/// Why a run that published its figures exits 65: something a reader of the figures must know.
public enum RunProblem: Sendable, Hashable, CustomStringConvertible {
    /// Files that could not be read to their end, contributing nothing (R8).
    case failedFiles([String])
    /// A source whose patterns matched no file.
    case missingSource(name: String, patterns: [String])
    /// A source whose newest export is older than the pipeline's `freshness.maxAge`.
    case staleSource(name: String, newestExport: String?, asOf: String)
    /// More records were rejected than `maxRejectRate` allows.
    case rejectRate(rejected: Int, read: Int, limit: Fraction)

    public var description: String {
        switch self {
        case .failedFiles(let paths):
            "\(paths.count) file(s) could not be read to their end and were not counted: "
                + paths.joined(separator: ", ")
        case .missingSource(let name, let patterns):
            "source '\(name)' matched no file (patterns: \(patterns.joined(separator: ", "))); "
                + "its figures are missing from every total"
        case .staleSource(let name, let newest, let asOf):
            "source '\(name)' is stale: its newest export is from \(newest ?? "an unknown time"), "
                + "older than freshness.maxAge allows at \(asOf)"
        case .rejectRate(let rejected, let read, let limit):
            "reject rate \(rejected)/\(read) is above maxRejectRate \(limit.formatted(places: 4) ?? "")"
        }
    }
}

/// One source of the run: what it contributed and whether it is complete (`summary.json` →
/// `sources`).
public struct SourceReport: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case ok
        /// Its patterns matched no file: the run exits 65.
        case missing
        /// Its newest export time is older than `freshness.maxAge`: the run exits 65.
        case stale
        /// Its patterns matched no file, and the pipeline marks it `optional: true`.
        case optionalMissing = "optional-missing"
        /// The run's inputs were named on the command line and none was this source's.
        case notSelected = "not-selected"
    }

    public var name: String
    public var level: Level
    /// The glob patterns as the pipeline writes them.
    public var patterns: [String]
    public var files: Int
    public var failedFiles: Int
    /// Records read from its files that were read to their end.
    public var records: Int
    /// The newest export time among its files read to their end (ISO 8601), nil when none.
    public var newestExportTime: String?
    public var status: Status

    public init(
        name: String, level: Level, patterns: [String], files: Int, failedFiles: Int, records: Int,
        newestExportTime: String?, status: Status
    ) {
        self.name = name
        self.level = level
        self.patterns = patterns
        self.files = files
        self.failedFiles = failedFiles
        self.records = records
        self.newestExportTime = newestExportTime
        self.status = status
    }
}

/// The rows of `dossiers.csv` (columns `DossierRows.columns`), produced on demand in their
/// order (source, dossier id) — from the run's dossier store, or streamed from shards'
/// partials — so they are never all held in memory.
public struct DossierRows: Sendable {
    public typealias Visit = (_ fields: [String]) throws(EmitError) -> Void

    /// The columns of `dossiers.csv`.
    public static let columns = [
        "source", "dossier_id", "agency", "level", "procedure", "field", "channel", "return_method", "status",
        "received", "due", "effective_due", "ended", "supplement_requests", "digitised", "postal", "scope", "class",
        "days_late",
    ]

    /// Number of rows.
    public var count: Int
    private let produce: @Sendable (Visit) throws(EmitError) -> Void

    public init(count: Int, produce: @escaping @Sendable (Visit) throws(EmitError) -> Void) {
        self.count = count
        self.produce = produce
    }

    /// Calls `visit` with every row, in order.
    public func forEach(_ visit: Visit) throws(EmitError) {
        try produce(visit)
    }
}

/// How the output set is written.
public struct OutputOptions: Sendable {
    /// Write every CSV with a UTF-8 byte-order mark and CRLF line endings, so Excel shows Vietnamese correctly.
    public var excel: Bool
    /// Write `monthly.csv`.
    public var monthly: Bool
    /// Write `dossiers.csv`.
    public var dossiers: Bool

    public init(excel: Bool = false, monthly: Bool = false, dossiers: Bool = false) {
        self.excel = excel
        self.monthly = monthly
        self.dossiers = dossiers
    }
}
