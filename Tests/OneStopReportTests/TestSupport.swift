import Foundation
import Logging
import OneStopAggregate
import OneStopEmit
import OneStopModel
import OneStopPipeline
@testable import OneStopReport

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A hand-built report with what a renderer gets wrong: Vietnamese text (composed), a name with
/// `<`, `&` and quotes, agencies of two levels, a ratio with denominator 0, a reject whose reason
/// holds a comma and quotes, months before and in the period.
func sampleReport() -> RunReport {
    let good = ProgressCounters(
        receivedOnline: 6, receivedInPersonPost: 4, carriedOver: 0, resolvedEarly: 8, resolvedOnTime: 2, postal: 3, digitised: 10)
    let weak = ProgressCounters(
        receivedOnline: 1, receivedInPersonPost: 3, carriedOver: 1, resolvedEarly: 1, resolvedOnTime: 1, resolvedLate: 2,
        inProgressOverdue: 1, postal: 0, digitised: 2)
    let carried = ProgressCounters(carriedOver: 2, resolvedLate: 1, inProgressWithin: 1)
    let province = good + weak + carried
    let scorecard = Scorecard(
        province: [
            ScorecardLine(measure: .onlineProcedureCoverage, value: Fraction(2, 3), target: Fraction(1, 2)),
            ScorecardLine(measure: .onlineDossierShare, value: Fraction(7, 14), target: Fraction(55, 100)),
            ScorecardLine(measure: .postalProcedureCoverage, value: Fraction(0, 0), target: Fraction(1, 2)),
            ScorecardLine(measure: .onTimeRate, value: Fraction(13, 19), target: Fraction(999, 1000)),
            ScorecardLine(measure: .digitisationRate, value: Fraction(12, 14), target: nil),
        ],
        byLevel: Level.allCases.map { level in
            LevelScorecard(level: level, lines: ScorecardMeasure.allCases.map {
                ScorecardLine(measure: $0, value: level == .commune ? Fraction(0, 0) : Fraction(1, 2), target: Fraction(1, 2))
            })
        })
    let aggregation = Aggregation(
        progress: [
            ProgressRow(dimension: .province, key: "ALL", counters: province),
            ProgressRow(dimension: .level, key: "district", counters: weak + carried),
            ProgressRow(dimension: .level, key: "province", counters: good),
            ProgressRow(dimension: .field, key: "", counters: carried),
            ProgressRow(dimension: .agency, key: "000.00.21.H55", counters: weak + carried),
            ProgressRow(dimension: .agency, key: "SỞ XÂY DỰNG", counters: good),
            ProgressRow(dimension: .procedure, key: "1.004227", counters: weak),
            ProgressRow(dimension: .procedure, key: "2.000488", counters: good + carried),
        ],
        procedures: [
            ProcedureRow(agency: "000.00.21.H55", procedure: "1.004227", procedureName: "Cấp giấy phép xây dựng", counters: weak),
            ProcedureRow(agency: "000.00.21.H55", procedure: "2.000488", procedureName: "Đăng ký <kết hôn> & \"ly hôn\", lần 2",
                         counters: carried),
            ProcedureRow(agency: "SỞ XÂY DỰNG", procedure: "2.000488", procedureName: "Đăng ký <kết hôn> & \"ly hôn\", lần 2",
                         counters: good),
        ],
        agencies: [
            AgencyRow(agency: "000.00.21.H55", level: .district, counters: weak + carried),
            AgencyRow(agency: "SỞ XÂY DỰNG", level: .province, counters: good),
            AgencyRow(agency: "UBND XÃ TÂN CƯƠNG", level: .commune, counters: carried),
        ],
        monthly: [
            MonthRow(month: "2021-12", counters: carried),
            MonthRow(month: "2022-01", counters: good),
            MonthRow(month: "2022-02", counters: weak),
        ],
        scorecard: scorecard,
        agencyScorecards: [
            sampleAgencyScorecard("000.00.21.H55", dossiers: 12, rank: 2, value: Fraction(5, 12)),
            sampleAgencyScorecard("SỞ XÂY DỰNG", dossiers: 10, rank: 1, value: Fraction(9, 10)),
            sampleAgencyScorecard("UBND XÃ TÂN CƯƠNG", dossiers: 3, rank: nil, value: Fraction(1, 3)),
        ],
        lateByAgency: [
            // 000.00.21.H55 has 3 resolved late and 1 overdue (weak + carried): 3 listed, 1 more in dossiers.csv.
            "000.00.21.H55": [
                LateDossier(source: "huyen", dossierID: "H-9", procedure: "1.004227", overdue: true, daysLate: 12),
                LateDossier(source: "huyen", dossierID: "H-3", procedure: "1.004227", overdue: false, daysLate: 3),
                LateDossier(source: "huyen", dossierID: "H-7", procedure: "2.000488", overdue: false, daysLate: nil),
            ],
        ])
    let accounting = RunAccounting(
        recordsRead: 30, rejected: 3, rejectedByReason: [:], superseded: 2, notAccepted: 1, kept: 24,
        files: [
            FileReport(path: "tinh/a.xml", source: "tinh", bytes: 2_345_678, sha256: "ab", status: .ok, records: 20, rejected: 2),
            FileReport(path: "huyen/b.xml.gz", source: "huyen", bytes: 999, sha256: "cd", status: .ok, records: 10, rejected: 1),
            FileReport(path: "huyen/broken.xml", source: "huyen", bytes: 10, sha256: "ef", status: .failed,
                       error: "XML error: unclosed token", line: 98),
        ])
    return RunReport(
        period: Period(from: LocalDate(year: 2022, month: 1, day: 1)!, to: LocalDate(year: 2022, month: 2, day: 28)!),
        timezone: "Asia/Ho_Chi_Minh", accounting: accounting,
        warnings: RunWarnings(noDueDate: ["tinh:A"], unknownProcedures: ["9.9": 1]),
        aggregation: aggregation,
        rejects: [
            Reject(file: "tinh/a.xml", line: 1200, dossierID: "X-2", field: "NgayHenTra", reason: .dueBeforeReceived),
            Reject(file: "tinh/a.xml", line: 7, dossierID: nil, field: "NgayTiepNhan", reason: .unparseableDate("13/13/2022, \"x\"")),
            Reject(file: "huyen/b.xml.gz", line: 40, dossierID: "H-1", field: "KenhThucHien", reason: .unmappedCode("zalo")),
        ],
        rules: Rules())
}

/// An agency's five lines, all of `value` against the sample's targets, resting on `dossiers`.
func sampleAgencyScorecard(_ agency: String, dossiers: Int, rank: Int?, value: Fraction) -> AgencyScorecard {
    let targets: [ScorecardMeasure: Fraction] = [
        .onlineProcedureCoverage: Fraction(1, 2), .onlineDossierShare: Fraction(55, 100),
        .postalProcedureCoverage: Fraction(1, 2), .onTimeRate: Fraction(999, 1000),
    ]
    return AgencyScorecard(agency: agency, dossiers: dossiers, lines: ScorecardMeasure.allCases.map {
        AgencyScorecardLine(line: ScorecardLine(measure: $0, value: value, target: targets[$0]), dossiers: dossiers, rank: rank)
    })
}

/// The demo pipeline run in-process into a fresh temporary directory; returns the directory.
func runDemo(xlsx: Bool = true, language: ReportLanguage? = nil, jobs: Int = 2, dossiers: Bool = false) throws -> String {
    let configuration = try PipelineFile.load(path: repositoryRoot + "/Pipelines/demo.yaml")
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-report-\(UUID().uuidString)").path
    let options = RunOptions(outputDirectory: output, jobs: jobs, monthly: true, xlsx: xlsx, language: language,
                             dossiers: dossiers ? true : nil)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    _ = try PipelineRunner(configuration: configuration, options: options, logger: logger).run()
    return output
}

func bytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Parses RFC 4180 CSV as `CSVWriter` writes it (LF or CRLF, optional BOM).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var scalars = Array(text.unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var index = 0
    while index < scalars.count {
        let scalar = scalars[index]
        if quoted {
            if scalar == "\"" {
                if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                    field.unicodeScalars.append("\"")
                    index += 1
                } else {
                    quoted = false
                }
            } else {
                field.unicodeScalars.append(scalar)
            }
        } else if scalar == "\"" {
            quoted = true
        } else if scalar == "," {
            row.append(field)
            field = ""
        } else if scalar == "\n" {
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else if scalar != "\r" {
            field.unicodeScalars.append(scalar)
        }
        index += 1
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    return rows
}

/// Runs a program and returns its exit status and standard output.
func runProgram(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-out-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
}

/// Whether `text` holds `part` byte for byte in UTF-8: unlike `String.contains`, tells composed
/// Vietnamese (NFC) from decomposed.
func containsBytes(_ text: String, _ part: String) -> Bool {
    let haystack = Array(text.utf8)
    let needle = Array(part.utf8)
    guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if Array(haystack[start..<start + needle.count]) == needle { return true }
    }
    return false
}
