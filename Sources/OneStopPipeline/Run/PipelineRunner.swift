import Foundation
import Logging
import OneStopAggregate
import OneStopEmit
import OneStopIngest
import OneStopModel
import OneStopNormalise
import OneStopReport

/// The outcome of a run that published its output set (or, for a shard, wrote its partial).
public struct RunResult: Sendable {
    public var report: RunReport
    /// Where the output set was published; nil for a shard, which writes only its partial.
    public var outputDirectory: String?
    /// 0, or 65 when a file failed, a source is missing or stale, or the reject rate passed
    /// `maxRejectRate`.
    public var exitStatus: ExitStatus
    /// Why the exit status is not 0, one line each.
    public var problems: [String]
    /// For a shard: the partial file written and the sources it read.
    public var partial: (path: String, sources: [String])?
}

/// Runs a pipeline as a composition of stages (`docs/design.md`):
///
/// ```
/// [InputFile] ─read─► ReadOutcome ─account─► AccountedRun ─partial─► PartialFigures
///   ─assemble─► RunReport ─render─► [OutputFile] ─sink─► output directory
/// ```
///
/// A shard (`RunOptions.shard`) stops after the partial stage and writes the partial instead;
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
        let period = try options.period(default: configuration.period)
        let resolved = try InputResolver.resolve(sources: configuration.sources, overrides: options.inputs)
        guard !resolved.isEmpty else {
            let patterns = configuration.sources.flatMap(\.writtenPatterns).joined(separator: ", ")
            throw .noInput("no input files: no file matches \(patterns)")
        }
        let (shard, covered) = try select(resolved)
        let inputs = resolved.filter { covered.contains($0.source) }

        // The output directory's lock, held from here to the publish: a second run on the same
        // directory is refused now, before it reads anything, rather than after its work.
        let sink = shard == nil ? try DirectorySink(directory: outputDirectory) : nil
        defer { sink?.release() }
        let databases = try sink.map { _ throws(RunError) in try databaseStage() }
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
            configuration: configuration, period: period, jobs: options.jobs, sources: covered, shard: shard,
            inputsFromCommandLine: !options.inputs.isEmpty)
        let partial = partialStage.partial(accounted, inputs: inputs, newestExportTime: outcome.newestExportTime)
        var report = AssembleStage(configuration: configuration, asOf: options.asOf ?? Instant.now).assemble([partial])
        try Self.checkIdentity(report)
        report.comparison = databases?.comparison(for: report)

        if let shard, let path = options.partialPath {
            do {
                try partial.write(to: path)
            } catch {
                throw .output("\(error)")
            }
            // The merge judges the whole run (failed files, missing sources, reject rate) and
            // exits accordingly; a shard's own problems are shown, the shard succeeded.
            // The reject rate is the whole run's, so a shard does not judge it.
            for problem in report.problems {
                if case .rejectRate = problem { continue }
                logger.warning("shard \(shard.index)/\(shard.count): \(problem)")
            }
            return RunResult(
                report: report, outputDirectory: nil, exitStatus: .ok, problems: [],
                partial: (path, covered.map { configuration.sources[$0].name }))
        }
        let files = try Self.render(report, options: renderOptions)
        try sink!.publish(files)
        return databases!.keep(report, result: Self.result(report, outputDirectory: sink!.directory))
    }

    /// The run history and database sinks of a run publishing into `outputDirectory`.
    func databaseStage() throws(RunError) -> DatabaseStage {
        try DatabaseStage(configuration: configuration, options: options, outputDirectory: outputDirectory, logger: logger)
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
    /// gives shard `options.shard`.
    private func select(_ inputs: [InputFile]) throws(RunError) -> (Shard?, [Int]) {
        guard let (index, count) = options.shard else { return (nil, Array(configuration.sources.indices)) }
        guard options.partialPath != nil else { throw .usage("--shard needs --partial FILE: where the shard's figures go") }
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
