import Foundation
import Logging
import OneStopIngest
import OneStopModel
import Testing
@testable import OneStopPipeline

/// A large file read in pieces by several workers must give the output set of a sequential read.
@Suite("Runs that read one file in pieces")
struct SplitRunTests {
    /// One dvcqg export: re-exported dossiers (the same id several times, so position decides),
    /// rejects, comments and CDATA holding the record tag, supplement requests.
    static func export(records: Int, cutAt fraction: Double? = nil) -> String {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DanhSachHoSo NgayXuat=\"20221201020000\">\n"
        for index in 0..<records {
            let id = "000.00.01.H55-2211-\(index % (records / 3))"
            let status = [2, 4, 9, 10, 1][index % 5]
            let ended = status >= 9 ? "<NgayKetThucXuLy>2022112\(index % 10)100000</NgayKetThucXuLy>" : ""
            let trap = index % 9 == 4 ? "<!-- <HoSo> -->" : index % 9 == 7 ? "<X><![CDATA[<HoSo>]]></X>" : ""
            let received = index % 37 == 0 ? "2022-02-30" : "2022111\(index % 10)083000"
            let supplement = index % 6 == 0
                ? "<DanhSachHoSoBoSung><HoSoBoSung><NgayYeuCau>20221116090000</NgayYeuCau></HoSoBoSung></DanhSachHoSoBoSung>" : ""
            text += """
              <HoSo>\(trap)
                <MaHoSo>\(id)</MaHoSo>
                <MaTTHC>\(["1.004227", "2.001157", "9.999999"][index % 3])</MaTTHC>
                <TenTTHC>Thủ tục \(index % 3)</TenTTHC>
                <DonViXuLy>000.00.\(index % 4).H55</DonViXuLy>
                <KenhThucHien>\(index % 3 + 1)</KenhThucHien>
                <ChuHoSo>Nguyễn Văn \(index)</ChuHoSo>
                <NgayTiepNhan>\(received)</NgayTiepNhan>
                <NgayHenTra>2022112\(index % 10)170000</NgayHenTra>\(ended)
                <TrangThaiHoSo>\(status)</TrangThaiHoSo>\(supplement)
              </HoSo>

            """
        }
        text += "</DanhSachHoSo>\n"
        if let fraction { return String(text.prefix(Int(Double(text.count) * fraction))) }
        return text
    }

    func run(_ directory: URL, jobs: Int, pieceBytes: Int64?, out: String) throws -> RunResult {
        let configuration = try PipelineFile.load(path: directory.appendingPathComponent("p.yaml").path)
        var options = RunOptions(outputDirectory: out, jobs: jobs)
        if let pieceBytes {
            options.splitMinimumBytes = 1
            options.splitPieceBytes = pieceBytes
        }
        return try PipelineRunner(configuration: configuration, options: options, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })).run()
    }

    func outputs(_ directory: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return files
    }

    @Test("Pieces give byte-identical outputs; a broken file gets the sequential verdict", arguments: [false, true])
    func piecesMatchSequential(broken: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "code,name,field,level,online,postal\n1.004227,Cấp giấy phép,XD,province,full,yes\n2.001157,Đăng ký,DD,province,partial,no\n"
            .write(to: directory.appendingPathComponent("c.csv"), atomically: true, encoding: .utf8)
        try """
            pipeline: split
            period: { from: 2022-01-01, to: 2022-12-31 }
            timezone: Asia/Ho_Chi_Minh
            catalogue: c.csv
            dialects: \(repositoryRoot)/Pipelines/dialects
            sources:
              - { name: tinh, level: province, dialect: dvcqg, files: ["*.xml"] }
            rules: { maxRejectRate: none }

            """.write(to: directory.appendingPathComponent("p.yaml"), atomically: true, encoding: .utf8)
        try Self.export(records: 3_000, cutAt: broken ? 0.6 : nil)
            .write(to: directory.appendingPathComponent("big.xml"), atomically: true, encoding: .utf8)

        // The pieces are real: the file is planned in many of them.
        let dialect = try DialectFile.load(path: repositoryRoot + "/Pipelines/dialects/dvcqg.yaml")
        let plan = ExportReader(dialect: dialect).split(
            path: directory.appendingPathComponent("big.xml").path, pieces: 60, minimumPieceBytes: 3_500)
        #expect((plan?.pieceCount ?? 0) > 40)

        let sequential = try run(directory, jobs: 1, pieceBytes: nil, out: directory.path + "/out-1")
        #expect(sequential.exitStatus == (broken ? .dataError : .ok))
        let expected = try outputs(directory.path + "/out-1")
        #expect(expected.count >= 5)
        for (jobs, pieceBytes) in [(2, Int64(20_000)), (3, 7_000), (2, 100_000)] {
            let out = directory.path + "/out-\(jobs)-\(pieceBytes)"
            let result = try run(directory, jobs: jobs, pieceBytes: pieceBytes, out: out)
            #expect(result.exitStatus == sequential.exitStatus)
            #expect(try outputs(out) == expected, "\(jobs) jobs, pieces of \(pieceBytes) bytes")
        }
    }
}
