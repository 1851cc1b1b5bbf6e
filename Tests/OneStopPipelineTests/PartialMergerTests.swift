import Foundation
import Logging
import OneStopEmit
import OneStopModel
import Testing
@testable import OneStopPipeline

/// The merge reads each partial's header once, keeps one copy of the shards' common assignment,
/// and still refuses what does not belong together — including a file that changes between the
/// reading of its header and the reading of its figures.
@Suite("Partial merger")
struct PartialMergerTests {
    let folder: String
    let configuration: PipelineConfiguration
    /// Freshness and the report's date depend on it: fixed, so runs compare byte for byte.
    let asOf = Instant(secondsSinceEpoch: 1_675_000_000)

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("onestop-merger-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        configuration = try PipelineFile.load(path: repositoryRoot + "/Pipelines/demo.yaml")
    }

    var logger: Logger {
        var logger = Logger(label: "partial-merger-tests")
        logger.logLevel = .critical
        return logger
    }

    /// Writes the partials of shards 1…count of the demo; returns their paths.
    func shards(_ count: Int) throws -> [String] {
        try (1...count).map { index in
            let path = folder + "/shard-\(index)-of-\(count).partial"
            let options = RunOptions(jobs: 2, shard: (index, count), partialPath: path, asOf: asOf)
            _ = try PipelineRunner(configuration: configuration, options: options, logger: logger).runShard()
            return path
        }
    }

    func files(in directory: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            result[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return result
    }

    func merge(_ paths: [String], into name: String) throws -> RunResult {
        let options = RunOptions(outputDirectory: folder + "/" + name, jobs: 2, monthly: true, xlsx: true, asOf: asOf)
        return try PartialMerger(configuration: configuration, partialPaths: paths, options: options, logger: logger).merge()
    }

    @Test(arguments: [1, 2, 4, 6])
    func shardsMergeToTheSingleRunByteForByte(count: Int) throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let single = try PipelineRunner(
            configuration: configuration,
            options: RunOptions(outputDirectory: folder + "/single", jobs: 2, monthly: true, xlsx: true, asOf: asOf),
            logger: logger
        ).run()
        let merged = try merge(Array(try shards(count).reversed()), into: "merged")
        #expect(merged.exitStatus == single.exitStatus)
        let expected = try files(in: folder + "/single")
        let actual = try files(in: folder + "/merged")
        #expect(expected.keys.sorted() == actual.keys.sorted())
        #expect(expected.keys.contains("onestop.xlsx") && expected.keys.contains("monthly.csv"))
        for (name, bytes) in expected {
            #expect(actual[name] == bytes, "\(name) differs after merging \(count) shards")
        }
    }

    @Test func aFileThatChangesAfterItsHeaderWasReadIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let paths = try shards(2)
        let header = try PartialFigures.readHeader(path: paths[0])
        // Unchanged: the same figures as reading the file whole.
        let again = try PartialFigures.read(path: paths[0], header: header)
        let whole = try PartialFigures.read(path: paths[0])
        #expect(again.figures == whole.figures)
        #expect(again.sources == whole.sources)
        #expect(again.accounting.recordsRead == whole.accounting.recordsRead && whole.accounting.recordsRead > 0)
        // Replaced by another shard's partial between the two reads.
        try FileManager.default.removeItem(atPath: paths[0])
        try FileManager.default.copyItem(atPath: paths[1], toPath: paths[0])
        #expect {
            _ = try PartialFigures.read(path: paths[0], header: header)
        } throws: { error in
            guard case .damaged(let path, let line, let reason) = error as? PartialFileError else { return false }
            return path == paths[0] && line == 1 && reason.contains("changed")
        }
    }

    /// The header is decoded once and only probed when that fails: each kind of bad header still
    /// gets its own message.
    @Test func aBadHeaderSaysWhatIsWrongWithIt() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = try shards(1)[0]
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        func header(_ edit: (String) -> String) throws -> PartialFileError? {
            let edited = folder + "/edited.partial"
            try ([edit(lines[0])] + lines.dropFirst()).joined(separator: "\n").write(
                toFile: edited, atomically: true, encoding: .utf8)
            do {
                _ = try PartialFigures.readHeader(path: edited)
                return nil
            } catch {
                return error
            }
        }

        #expect(try header { $0 } == nil)
        guard case .notAPartial = try header({ _ in "progress,received" }) else {
            Issue.record("a CSV line is not a partial")
            return
        }
        guard case .notAPartial = try header({ $0.replacingOccurrences(of: "\"onestop-partial\"", with: "\"other\"") }) else {
            Issue.record("another format name is not a partial")
            return
        }
        guard case .unsupportedVersion(_, let found) = try header({ $0.replacingOccurrences(of: "\"version\":1", with: "\"version\":7") })
        else {
            Issue.record("version 7 is another version")
            return
        }
        #expect(found == 7)
        guard case .damaged(_, 1, let wrongType) = try header({ $0.replacingOccurrences(of: "\"sources\":[", with: "\"sources\":[5,") })
        else {
            Issue.record("a number among the source names is damage")
            return
        }
        #expect(wrongType.contains("does not read"))
        guard case .damaged(_, 1, let badDate) = try header({ $0.replacingOccurrences(of: "2022-12-31", with: "2022-13-31") })
        else {
            Issue.record("a month 13 is damage")
            return
        }
        #expect(badDate.contains("2022-13-31"))
    }

    @Test func shardsOfTwoSplitsAreRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let two = try shards(2)
        let three = try shards(3)
        #expect {
            _ = try merge([two[0], three[1], three[2]], into: "mixed")
        } throws: { error in
            guard case .incomplete(let message) = error as? RunError else { return false }
            return message.contains("another split")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/mixed"))
    }
}
