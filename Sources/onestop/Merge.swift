import ArgumentParser
import Foundation
import Logging
import OneStopModel
import OneStopPipeline
import OneStopReport

extension OneStop {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assemble the partial figures of a run's shards into its output set.",
            discussion: """
                Each shard is computed by `onestop run PIPELINE --shard I/N --partial FILE`. The output set is \
                byte-identical to a single `onestop run` over the same inputs. Refused, with nothing written: \
                a partial of another format version or a damaged one (exit 65), of another configuration \
                (exit 78), a shard given twice or missing (exit 65).
                """)

        @Argument(help: "The pipeline file (YAML) the shards were computed with.")
        var pipeline: String

        @Argument(help: "The shards' partial figures files, one per shard, in any order.")
        var partials: [String] = []

        @Option(help: "Output directory; overrides the pipeline's output.directory.")
        var out: String?

        @Flag(help: "No scorecard; only errors on standard error (for cron).")
        var quiet = false

        @OptionGroup
        var outputs: OutputFlags

        @OptionGroup(title: "Run history and databases")
        var database: DatabaseFlags

        @Option(help: "Parallel workers (assembling is quick; kept for symmetry with run).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard !partials.isEmpty else { throw ValidationError("name at least one partial figures file") }
        }

        func run() throws {
            let session = try CommandSession(pipeline: pipeline, jobs: jobs, quiet: quiet, asOf: outputs.asOf)
            var options = RunOptions(outputDirectory: out, jobs: jobs)
            outputs.apply(to: &options, asOf: session.asOf)
            options.databases = database.options
            let result = try session.perform { () throws(RunError) in
                try PartialMerger(
                    configuration: session.configuration, partialPaths: partials, options: options, logger: session.logger
                ).merge()
            }
            try session.finish(result)
        }
    }
}
