import OneStopModel
import OneStopReport

/// One source of a pipeline: a one-stop-shop system, its level, its dialect and its export files.
public struct SourceConfiguration: Sendable {
    public var name: String
    public var level: Level
    public var dialect: Dialect
    /// Glob patterns, absolute (resolved against the pipeline file's folder).
    public var patterns: [String]

    public init(name: String, level: Level, dialect: Dialect, patterns: [String]) {
        self.name = name
        self.level = level
        self.dialect = dialect
        self.patterns = patterns
    }
}

/// Where and how a run writes its output set.
public struct OutputConfiguration: Sendable {
    public var directory: String
    public var monthly: Bool
    public var excel: Bool
    /// Also write the Excel workbook `onestop.xlsx`.
    public var xlsx: Bool
    /// The language of `report.html` and the workbook's labels.
    public var language: ReportLanguage

    public init(
        directory: String, monthly: Bool = false, excel: Bool = false, xlsx: Bool = false, language: ReportLanguage = .vi
    ) {
        self.directory = directory
        self.monthly = monthly
        self.excel = excel
        self.xlsx = xlsx
        self.language = language
    }
}

/// A loaded and checked pipeline file (SPEC §2.3).
public struct PipelineConfiguration: Sendable {
    public var name: String
    /// The pipeline file itself.
    public var file: String
    public var period: Period
    public var clock: LocalClock
    public var catalogue: Catalogue
    public var catalogueFile: String
    public var sources: [SourceConfiguration]
    public var targets: Targets
    public var rules: Rules
    public var output: OutputConfiguration

    public init(
        name: String, file: String, period: Period, clock: LocalClock, catalogue: Catalogue, catalogueFile: String,
        sources: [SourceConfiguration], targets: Targets, rules: Rules, output: OutputConfiguration
    ) {
        self.name = name
        self.file = file
        self.period = period
        self.clock = clock
        self.catalogue = catalogue
        self.catalogueFile = catalogueFile
        self.sources = sources
        self.targets = targets
        self.rules = rules
        self.output = output
    }
}
