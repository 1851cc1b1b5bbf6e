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

        @Flag(help: "Write CSVs with a UTF-8 byte-order mark and CRLF line ends, so Excel shows Vietnamese correctly.")
        var excel = false

        @Flag(help: "Also write monthly.csv: province-wide figures per month of the received date.")
        var monthly = false

        @Flag(help: "Also write onestop.xlsx: an Excel workbook with the scorecard and every CSV as a sheet.")
        var xlsx = false

        @Flag(help: "Also write dossiers.csv (every shard must have been computed with --dossiers).")
        var dossiers = false

        @Option(help: "Language of report.html and the workbook's labels: vi (default) or en; overrides output.language.")
        var language: String?

        @Option(help: "When freshness is judged (YYYY-MM-DDTHH:MM[:SS] local, or with an offset); default now.")
        var asOf: String?

        @OptionGroup(title: "Run history and databases")
        var database: DatabaseFlags

        @Option(help: "Parallel workers (assembling is quick; kept for symmetry with run).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard !partials.isEmpty else { throw ValidationError("name at least one partial figures file") }
            if let language, ReportLanguage(rawValue: language) == nil {
                throw ValidationError("--language must be vi or en, got '\(language)'")
            }
        }

        func run() throws {
            let interactive = isatty(STDERR_FILENO) == 1 && !quiet
            let logger = CommandLogging.logger(interactive: interactive, quiet: quiet)
            do throws(ResourceLimits.Shortage) {
                try ResourceLimits.check(jobs: jobs)
            } catch {
                logger.error("\(error)")
                throw ExitCode(ExitStatus.resourceLimit.rawValue)
            }
            TerminationSignals.install { message in logger.error("\(message)") }
            let configuration = try PipelineArgument.load(pipeline) { logger.error("\($0)") }
            var asOfInstant: Instant?
            if let asOf {
                guard let instant = configuration.clock.instant(commandLine: asOf) else {
                    logger.error("--as-of must be a date and time YYYY-MM-DDTHH:MM[:SS], optionally with an offset, got '\(asOf)'")
                    throw ExitCode(ExitStatus.usage.rawValue)
                }
                asOfInstant = instant
            }
            var options = RunOptions(
                outputDirectory: out, jobs: jobs, excel: excel ? true : nil, monthly: monthly ? true : nil,
                xlsx: xlsx ? true : nil, language: language.flatMap(ReportLanguage.init(rawValue:)),
                dossiers: dossiers ? true : nil, asOf: asOfInstant)
            options.databases = database.options
            do {
                let result = try PartialMerger(
                    configuration: configuration, partialPaths: partials, options: options, logger: logger
                ).merge()
                if !quiet {
                    print(result.scorecardTable)
                    print("wrote \(TerminalText.escaped(result.outputDirectory))")
                }
                for problem in result.problems { logger.error("\(problem)") }
                if result.exitStatus != .ok { throw ExitCode(result.exitStatus.rawValue) }
            } catch let error as RunError {
                logger.error("\(error)")
                throw ExitCode(error.exitStatus.rawValue)
            }
        }
    }
}
