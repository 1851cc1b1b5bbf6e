import ArgumentParser
import Foundation
import OneStopPipeline

extension OneStop {
    struct Sink: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a published output set to PostgreSQL and/or a run history again, without reading the exports.",
            discussion: """
                Reads the run back from OUTDIR's summary.json, figures.csv, rejects.csv and dossiers.csv — for \
                a run whose database could not be reached (exit 75), or to fill a new database. The same run \
                sent again replaces itself. Exit 0 when every database took it, 75 when one could not be \
                reached, 73 when one could not be written, 65 when OUTDIR is damaged, 66 when it is missing, \
                78 when the connection URL is missing or wrong.
                """)

        @Argument(help: "The output directory of a run (it holds summary.json).")
        var outputDirectory: String

        @Option(help: ArgumentHelp("Send to PostgreSQL (the URL is read from --url-variable).", valueName: "postgres"))
        var sink: String?

        @Option(help: "The environment variable that holds the PostgreSQL connection URL.")
        var urlVariable: String = "ONESTOP_DATABASE_URL"

        @Option(help: "Keep the run in this SQLite run history.")
        var history: String?

        @Flag(help: "Only errors on standard error.")
        var quiet = false

        func validate() throws {
            if let sink, sink != "postgres" { throw ValidationError("--sink must be postgres, got '\(sink)'") }
            if sink == nil && history == nil { throw ValidationError("name where to send the output set: --sink postgres, --history PATH, or both") }
            if DatabaseURLVariable(name: urlVariable) == nil {
                throw ValidationError("--url-variable must be the name of an environment variable (e.g. ONESTOP_DATABASE_URL)")
            }
        }

        func run() throws {
            let logger = CommandLogging.logger(interactive: isatty(STDERR_FILENO) == 1 && !quiet, quiet: quiet)
            let sender = PublishedRunSender(
                directory: outputDirectory, history: history.map(DatabaseFlags.absolute),
                postgres: sink == nil ? nil : DatabaseURLVariable(name: urlVariable), logger: logger)
            do {
                let failures = try sender.send()
                for failure in failures { logger.error("\(failure)") }
                if let first = failures.first { throw ExitCode(first.exitStatus.rawValue) }
                if !quiet { print("sent \(outputDirectory)") }
            } catch let error as RunError {
                logger.error("\(error)")
                throw ExitCode(error.exitStatus.rawValue)
            }
        }
    }
}
