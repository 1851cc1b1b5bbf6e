import Dispatch
import Foundation
import OneStopIngest
import OneStopModel
import Testing

/// The shared acceptance data set (dvcqg, 2022, small): counts, export times, record lines and
/// the five files that must fail.
@Suite(
    "Acceptance data",
    .enabled(if: acceptanceDataPresent, "SKIPPED: ../shared/acceptance/dvcqg-2022-small is not beside the repository"))
struct AcceptanceDataTests {
    struct FileCase {
        var path: String
        var records: Int
        var bytes: Int64
        var uncompressedBytes: Int64?
        var exportTime: String?
    }

    static func fileCases() throws -> [FileCase] {
        let data = try Data(contentsOf: URL(fileURLWithPath: acceptanceDirectory + "/cases.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]])
        return try files.map { file in
            FileCase(
                path: try #require(file["path"] as? String),
                records: try #require(file["records"] as? Int),
                bytes: Int64(try #require(file["bytes"] as? Int)),
                uncompressedBytes: (file["uncompressed_bytes"] as? Int).map(Int64.init),
                exportTime: file["export_time"] as? String)
        }
    }

    static func dataPath(_ relative: String) -> String {
        acceptanceDirectory + "/data/" + relative
    }

    /// `2022-07-04T02:00:00+07:00` → `20220704020000`, the file's `NgayXuat`.
    static func ngayXuat(_ iso: String) -> String {
        String(iso.prefix(19).filter(\.isNumber))
    }

    @Test func recordCountsBytesAndExportTimesMatchCases() throws {
        let cases = try Self.fileCases()
        #expect(cases.count == 12)
        for file in cases where !file.path.contains("/bad_") {
            let outcome = readAll(Self.dataPath(file.path))
            #expect(outcome.error == nil, "\(file.path)")
            #expect(outcome.records.count == file.records, "\(file.path)")
            #expect(outcome.summary?.records == file.records, "\(file.path)")
            #expect(outcome.summary?.bytesOnDisk == file.bytes, "\(file.path)")
            #expect(outcome.summary?.uncompressedBytes == file.uncompressedBytes, "\(file.path)")
            #expect(outcome.summary?.exportTime == file.exportTime.map(Self.ngayXuat), "\(file.path)")
        }
    }

    @Test(arguments: [
        ("dai_tu/bad_billion_laughs.xml", "entity"),
        ("dai_tu/bad_cut_midrecord.xml", "xml"),
        ("dai_tu/bad_empty.xml", "empty"),
        ("dai_tu/bad_truncated.xml.gz", "gzip"),
        ("dai_tu/bad_xxe.xml", "entity"),
    ])
    func badFilesFail(path: String, kind: String) throws {
        let outcome = readAll(Self.dataPath(path))
        let error = try #require(outcome.error, "\(path) must fail")
        #expect(outcome.summary == nil)
        switch (kind, error) {
        case ("entity", .entityDeclaration(let line)):
            #expect(line == 3)
            #expect(outcome.records.isEmpty)
        case ("xml", .notWellFormed(let message, let line, _)):
            #expect(message == "Couldn't find end of Start Tag NgayT")
            #expect(line == 98)  // the file ends inside `<NgayT` on its (unterminated) line 98
            #expect(outcome.records.count == 4)  // delivered before the cut; the caller drops them
        case ("empty", .empty):
            break
        case ("gzip", .truncatedGzip):
            break
        default:
            Issue.record("\(path): unexpected \(error)")
        }
        #expect(!error.message.contains("root:"), "no /etc/passwd content in \(error.message)")
        #expect(!error.message.contains("Trần Văn Hỏng"))
    }

    @Test func everyCasesFileIsListed() throws {
        let listed = Set(try Self.fileCases().map(\.path))
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: acceptanceDirectory + "/data")
            .filter { $0.hasSuffix(".xml") || $0.hasSuffix(".xml.gz") }
        #expect(Set(onDisk) == listed)
    }

    @Test func rejectLinesAreRecordStartTagLines() throws {
        let csv = try String(contentsOfFile: acceptanceDirectory + "/expected-rejects.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false) }
        #expect(rows.count == 14)
        var recordsByFile: [String: [RawRecord]] = [:]
        for row in rows {
            let file = String(row[0])
            let line = Int(row[1])
            let id = String(row[2])
            if recordsByFile[file] == nil { recordsByFile[file] = readAll(Self.dataPath(file)).records }
            let atLine = recordsByFile[file]!.filter { $0.line == line }
            #expect(atLine.count == 1, "\(file):\(row[1])")
            let found = atLine.first?[.dossierID]?.trimmingCharacters(in: .whitespaces) ?? ""
            #expect(found == id, "\(file):\(row[1])")
        }
        let tricky = recordsByFile["dai_tu/dai_tu_20230120.xml"]?.first { $0[.dossierID] == "000.00.21.H55-TRICKY-0003" }
        #expect(tricky?.line == 5933)
        #expect(tricky?[.procedureCode] == nil)
    }

    @Test func everyRecordLineHoldsAHoSoStartTag() throws {
        for file in try Self.fileCases() where !file.path.contains("/bad_") {
            let text = try String(contentsOfFile: Self.dataPath(file.path), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for record in readAll(Self.dataPath(file.path)).records {
                let line = lines[record.line - 1]
                #expect(line.contains("<HoSo>"), "\(file.path):\(record.line)")
                if !line.contains("<HoSo>") { break }
            }
        }
    }

    @Test func concurrentReadsGiveTheSameRecords() throws {
        let paths = try Self.fileCases().map { Self.dataPath($0.path) }
        let sequential = paths.map { readAll($0) }
        let box = ResultsBox(count: paths.count * 4)
        DispatchQueue.concurrentPerform(iterations: paths.count * 4) { index in
            box.set(index, readAll(paths[index % paths.count]))
        }
        for index in 0..<(paths.count * 4) {
            let expected = sequential[index % paths.count]
            let got = box.get(index)
            #expect(got.records == expected.records, "\(paths[index % paths.count])")
            #expect(got.error == expected.error)
            #expect(got.summary == expected.summary)
        }
    }
}

/// Collects results written from `concurrentPerform` workers.
final class ResultsBox: @unchecked Sendable {
    private var results: [ReadOutcome?]
    private let lock = NSLock()

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: ReadOutcome) {
        lock.withLock { results[index] = outcome }
    }

    func get(_ index: Int) -> ReadOutcome {
        lock.withLock { results[index]! }
    }
}
