import Foundation
import Logging
import OneStopDatabase
import OneStopEmit
import OneStopHistory
import OneStopModel
import OneStopPostgres

/// The database stages around the output directory's: before the run reads anything, the run
/// history is opened (created, migrated, or refused) and the PostgreSQL URL read; between
/// assemble and render, the period before is looked up (`compare`); after the output set is
/// published, the run is kept in the history and sent to PostgreSQL (`keep`). A database that
/// fails then does not undo the published set: the run's exit status says so (75 for a server
/// that cannot be reached, 73 for one that cannot be written) and `onestop sink` sends it again.
struct DatabaseStage: Sendable {
    let history: HistoryDatabase?
    let postgres: PostgresSink?
    /// The environment variable the PostgreSQL URL was read from, for the hint to send again.
    let postgresVariable: DatabaseURLVariable?
    /// `--compare`: the earlier period asked for.
    let compare: Period?
    let logger: Logger

    init(configuration: PipelineConfiguration, options: RunOptions, outputDirectory: String, logger: Logger) throws(RunError) {
        self.logger = logger
        compare = options.databases.compare
        let variable: DatabaseURLVariable? = switch options.databases.postgres {
        case false?: nil
        case true?: configuration.output.postgresURL ?? .standard
        case nil: configuration.output.postgresURL
        }
        // The URL first: a run refused for its settings writes nothing, not even a new history.
        postgres = try variable.map { variable throws(RunError) in try Self.postgres(from: variable) }
        postgresVariable = variable
        let location = options.databases.history ?? configuration.output.history
        if let path = location.path(outputDirectory: outputDirectory) {
            do {
                history = try HistoryDatabase(path: path)
            } catch {
                throw .database(error)
            }
        } else {
            guard compare == nil else {
                throw .usage("--compare needs the run history, and it is off (--history none or output.history: none)")
            }
            history = nil
        }
    }

    /// The PostgreSQL sink whose URL is in `variable`.
    static func postgres(from variable: DatabaseURLVariable) throws(RunError) -> PostgresSink {
        guard let url = ProcessInfo.processInfo.environment[variable.name], !url.isEmpty else {
            throw .database(.configuration(
                "the PostgreSQL sink takes its connection URL from the environment variable \(variable), which is not set; "
                    + "set it to postgres://USER:PASSWORD@HOST:PORT/DATABASE (it is read from the environment so that "
                    + "no password is written in a file), or run with --sink none"))
        }
        do {
            return PostgresSink(target: try PostgresTarget(url: url, variable: variable.name))
        } catch {
            throw .database(error)
        }
    }

    /// The same pipeline's scorecard for the period before (or `--compare`), from the history;
    /// nil when it holds none.
    func comparison(for report: RunReport) -> PeriodComparison? {
        guard let history else { return nil }
        let period = compare ?? report.period.previous
        do {
            guard let rows = try history.scorecard(pipeline: report.pipeline, period: period) else {
                if compare != nil {
                    logger.warning(
                        "--compare \(period.from)..\(period.to): \(history.path) holds no run of \(report.pipeline) for that period; nothing to compare")
                }
                return nil
            }
            return PeriodComparison(period: period, figures: rows)
        } catch {
            logger.warning("the period before could not be read, so no change is shown: \(error)")
            return nil
        }
    }

    /// Keeps the published run in the history and sends it to PostgreSQL; a failure becomes a
    /// problem of the result and its exit status (the set stays published).
    func keep(_ report: RunReport, result: RunResult) -> RunResult {
        guard history != nil || postgres != nil else { return result }
        var result = result
        let directory = result.outputDirectory
        func failed(_ error: DatabaseError, resend: String) {
            result.problems.append("\(error); the output set \(directory) is published — send it again with: onestop sink \(directory) \(resend)")
            // The first failure's status: a database that failed outranks the figures' own 65.
            if result.exitStatus == .ok || result.exitStatus == .dataError { result.exitStatus = error.exitStatus }
        }
        let record: RunRecord
        do {
            record = try RunRecord(report: report)
        } catch {
            failed(error, resend: [history.map { "--history \($0.path)" }, postgres.map { _ in "--sink postgres" }]
                .compactMap { $0 }.joined(separator: " "))
            return result
        }
        if let history {
            do {
                try history.append(record)
                logger.info("kept the run in \(history.path)")
            } catch {
                failed(error, resend: "--history \(history.path)")
            }
        }
        if let postgres {
            do {
                try postgres.send(record)
                logger.info("sent the run to \(postgres.target)")
            } catch {
                let variable = postgresVariable.flatMap { $0 == .standard ? nil : " --url-variable \($0)" } ?? ""
                failed(error, resend: "--sink postgres" + variable)
            }
        }
        return result
    }
}
