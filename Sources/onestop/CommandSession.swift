import ArgumentParser
import Foundation
import Logging
import OneStopModel
import OneStopPipeline

/// What `run` and `merge` do alike around their work: the logger, the operating-system limits,
/// the termination signals, the pipeline, `--as-of`; then the scorecard, the problems and the
/// exit code of the result.
struct CommandSession {
    let logger: Logger
    /// Standard error is a terminal and `--quiet` is off: progress may be drawn.
    let interactive: Bool
    let quiet: Bool
    let configuration: PipelineConfiguration
    /// `--as-of` read in the pipeline's time zone.
    let asOf: Instant?

    /// Checks the limits for `jobs` workers (exit 71), installs the signal handlers and loads
    /// `pipeline` (exit 66 or 78, said on standard error).
    init(pipeline: String, jobs: Int, quiet: Bool, asOf: String?) throws {
        self.quiet = quiet
        interactive = isatty(STDERR_FILENO) == 1 && !quiet
        let logger = CommandLogging.logger(interactive: interactive, quiet: quiet)
        self.logger = logger
        do throws(ResourceLimits.Shortage) {
            try ResourceLimits.check(jobs: jobs)
        } catch {
            logger.error("\(error)")
            throw ExitCode(ExitStatus.resourceLimit.rawValue)
        }
        TerminationSignals.install { message in logger.error("\(message)") }
        configuration = try PipelineArgument.load(pipeline) { logger.error("\($0)") }
        if let asOf {
            guard let instant = configuration.clock.instant(commandLine: asOf) else {
                logger.error("--as-of must be a date and time YYYY-MM-DDTHH:MM[:SS], optionally with an offset, got '\(asOf)'")
                throw ExitCode(ExitStatus.usage.rawValue)
            }
            self.asOf = instant
        } else {
            self.asOf = nil
        }
    }

    /// Runs `work`; a `RunError` is said on standard error and becomes its exit code.
    func perform<Value>(_ work: () throws(RunError) -> Value) throws -> Value {
        do {
            return try work()
        } catch {
            logger.error("\(error)")
            throw ExitCode(error.exitStatus.rawValue)
        }
    }

    /// Prints the scorecard and where the set went (unless `--quiet`), says every problem and
    /// exits with the result's status when it is not 0.
    func finish(_ result: RunResult) throws {
        if !quiet {
            print(result.scorecardTable)
            print("wrote \(TerminalText.escaped(result.outputDirectory))")
        }
        for problem in result.problems { logger.error("\(problem)") }
        if result.exitStatus != .ok { throw ExitCode(result.exitStatus.rawValue) }
    }
}
