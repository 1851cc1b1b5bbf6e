import Foundation
import Logging
import OneStopEmit
import OneStopModel
import OneStopReport
import Testing
@testable import OneStopDatabase
@testable import OneStopPipeline

/// `onestop sink` re-sends a published output set from its files alone: what it reads back must
/// be exactly what the run itself would have written to a database.
@Suite("A run read back from its output set")
struct RunRecordReadBackTests {
    /// Runs the demo pipeline in-process into a scratch folder (no history), `--excel` or not.
    static func demoRun(excel: Bool) throws -> (report: RunReport, output: String, folder: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-readback-\(UUID().uuidString)").path
        let configuration = try PipelineFile.load(path: repositoryRoot + "/Pipelines/demo.yaml")
        var options = RunOptions(outputDirectory: folder + "/out", jobs: 2, excel: excel, monthly: true)
        options.databases = DatabaseOptions(history: HistoryLocation.none)
        let result = try PipelineRunner(
            configuration: configuration, options: options, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        ).run()
        return (result.report, folder + "/out", folder)
    }

    /// Dossier rows with every awkward value a CSV field can hold.
    static let dossierRows: [[String]] = [
        DossierRows.columns.map { "\($0) plain" }.enumerated().map { $0.offset == 13 || $0.offset == 18 ? "3" : $0.element },
        DossierRows.columns.enumerated().map { index, _ in
            index == 13 ? "0" : index == 18 ? "" : ["comma, inside", "quote \" inside", "line\nbreak", "Đà Nẵng", "", " spaced "][index % 6]
        },
    ]

    @Test("Figures, files, rejects, the run's row and dossiers read back equal the run's own", arguments: [false, true])
    func readBackEqualsTheRun(excel: Bool) throws {
        var (report, output, folder) = try Self.demoRun(excel: excel)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows = Self.dossierRows
        report.dossiers = DossierRows(count: rows.count) { visit throws(EmitError) in for row in rows { try visit(row) } }
        // dossiers.csv as the renderer writes it for such a run.
        let dossiers = try #require(OutputSet.dossiers(report, options: OutputOptions(excel: excel, dossiers: true)))
        try Data(dossiers.contents).write(to: URL(fileURLWithPath: output + "/dossiers.csv"))

        let direct = try RunRecord(report: report)
        let readBack = try RunRecord(outputDirectory: output)
        #expect(readBack.run == direct.run.with(dossiers: nil))
        #expect(direct.run.dossiers == 2)
        #expect(readBack.figures == direct.figures)
        #expect(readBack.figures.count == FiguresTable.rows(of: report).count)
        #expect(readBack.files == direct.files)
        #expect(readBack.rejects == direct.rejects)
        #expect(!direct.rejects.isEmpty && direct.files.count == 8)
        #expect(try Self.values(readBack) == Self.values(direct))
        #expect(try Self.values(direct).last?.count == 2)
    }

    @Test("An output set without the configuration fingerprint is refused, saying why")
    func olderOutputSet() throws {
        let (_, output, folder) = try Self.demoRun(excel: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let summary = try String(contentsOfFile: output + "/summary.json", encoding: .utf8)
        let older = summary.split(separator: "\n").filter { !$0.contains("configuration_fingerprint") }.joined(separator: "\n")
        try older.write(toFile: output + "/summary.json", atomically: true, encoding: .utf8)
        #expect {
            try RunRecord(outputDirectory: output)
        } throws: { error in
            "\(error)".contains("configuration_fingerprint is missing") && "\(error)".contains("run the pipeline again")
        }
    }

    @Test("A damaged figures.csv is refused, naming the line")
    func damagedFigures() throws {
        let (_, output, folder) = try Self.demoRun(excel: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = try String(contentsOfFile: output + "/figures.csv", encoding: .utf8).split(separator: "\n").map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: ",progress,", with: ",progress,x,")
        try (lines.joined(separator: "\n") + "\n").write(toFile: output + "/figures.csv", atomically: true, encoding: .utf8)
        #expect {
            try RunRecord(outputDirectory: output)
        } throws: { error in
            "\(error)".contains("figures.csv") && "\(error)".contains("line 4")
        }
    }

    /// Every table's rows as the databases receive them.
    static func values(_ record: RunRecord) throws -> [[[SQLValue]]] {
        try record.tables(id: 1).map { table in
            var rows: [[SQLValue]] = []
            try table.forEach { rows.append($0) }
            return rows
        }
    }
}

extension RunRow {
    func with(dossiers: Int?) -> RunRow {
        var row = self
        row.dossiers = dossiers
        return row
    }
}
