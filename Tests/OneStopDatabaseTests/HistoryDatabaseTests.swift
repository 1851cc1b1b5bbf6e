import Foundation
import OneStopEmit
import OneStopModel
import Testing
@testable import OneStopDatabase
@testable import OneStopHistory

/// The run history, written through GRDB and read back with the `sqlite3` command-line tool: an
/// ordinary SQLite file any tool can open.
@Suite struct HistoryDatabaseTests {
    @Test("A new history is an SQLite file in WAL mode with the schema's tables, views and version")
    func newHistory() throws {
        let folder = Folder("history-new")
        let history = try HistoryDatabase(path: folder.file("history.sqlite"))
        try history.append(sampleRecord())
        let file = history.path
        #expect(try sqlite3(file, "PRAGMA journal_mode") == ["wal"])
        #expect(try sqlite3(file, "PRAGMA integrity_check") == ["ok"])
        #expect(try sqlite3(file, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            == ["dossiers", "figures", "files", "rejects", "runs", "schema_version"])
        #expect(try sqlite3(file, "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")
            == ["latest_runs", "scorecard_over_time"])
        #expect(try sqlite3(file, "SELECT group_concat(version) FROM schema_version") == ["1,2"])
        #expect(DatabaseSchema.currentVersion == 2)
    }

    @Test("Every figure, file, reject and the run's own row come back as written")
    func roundTrip() throws {
        let folder = Folder("history-round-trip")
        let record = sampleRecord()
        try HistoryDatabase(path: folder.file("h.sqlite")).append(record, recordedAt: "2023-01-20T01:02:03.000004Z")
        let file = folder.file("h.sqlite")
        let figures = try sqlite3(file, """
            SELECT scope, dimension, key, measure, numerator, ifnull(denominator, 'null'), ifnull(value, 'null'),
                   ifnull(target, 'null'), ifnull(met, 'null') FROM figures ORDER BY rowid
            """)
        #expect(figures.count == record.figures.count)
        for (line, figure) in zip(figures, record.figures) {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            #expect(Array(fields.prefix(5)) == [figure.scope, figure.dimension, figure.key, figure.measure, String(figure.numerator)])
            #expect(fields[5] == figure.denominator.map(String.init) ?? "null")
            // NUMERIC columns: the same number, whatever SQLite's text for it.
            #expect(fields[6] == "null" ? figure.value == nil : Double(fields[6]) == figure.value.flatMap(Double.init))
            #expect(fields[7] == "null" ? figure.target == nil : Double(fields[7]) == figure.target.flatMap(Double.init))
            #expect(fields[8] == (figure.met.map { $0 ? "1" : "0" } ?? "null"))
        }
        #expect(try sqlite3(file, "SELECT path, source, bytes, sha256, status, ifnull(export_time, '-'), records, rejected, ifnull(error, '-'), ifnull(line, '-') FROM files ORDER BY rowid")
            == ["tinh/a.xml|tinh|1234|aa|ok|2022-07-04T02:00:00+07:00|12|1|-|-",
                "tinh/bad.xml|tinh|10|cd34|failed|-|0|0|XML error: unclosed token|98"])
        #expect(try sqlite3(file, "SELECT file, line, dossier_id, field, reason FROM rejects")
            == ["tinh/a.xml|7|X\t1|NgayTiepNhan|unparseable date: '2022-13-01, \"x\"\\'"])
        #expect(try sqlite3(file, """
            SELECT identity, pipeline, period_from, period_to, period_kind, timezone, ifnull(as_of, '-'), recorded_at,
                   configuration_fingerprint, inputs_sha256, exit_status, files, failed_files, records_read, rejected,
                   superseded, not_accepted, kept, ifnull(dossiers, '-'), replace(problems, char(10), '/') FROM runs
            """)
            == ["\(record.run.identity.digest)|tinh|2022-01-01|2022-12-31|year|Asia/Ho_Chi_Minh|-|2023-01-20T01:02:03.000004Z|f1|"
                + "\(record.run.identity.inputsSHA256)|65|2|1|12|1|1|2|8|-|1 file(s) could not be read to their end/second line"])
    }

    @Test("The same run kept again replaces itself; another run is kept beside it")
    func sameRunReplaces() throws {
        let folder = Folder("history-replace")
        let history = try HistoryDatabase(path: folder.file("h.sqlite"))
        try history.append(sampleRecord())
        try history.append(sampleRecord())
        let file = history.path
        #expect(try sqlite3(file, "SELECT COUNT(*) FROM runs") == ["1"])
        #expect(try sqlite3(file, "SELECT COUNT(*) FROM figures") == [String(sampleRecord().figures.count)])
        try history.append(sampleRecord(inputs: "bb"))
        #expect(try sqlite3(file, "SELECT COUNT(*) FROM runs") == ["2"])
        // Both are of one pipeline and period: the one kept last is the latest.
        #expect(try sqlite3(file, "SELECT inputs_sha256 = '\(sampleRecord(inputs: "bb").run.identity.inputsSHA256)' FROM latest_runs") == ["1"])
        #expect(try sqlite3(file, "SELECT COUNT(*) FROM scorecard_over_time") == ["6"])
    }

    @Test("Dossiers: every row, whole-number columns as numbers, the run's count")
    func dossiers() throws {
        let folder = Folder("history-dossiers")
        let rows = [dossierRow("D1", supplements: "2", daysLate: "5"), dossierRow("D, \"2\"\n", supplements: "0", daysLate: "")]
        let history = try HistoryDatabase(path: folder.file("h.sqlite"))
        try history.append(sampleRecord(dossiers: rows))
        let file = history.path
        #expect(try sqlite3(file, "SELECT dossiers FROM runs") == ["2"])
        #expect(try sqlite3(file, "SELECT dossier_id, typeof(supplement_requests), supplement_requests, typeof(days_late), ifnull(days_late, '-'), received FROM dossiers ORDER BY rowid")
            == ["D1|integer|2|integer|5|2022-03-01T08:30:00+07:00", "D, \"2\"", "|integer|0|null|-|2022-03-01T08:30:00+07:00"])
    }

    @Test("A dossier row that cannot be written leaves the history as it was")
    func failedRunLeavesNothing() throws {
        let folder = Folder("history-rollback")
        let history = try HistoryDatabase(path: folder.file("h.sqlite"))
        try history.append(sampleRecord())
        #expect {
            try history.append(sampleRecord(inputs: "bb", dossiers: [dossierRow("D1", daysLate: "five")]))
        } throws: { error in
            "\(error)".contains("days_late is 'five', not a whole number")
        }
        #expect(try sqlite3(history.path, "SELECT COUNT(*), SUM(inputs_sha256 = '\(sampleRecord().run.identity.inputsSHA256)') FROM runs") == ["1|1"])
        #expect(try sqlite3(history.path, "SELECT COUNT(*) FROM figures") == [String(sampleRecord().figures.count)])
    }

    @Test("An older history (schema version 1, as an earlier onestop wrote it) is migrated, its runs kept")
    func olderIsMigrated() throws {
        let folder = Folder("history-older")
        let file = folder.file("h.sqlite")
        let version1 = DatabaseSchema.migrations(for: .sqlite).filter { $0.version == 1 }
        let script = ([DatabaseSchema.versionTable(.sqlite)] + version1.flatMap(\.statements)).joined(separator: ";\n") + """
            ;
            INSERT INTO schema_version VALUES (1, 'runs, figures, files, rejects, dossiers', '2022-01-01T00:00:00.000000Z');
            INSERT INTO runs VALUES (7, 'old', 'tinh', '2021-01-01', '2021-12-31', 'year', 'Asia/Ho_Chi_Minh', NULL,
                '2022-01-05T00:00:00.000000Z', 'f0', 'i0', 0, 1, 0, 4, 0, 0, 0, 4, NULL, '');
            INSERT INTO figures VALUES (7, 'scorecard', 'province', 'ALL', 'on_time_rate', 1, 4, 0.25, 0.999, 0);
            """
        _ = try sqlite3(file, script)
        #expect(try sqlite3(file, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'view'") == ["0"])
        let history = try HistoryDatabase(path: file)
        #expect(try sqlite3(file, "SELECT group_concat(version) FROM schema_version") == ["1,2"])
        #expect(try sqlite3(file, "SELECT identity FROM latest_runs") == ["old"])
        let earlier = try #require(try history.scorecard(pipeline: "tinh", period: period("2021-01-01", "2021-12-31")))
        #expect(earlier.map(\.numerator) == [1])
        try history.append(sampleRecord())
        #expect(try sqlite3(file, "SELECT COUNT(*) FROM runs") == ["2"])
    }

    @Test("A history written by a newer onestop is refused and left as it is")
    func newerIsRefused() throws {
        let folder = Folder("history-newer")
        let file = folder.file("h.sqlite")
        _ = try sqlite3(file, DatabaseSchema.creation(.sqlite).joined(separator: ";\n")
            + ";\nINSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00.000000Z');")
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(throws: DatabaseError.newerSchema(database: "the run history \(file)", found: 99, known: DatabaseSchema.currentVersion)) {
            try HistoryDatabase(path: file)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
        #expect(!FileManager.default.fileExists(atPath: file + "-wal"))
        #expect(try sqlite3(file, "PRAGMA journal_mode") == ["delete"])
    }

    @Test("A file that is not an onestop history is refused and left as it is", arguments: ["text", "other tables"])
    func foreignIsRefused(kind: String) throws {
        let folder = Folder("history-foreign")
        let file = folder.file("h.sqlite")
        if kind == "text" {
            try Data("quarterly notes\n".utf8).write(to: URL(fileURLWithPath: file))
        } else {
            _ = try sqlite3(file, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me');")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect {
            try HistoryDatabase(path: file)
        } throws: { error in
            guard case .foreign(let database, let reason)? = error as? DatabaseError else { return false }
            return database.contains(file) && (kind == "text" ? reason.contains("not an SQLite database") : reason.contains("notes"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
        #expect(!FileManager.default.fileExists(atPath: file + "-wal"))
    }

    @Test("The period before: the scorecard of the latest run of that exact period")
    func periodBefore() throws {
        let folder = Folder("history-before")
        let history = try HistoryDatabase(path: folder.file("h.sqlite"))
        let year2021 = period("2021-01-01", "2021-12-31")
        try history.append(sampleRecord(period: year2021, inputs: "first", onTime: (1, 4)))
        try history.append(sampleRecord(period: year2021, inputs: "second", onTime: (2, 4)))
        try history.append(sampleRecord(pipeline: "other", period: year2021, inputs: "third", onTime: (3, 4)))
        try history.append(sampleRecord())
        let rows = try #require(try history.scorecard(pipeline: "tinh", period: year2021))
        let comparison = PeriodComparison(period: year2021, figures: rows)
        #expect(comparison.previous(.onTimeRate)?.value == Fraction(2, 4))
        #expect(comparison.previous(.onTimeRate)?.target == Fraction(999, 1000))
        #expect(comparison.scorecard.province.map(\.measure) == ScorecardMeasure.allCases)
        #expect(comparison.previous(.onTimeRate, level: .district)?.value == Fraction(0, 0))
        #expect(comparison.previous(.onTimeRate, level: .province) == nil)
        #expect(try history.scorecard(pipeline: "tinh", period: period("2020-01-01", "2020-12-31")) == nil)
        #expect(try history.scorecard(pipeline: "tinh", period: period("2021-01-01", "2021-06-30")) == nil)
    }

    @Test("One measure over time: the latest run of each period, oldest first")
    func series() throws {
        let folder = Folder("history-series")
        let history = try HistoryDatabase(path: folder.file("h.sqlite"))
        try history.append(sampleRecord(period: period("2022-01-01", "2022-12-31"), onTime: (3, 4)))
        try history.append(sampleRecord(period: period("2021-01-01", "2021-12-31"), inputs: "x", onTime: (1, 3)))
        try history.append(sampleRecord(pipeline: "other", inputs: "y"))
        let points = try history.series(measure: "on_time_rate", dimension: "province", pipeline: "tinh")
        #expect(points.map(\.periodFrom) == ["2021-01-01", "2022-01-01"])
        #expect(points.map(\.value) == ["0.3333", "0.7500"])
        let counts = try history.series(measure: "total", dimension: "province", pipeline: nil)
        #expect(counts.map(\.pipeline) == ["other", "tinh", "tinh"])
        #expect(counts.map(\.value) == ["8", "8", "8"])
        #expect(try history.runs().map(\.pipeline) == ["other", "tinh", "tinh"])
    }
}
