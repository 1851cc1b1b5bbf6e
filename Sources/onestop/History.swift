import ArgumentParser
import Foundation
import OneStopPipeline

extension OneStop {
    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a run history holds: its runs, or one measure over time as CSV.",
            discussion: """
                onestop history out/history.sqlite --list
                onestop history out/history.sqlite --measure on_time_rate --scope province > on-time.csv
                A scorecard measure (on_time_rate, online_dossier_share, …) is read from the scorecard lines, any \
                other figure column (total, resolved_late, …) from the progress figures; each period shows its \
                latest run. Exit 66 when the file does not exist.
                """)

        @Argument(help: "The run history (SQLite).")
        var database: String = "out/history.sqlite"

        @Flag(help: "List the runs kept.")
        var list = false

        @Option(help: "Print this measure over time as CSV (e.g. on_time_rate).")
        var measure: String?

        @Option(help: "Which rows of the measure: province, level, agency (and, for progress figures, field, procedure, month, …).")
        var scope: String = "province"

        @Option(help: "Only this pipeline's runs.")
        var pipeline: String?

        func validate() throws {
            guard list != (measure != nil) else { throw ValidationError("give either --list or --measure NAME") }
        }

        func run() throws {
            let query = HistoryQuery(path: database)
            do throws(RunError) {
                if list {
                    print(try query.list(), terminator: "")
                } else if let measure {
                    print(try query.series(measure: measure, dimension: scope, pipeline: pipeline), terminator: "")
                }
            } catch {
                CommandLogging.printError("\(error)")
                throw ExitCode(error.exitStatus.rawValue)
            }
        }
    }
}
