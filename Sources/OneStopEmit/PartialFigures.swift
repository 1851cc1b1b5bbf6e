import OneStopAggregate
import OneStopModel

/// Everything the assemble stage needs from a run over some of a pipeline's sources — figures
/// tallied by code and name, accounting, file reports, rejects, warnings, what each source
/// contributed and, when asked, the dossiers' rows — keyed by strings only, so partials computed
/// anywhere (one per shard of a run) merge exactly into the figures of a single run.
///
/// File paths are as outputs show them: relative to the common folder of all the pipeline's
/// inputs, which every shard resolves alike. On disk a partial is the versioned format
/// `PartialFigures.write(to:)` documents.
public struct PartialFigures: Sendable {
    /// A hash of everything that decides the figures (pipeline, period, rules, targets,
    /// catalogue, dialects, agency register): partials merge only when theirs are equal.
    public var fingerprint: String
    public var pipeline: String
    public var period: Period
    /// Which shard this is, when the run was split.
    public var shard: Shard?
    /// What each of this partial's sources contributed, in the pipeline's order.
    public var sources: [SourceTally]
    public var figures: FigureTally
    /// Records read, rejected by reason, superseded, not accepted, kept, and every file's report.
    public var accounting: RunAccounting
    public var rejects: [Reject]
    /// The files whose versions were ordered by modification time (R6).
    public var exportTimeFromModificationTime: [String]
    /// The kept dossiers' rows of `dossiers.csv`, sorted by (source, dossier id), when asked.
    public var dossiers: DossierRows?
    /// For a partial read from a file: where each source's dossier rows are in it.
    public var dossierSections: [DossierSection] = []

    public init(
        fingerprint: String, pipeline: String, period: Period, shard: Shard? = nil, sources: [SourceTally],
        figures: FigureTally, accounting: RunAccounting, rejects: [Reject], exportTimeFromModificationTime: [String],
        dossiers: DossierRows? = nil
    ) {
        self.fingerprint = fingerprint
        self.pipeline = pipeline
        self.period = period
        self.shard = shard
        self.sources = sources
        self.figures = figures
        self.accounting = accounting
        self.rejects = rejects
        self.exportTimeFromModificationTime = exportTimeFromModificationTime
        self.dossiers = dossiers
    }
}

/// A shard of a run: `index` of `count` (from 1), and the whole assignment of sources to shards
/// every shard computed, so a merge can tell that the shards agree and cover every source once.
public struct Shard: Sendable, Hashable {
    public var index: Int
    public var count: Int
    /// Source name → the shard (1…count) that reads it.
    public var assignment: [String: Int]

    public init(index: Int, count: Int, assignment: [String: Int]) {
        self.index = index
        self.count = count
        self.assignment = assignment
    }
}

/// What one source contributed to a run: the raw facts its `SourceReport` is judged from.
public struct SourceTally: Sendable, Hashable {
    public var name: String
    public var level: Level
    /// The glob patterns as the pipeline writes them.
    public var patterns: [String]
    public var optional: Bool
    public var files: Int
    public var failedFiles: Int
    public var records: Int
    /// The newest export time among its files read to their end.
    public var newestExportTime: Instant?
    /// False when the run's inputs were named on the command line and none was this source's:
    /// the source was left out on purpose, so having no file is not an error.
    public var selected: Bool

    public init(
        name: String, level: Level, patterns: [String], optional: Bool, files: Int, failedFiles: Int, records: Int,
        newestExportTime: Instant?, selected: Bool = true
    ) {
        self.selected = selected
        self.name = name
        self.level = level
        self.patterns = patterns
        self.optional = optional
        self.files = files
        self.failedFiles = failedFiles
        self.records = records
        self.newestExportTime = newestExportTime
    }
}
