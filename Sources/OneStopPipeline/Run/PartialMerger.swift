import Foundation
import Logging
import OneStopEmit
import OneStopModel
import OneStopReport

/// `onestop merge`: the partial figures of a run's shards → the output set a single run over the
/// same inputs publishes, byte for byte. Partials that do not belong together are refused before
/// anything is written: another format version or a damaged file (exit 65), another
/// configuration (exit 78), a shard given twice or missing (exit 65).
public struct PartialMerger: Sendable {
    public var configuration: PipelineConfiguration
    public var partialPaths: [String]
    public var options: RunOptions
    public var logger: Logger

    public init(configuration: PipelineConfiguration, partialPaths: [String], options: RunOptions, logger: Logger) {
        self.configuration = configuration
        self.partialPaths = partialPaths
        self.options = options
        self.logger = logger
    }

    public func merge() throws(RunError) -> RunResult {
        guard !partialPaths.isEmpty else { throw .usage("merge needs at least one partial figures file") }
        var headers: [PartialHeader] = []
        headers.reserveCapacity(partialPaths.count)
        for path in partialPaths {
            do {
                var header = try PartialFigures.readHeader(path: path)
                // Every shard carries the whole assignment: equal ones share the first's storage,
                // or 1,000 shards of 1,000 sources would hold a million entries.
                if let first = headers.first?.shard, header.shard?.assignment == first.assignment {
                    header.shard?.assignment = first.assignment
                }
                headers.append(header)
            } catch {
                throw .partial("\(error)")
            }
        }
        try check(headers)
        let runner = PipelineRunner(configuration: configuration, options: options, logger: logger)
        let renderOptions = runner.renderOptions
        if renderOptions.output.dossiers, let bare = zip(partialPaths, headers).first(where: { $0.1.dossierRows == nil }) {
            throw .usage(
                "\(bare.0) carries no dossier rows, so dossiers.csv cannot be written; compute the shards with --dossiers, or merge without it")
        }
        let sink = try DirectorySink(directory: runner.outputDirectory)
        defer { sink.release() }
        let databases = try runner.databaseStage()
        let partials = try zip(partialPaths, headers).map { path, header throws(RunError) in
            do {
                var partial = try PartialFigures.read(path: path, header: header)
                if !renderOptions.output.dossiers { partial.dossiers = nil }
                return partial
            } catch {
                throw .partial("\(error)")
            }
        }
        logger.info("merging \(partials.count) partials of \(configuration.sources.count) sources")
        var report = AssembleStage(configuration: configuration, asOf: options.asOf ?? Instant.now).assemble(partials)
        try PipelineRunner.checkIdentity(report)
        report.comparison = databases.comparison(for: report)
        try sink.publish(PipelineRunner.render(report, options: renderOptions))
        PipelineRunner.logWarnings(report, logger: logger)
        return databases.keep(report, result: PipelineRunner.result(report, outputDirectory: sink.directory))
    }

    /// The partials are of this configuration and period, of one split, each shard once.
    func check(_ headers: [PartialHeader]) throws(RunError) {
        let first = headers[0]
        for (path, header) in zip(partialPaths, headers) {
            guard header.period == first.period else {
                throw .mismatch(
                    "\(path) covers \(header.period.from)…\(header.period.to) but \(partialPaths[0]) covers "
                        + "\(first.period.from)…\(first.period.to); merge the shards of one run")
            }
            guard header.fingerprint == configuration.fingerprint(period: header.period) else {
                throw .mismatch(
                    "\(path) was computed with another configuration than \(configuration.file) (its pipeline, "
                        + "catalogue, dialects, agency register, rules or targets differ); compute it again with this pipeline")
            }
        }
        let shards = headers.map(\.shard)
        if shards.contains(where: { $0 == nil }) {
            guard headers.count == 1 else {
                throw .incomplete(
                    "\(partialPaths[shards.firstIndex { $0 == nil }!]) holds a whole run, not a shard; "
                        + "merge it alone or merge the shards of one split")
            }
            return
        }
        let split = shards.map { $0! }
        for (path, shard) in zip(partialPaths, split) where shard.count != split[0].count || shard.assignment != split[0].assignment {
            throw .incomplete(
                "\(path) is shard \(shard.index)/\(shard.count) of another split than \(partialPaths[0]) "
                    + "(shard \(split[0].index)/\(split[0].count)); the inputs changed between the shards' runs, "
                    + "or they are of different runs: compute every shard again")
        }
        var seen: [Int: String] = [:]
        for (path, shard) in zip(partialPaths, split) {
            if let earlier = seen[shard.index] {
                throw .incomplete("shard \(shard.index)/\(shard.count) is given twice: \(earlier) and \(path)")
            }
            seen[shard.index] = path
        }
        let missing = (1...split[0].count).filter { seen[$0] == nil }
        guard missing.isEmpty else {
            throw .incomplete(
                "shard(s) \(missing.map { "\($0)/\(split[0].count)" }.joined(separator: ", ")) missing: "
                    + "merge needs every shard of the split, or its figures would lack their sources")
        }
        let configured = Set(configuration.sources.map(\.name))
        guard Set(split[0].assignment.keys) == configured else {
            throw .mismatch("the shards' sources differ from \(configuration.file)'s; compute them again with this pipeline")
        }
    }
}
