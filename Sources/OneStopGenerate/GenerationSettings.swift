import OneStopModel

/// What to generate (`onestop generate`): how many records, from how many systems, over how
/// many nightly exports, and how often each dossier is re-exported.
public struct GenerationSettings: Sendable {
    /// Records written in all, over every file (each version of a dossier is one record).
    public var records: Int
    /// One-stop-shop systems (`src01`, `src02`, …); every fourth is the provincial centre,
    /// the others district desks.
    public var sources: Int
    /// Everything random derives from it: equal settings give byte-identical files.
    public var seed: UInt64
    /// The dialect every file is written in.
    public var dialect: Dialect
    /// Write `.xml.gz` instead of `.xml`.
    public var gzip: Bool
    /// Export files per source, spread evenly from the start of the year to ten days after its end.
    public var nights: Int
    /// Distinct dossiers over all sources; `records / dossiers` is how often, on average, a
    /// dossier appears (its first export, its last state, and re-exports between).
    public var dossiers: Int
    /// The reporting year: dossiers are received from mid-November before it to its end.
    public var year: Int
    /// Share of records written with an unparseable received date (rejected by `onestop run`).
    public var badRecordRate: Double
    /// Files written at once.
    public var jobs: Int
    /// The time zone the generated pipeline names (exports carry local times without an offset).
    public var timezone: String

    public init(
        records: Int, sources: Int, seed: UInt64, dialect: Dialect, gzip: Bool = false, nights: Int = 8,
        dossiers: Int? = nil, year: Int = 2022, badRecordRate: Double = 0.0005, jobs: Int = 1,
        timezone: String = "Asia/Ho_Chi_Minh"
    ) {
        self.records = records
        self.sources = sources
        self.seed = seed
        self.dialect = dialect
        self.gzip = gzip
        self.nights = nights
        self.dossiers = dossiers ?? max(1, records / 3)
        self.year = year
        self.badRecordRate = badRecordRate
        self.jobs = jobs
        self.timezone = timezone
    }

    /// The most systems one set may have: 63 provinces × 4 is 252, and a merge of 1,000 shards
    /// needs 1,000 sources.
    public static let maximumSources = 10_000

    /// Checks the numbers against each other.
    public func validate() throws(GenerationError) {
        guard records >= 1 else { throw .invalidOptions("--records must be at least 1") }
        guard (1...GenerationSettings.maximumSources).contains(sources) else {
            throw .invalidOptions("--sources must be between 1 and \(GenerationSettings.maximumSources)")
        }
        guard (1...10_000).contains(nights) else { throw .invalidOptions("--nights must be between 1 and 10000") }
        guard dossiers >= sources else { throw .invalidOptions("at least one dossier per source: --dossiers ≥ --sources") }
        guard dossiers <= records else {
            throw .invalidOptions("every dossier is written at least once: --dossiers (\(dossiers)) ≤ --records (\(records))")
        }
        guard records <= dossiers * nights else {
            throw .invalidOptions(
                "a dossier appears at most once per night: --records (\(records)) ≤ --dossiers × --nights (\(dossiers * nights))")
        }
        guard (1990...2200).contains(year) else { throw .invalidOptions("--year must be between 1990 and 2200") }
        guard (0...1).contains(badRecordRate) else { throw .invalidOptions("--bad-rate must be between 0 and 1") }
        guard jobs >= 1 else { throw .invalidOptions("--jobs must be at least 1") }
    }
}
