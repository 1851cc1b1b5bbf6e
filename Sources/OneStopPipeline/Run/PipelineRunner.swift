import Foundation
import Logging
import OneStopAggregate
import OneStopEmit
import OneStopIngest
import OneStopModel
import OneStopNormalise
import OneStopReport

/// The outcome of a run that published its output set.
public struct RunResult: Sendable {
    public var report: RunReport
    /// Where the output set was published.
    public var outputDirectory: String
    /// 0, or 65 when a file failed, a source is missing or stale, or the reject rate passed
    /// `maxRejectRate`.
    public var exitStatus: ExitStatus
    /// Why the exit status is not 0, one line each.
    public var problems: [String]
}

/// What a shard run wrote.
public struct ShardOutcome: Sendable {
    /// The partial figures file.
    public var path: String
    /// The sources the shard read, in the pipeline's order.
    public var sources: [String]
}

/// Runs a pipeline as a composition of stages (`docs/design.md`):
///
/// ```
/// [InputFile] ─read─► ReadOutcome ─account─► AccountedRun ─partial─► PartialFigures
///   ─assemble─► RunReport ─render─► [OutputFile] ─sink─► output directory
/// ```
///
/// A shard (`runShard()`) stops after the partial stage and writes the partial instead;
/// `PartialMerger` assembles shards' partials with the same later stages.
public struct PipelineRunner: Sendable {
    public var configuration: PipelineConfiguration
    public var options: RunOptions
    public var logger: Logger

    public init(configuration: PipelineConfiguration, options: RunOptions, logger: Logger) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
    }

    public func run() throws(RunError) -> RunResult {
        guard options.shard == nil else { throw .usage("a shard is computed by runShard(), not run()") }
        let (period, inputs) = try resolve()
        // The output directory's lock, held from here to the publish: a second run on the same
        // directory is refused now, before it reads anything, rather than after its work.
        let sink = try DirectorySink(directory: outputDirectory)
        defer { sink.release() }
        let databases = try databaseStage()
        var report = AssembleStage(configuration: configuration, asOf: options.asOf ?? Instant.now)
            .assemble([try partialFigures(period: period, inputs: inputs, shard: nil)])
        try Self.checkIdentity(report)
        report.comparison = databases.comparison(for: report)
        try sink.publish(try Self.render(report, options: renderOptions))
        Self.logWarnings(report, logger: logger)
        return databases.keep(report, result: Self.result(report, outputDirectory: sink.directory))
    }

    /// The run history and database sinks of a run publishing into `outputDirectory`.
    func databaseStage() throws(RunError) -> DatabaseStage {
        try DatabaseStage(configuration: configuration, options: options, outputDirectory: outputDirectory, logger: logger)
    }

    /// Computes shard `options.shard` and writes its partial figures to `options.partialPath`.
    /// The merge judges the whole run and exits accordingly; the shard succeeds once its partial
    /// is written, and shows what it saw of its own sources (failed files, missing sources).
    public func runShard() throws(RunError) -> ShardOutcome {
        guard let (index, count) = options.shard, let path = options.partialPath else {
            throw .usage("--shard I/N and --partial FILE go together")
        }
        let (period, inputs) = try resolve()
        let partial = try partialFigures(period: period, inputs: inputs, shard: (index, count))
        do {
            try partial.write(to: path)
        } catch {
            throw .output("\(error)")
        }
        for source in partial.sources where source.selected && source.files == 0 && !source.optional {
            logger.warning("shard \(index)/\(count): source '\(source.name)' matched no file; the merge will exit 65")
        }
        return ShardOutcome(path: path, sources: partial.sources.map(\.name))
    }

    /// The period and every input of the pipeline (all sources', whatever the shard: they fix
    /// the common folder outputs name files from).
    private func resolve() throws(RunError) -> (Period, [InputFile]) {
        let period = try options.period(default: configuration.period)
        let resolved = try InputResolver.resolve(
            sources: configuration.sources, overrides: options.inputs, pipelineFile: configuration.file, logger: logger)
        guard !resolved.isEmpty else {
            let patterns = configuration.sources.flatMap(\.writtenPatterns).joined(separator: ", ")
            throw .noInput("no input files: no file matches \(patterns)")
        }
        return (period, resolved)
    }

    /// The read, account and partial stages over the sources this run covers.
    private func partialFigures(
        period: Period, inputs resolved: [InputFile], shard: (index: Int, count: Int)?
    ) throws(RunError) -> PartialFigures {
        let (assignment, covered) = select(resolved, shard: shard)
        let inputs = resolved.filter { covered.contains($0.source) }
        logger.info("reading \(inputs.count) files from \(covered.count) sources")

        let progress = RunProgress(totalFiles: inputs.count, draws: options.showProgress)
        let outcome = ReadStage(processors: try makeProcessors(), options: options).read(inputs, progress: progress)
        progress.finish()
        if options.strict, let failed = outcome.reports.first(where: { $0.status == .failed }) {
            throw .strictFailure(path: failed.path, message: failed.error ?? "failed")
        }
        for report in outcome.reports.sorted(by: { $0.path < $1.path }) where report.status == .failed {
            logger.error("\(report.path): \(report.error ?? "failed"); the file is not counted")
        }
        let accounted = try AccountStage.account(outcome)
        let partialStage = PartialStage(
            configuration: configuration, period: period, jobs: options.jobs, sources: covered, shard: assignment,
            inputsFromCommandLine: !options.inputs.isEmpty, dossiers: renderOptions.output.dossiers)
        return partialStage.partial(accounted, inputs: inputs, newestExportTime: outcome.newestExportTime)
    }

    /// The output directory: `--out`, else the pipeline's; links resolved, since publishing swaps
    /// the real directory, never a link to it.
    var outputDirectory: String {
        InputResolver.standardised(options.outputDirectory ?? configuration.output.directory)
    }

    /// What to render, from the options and the pipeline's `output:`.
    var renderOptions: RenderOptions {
        let monthly = options.monthly ?? configuration.output.monthly
        return RenderOptions(
            output: OutputOptions(
                excel: options.excel ?? configuration.output.excel, monthly: monthly,
                dossiers: options.dossiers ?? configuration.output.dossiers),
            report: ReportOptions(
                workbook: options.xlsx ?? configuration.output.xlsx, monthly: monthly,
                language: options.language ?? configuration.output.language, pipelineName: configuration.name))
    }

    /// The shard this run is and the sources it covers: every source, or those the assignment
    /// gives shard `shard.index`.
    private func select(_ inputs: [InputFile], shard: (index: Int, count: Int)?) -> (Shard?, [Int]) {
        guard let (index, count) = shard else { return (nil, Array(configuration.sources.indices)) }
        var bytes = [Int64](repeating: 0, count: configuration.sources.count)
        for input in inputs { bytes[input.source] += fileSize(input.path) }
        let assignment = ShardAssignment.assign(
            configuration.sources.indices.map { (configuration.sources[$0].name, bytes[$0]) }, shards: count)
        let covered = configuration.sources.indices.filter { assignment[configuration.sources[$0].name] == index }
        return (Shard(index: index, count: count, assignment: assignment), covered)
    }

    private func makeProcessors() throws(RunError) -> [FileProcessor] {
        var processors: [FileProcessor] = []
        for source in configuration.sources {
            do {
                let normaliser = try RecordNormaliser(dialect: source.dialect, clock: configuration.clock)
                processors.append(FileProcessor(source: source, reader: ExportReader(dialect: source.dialect),
                                                normaliser: normaliser))
            } catch {
                throw .configuration(ConfigurationError(file: configuration.file, line: nil,
                                                        message: "source \(source.name): \(error)"))
            }
        }
        return processors
    }

    /// The identity total = resolved + in progress holds on every row, or the run stops (R7's twin).
    static func checkIdentity(_ report: RunReport) throws(RunError) {
        guard report.aggregation.identityFailures.isEmpty else {
            throw .internalInconsistency(
                "progress identity failed for \(report.aggregation.identityFailures.joined(separator: ", "))")
        }
    }

    /// The render stage.
    static func render(_ report: RunReport, options: RenderOptions) throws(RunError) -> [OutputFile] {
        do {
            return try OutputRenderers.render(report, options: options)
        } catch {
            throw .output("\(error)")
        }
    }

    /// Warnings a reader should see now, besides `summary.json`: an empty period, agencies the
    /// register lacks.
    static func logWarnings(_ report: RunReport, logger: Logger) {
        if report.warnings.emptyPeriod {
            logger.warning(
                "no dossier is in scope of \(report.period.from) … \(report.period.to): every figure is 0; check the period and the inputs")
        }
        let unregistered = report.warnings.unregisteredAgencies
        if !unregistered.isEmpty {
            let listed = unregistered.prefix(20).joined(separator: ", ") + (unregistered.count > 20 ? ", …" : "")
            logger.warning("\(unregistered.count) agency code(s) are not in the agency register: \(listed)")
        }
    }

    /// The result of a published report: its exit status follows from its problems.
    static func result(_ report: RunReport, outputDirectory: String) -> RunResult {
        let problems = report.problems.map(\.description)
        return RunResult(
            report: report, outputDirectory: outputDirectory, exitStatus: problems.isEmpty ? .ok : .dataError,
            problems: problems)
    }
}

extension RunResult {
    /// The scorecard as a plain-text table, for standard output.
    public var scorecardTable: String { renderScorecardTable(report.aggregation.scorecard, comparison: report.comparison) }
}

extension Instant {
    /// The current time, to the second.
    static var now: Instant { Instant(secondsSinceEpoch: Int64(Date().timeIntervalSince1970)) }
}
