import OneStopModel
import OneStopReport

/// What the command line may override for one run (docs/contract.md §2.3: period, inputs, output directory).
public struct RunOptions: Sendable {
    public var from: LocalDate?
    public var to: LocalDate?
    public var outputDirectory: String?
    /// Export files or folders replacing the sources' patterns.
    public var inputs: [String]
    /// Parallel workers for parsing and aggregation.
    public var jobs: Int
    /// Stop at the first file that cannot be read to its end.
    public var strict: Bool
    /// UTF-8 BOM and CRLF in every CSV (nil: the pipeline's `output.excel`).
    public var excel: Bool?
    /// Write `monthly.csv` (nil: the pipeline's `output.monthly`).
    public var monthly: Bool?
    /// Write the Excel workbook `onestop.xlsx` (nil: the pipeline's `output.xlsx`).
    public var xlsx: Bool?
    /// The language of `report.html` and the workbook's labels (nil: the pipeline's `output.language`).
    public var language: ReportLanguage?
    /// Show progress on standard error.
    public var showProgress: Bool
    /// Write `dossiers.csv` (nil: the pipeline's `output.dossiers`).
    public var dossiers: Bool?
    /// Compute only the partial figures of shard `index` of `count` (from 1) and write them to
    /// `partialPath` instead of an output set.
    public var shard: (index: Int, count: Int)?
    public var partialPath: String?
    /// When freshness is judged (`--as-of`); nil: now.
    public var asOf: Instant?
    /// `--history`, `--sink`, `--compare`: the run history and database sinks.
    public var databases = DatabaseOptions()
    /// With more than one job, a plain file of at least this size is read in pieces of about
    /// `splitPieceBytes` by several workers at once (`ExportReader.split`). Tests lower both.
    var splitMinimumBytes: Int64 = 256 << 20
    var splitPieceBytes: Int64 = 64 << 20

    public init(
        from: LocalDate? = nil, to: LocalDate? = nil, outputDirectory: String? = nil, inputs: [String] = [],
        jobs: Int = 1, strict: Bool = false, excel: Bool? = nil, monthly: Bool? = nil, showProgress: Bool = false,
        xlsx: Bool? = nil, language: ReportLanguage? = nil, dossiers: Bool? = nil,
        shard: (index: Int, count: Int)? = nil, partialPath: String? = nil, asOf: Instant? = nil
    ) {
        self.dossiers = dossiers
        self.shard = shard
        self.partialPath = partialPath
        self.asOf = asOf
        self.from = from
        self.to = to
        self.outputDirectory = outputDirectory
        self.inputs = inputs
        self.jobs = jobs
        self.strict = strict
        self.excel = excel
        self.monthly = monthly
        self.showProgress = showProgress
        self.xlsx = xlsx
        self.language = language
    }
}

extension RunOptions {
    /// The pipeline's period with `--from` and `--to` applied.
    func period(default period: Period) throws(RunError) -> Period {
        var period = period
        if let from { period.from = from }
        if let to { period.to = to }
        guard period.from <= period.to else {
            throw .usage("the period starts (\(period.from)) after it ends (\(period.to))")
        }
        return period
    }
}
