import Foundation
import Testing
@testable import OneStopDatabase
@testable import OneStopPostgres

/// The PostgreSQL sink in-process, against the server `make test-postgres` starts (read back with
/// `psql`): what the end-to-end runs cannot show yet — dossiers, odd text, refusals.
@Suite("The PostgreSQL sink, in-process", .enabled(if: TestPostgres.folder != nil, "no PostgreSQL server: make test-postgres starts one"))
struct PostgresSinkRecordTests {
    /// A new database on the test server and a sink to it.
    static func sink(_ prefix: String) throws -> (PostgresSink, String) {
        let database = try TestPostgres.createDatabase(prefix)
        return (PostgresSink(target: try PostgresTarget(url: TestPostgres.url(database), variable: "TEST")), database)
    }

    @Test("Dossiers and text with tabs, line breaks, quotes and backslashes arrive exactly")
    func dossiersAndOddText() throws {
        let (sink, database) = try Self.sink("dossiers")
        let rows = [dossierRow("D1", supplements: "2", daysLate: "5"), dossierRow("D\t2 \"x\" \\ y\nz", supplements: "0", daysLate: "")]
        try sink.send(sampleRecord(dossiers: rows))
        #expect(try TestPostgres.psql(database, "SELECT dossiers FROM onestop.runs") == ["2"])
        #expect(try TestPostgres.psql(database, """
            SELECT dossier_id = 'D1' OR dossier_id = E'D\\t2 "x" \\\\ y\\nz', supplement_requests, coalesce(days_late::text, '-'), received
            FROM onestop.dossiers ORDER BY dossier_id
            """)
            == ["t|0|-|2022-03-01T08:30:00+07:00", "t|2|5|2022-03-01T08:30:00+07:00"])  // a tab sorts before "1"
        #expect(try TestPostgres.psql(database, "SELECT reason, dossier_id = E'X\\t1' FROM onestop.rejects")
            == ["unparseable date: '2022-13-01, \"x\"\\'|t"])
        #expect(try TestPostgres.psql(database, "SELECT problems FROM onestop.runs") == ["1 file(s) could not be read to their end", "second line"])
    }

    @Test("A run that cannot be written sends nothing; the run sent before stays")
    func nothingOnFailure() throws {
        let (sink, database) = try Self.sink("failure")
        try sink.send(sampleRecord())
        #expect {
            try sink.send(sampleRecord(inputs: "bb", dossiers: [dossierRow("D1", daysLate: "five")]))
        } throws: { error in
            "\(error)".contains("days_late is 'five'")
        }
        #expect(try TestPostgres.psql(database, "SELECT COUNT(*), COUNT(*) FILTER (WHERE inputs_sha256 = '\(sampleRecord().run.identity.inputsSHA256)') FROM onestop.runs") == ["1|1"])
        #expect(try TestPostgres.psql(database, "SELECT COUNT(*) FROM onestop.figures") == [String(sampleRecord().figures.count)])
    }

    @Test("A database with a newer schema, or a schema onestop of other tables, is refused and left alone")
    func refusals() throws {
        let (newer, newerDatabase) = try Self.sink("newer")
        try newer.send(sampleRecord())
        _ = try TestPostgres.psql(newerDatabase, "INSERT INTO onestop.schema_version VALUES (42, 'later', now())")
        #expect(throws: DatabaseError.newerSchema(database: "\(newer.target)", found: 42, known: DatabaseSchema.currentVersion)) {
            try newer.send(sampleRecord(inputs: "bb"))
        }
        #expect(try TestPostgres.psql(newerDatabase, "SELECT COUNT(*) FROM onestop.runs") == ["1"])
        let (foreign, foreignDatabase) = try Self.sink("foreign")
        _ = try TestPostgres.psql(foreignDatabase, "CREATE SCHEMA onestop; CREATE TABLE onestop.budget (year int); INSERT INTO onestop.budget VALUES (2022)")
        #expect {
            try foreign.send(sampleRecord())
        } throws: { error in
            guard case .foreign(_, let reason)? = error as? DatabaseError else { return false }
            return reason.contains("1 other table(s)")
        }
        #expect(try TestPostgres.psql(foreignDatabase, "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'onestop'") == ["budget"])
    }
}

/// The server `make test-postgres` started (`ONESTOP_TEST_POSTGRES` names its folder).
enum TestPostgres {
    static let folder: String? = ProcessInfo.processInfo.environment["ONESTOP_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    static func setting(_ name: String) throws -> String {
        try String(contentsOfFile: folder! + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func url(_ database: String) throws -> String {
        "postgres://onestop:\(try setting("password"))@/\(database)?host=\(folder!)&port=\(try setting("port"))"
    }

    static func psql(_ database: String, _ sql: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", folder!, "-p", try setting("port"),
                             "-U", "onestop", "-d", database, "-c", sql]
        process.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": try setting("password")]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SQLite3Failure(message: "psql failed on: \(sql)") }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    static func createDatabase(_ prefix: String) throws -> String {
        let name = "\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try psql("postgres", "CREATE DATABASE \(name)")
        return name
    }
}
