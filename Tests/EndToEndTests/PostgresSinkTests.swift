import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13: `--sink postgres` against a real PostgreSQL server (`make test-postgres` starts a
/// private one): the schema made on first use, every figure there exactly, a run sent again
/// replacing itself, a server that is down, refuses the login or dies mid-run (exit 75, the
/// output set still published, `onestop sink` sends it later), TLS when the URL asks for it, and
/// the password nowhere.
@Suite("End to end: the PostgreSQL sink", .serialized, .enabled(if: PostgresServer.shared != nil,
    "no PostgreSQL server: make test-postgres starts one"))
struct PostgresSinkTests {
    var server: PostgresServer { PostgresServer.shared! }

    /// `onestop run Pipelines/demo.yaml --sink postgres` with the connection URL `url`.
    func run(_ workspace: DemoWorkspace, url: String, _ extra: [String] = [], environment: [String: String] = [:])
        throws -> ChildProcess.Outcome
    {
        var environment = environment
        environment["ONESTOP_DATABASE_URL"] = url
        return try workspace.run(["--sink", "postgres"] + extra, environment: environment)
    }

    /// Every row of a run in the database as text, without `id` and `recorded_at` (they change when
    /// the run is sent again); sorted, since a table has no order of its own.
    func dump(_ database: String) throws -> [String] {
        let run = "(SELECT id FROM onestop.runs)"
        return try server.psql(database, """
            SELECT identity, pipeline, period_from, period_to, period_kind, timezone, as_of, configuration_fingerprint,
                   inputs_sha256, exit_status, files, failed_files, records_read, rejected, superseded, not_accepted, kept,
                   dossiers, problems FROM onestop.runs
            """)
            + (try server.psql(database, "SELECT scope, dimension, key, measure, numerator, denominator, value, target, met FROM onestop.figures WHERE run_id IN \(run)")).sorted()
            + (try server.psql(database, "SELECT path, source, bytes, sha256, status, export_time, records, rejected, error, line FROM onestop.files WHERE run_id IN \(run)")).sorted()
            + (try server.psql(database, "SELECT file, line, dossier_id, field, reason FROM onestop.rejects WHERE run_id IN \(run)")).sorted()
    }

    @Test("First use creates the schema onestop: its tables, views and version")
    func schema() throws {
        let database = try server.createDatabase("schema")
        let workspace = DemoWorkspace("pg-schema")
        let outcome = try run(workspace, url: server.socketURL(database: database))
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(try server.psql(database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'onestop' AND table_type = 'BASE TABLE' ORDER BY 1")
            == ["dossiers", "figures", "files", "rejects", "runs", "schema_version"])
        #expect(try server.psql(database, "SELECT table_name FROM information_schema.views WHERE table_schema = 'onestop' ORDER BY 1")
            == ["latest_runs", "scorecard_over_time"])
        #expect(try server.psql(database, "SELECT string_agg(version::text, ',' ORDER BY version) FROM onestop.schema_version") == ["1,2"])
        #expect(try server.psql(database, "SELECT data_type FROM information_schema.columns WHERE table_schema = 'onestop' AND table_name = 'runs' AND column_name IN ('period_from', 'recorded_at') ORDER BY column_name")
            == ["date", "timestamp with time zone"])
        // Nothing outside its schema.
        #expect(try server.psql(database, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'") == ["0"])
    }

    @Test("Every figure, file and reject of the output set is in the database, exactly")
    func roundTrip() throws {
        let database = try server.createDatabase("round_trip")
        let workspace = DemoWorkspace("pg-round-trip")
        #expect(try run(workspace, url: server.socketURL(database: database)).exitCode == 0)
        let figures = try FigureTable(path: workspace.output + "/figures.csv")
        let expected = figures.rows.map { row in
            ["scope", "dimension", "key", "measure", "numerator", "denominator", "value", "target", "met"]
                .map { column -> String in
                    let value = row[column] ?? ""
                    return column == "met" ? (value == "true" ? "t" : value == "false" ? "f" : "") : value
                }
                .joined(separator: "|")
        }
        let stored = try server.psql(database, "SELECT scope, dimension, key, measure, numerator, denominator, value, target, met FROM onestop.figures")
        #expect(stored.count == figures.rows.count)
        #expect(stored.sorted() == expected.sorted())
        let summary = try workspace.summary()
        let accounting = try #require(summary["accounting"] as? [String: Any])
        let files = try #require(accounting["files"] as? [[String: Any]])
        #expect(try server.psql(database, "SELECT path, sha256, bytes, records, rejected, status FROM onestop.files ORDER BY path")
            == files.map { "\($0["path"]!)|\($0["sha256"]!)|\($0["bytes"]!)|\($0["records"]!)|\($0["rejected"]!)|\($0["status"]!)" })
        let rejects = try FigureTable(path: workspace.output + "/rejects.csv")
        #expect(try server.psql(database, "SELECT file, line, coalesce(dossier_id, ''), field, reason FROM onestop.rejects").sorted()
            == rejects.rows.map { row in ["file", "line", "dossier_id", "field", "reason"].map { row[$0] ?? "" }.joined(separator: "|") }.sorted())
        #expect(try server.psql(database, "SELECT pipeline, period_from, records_read, rejected, kept, exit_status, configuration_fingerprint FROM onestop.runs")
            == ["demo|2022-01-01|\(accounting["records_read"]!)|\(accounting["rejected"]!)|\(accounting["kept"]!)|0|\(summary["configuration_fingerprint"]!)"])
        #expect(try server.psql(database, "SELECT measure, value FROM onestop.scorecard_over_time WHERE dimension = 'province' AND measure = 'on_time_rate'")
            == ["on_time_rate|" + (figures.rows.first { $0["scope"] == "scorecard" && $0["dimension"] == "province" && $0["measure"] == "on_time_rate" }?["value"] ?? "")])
    }

    @Test("The same run sent again — run again, or re-sent with onestop sink — replaces itself")
    func idempotent() throws {
        let database = try server.createDatabase("again")
        let url = server.socketURL(database: database)
        let workspace = DemoWorkspace("pg-again")
        #expect(try run(workspace, url: url).exitCode == 0)
        let first = try dump(database)
        #expect(first.count > 3000)
        #expect(try run(workspace, url: url).exitCode == 0)
        #expect(try dump(database) == first)
        let resent = try ChildProcess.run(["sink", workspace.output, "--sink", "postgres"], environment: ["ONESTOP_DATABASE_URL": url])
        #expect(resent.exitCode == 0, "\(resent.stderr)")
        #expect(try dump(database) == first)
        #expect(try server.psql(database, "SELECT COUNT(*) FROM onestop.runs") == ["1"])
        // Another period is another run, kept beside it.
        #expect(try run(workspace, url: url, HistoryTests.year2021).exitCode == 0)
        #expect(try server.psql(database, "SELECT COUNT(*) FROM onestop.latest_runs") == ["2"])
    }

    @Test("A wrong password: exit 75, the output set published, and no password anywhere")
    func wrongPassword() throws {
        let database = try server.createDatabase("login")
        let workspace = DemoWorkspace("pg-login")
        let wrong = "hunter2-WRONG-\(UUID().uuidString.prefix(6))"
        let outcome = try run(workspace, url: server.socketURL(database: database, password: wrong))
        #expect(outcome.exitCode == 75)
        #expect(outcome.stderr.contains("refused the login"))
        #expect(outcome.stderr.contains("onestop sink \(workspace.output)"))
        #expect(FileManager.default.fileExists(atPath: workspace.output + "/summary.json"))
        let good = try run(workspace, url: server.socketURL(database: database), ["--history", "none"])
        #expect(good.exitCode == 0)
        var written = outcome.stdout + outcome.stderr + good.stdout + good.stderr
        for name in workspace.scratch.files(under: "") {
            written += String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: workspace.scratch.path + "/" + name))) ?? Data(), as: UTF8.self)
        }
        #expect(!written.contains(wrong))
        #expect(!written.contains(server.password))
        #expect(written.contains("\"configuration_fingerprint\""))
    }

    @Test("A server that is not there: exit 75, a clear message, the output set published")
    func serverDown() throws {
        let workspace = DemoWorkspace("pg-down")
        let nowhere = workspace.scratch.path + "/no-server"
        try FileManager.default.createDirectory(atPath: nowhere, withIntermediateDirectories: true)
        let outcome = try run(workspace, url: "postgres://onestop:\(server.password)@/figures?host=\(nowhere)")
        #expect(outcome.exitCode == 75)
        #expect(outcome.stderr.contains("PostgreSQL database 'figures' at \(nowhere)/.s.PGSQL.5432 as user 'onestop' cannot be reached"))
        #expect(try workspace.summary()["pipeline"] as? String == "demo")
        #expect(try sqlite3(workspace.history, "SELECT COUNT(*) FROM runs") == ["1"])
        #expect(!outcome.stderr.contains(server.password))
    }

    @Test("TLS when the URL asks for it: the server takes TCP logins over TLS only")
    func tls() throws {
        let database = try server.createDatabase("tls")
        let workspace = DemoWorkspace("pg-tls")
        let secure = try run(workspace, url: server.tcpURL(database: database, sslmode: "require"))
        #expect(secure.exitCode == 0, "\(secure.stderr)")
        #expect(try server.psql(database, "SELECT COUNT(*) FROM onestop.runs") == ["1"])
        let plain = try run(workspace, url: server.tcpURL(database: database, sslmode: "disable"))
        #expect(plain.exitCode == 75)
        #expect(plain.stderr.contains("no encryption"))
    }

    @Test("No connection URL: exit 78 before anything is read; a URL written in the pipeline is refused unquoted")
    func missingURL() throws {
        let workspace = DemoWorkspace("pg-no-url")
        let outcome = try run(workspace, url: "")
        #expect(outcome.exitCode == 78)
        #expect(outcome.stderr.contains("environment variable ONESTOP_DATABASE_URL, which is not set"))
        #expect(!FileManager.default.fileExists(atPath: workspace.output))
        #expect(!FileManager.default.fileExists(atPath: workspace.history))
        let url = server.socketURL(database: "postgres")
        let pipeline = try read(repositoryRoot + "/Pipelines/demo.yaml")
            .replacingOccurrences(of: "../", with: repositoryRoot + "/")
            .replacingOccurrences(of: "dialects: dialects", with: "dialects: \(repositoryRoot)/Pipelines/dialects")
            .replacingOccurrences(of: "output: { directory: \(repositoryRoot)/out/demo,", with: "output: { directory: out, sinks: { postgres: \"\(url)\" },")
        try workspace.scratch.write("demo.yaml", pipeline)
        let refused = try ChildProcess.run(["run", workspace.scratch.path + "/demo.yaml", "--quiet"])
        #expect(refused.exitCode == 78)
        #expect(refused.stderr.contains("output.sinks.postgres is not the name of an environment variable"))
        #expect(!refused.stderr.contains(server.password))
    }

    @Test("output.sinks.postgres names the variable the URL is in; --sink none turns it off")
    func pipelineSink() throws {
        let database = try server.createDatabase("pipeline")
        let workspace = DemoWorkspace("pg-pipeline")
        let pipeline = try read(repositoryRoot + "/Pipelines/demo.yaml")
            .replacingOccurrences(of: "../", with: repositoryRoot + "/")
            .replacingOccurrences(of: "dialects: dialects", with: "dialects: \(repositoryRoot)/Pipelines/dialects")
            .replacingOccurrences(of: "output: { directory: \(repositoryRoot)/out/demo,", with: "output: { directory: out, sinks: { postgres: DASHBOARD_DB },")
        try workspace.scratch.write("demo.yaml", pipeline)
        let environment = ["DASHBOARD_DB": server.socketURL(database: database)]
        let off = try ChildProcess.run(["run", workspace.scratch.path + "/demo.yaml", "--quiet", "--sink", "none"], environment: environment)
        #expect(off.exitCode == 0)
        #expect(try server.psql(database, "SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'onestop'") == ["0"])
        let on = try ChildProcess.run(["run", workspace.scratch.path + "/demo.yaml", "--quiet"], environment: environment)
        #expect(on.exitCode == 0, "\(on.stderr)")
        #expect(try server.psql(database, "SELECT pipeline FROM onestop.runs") == ["demo"])
    }

    @Test("The server killed mid-run: exit 75, nothing of the run kept, and onestop sink sends it once it is back",
          arguments: [0, 300, 1_500])
    func killedServer(afterMilliseconds delay: Int) throws {
        let own = try PostgresServer.start()
        defer { own.stop() }
        let workspace = DemoWorkspace("pg-killed")
        let child = try ChildProcess(
            ["run", repositoryRoot + "/Pipelines/demo.yaml", "--out", workspace.output, "--quiet", "--sink", "postgres",
             "--history", "none"],
            environment: ["ONESTOP_DATABASE_URL": own.socketURL(database: "postgres"), "ONESTOP_TEST_PAUSE_IN_SINK_MS": "600"])
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: workspace.output + "/summary.json") && ContinuousClock.now < deadline {
            usleep(2_000)
        }
        // From the connection's start to well inside the transaction (five tables, 600 ms after each).
        usleep(UInt32(delay) * 1000)
        try own.kill()
        let outcome = child.wait(timeout: .seconds(60))
        #expect(outcome.exitCode == 75)
        #expect(outcome.stderr.contains("cannot be reached"))
        #expect(outcome.stderr.contains("onestop sink \(workspace.output) --sink postgres"))
        #expect(try workspace.summary()["pipeline"] as? String == "demo")
        try own.restart()
        // The schema may have been made before the kill (its own transaction); no run is in it.
        if try own.psql("postgres", "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'onestop'") != ["0"] {
            #expect(try own.psql("postgres", "SELECT COUNT(*) FROM onestop.runs") == ["0"])
            #expect(try own.psql("postgres", "SELECT COUNT(*) FROM onestop.figures") == ["0"])
        }
        let resent = try ChildProcess.run(
            ["sink", workspace.output, "--sink", "postgres"], environment: ["ONESTOP_DATABASE_URL": own.socketURL(database: "postgres")])
        #expect(resent.exitCode == 0, "\(resent.stderr)")
        #expect(try own.psql("postgres", "SELECT COUNT(*) FROM onestop.figures")
            == [String(try FigureTable(path: workspace.output + "/figures.csv").rows.count)])
    }
}
