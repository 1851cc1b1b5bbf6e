import ArgumentParser
import Foundation
import Logging
import OneStopModel
import OneStopPipeline
import OneStopReport

extension OneStop {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a pipeline: read the exports, compute every figure, write the output set.",
            discussion: """
                Writes progress.csv, procedures.csv, agencies.csv, rejects.csv, monthly.csv (with --monthly), \
                report.html, onestop.xlsx (with --xlsx) and summary.json into the output directory, atomically, \
                and prints the scorecard.
                """)

        @Argument(help: "The pipeline file (YAML), e.g. Pipelines/demo.yaml.")
        var pipeline: String

        @Argument(help: "Export files or folders to read instead of the sources' 'files' patterns.")
        var inputs: [String] = []

        @Option(help: "First day of the period (YYYY-MM-DD); overrides the pipeline's period.from.")
        var from: String?

        @Option(help: "Last day of the period (YYYY-MM-DD), inclusive; overrides the pipeline's period.to.")
        var to: String?

        @Option(help: "Output directory; overrides the pipeline's output.directory.")
        var out: String?

        @Option(help: ArgumentHelp(
            "Parallel workers for parsing and aggregation (default: the number of cores).",
            discussion: "With fewer workers than cores, helper threads also read, inflate and hash each file of 1 MiB or more ahead of its worker."))
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Stop at the first file that cannot be read to its end (exit 65, nothing written).")
        var strict = false

        @Flag(help: "No progress and no scorecard; only errors on standard error (for cron).")
        var quiet = false

        @OptionGroup
        var outputs: OutputFlags

        @Option(help: ArgumentHelp(
            "Compute only shard I of N (e.g. 2/4) and write its partial figures to --partial; no output set.",
            discussion: "Sources are assigned to shards by size, never split; `onestop merge` assembles the partials."))
        var shard: String?

        @Option(help: "Where a shard writes its partial figures (with --shard).")
        var partial: String?

        @OptionGroup(title: "Run history and databases")
        var database: DatabaseFlags

        func validate() throws {
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
            if let from, LocalDate(iso: from) == nil { throw ValidationError("--from must be a date YYYY-MM-DD, got '\(from)'") }
            if let to, LocalDate(iso: to) == nil { throw ValidationError("--to must be a date YYYY-MM-DD, got '\(to)'") }
            if let shard, ShardOption.parse(shard) == nil {
                throw ValidationError("--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/4), got '\(shard)'")
            }
            if shard != nil, partial == nil { throw ValidationError("--shard needs --partial FILE") }
            if partial != nil, shard == nil { throw ValidationError("--partial needs --shard I/N (use --shard 1/1 for a whole run)") }
        }

        func run() throws {
            let session = try CommandSession(pipeline: pipeline, jobs: jobs, quiet: quiet, asOf: outputs.asOf)
            var options = RunOptions(
                from: from.flatMap(LocalDate.init(iso:)), to: to.flatMap(LocalDate.init(iso:)), outputDirectory: out,
                inputs: inputs, jobs: jobs, strict: strict, showProgress: session.interactive,
                shard: shard.flatMap(ShardOption.parse), partialPath: partial)
            outputs.apply(to: &options, asOf: session.asOf)
            options.databases = database.options
            let runner = PipelineRunner(configuration: session.configuration, options: options, logger: session.logger)
            if options.shard != nil {
                let written = try session.perform { () throws(RunError) in try runner.runShard() }
                if !quiet {
                    let sources = written.sources.isEmpty ? "no source" : written.sources.joined(separator: ", ")
                    print("shard \(shard ?? ""): \(TerminalText.escaped(sources))")
                    print("wrote \(TerminalText.escaped(written.path))")
                }
                return
            }
            try session.finish(try session.perform { () throws(RunError) in try runner.run() })
        }
    }
}

/// `--shard I/N`.
enum ShardOption {
    static func parse(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, (1...count).contains(index)
        else { return nil }
        return (index, count)
    }
}
