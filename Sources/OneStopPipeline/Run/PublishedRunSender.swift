import Foundation
import Logging
import OneStopDatabase
import OneStopHistory
import OneStopPostgres

/// `onestop sink`: sends a published output set to a database again — into a run history and/or
/// PostgreSQL — from its files alone (`RunRecord(outputDirectory:)`), without reading any export.
/// Holds the output directory's lock while it reads, so a run publishing there meanwhile is
/// refused rather than read half-swapped. The same run sent again replaces itself.
public struct PublishedRunSender: Sendable {
    public var directory: String
    /// The SQLite history to keep the run in, if any.
    public var history: String?
    /// Send to PostgreSQL with the URL in this variable, if any.
    public var postgres: DatabaseURLVariable?
    public var logger: Logger

    public init(directory: String, history: String?, postgres: DatabaseURLVariable?, logger: Logger) {
        self.directory = directory
        self.history = history
        self.postgres = postgres
        self.logger = logger
    }

    /// Sends the set to every database named; returns the databases that failed (the set is read
    /// once; a database that fails does not keep the others from being written).
    public func send() throws(RunError) -> [DatabaseError] {
        guard history != nil || postgres != nil else {
            throw .usage("name where to send the output set: --sink postgres, --history PATH, or both")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noInput("\(directory) is not a folder: name the output directory of a run")
        }
        let sink = try PostgresSinkOrNone(postgres)
        let lock = try DirectorySink(directory: InputResolver.standardised(directory))
        defer { lock.release() }
        let record: RunRecord
        do {
            record = try RunRecord(outputDirectory: directory)
        } catch {
            throw .database(error)
        }
        var failures: [DatabaseError] = []
        if let history {
            do {
                try HistoryDatabase(path: history).append(record)
                logger.info("kept the run in \(history)")
            } catch {
                failures.append(error)
            }
        }
        if let sink = sink.value {
            do {
                try sink.send(record)
                logger.info("sent the run to \(sink.target)")
            } catch {
                failures.append(error)
            }
        }
        return failures
    }
}

/// The sink built before the lock is taken, so a missing URL is told before anything else.
private struct PostgresSinkOrNone {
    let value: PostgresSink?
    init(_ variable: DatabaseURLVariable?) throws(RunError) {
        value = try variable.map { variable throws(RunError) in try DatabaseStage.postgres(from: variable) }
    }
}
