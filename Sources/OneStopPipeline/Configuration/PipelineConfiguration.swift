import OneStopNormalise
import OneStopModel
import OneStopReport

/// One source of a pipeline: a one-stop-shop system, its level, its dialect and its export files.
public struct SourceConfiguration: Sendable {
    public var name: String
    public var level: Level
    public var dialect: Dialect
    /// Glob patterns, absolute (resolved against the pipeline file's folder).
    public var patterns: [String]
    /// The patterns as the pipeline writes them, for messages.
    public var writtenPatterns: [String]
    /// A source whose patterns match no file is not an error (`optional: true`).
    public var optional: Bool

    public init(
        name: String, level: Level, dialect: Dialect, patterns: [String], writtenPatterns: [String]? = nil,
        optional: Bool = false
    ) {
        self.name = name
        self.level = level
        self.dialect = dialect
        self.patterns = patterns
        self.writtenPatterns = writtenPatterns ?? patterns
        self.optional = optional
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
    /// Also write `dossiers.csv`, one row per kept dossier.
    public var dossiers: Bool
    /// Where every published run's figures are kept (`output.history`).
    public var history: HistoryLocation = .besideOutput
    /// Send every published run to PostgreSQL, with the URL in this environment variable
    /// (`output.sinks.postgres`); nil: only with `--sink postgres`.
    public var postgresURL: DatabaseURLVariable?

    public init(
        directory: String, monthly: Bool = false, excel: Bool = false, xlsx: Bool = false, language: ReportLanguage = .vi,
        dossiers: Bool = false
    ) {
        self.directory = directory
        self.monthly = monthly
        self.excel = excel
        self.xlsx = xlsx
        self.language = language
        self.dossiers = dossiers
    }
}

/// A loaded and checked pipeline file (docs/contract.md §2.3).
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
    /// The agency register, when the pipeline names one (`agencies:`).
    public var agencies: AgencyRegister?
    /// How old a source's newest export may be (`freshness:`).
    public var freshness: Freshness?
    /// Below this many dossiers an agency's scorecard line is listed, not ranked (`report.minDossiers`).
    public var minimumDossiersToRank = 10
    /// Everything that decides the figures except the period (see `fingerprint(period:)`).
    public var fingerprintBase = ConfigurationFingerprint()

    /// The configuration's fingerprint for a period: partial figures merge only when theirs are
    /// equal (same pipeline name, time zone, rules, targets, catalogue, agency register, dialect
    /// files, sources and their patterns, freshness, ranking minimum, period).
    public func fingerprint(period: Period) -> String {
        var fingerprint = fingerprintBase
        fingerprint.add("period", [period.from.description, period.to.description])
        return fingerprint.digest
    }

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

/// How old a source's newest export may be before the run calls it stale (`freshness.maxAge`).
public struct Freshness: Sendable, Hashable {
    /// As written, e.g. `36h`.
    public var maxAge: String
    public var maxAgeSeconds: Int64

    public init(maxAge: String, maxAgeSeconds: Int64) {
        self.maxAge = maxAge
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Seconds of a duration written as a whole number and a unit: `90m`, `36h`, `2d`, `1w`.
    public static func seconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingWhitespace()
        guard let unit = trimmed.last, let number = Int64(trimmed.dropLast()), number > 0 else { return nil }
        let scale: Int64
        switch unit {
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        case "w": scale = 604_800
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}

extension LocalClock {
    /// A date and time as the command line takes it (`--as-of`): ISO 8601 with or without an
    /// offset (`2023-01-20T08:00`, `2023-01-20T08:00:00+07:00`), or `YYYY-MM-DD HH:MM[:SS]`;
    /// without an offset, in this zone. Nil when it does not read.
    public func instant(commandLine text: String) -> Instant? {
        let patterns = ["iso8601", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm"]
            .compactMap { try? DatePattern($0) }
        return DateParser(patterns: patterns, clock: self).instant(from: text.trimmingWhitespace())
    }
}
