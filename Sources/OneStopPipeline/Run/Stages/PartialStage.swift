import OneStopAggregate
import OneStopEmit
import OneStopModel

/// The partial stage: the accounted run → partial figures keyed by codes and names, which a
/// single run assembles at once and a shard writes for `onestop merge`.
struct PartialStage: Sendable {
    var configuration: PipelineConfiguration
    var period: Period
    var jobs: Int
    /// The indexes of the sources this run covers (all of them unless it is a shard).
    var sources: [Int]
    var shard: Shard?
    /// Whether the inputs were named on the command line (a source given none is then not selected).
    var inputsFromCommandLine: Bool
    /// Whether the partial carries the rows of `dossiers.csv`.
    var dossiers: Bool

    var aggregationSettings: AggregationSettings {
        AggregationSettings(
            period: period, clock: configuration.clock, rules: configuration.rules, targets: configuration.targets,
            catalogue: configuration.catalogue,
            sources: configuration.sources.map { Source(name: $0.name, level: $0.level) }, jobs: max(1, jobs),
            minimumDossiersToRank: configuration.minimumDossiersToRank)
    }

    func partial(_ run: AccountedRun, inputs: [InputFile], newestExportTime: [Int: Instant]) -> PartialFigures {
        let figures = tally(run.winners, settings: aggregationSettings)
        let tallies = sources.map { index in
            let source = configuration.sources[index]
            let reports = run.accounting.files.filter { $0.source == source.name }
            let files = inputs.count { $0.source == index }
            return SourceTally(
                name: source.name, level: source.level, patterns: source.writtenPatterns, optional: source.optional,
                files: files, failedFiles: reports.count { $0.status == .failed },
                records: reports.reduce(0) { $0 + $1.records }, newestExportTime: newestExportTime[index],
                selected: !inputsFromCommandLine || files > 0)
        }
        var partial = PartialFigures(
            fingerprint: configuration.fingerprint(period: period), pipeline: configuration.name, period: period,
            shard: shard, sources: tallies, figures: figures, accounting: run.accounting, rejects: run.rejects,
            exportTimeFromModificationTime: run.exportTimeFromModificationTime)
        if dossiers {
            let rows = DossierRowSource(table: run.winners, settings: aggregationSettings)
            partial.dossiers = DossierRows(count: rows.count) { visit throws(EmitError) in try rows.forEach(visit) }
        }
        return partial
    }
}
