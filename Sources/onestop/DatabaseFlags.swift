import ArgumentParser
import Foundation
import OneStopModel
import OneStopPipeline

/// `--history`, `--sink` and `--compare`, shared by `run` and `merge`.
struct DatabaseFlags: ParsableArguments {
    @Option(help: ArgumentHelp(
        "SQLite file every published run is kept in, or none (default: the pipeline's output.history, else history.sqlite beside the output directory).",
        valueName: "path|none"))
    var history: String?

    @Option(help: ArgumentHelp(
        "Also send the run to PostgreSQL (URL from ONESTOP_DATABASE_URL, or the variable output.sinks.postgres names); none: not even when the pipeline asks.",
        valueName: "postgres|none"))
    var sink: String?

    @Option(help: ArgumentHelp(
        "Compare the scorecard with this earlier period from the history (default: the period before, of the same length).",
        valueName: "from..to"))
    var compare: String?

    func validate() throws {
        if let sink, !["postgres", "none"].contains(sink) {
            throw ValidationError("--sink must be postgres or none, got '\(sink)'")
        }
        if let compare, Self.period(compare) == nil {
            throw ValidationError("--compare must be FROM..TO with two dates YYYY-MM-DD, FROM not after TO, got '\(compare)'")
        }
        if history?.isEmpty == true { throw ValidationError("--history must be a file path or none") }
    }

    var options: DatabaseOptions {
        DatabaseOptions(
            history: history.map { $0 == "none" ? .none : .file(Self.absolute($0)) },
            postgres: sink.map { $0 == "postgres" },
            compare: compare.flatMap(Self.period))
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }

    static func period(_ text: String) -> Period? {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2, let from = LocalDate(iso: parts[0]), let to = LocalDate(iso: parts[1]), from <= to else {
            return nil
        }
        return Period(from: from, to: to)
    }
}
