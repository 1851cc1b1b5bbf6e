import Foundation
import Testing

/// Issue 13: every published run is kept in a SQLite history beside its output directory (read
/// back here with the `sqlite3` tool), and the scorecard shows the change since the period before.
@Suite("End to end: the run history")
struct HistoryTests {
    static let year2021 = ["--from", "2021-01-01", "--to", "2021-12-31"]

    /// The summary's province-wide scorecard lines by name: (numerator, denominator).
    static func provinceLines(_ summary: [String: Any]) -> [String: (Int, Int)] {
        let lines = (summary["scorecard"] as? [String: Any])?["province"] as? [[String: Any]] ?? []
        var result: [String: (Int, Int)] = [:]
        for line in lines {
            result[line["name"] as? String ?? ""] = (line["numerator"] as? Int ?? -1, line["denominator"] as? Int ?? -1)
        }
        return result
    }

    @Test("A published run is kept beside its output directory, as sqlite3 reads it")
    func runIsKept() throws {
        let workspace = DemoWorkspace("history-kept")
        let outcome = try workspace.run()
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        let summary = try workspace.summary()
        let accounting = try #require(summary["accounting"] as? [String: Any])
        #expect(summary["comparison"] is NSNull)
        #expect(try sqlite3(workspace.history, "PRAGMA journal_mode") == ["wal"])
        #expect(try sqlite3(workspace.history, "SELECT pipeline, period_from, period_to, period_kind, exit_status, records_read, rejected, kept, files, configuration_fingerprint FROM runs")
            == ["demo|2022-01-01|2022-12-31|year|0|\(accounting["records_read"]!)|\(accounting["rejected"]!)|\(accounting["kept"]!)|8|\(summary["configuration_fingerprint"] as? String ?? "")"])
        let figures = try FigureTable(path: workspace.output + "/figures.csv")
        #expect(try sqlite3(workspace.history, "SELECT COUNT(*) FROM figures") == [String(figures.rows.count)])
        let kept = try sqlite3(workspace.history, "SELECT measure, numerator, denominator FROM scorecard_over_time WHERE dimension = 'province'")
        #expect(kept.count == 5)
        #expect(Set(kept) == Set(Self.provinceLines(summary).map { "\($0.key)|\($0.value.0)|\($0.value.1)" }))
        // The files are ordinary: the lock and history beside the output, nothing else.
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: workspace.scratch.path)) == ["out", ".out.lock", "history.sqlite"])
    }

    @Test("The period before: summary.json and the printed scorecard show each line's change")
    func periodBefore() throws {
        let workspace = DemoWorkspace("history-before")
        #expect(try workspace.run(Self.year2021).exitCode == 0)
        let before = Self.provinceLines(try workspace.summary())
        let first = try ChildProcess.run(["run", repositoryRoot + "/Pipelines/demo.yaml", "--out", workspace.output, "--xlsx"])
        #expect(first.exitCode == 0, "\(first.stderr)")
        #expect(first.stdout.contains("previous (2021-01-01…2021-12-31)"))
        #expect(first.stdout.contains(" pp"))
        let summary = try workspace.summary()
        let after = Self.provinceLines(summary)
        let comparison = try #require(summary["comparison"] as? [String: Any])
        #expect(comparison["period"] as? [String: String] == ["from": "2021-01-01", "to": "2021-12-31"])
        let lines = try #require((comparison["scorecard"] as? [String: Any])?["province"] as? [[String: Any]])
        #expect(lines.count == 5)
        for line in lines {
            let name = line["name"] as? String ?? ""
            let previous = try #require(before[name])
            #expect(line["previous_numerator"] as? Int == previous.0, "\(name)")
            #expect(line["previous_denominator"] as? Int == previous.1, "\(name)")
            let expected = percentagePoints(before: previous, after: try #require(after[name]))
            #expect((line["change_pp"] as? NSNumber)?.doubleValue == expected, "\(name)")
            if let expected {
                let text = (expected > 0 ? "+" : "") + String(format: "%.2f", expected) + " pp"
                #expect(first.stdout.contains(text), "\(name): \(text)")
            }
        }
        // The report's cards say the same, in its language (Vietnamese: decimal comma, "điểm %").
        let report = try String(contentsOfFile: workspace.output + "/report.html", encoding: .utf8)
        let cards = report.components(separatedBy: "<div class=\"kpi-change").dropFirst()
        #expect(cards.count == 5, "one change line per scorecard card")
        #expect(cards.allSatisfy { $0.contains("01/01/2021 – 31/12/2021") })
        for line in lines {
            guard let expected = (line["change_pp"] as? NSNumber)?.doubleValue else { continue }
            let text = ((expected > 0 ? "+" : "") + String(format: "%.2f", expected)).replacingOccurrences(of: ".", with: ",")
            #expect(report.contains(text + " điểm %"), "\(line["name"] ?? ""): \(text) on the report")
        }
        // The same year again compares with 2021, not with itself.
        #expect(try workspace.run().exitCode == 0)
        let again = try #require(try workspace.summary()["comparison"] as? [String: Any])
        #expect(again["period"] as? [String: String] == ["from": "2021-01-01", "to": "2021-12-31"])
    }

    @Test("--compare picks another period; one the history does not hold shows nothing, with a warning")
    func compareOption() throws {
        let workspace = DemoWorkspace("history-compare")
        #expect(try workspace.run(["--from", "2022-07-01", "--to", "2022-09-30"]).exitCode == 0)
        #expect(try workspace.run(["--compare", "2022-07-01..2022-09-30"]).exitCode == 0)
        let comparison = try #require(try workspace.summary()["comparison"] as? [String: Any])
        #expect(comparison["period"] as? [String: String] == ["from": "2022-07-01", "to": "2022-09-30"])
        let missing = try ChildProcess.run(
            ["run", repositoryRoot + "/Pipelines/demo.yaml", "--out", workspace.output, "--compare", "2019-01-01..2019-12-31"])
        #expect(missing.exitCode == 0)
        #expect(missing.stderr.contains("holds no run of demo for that period"))
        #expect(!missing.stdout.contains("change"))
        #expect(try workspace.summary()["comparison"] is NSNull)
        let bad = try workspace.run(["--compare", "2022-12-31..2022-01-01"])
        #expect(bad.exitCode == 64)
        let off = try workspace.run(["--compare", "2022-07-01..2022-09-30", "--history", "none"])
        #expect(off.exitCode == 64)
        #expect(off.stderr.contains("--compare needs the run history"))
    }

    @Test("--history none keeps none; output.history and --history name the file")
    func historyLocation() throws {
        let workspace = DemoWorkspace("history-location")
        #expect(try workspace.run(["--history", "none"]).exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: workspace.history))
        let pipeline = try read(repositoryRoot + "/Pipelines/demo.yaml")
            .replacingOccurrences(of: "../", with: repositoryRoot + "/")
            .replacingOccurrences(of: "dialects: dialects", with: "dialects: \(repositoryRoot)/Pipelines/dialects")
            .replacingOccurrences(of: "output: { directory: \(repositoryRoot)/out/demo,", with: "output: { directory: out, history: kept/runs.sqlite,")
        try workspace.scratch.write("demo.yaml", pipeline)
        let outcome = try ChildProcess.run(["run", workspace.scratch.path + "/demo.yaml", "--quiet"])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(try sqlite3(workspace.scratch.path + "/kept/runs.sqlite", "SELECT COUNT(*) FROM runs") == ["1"])
        let elsewhere = workspace.scratch.path + "/chosen.sqlite"
        #expect(try ChildProcess.run(["run", workspace.scratch.path + "/demo.yaml", "--quiet", "--history", elsewhere]).exitCode == 0)
        #expect(try sqlite3(elsewhere, "SELECT pipeline FROM runs") == ["demo"])
        #expect(try sqlite3(workspace.scratch.path + "/kept/runs.sqlite", "SELECT COUNT(*) FROM runs") == ["1"])
    }

    @Test("A history written by a newer onestop, or a file that is not one, is refused before reading and left as it is",
          arguments: ["newer", "foreign"])
    func refusedHistory(kind: String) throws {
        let workspace = DemoWorkspace("history-refused")
        if kind == "newer" {
            #expect(try workspace.run(["--history", workspace.history, "--out", workspace.scratch.path + "/first"]).exitCode == 0)
            _ = try sqlite3(workspace.history, "INSERT INTO schema_version VALUES (9, 'later', '2030-01-01T00:00:00.000000Z')")
        } else {
            try workspace.scratch.write("history.sqlite", "year,figure\n2021,0.75\n")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: workspace.history))
        let outcome = try workspace.run()
        #expect(outcome.exitCode == 73)
        #expect(outcome.stderr.contains(workspace.history))
        #expect(outcome.stderr.contains(kind == "newer" ? "was written by a newer onestop (its schema is version 9" : "is not an onestop history"))
        #expect(!FileManager.default.fileExists(atPath: workspace.output))
        #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.history)) == before)
    }

    @Test("onestop history lists the runs and prints one measure over time as CSV")
    func historyCommand() throws {
        let workspace = DemoWorkspace("history-command")
        #expect(try workspace.run(Self.year2021).exitCode == 0)
        let before = Self.provinceLines(try workspace.summary())["on_time_rate"]!
        #expect(try workspace.run().exitCode == 0)
        let after = Self.provinceLines(try workspace.summary())["on_time_rate"]!
        let list = try OneStopCommand.run(["history", workspace.history, "--list"])
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[1].contains("demo") && lines[1].contains("2021-01-01..2021-12-31") && lines[1].hasPrefix("*"))
        #expect(lines[2].contains("demo") && lines[2].contains("2022-01-01..2022-12-31"))
        let series = try OneStopCommand.run(["history", workspace.history, "--measure", "on_time_rate", "--scope", "province"])
        #expect(series.status == 0)
        func value(_ pair: (Int, Int)) -> String { String(format: "%.4f", Double(pair.0) / Double(pair.1)) }
        #expect(series.stdout == """
            pipeline,period_from,period_to,dimension,key,measure,numerator,denominator,value
            demo,2021-01-01,2021-12-31,province,ALL,on_time_rate,\(before.0),\(before.1),\(value(before))
            demo,2022-01-01,2022-12-31,province,ALL,on_time_rate,\(after.0),\(after.1),\(value(after))

            """)
        let missing = try OneStopCommand.run(["history", workspace.scratch.path + "/none.sqlite", "--list"])
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: workspace.scratch.path + "/none.sqlite"))
    }

    /// Every table of a history, as text, without the columns that say when it was written.
    static func dump(_ history: String) throws -> [String] {
        try sqlite3(history, """
            SELECT 'run', identity, pipeline, period_from, period_to, period_kind, timezone, as_of, configuration_fingerprint,
                   inputs_sha256, exit_status, files, failed_files, records_read, rejected, superseded, not_accepted, kept,
                   dossiers, problems FROM runs ORDER BY identity
            """)
            + (try sqlite3(history, "SELECT 'figure', scope, dimension, key, measure, numerator, denominator, value, target, met FROM figures ORDER BY rowid"))
            + (try sqlite3(history, "SELECT 'file', path, source, bytes, sha256, status, export_time, records, rejected, error, line FROM files ORDER BY rowid"))
            + (try sqlite3(history, "SELECT 'reject', file, line, dossier_id, field, reason FROM rejects ORDER BY rowid"))
            + (try sqlite3(history, "SELECT 'dossier', * FROM dossiers ORDER BY rowid"))
    }

    @Test("onestop sink OUTDIR --history keeps exactly what the run kept, from the output set alone")
    func sinkIntoHistory() throws {
        let workspace = DemoWorkspace("history-sink")
        #expect(try workspace.run().exitCode == 0)
        let other = workspace.scratch.path + "/other.sqlite"
        let sent = try OneStopCommand.run(["sink", workspace.output, "--history", other])
        #expect(sent.status == 0, "\(sent.stderr)")
        let original = try Self.dump(workspace.history)
        #expect(original.count > 3000)
        #expect(try Self.dump(other) == original)
        // Sent again: the same run, replaced, not doubled.
        #expect(try OneStopCommand.run(["sink", workspace.output, "--history", other]).status == 0)
        #expect(try Self.dump(other) == original)
        let missing = try OneStopCommand.run(["sink", workspace.scratch.path + "/nothing", "--history", other])
        #expect(missing.status == 66)
        let noTarget = try OneStopCommand.run(["sink", workspace.output])
        #expect(noTarget.status == 64)
    }

    @Test("onestop merge keeps the run in the history exactly as onestop run does")
    func mergeKeepsAsRunDoes() throws {
        let direct = DemoWorkspace("history-direct")
        #expect(try direct.run().exitCode == 0)
        let merged = DemoWorkspace("history-merged")
        for shard in 1...2 {
            let outcome = try ChildProcess.run([
                "run", repositoryRoot + "/Pipelines/demo.yaml", "--shard", "\(shard)/2", "--partial",
                merged.scratch.path + "/part\(shard).json", "--quiet",
            ])
            #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: merged.history))
        let outcome = try ChildProcess.run([
            "merge", repositoryRoot + "/Pipelines/demo.yaml", merged.scratch.path + "/part1.json",
            merged.scratch.path + "/part2.json", "--out", merged.output, "--quiet",
        ])
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        #expect(try Self.dump(merged.history) == Self.dump(direct.history))
    }
}
