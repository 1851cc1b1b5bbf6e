import Foundation
#if canImport(Glibc)
import Glibc
#endif
import OneStopAggregate
import OneStopModel
@testable import OneStopEmit

/// A small hand-built report: two progress rows, one procedure row, one agency row, one month,
/// two rejects, a scorecard with a met, a missed and an empty line.
func sampleReport(identityFailures: [String] = [], warnings: RunWarnings? = nil) -> RunReport {
    // ALL: 3 online + 4 in person/post + 1 carried = 8 = 5 resolved + 3 in progress.
    let province = ProgressCounters(
        receivedOnline: 3, receivedInPersonPost: 4, carriedOver: 1, resolvedEarly: 2, resolvedOnTime: 2,
        resolvedLate: 1, inProgressWithin: 2, inProgressOverdue: 1, postal: 2, digitised: 5)
    let carriedOnly = ProgressCounters(carriedOver: 1, inProgressWithin: 1)
    let scorecard = Scorecard(
        province: [
            ScorecardLine(measure: .onlineProcedureCoverage, value: Fraction(122, 221), target: Fraction(1, 2)),
            ScorecardLine(measure: .onlineDossierShare, value: Fraction(0, 0), target: Fraction(11, 20)),
            ScorecardLine(measure: .postalProcedureCoverage, value: Fraction(58, 190), target: nil),
            ScorecardLine(measure: .onTimeRate, value: Fraction(998, 1000), target: Fraction(999, 1000)),
            ScorecardLine(measure: .digitisationRate, value: Fraction(2, 3), target: Fraction(1, 1)),
        ],
        byLevel: Level.allCases.sorted().map { level in
            LevelScorecard(level: level, lines: ScorecardMeasure.allCases.map {
                ScorecardLine(measure: $0, value: Fraction(level == .province ? 1 : 0, 1), target: Fraction(1, 2))
            })
        })
    let aggregation = Aggregation(
        progress: [
            ProgressRow(dimension: .province, key: "ALL", counters: province),
            ProgressRow(dimension: .agency, key: "AG, \"quoted\"", counters: carriedOnly),
        ],
        procedures: [ProcedureRow(agency: "AG1", procedure: "1.004227", procedureName: "Cấp giấy phép xây dựng",
                                  counters: province)],
        agencies: [AgencyRow(agency: "AG1", level: .district, counters: province)],
        monthly: [MonthRow(month: "2022-03", counters: province)],
        scorecard: scorecard,
        identityFailures: identityFailures)
    let accounting = RunAccounting(
        recordsRead: 12, rejected: 2, rejectedByReason: ["missing dossier id": 1, "due date before received date": 1],
        superseded: 1, notAccepted: 1, kept: 8,
        files: [
            FileReport(path: "tinh/a.xml", source: "tinh", bytes: 1234, sha256: "ab12", status: .ok,
                       exportTime: "2022-07-04T02:00:00+07:00", records: 12, rejected: 2),
            FileReport(path: "tinh/bad.xml", source: "tinh", bytes: 10, sha256: "cd34", status: .failed,
                       error: "XML error: unclosed token", line: 98),
            FileReport(path: "tinh/old.xml", source: "tinh", bytes: 0, sha256: "e3b0", status: .ok),
        ])
    return RunReport(
        period: Period(from: LocalDate(year: 2022, month: 1, day: 1)!, to: LocalDate(year: 2022, month: 12, day: 31)!),
        timezone: "Asia/Ho_Chi_Minh", accounting: accounting,
        warnings: warnings ?? RunWarnings(
            noDueDate: ["huyen:A", "tinh:B"], unknownProcedures: ["9.999002": 2, "1.000001": 1],
            exportTimeFromModificationTime: ["tinh/old.xml"]),
        aggregation: aggregation,
        rejects: [
            Reject(file: "tinh/b.xml", line: 40, dossierID: nil, field: "MaHoSo", reason: .missingDossierID),
            Reject(file: "tinh/a.xml", line: 120, dossierID: "X-2", field: "NgayHenTra", reason: .dueBeforeReceived),
            Reject(file: "tinh/a.xml", line: 7, dossierID: "X-1", field: "NgayTiepNhan",
                   reason: .unparseableDate("2022-13-01, \"x\"")),
        ].sorted(by: Reject.ordered),
        rules: Rules())
}

/// The inode of a path: tells a swapped directory from the same one with new files.
func inode(of path: String) -> UInt64? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt64(info.st_ino)
}

func text(_ file: OutputFile) -> String {
    String(decoding: file.contents, as: UTF8.self)
}

func file(_ name: String, in files: [OutputFile]) -> OutputFile? {
    files.first { $0.name == name }
}

/// A fresh directory under the system's temporary directory, removed by `cleanUp()`.
struct ScratchDirectory {
    let path: String

    init() {
        path = FileManager.default.temporaryDirectory.path + "/onestop-emit-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func contents(_ relative: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path + "/" + relative)) ?? []).sorted()
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
    }

    func write(_ relative: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: path + "/" + relative, contents: Data(text.utf8))
    }
}

extension OutputSet {
    /// The CSV and JSON files of a report in writing order, as a run writes them (the report
    /// files, which OneStopReport adds, left out).
    static func render(_ report: RunReport, options: OutputOptions) -> [OutputFile] {
        [progress(report, options: options), procedures(report, options: options), agencies(report, options: options)]
            + (options.monthly ? [monthly(report, options: options)] : [])
            + [FiguresTable.render(report, options: options)]
            + (options.dossiers ? [dossiers(report, options: options)].compactMap { $0 } : [])
            + [rejects(report, options: options), summary(report)]
    }
}

extension OutputPublisher {
    /// Renders and publishes a report's CSV and JSON files.
    func publish(_ report: RunReport, options: OutputOptions, holding lock: OutputLock? = nil) throws(EmitError) {
        try publish(OutputSet.render(report, options: options), holding: lock)
    }
}
