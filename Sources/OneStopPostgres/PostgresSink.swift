import Foundation
import Logging
import NIOCore
import OneStopDatabase
import PostgresNIO

/// Sends a run to PostgreSQL: creates or migrates `DatabaseSchema` in the schema `onestop` on
/// first use, then writes the run in one transaction — the rows of every table sent with
/// `COPY … FROM STDIN` — replacing the run of the same identity if the database holds one.
/// Either the whole run is there afterwards or none of it is.
///
/// For tests only: with `ONESTOP_TEST_PAUSE_IN_SINK_MS=n` in the environment, sending sleeps n ms
/// after each table copied inside the transaction, so that a test can stop the server there.
public struct PostgresSink: Sendable {
    public let target: PostgresTarget

    public init(target: PostgresTarget) {
        self.target = target
    }

    /// Writes `record` as one run. Throws `DatabaseError.unavailable` when the server cannot be
    /// reached, refuses the login or loses the connection; nothing of the run is kept then.
    public func send(_ record: RunRecord, recordedAt: String = RecordedAt.now()) throws(DatabaseError) {
        let configuration = try target.configuration()
        let pause = ProcessInfo.processInfo.environment["ONESTOP_TEST_PAUSE_IN_SINK_MS"].flatMap(UInt64.init)
        let name = "\(target)"
        do {
            try Blocking.run { outcome in
                try await Self.transfer(
                    record, recordedAt: recordedAt, configuration: configuration, name: name, pause: pause, outcome: outcome)
            }
        } catch {
            throw PostgresFailure.describe(error, target: target)
        }
    }

    /// Every table's rows encoded for COPY, `runs` first, for the run kept as `runs.id` `id`.
    static func encode(_ record: RunRecord, id: Int, recordedAt: String, name: String) throws(DatabaseError) -> [CopySpool] {
        var spools: [CopySpool] = []
        var run = record.run
        do {
            for table in record.tables(id: id) {
                let spool = CopySpool(table: table.table, columns: table.columns)
                try table.forEach { values in try spool.append(values) }
                spools.append(spool)
                if table.table == "dossiers" { run.dossiers = spool.rows }
            }
            let runs = CopySpool(table: "runs", columns: ["id"] + RunRow.columns)
            try runs.append(run.values(id: id, recordedAt: recordedAt))
            return [runs] + spools
        } catch let error as DatabaseError {
            throw error
        } catch {
            throw .cannotWrite(database: name, reason: "the rows could not be prepared: \(error)")
        }
    }

    /// postgres-nio logs nothing: its messages could name the connection's settings.
    static let logger = Logger(label: "onestop.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// How long a closed connection may leave an operation unfinished before the send gives up on it.
    static let lostConnectionGrace: Double = 5

    private static func transfer(
        _ record: RunRecord, recordedAt: String, configuration: PostgresConnection.Configuration, name: String,
        pause: UInt64?, outcome: Blocking.Outcome<Void>
    ) async throws {
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        // postgres-nio 1.33 never completes a COPY started on a connection that has just closed
        // (its continuation is dropped): once the connection is gone, the send ends after a grace.
        connection.closeFuture.whenComplete { _ in
            DispatchQueue.global().asyncAfter(deadline: .now() + lostConnectionGrace) { outcome.fail(ConnectionLost()) }
        }
        do {
            try await PostgresMigrations.migrate(connection, name: name, logger: logger)
            let id = try await PostgresMigrations.count(
                connection, "SELECT nextval(pg_get_serial_sequence('runs', 'id'))", logger)
            // Encoded before the transaction opens, so it is held no longer than the sending takes.
            let spools = try encode(record, id: id, recordedAt: recordedAt, name: name)
            let identity = record.run.identity.digest
            try await connection.query("BEGIN", logger: logger)
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(identity)))", logger: logger)
            for table in DatabaseSchema.runTables.dropFirst().reversed() {
                try await connection.query(
                    "DELETE FROM \(unescaped: table) WHERE run_id IN (SELECT id FROM runs WHERE identity = \(identity))",
                    logger: logger)
            }
            try await connection.query("DELETE FROM runs WHERE identity = \(identity)", logger: logger)
            for spool in spools {
                guard !connection.isClosed else { throw ConnectionLost() }
                try await connection.copyFrom(table: spool.table, columns: spool.columns, logger: logger) { writer in
                    try await spool.forEachChunk { chunk in try await writer.write(ByteBuffer(bytes: chunk)) }
                }
                if let pause { try await Task.sleep(nanoseconds: pause * 1_000_000) }
            }
            try await connection.query("COMMIT", logger: logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}

/// The connection closed while the run was being sent.
struct ConnectionLost: Error {}
