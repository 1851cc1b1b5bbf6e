import Foundation
import Logging
import OneStopModel
import Testing
@testable import OneStopPipeline

/// The runner on small files written by the test: dedupe across files (R6), the
/// modification-time fallback, failed files contributing nothing (R8), accounting (R7).
@Suite("Pipeline runner")
struct PipelineRunnerTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-runner-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/x", withIntermediateDirectories: true)
        try "code,name,field,level,online,postal\n1.1,Thủ tục một,XD,province,full,yes\n"
            .write(toFile: folder + "/catalogue.csv", atomically: true, encoding: .utf8)
    }

    func export(_ name: String, exportedAt: String?, statuses: [(id: String, status: Int)], brokenAtEnd: Bool = false) throws {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DanhSachHoSo\(exportedAt.map { " NgayXuat=\"\($0)\"" } ?? "")>\n"
        for (id, status) in statuses {
            xml += """
                <HoSo><MaHoSo>\(id)</MaHoSo><MaTTHC>1.1</MaTTHC><DonViXuLy>A</DonViXuLy><KenhThucHien>2</KenhThucHien>
                <TrangThaiHoSo>\(status)</TrangThaiHoSo><NgayTiepNhan>20220301090000</NgayTiepNhan>
                <NgayHenTra>20220310170000</NgayHenTra>\(status >= 7 ? "<NgayKetThucXuLy>20220305090000</NgayKetThucXuLy>" : "")</HoSo>

                """
        }
        xml += brokenAtEnd ? "<HoSo><MaHoSo>cut" : "</DanhSachHoSo>\n"
        try xml.write(toFile: folder + "/x/" + name, atomically: true, encoding: .utf8)
    }

    func run() throws -> RunResult {
        let yaml = """
            pipeline: t
            period: { from: 2022-01-01, to: 2022-12-31 }
            timezone: Asia/Ho_Chi_Minh
            catalogue: catalogue.csv
            dialects: \(repositoryRoot)/Pipelines/dialects
            sources: [{ name: s, level: province, dialect: dvcqg, files: "x/*.xml" }]
            output: { directory: out }
            """
        let configuration = try PipelineFile.parse(yaml: yaml, file: "t.yaml", folder: folder)
        return try PipelineRunner(configuration: configuration, options: RunOptions(jobs: 2),
                                  logger: Logger(label: "test")).run()
    }

    @Test("R6/R7: the later export wins whatever the file name; superseded and not-accepted counted")
    func dedupeAcrossFiles() throws {
        try export("a_late.xml", exportedAt: "20220320020000", statuses: [("D1", 10), ("D2", 4)])
        try export("z_early_replay.xml", exportedAt: "20220302020000", statuses: [("D1", 2), ("D3", 1)])
        let result = try run()
        let accounting = result.report.accounting
        #expect(accounting.recordsRead == 4)
        #expect(accounting.superseded == 1)  // D1's status-2 version from the older export
        #expect(accounting.notAccepted == 1)  // D3, status 1
        #expect(accounting.kept == 2)
        let province = try #require(result.report.aggregation.progress.first)
        #expect(province.counters.resolvedEarly == 1)  // D1 finished 5 March, due 10 March
        #expect(province.counters.inProgressOverdue == 1)  // D2 still processing at the end of 2022
        #expect(result.exitStatus == .ok)
    }

    @Test("R6: a file without export timestamp is ordered by its modification time, with a warning")
    func modificationTimeFallback() throws {
        try export("no_stamp.xml", exportedAt: nil, statuses: [("D1", 10)])
        try export("stamped.xml", exportedAt: "20220302020000", statuses: [("D1", 4)])
        // The unstamped file was modified now (2026 or later), so it is the later version.
        let result = try run()
        #expect(result.report.warnings.exportTimeFromModificationTime.contains("no_stamp.xml"))
        #expect(result.report.aggregation.progress.first?.counters.resolvedEarly == 1)
        #expect(result.report.accounting.files.first { $0.path == "no_stamp.xml" }?.exportTime != nil)
    }

    @Test("R8: a file cut off after complete records contributes nothing; the run exits 65")
    func failedFileContributesNothing() throws {
        try export("good.xml", exportedAt: "20220302020000", statuses: [("D1", 4)])
        try export("later_but_cut.xml", exportedAt: "20220320020000", statuses: [("D1", 10), ("D9", 10)], brokenAtEnd: true)
        let result = try run()
        #expect(result.exitStatus == .dataError)
        #expect(result.report.accounting.recordsRead == 1)
        #expect(result.report.accounting.kept == 1)
        let failed = result.report.accounting.files.first { $0.path == "later_but_cut.xml" }
        #expect(failed?.status == .failed)
        #expect(failed?.records == 0)
        #expect(result.report.aggregation.progress.first?.counters.inProgressOverdue == 1)  // D1 from good.xml, status 4
        #expect(result.problems.first?.contains("later_but_cut.xml") == true)
    }
}
