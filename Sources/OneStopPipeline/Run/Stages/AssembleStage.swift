import OneStopAggregate
import OneStopEmit
import OneStopModel

/// The assemble stage: partial figures (one of a single run, or one per shard) → the run's
/// figures and scorecard. Counters add, procedure sets unite, lists concatenate and are sorted as
/// a single run sorts them, so every way of splitting a run gives the same report.
struct AssembleStage: Sendable {
    var configuration: PipelineConfiguration
    /// When freshness is judged (`--as-of`, default now).
    var asOf: Instant

    /// Assembles the partials, consuming their tallies (the counts of one run with many groups
    /// are held once, not thrice).
    func assemble(_ input: consuming [PartialFigures]) -> RunReport {
        var partials = input
        var counts: [FigureTally] = []
        for index in partials.indices {
            counts.append(partials[index].figures)
            partials[index].figures = FigureTally()
        }
        let figures = FigureTally.merged(consume counts)
        let settings = AssemblySettings(
            catalogue: configuration.catalogue, targets: configuration.targets,
            levelsWithSources: Set(configuration.sources.map(\.level)),
            minimumDossiersToRank: configuration.minimumDossiersToRank)
        let aggregation = figures.assembled(with: settings)

        var accounting = RunAccounting()
        for partial in partials {
            accounting.recordsRead += partial.accounting.recordsRead
            accounting.rejected += partial.rejects.count
            accounting.rejectedByReason.merge(partial.accounting.rejectedByReason, uniquingKeysWith: +)
            accounting.superseded += partial.accounting.superseded
            accounting.notAccepted += partial.accounting.notAccepted
            accounting.kept += partial.accounting.kept
            accounting.files += partial.accounting.files
        }
        accounting.files.sort { ($0.path, $0.source) < ($1.path, $1.source) }
        let rejects = partials.flatMap(\.rejects).sorted(by: Reject.ordered)

        var warnings = RunWarnings(
            noDueDate: aggregation.noDueDate, unknownProcedures: aggregation.unknownProcedures,
            missingAgency: aggregation.missingAgency,
            exportTimeFromModificationTime: partials.flatMap(\.exportTimeFromModificationTime).sorted(),
            emptyPeriod: aggregation.province.total == 0)
        if let register = configuration.agencies {
            // A source's name stands in for a missing agency (R16) and is warned about as such;
            // only codes read from exports are the register's business.
            let sourceNames = Set(configuration.sources.map(\.name))
            warnings.unregisteredAgencies = aggregation.agencyScorecards.map(\.agency).filter {
                register[$0] == nil && !sourceNames.contains($0)
            }
        }

        let tallies = Dictionary(partials.flatMap(\.sources).map { ($0.name, $0) }) { first, _ in first }
        let sources = configuration.sources.compactMap { source in
            tallies[source.name].map(report)
        }
        var assembled = RunReport(
            pipeline: configuration.name, period: partials.first?.period ?? configuration.period,
            timezone: configuration.clock.identifier, accounting: accounting, warnings: warnings,
            aggregation: aggregation, rejects: rejects, rules: configuration.rules, sources: sources,
            asOf: configuration.freshness.map { _ in configuration.clock.iso8601(asOf) },
            freshnessMaxAge: configuration.freshness?.maxAge,
            agencyNames: configuration.agencies?.names ?? [:], dossiers: dossierRows(partials))
        assembled.catalogue = configuration.catalogue
        assembled.minimumDossiersToRank = configuration.minimumDossiersToRank
        assembled.configurationFingerprint = partials.first?.fingerprint
        return assembled
    }

    /// A source's report: missing when its patterns matched nothing, stale when its newest export
    /// is older than `freshness.maxAge` at `asOf` (or unknown, every file having failed).
    func report(_ source: SourceTally) -> SourceReport {
        let status: SourceReport.Status
        if !source.selected {
            status = .notSelected
        } else if source.files == 0 {
            status = source.optional ? .optionalMissing : .missing
        } else if let freshness = configuration.freshness,
                  (source.newestExportTime.map { asOf.secondsSinceEpoch - $0.secondsSinceEpoch > freshness.maxAgeSeconds }
                      ?? true)
        {
            status = .stale
        } else {
            status = .ok
        }
        return SourceReport(
            name: source.name, level: source.level, patterns: source.patterns, files: source.files,
            failedFiles: source.failedFiles, records: source.records,
            newestExportTime: source.newestExportTime.map { configuration.clock.iso8601($0) }, status: status)
    }

    /// The dossier rows of all partials in (source, dossier id) order: a partial's rows are in
    /// that order and sources never cross partials, so whole sources are put in order.
    func dossierRows(_ partials: [PartialFigures]) -> DossierRows? {
        let carried = partials.compactMap(\.dossiers)
        guard !carried.isEmpty, carried.count == partials.count else { return nil }
        if partials.count == 1 { return carried[0] }
        let sections = partials.flatMap(\.dossierSections).sorted { $0.source < $1.source }
        return DossierRows(count: carried.reduce(0) { $0 + $1.count }) { visit throws(EmitError) in
            for section in sections { try section.forEach(visit) }
        }
    }
}
