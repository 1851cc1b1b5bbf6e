import Crypto
import Foundation
import OneStopIngest
import OneStopModel
import OneStopNormalise
import Testing
@testable import OneStopPipeline

/// With a core to spare, a file is hashed, read and inflated by helper threads; without, all on
/// the worker. The file's result must not depend on it.
@Suite("Files processed with and without helper threads")
struct FileProcessorTests {
    static func processor(helperMinimumBytes: Int64) throws -> FileProcessor {
        let dialect = try DialectFile.load(path: repositoryRoot + "/Pipelines/dialects/dvcqg.yaml")
        var processor = FileProcessor(
            source: SourceConfiguration(name: "tinh", level: .province, dialect: dialect, patterns: []),
            reader: ExportReader(dialect: dialect),
            normaliser: try RecordNormaliser(dialect: dialect, clock: try #require(LocalClock(identifier: "Asia/Ho_Chi_Minh"))))
        processor.helperMinimumBytes = helperMinimumBytes
        return processor
    }

    @Test("Helpers or not, a file gives the same hash, records, rejects and versions", arguments: [false, true])
    func helpersDoNotChangeTheResult(gzip: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-fp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let xml = Data(SplitRunTests.export(records: 3000).utf8)
        var path = directory.appendingPathComponent("tinh.xml").path
        try xml.write(to: URL(fileURLWithPath: path))
        if gzip {
            let gzip = Process()
            gzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            gzip.arguments = ["gzip", "-9", path]
            try gzip.run()
            gzip.waitUntilExit()
            try #require(gzip.terminationStatus == 0)
            path += ".gz"
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let input = InputFile(source: 0, path: path, displayPath: "tinh.xml")

        var results: [FileResult] = []
        // Helpers for every file, for none, and a run that would use them but finds the file small.
        for (helpers, minimum) in [(true, Int64(0)), (false, Int64(0)), (true, Int64(bytes.count + 1))] {
            let processor = try Self.processor(helperMinimumBytes: minimum)
            results.append(processor.process(input, strings: StringTable(), helpers: helpers, progress: nil))
        }
        let expected = hex(SHA256.hash(data: bytes))
        for result in results {
            #expect(result.report.status == .ok)
            #expect(result.report.sha256 == expected)
            #expect(result.report.bytes == Int64(bytes.count))
            #expect(result.report.records == 3000)
            #expect(result.report == results[0].report)
            #expect(result.rejects == results[0].rejects)
            #expect(result.versions.map(\.versions.count) == results[0].versions.map(\.versions.count))
            #expect(result.exportTime == results[0].exportTime)
        }
        // The export has rejects (an impossible date every 37th record) and valid versions.
        #expect(!results[0].rejects.isEmpty)
        #expect(results[0].versions.first?.versions.count ?? 0 > 2000)
    }
}
