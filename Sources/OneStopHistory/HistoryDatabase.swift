import Foundation
import GRDB
import OneStopDatabase
import OneStopModel

/// The run history: an ordinary SQLite file (default `history.sqlite` beside the output
/// directory) holding every published run's figures in `DatabaseSchema`'s tables, in WAL mode
/// so a dashboard can read while a run writes. Each run is written in one transaction: a run
/// stopped half-way, however it stops, leaves the file as it was.
///
/// Opening checks the file before anything is written: a file that is not SQLite, or one with
/// other tables than onestop's, is refused (`DatabaseError.foreign`) and left as it is; one written
/// by a newer onestop is refused (`DatabaseError.newerSchema`); an older one is migrated.
///
/// For tests only: with `ONESTOP_TEST_PAUSE_IN_HISTORY_MS=n` in the environment, appending a run
/// sleeps n ms after each table written inside its transaction, so that a test can kill it there.
public final class HistoryDatabase: Sendable {
    /// The file.
    public let path: String
    private let queue: DatabaseQueue

    /// How the file is named in messages.
    var name: String { "the run history \(path)" }

    /// Opens the history at `path`, creating it when missing, migrating an older one.
    public init(path: String) throws(DatabaseError) {
        self.path = path
        let name = "the run history \(path)"
        try Self.checkExisting(path: path, name: name)
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var configuration = Configuration()
            configuration.journalMode = .wal
            configuration.busyMode = .timeout(60)
            configuration.label = "onestop-history"
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try SQLiteMigrations.migrate(db, name: name)
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw Self.failure(error, name: name)
        }
    }

    /// Before the file is opened for writing (which would turn it to WAL mode): it is missing or
    /// empty, or an SQLite file whose tables are onestop's, of this version or an older one.
    private static func checkExisting(path: String, name: String) throws(DatabaseError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw .cannotWrite(database: name, reason: "the file cannot be read (permissions)")
            }
            return
        }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        guard !header.isEmpty else { return }
        guard header == Data("SQLite format 3\u{0}".utf8) else {
            throw .foreign(database: name, reason: "the file is not an SQLite database")
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(60)
            let reader = try DatabaseQueue(path: path, configuration: configuration)
            try reader.read { db in _ = try SQLiteMigrations.appliedVersion(db, name: name) }
            try reader.close()
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw failure(error, name: name)
        }
    }

    /// Keeps `record` as one run, replacing the run of the same identity if there is one — all in
    /// one transaction.
    public func append(_ record: RunRecord, recordedAt: String = RecordedAt.now()) throws(DatabaseError) {
        let pause = ProcessInfo.processInfo.environment["ONESTOP_TEST_PAUSE_IN_HISTORY_MS"].flatMap(UInt32.init)
        do {
            try queue.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let identity = record.run.identity.digest
                    for table in DatabaseSchema.runTables.dropFirst().reversed() {
                        try db.execute(
                            sql: "DELETE FROM \(table) WHERE run_id IN (SELECT id FROM runs WHERE identity = ?)",
                            arguments: [identity])
                    }
                    try db.execute(sql: "DELETE FROM runs WHERE identity = ?", arguments: [identity])
                    try insert(db, table: "runs", columns: RunRow.columns, rows: [record.run.values(id: nil, recordedAt: recordedAt)])
                    let id = Int(db.lastInsertedRowID)
                    if let pause { usleep(pause * 1000) }
                    for table in record.tables(id: id) {
                        let statement = try db.makeStatement(sql: insertSQL(table.table, table.columns))
                        var count = 0
                        try table.forEach { values in
                            try statement.execute(arguments: StatementArguments(values.map { $0.databaseValue }))
                            count += 1
                        }
                        if table.table == "dossiers" {
                            try db.execute(sql: "UPDATE runs SET dossiers = ? WHERE id = ?", arguments: [count, id])
                        }
                        if let pause { usleep(pause * 1000) }
                    }
                    return .commit
                }
            }
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw Self.failure(error, name: name)
        }
    }

    /// The scorecard rows of the latest run of `pipeline` for exactly `period`, or nil when the
    /// history holds no such run.
    public func scorecard(pipeline: String, period: Period) throws(DatabaseError) -> [FigureRow]? {
        try reading { db in
            guard let run = try Int.fetchOne(
                db, sql: "SELECT id FROM latest_runs WHERE pipeline = ? AND period_from = ? AND period_to = ?",
                arguments: [pipeline, period.from.description, period.to.description])
            else { return nil }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT dimension, key, measure, numerator, denominator, CAST(target AS TEXT) AS target, met
                    FROM figures WHERE run_id = ? AND scope = 'scorecard'
                    """,
                arguments: [run])
            return rows.map { row in
                FigureRow(
                    scope: "scorecard", dimension: row["dimension"], key: row["key"], measure: row["measure"],
                    numerator: row["numerator"], denominator: row["denominator"], value: nil, target: row["target"],
                    met: row["met"])
            }
        }
    }

    /// Every run kept, oldest period first.
    public func runs() throws(DatabaseError) -> [HistoryRun] {
        try reading { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.*, (SELECT COUNT(*) FROM latest_runs l WHERE l.id = r.id) AS latest
                    FROM runs r ORDER BY pipeline, period_from, period_to, id
                    """
            ).map(HistoryRun.init)
        }
    }

    /// One measure over time: its rows of `dimension` in the latest run of every period, oldest
    /// first (a scorecard measure from the scorecard, any other from the progress figures).
    public func series(measure: String, dimension: String, pipeline: String?) throws(DatabaseError) -> [HistoryPoint] {
        let scope = ScorecardMeasure(rawValue: measure) != nil ? "scorecard" : "progress"
        return try reading { db in
            var sql = """
                SELECT r.pipeline, r.period_from, r.period_to, f.key, f.measure, f.numerator, f.denominator
                FROM latest_runs r JOIN figures f ON f.run_id = r.id
                WHERE f.scope = ? AND f.dimension = ? AND f.measure = ?
                """
            var arguments: StatementArguments = [scope, dimension, measure]
            if let pipeline {
                sql += " AND r.pipeline = ?"
                arguments += [pipeline]
            }
            sql += " ORDER BY r.pipeline, r.period_from, r.period_to, f.key"
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(HistoryPoint.init)
        }
    }

    private func reading<T>(_ body: (Database) throws -> T) throws(DatabaseError) -> T {
        do {
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw Self.failure(error, name: name)
        }
    }

    private func insert(_ db: Database, table: String, columns: [String], rows: [[SQLValue]]) throws {
        let statement = try db.makeStatement(sql: insertSQL(table, columns))
        for values in rows { try statement.execute(arguments: StatementArguments(values.map { $0.databaseValue })) }
    }

    private func insertSQL(_ table: String, _ columns: [String]) -> String {
        "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }

    /// A GRDB or SQLite error as a message the user can act on.
    static func failure(_ error: any Error, name: String) -> DatabaseError {
        if let error = error as? GRDB.DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB: return .foreign(database: name, reason: "the file is not an SQLite database")
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return .unavailable(database: name, reason: "another process held it locked for 60 s")
            case .SQLITE_CORRUPT: return .foreign(database: name, reason: "the file is damaged (\(error.message ?? "corrupt"))")
            default:
                return .cannotWrite(database: name, reason: error.message ?? "\(error.resultCode)")
            }
        }
        return .cannotWrite(database: name, reason: "\(error)")
    }
}

extension SQLValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .text(let value), .decimal(let value), .date(let value), .timestamp(let value): value.databaseValue
        case .bool(let value): value.databaseValue
        }
    }
}
