import Foundation
import OneStopEmit
import OneStopModel
import Testing
@testable import OneStopDatabase

func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

func period(_ from: String, _ to: String) -> Period { Period(from: day(from), to: day(to)) }

/// A scratch folder, removed when the value goes away.
final class Folder {
    let path: String

    init(_ name: String) {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-\(name)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A small run: `figures` rows of scope `progress` plus the five province-wide scorecard lines
/// (on_time_rate at `onTime`), two files, one reject with awkward text, and `dossiers` when given.
func sampleRecord(
    pipeline: String = "tinh", period: Period = period("2022-01-01", "2022-12-31"), inputs: String = "aa",
    onTime: (Int, Int) = (3, 4), dossiers: [[String]]? = nil
) -> RunRecord {
    var figures = [
        FigureRow(scope: "progress", dimension: "province", key: "ALL", measure: "total", numerator: 8,
                  denominator: nil, value: "8", target: nil, met: nil),
        FigureRow(scope: "progress", dimension: "agency", key: "AG, \"quoted\"", measure: "on_time_rate", numerator: 1,
                  denominator: 3, value: "0.3333", target: nil, met: nil),
    ]
    for measure in ScorecardMeasure.allCases {
        let (numerator, denominator) = measure == .onTimeRate ? onTime : (1, 2)
        figures.append(FigureRow(
            scope: "scorecard", dimension: "province", key: "ALL", measure: measure.rawValue, numerator: numerator,
            denominator: denominator, value: Fraction(numerator, denominator).formatted(places: 4), target: "0.999",
            met: false))
    }
    figures.append(FigureRow(
        scope: "scorecard", dimension: "level", key: "district", measure: "on_time_rate", numerator: 0, denominator: 0,
        value: nil, target: "0.999", met: nil))
    let files = [
        FileReport(path: "tinh/a.xml", source: "tinh", bytes: 1234, sha256: inputs, status: .ok,
                   exportTime: "2022-07-04T02:00:00+07:00", records: 12, rejected: 1),
        FileReport(path: "tinh/bad.xml", source: "tinh", bytes: 10, sha256: "cd34", status: .failed,
                   error: "XML error: unclosed token", line: 98),
    ]
    let run = RunRow(
        identity: RunIdentity(pipeline: pipeline, period: period, configurationFingerprint: "f1", files: files),
        pipeline: pipeline, period: period, timezone: "Asia/Ho_Chi_Minh", asOf: nil, exitStatus: 65,
        accounting: RunRow.Accounting(files: 2, failedFiles: 1, recordsRead: 12, rejected: 1, superseded: 1,
                                      notAccepted: 2, kept: 8),
        dossiers: dossiers?.count, problems: ["1 file(s) could not be read to their end", "second line"])
    let rejects = [RejectRow(file: "tinh/a.xml", line: 7, dossierID: "X\t1", field: "NgayTiepNhan",
                             reason: "unparseable date: '2022-13-01, \"x\"\\'")]
    let source = dossiers.map { rows in
        DossierSource(DossierRows(count: rows.count) { visit throws(EmitError) in
            for row in rows { try visit(row) }
        })
    }
    return RunRecord(run: run, figures: figures, files: files, rejects: rejects, dossiers: source)
}

/// A dossiers.csv row: `DossierRows.columns` with `supplement_requests` and `days_late` given.
func dossierRow(_ id: String, supplements: String = "0", daysLate: String = "") -> [String] {
    DossierRows.columns.map { column in
        switch column {
        case "source": "tinh"
        case "dossier_id": id
        case "supplement_requests": supplements
        case "days_late": daysLate
        case "received": "2022-03-01T08:30:00+07:00"
        default: "\(column) of \(id)"
        }
    }
}

/// Runs the `sqlite3` command-line tool on `file` — an independent reader of the history — and
/// returns its output lines (`|` between columns).
func sqlite3(_ file: String, _ sql: String) throws -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sqlite3", "-batch", "-noheader", "-separator", "|", file, sql]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let message = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw SQLite3Failure(message: String(decoding: message, as: UTF8.self))
    }
    return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

struct SQLite3Failure: Error, CustomStringConvertible {
    var message: String
    var description: String { "sqlite3 failed (make test installs it: apt-get install sqlite3): \(message)" }
}
