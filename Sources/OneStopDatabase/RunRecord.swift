import OneStopEmit
import OneStopModel

/// Everything one run writes into a database: its `runs` row and the rows of `figures`, `files`,
/// `rejects` and (when the run wrote `dossiers.csv`) `dossiers`. Built from the run's report
/// (`init(report:)`) or read back from a published output set (`init(outputDirectory:)`); both
/// give the same rows, so a re-sent run is the run.
public struct RunRecord: Sendable {
    public var run: RunRow
    public var figures: [FigureRow]
    public var files: [FileReport]
    public var rejects: [RejectRow]
    /// The rows of `dossiers.csv`, streamed; nil when the run did not write it.
    public var dossiers: DossierSource?

    public init(run: RunRow, figures: [FigureRow], files: [FileReport], rejects: [RejectRow], dossiers: DossierSource?) {
        self.run = run
        self.figures = figures
        self.files = files
        self.rejects = rejects
        self.dossiers = dossiers
    }
}

/// The `runs` row of a run.
public struct RunRow: Sendable, Hashable {
    public var identity: RunIdentity
    public var pipeline: String
    public var period: Period
    public var timezone: String
    /// When freshness was judged (ISO 8601), for a pipeline that sets `freshness`.
    public var asOf: String?
    /// 0, or 65 when the run had problems (they are in `problems`).
    public var exitStatus: Int
    public var accounting: Accounting
    /// Rows of `dossiers`, nil when the run did not write `dossiers.csv`.
    public var dossiers: Int?
    /// Why the exit status is 65, one message per line; empty for 0.
    public var problems: [String]

    /// The record accounting of the run (R7) and its files.
    public struct Accounting: Sendable, Hashable {
        public var files: Int
        public var failedFiles: Int
        public var recordsRead: Int
        public var rejected: Int
        public var superseded: Int
        public var notAccepted: Int
        public var kept: Int
    }

    /// The values of the `runs` row, in `RunRow.columns` order: `id` is the key the database
    /// gives it (nil: let it choose), `recordedAt` when it is written.
    public func values(id: Int?, recordedAt: String) -> [SQLValue] {
        (id.map { [.integer($0)] } ?? []) + [
            .text(identity.digest), .text(pipeline), .date(period.from.description), .date(period.to.description),
            .text(PeriodKind(period).rawValue), .text(timezone), .text(asOf), .timestamp(recordedAt),
            .text(identity.configurationFingerprint), .text(identity.inputsSHA256), .integer(exitStatus),
            .integer(accounting.files), .integer(accounting.failedFiles), .integer(accounting.recordsRead),
            .integer(accounting.rejected), .integer(accounting.superseded), .integer(accounting.notAccepted),
            .integer(accounting.kept), .integer(dossiers), .text(problems.joined(separator: "\n")),
        ]
    }

    /// The columns after `id`.
    public static let columns = [
        "identity", "pipeline", "period_from", "period_to", "period_kind", "timezone", "as_of", "recorded_at",
        "configuration_fingerprint", "inputs_sha256", "exit_status", "files", "failed_files", "records_read",
        "rejected", "superseded", "not_accepted", "kept", "dossiers", "problems",
    ]
}

/// A row of `figures` (the long form of `figures.csv`), with its numbers as `figures.csv` writes them.
public struct FigureRow: Sendable, Hashable {
    public var scope: String
    public var dimension: String
    public var key: String
    public var measure: String
    public var numerator: Int
    public var denominator: Int?
    /// The count, or the ratio rounded half-up to 4 decimals; nil when the denominator is 0.
    public var value: String?
    /// The exact decimal target; nil without one.
    public var target: String?
    public var met: Bool?

    public init(
        scope: String, dimension: String, key: String, measure: String, numerator: Int, denominator: Int?,
        value: String?, target: String?, met: Bool?
    ) {
        self.scope = scope
        self.dimension = dimension
        self.key = key
        self.measure = measure
        self.numerator = numerator
        self.denominator = denominator
        self.value = value
        self.target = target
        self.met = met
    }

    public static let columns = [
        "run_id", "scope", "dimension", "key", "measure", "numerator", "denominator", "value", "target", "met",
    ]

    func values(run: Int) -> [SQLValue] {
        [
            .integer(run), .text(scope), .text(dimension), .text(key), .text(measure), .integer(numerator),
            .integer(denominator), value.map(SQLValue.decimal) ?? .null, target.map(SQLValue.decimal) ?? .null,
            met.map(SQLValue.bool) ?? .null,
        ]
    }
}

/// A row of `rejects` (`rejects.csv`).
public struct RejectRow: Sendable, Hashable {
    public var file: String
    public var line: Int
    public var dossierID: String?
    public var field: String
    public var reason: String

    public init(file: String, line: Int, dossierID: String?, field: String, reason: String) {
        self.file = file
        self.line = line
        self.dossierID = dossierID
        self.field = field
        self.reason = reason
    }

    public static let columns = ["run_id", "file", "line", "dossier_id", "field", "reason"]

    func values(run: Int) -> [SQLValue] {
        [.integer(run), .text(file), .integer(line), .text(dossierID), .text(field), .text(reason)]
    }
}

extension FileReport {
    static let columns = [
        "run_id", "path", "source", "bytes", "sha256", "status", "export_time", "records", "rejected", "error", "line",
    ]

    func values(run: Int) -> [SQLValue] {
        [
            .integer(run), .text(path), .text(source), .integer(Int(bytes)), .text(sha256), .text(status.rawValue),
            .text(exportTime), .integer(records), .integer(rejected), .text(error), .integer(line),
        ]
    }
}
