import Foundation
import Testing

/// `onestop run --shard I/N --partial FILE` on every shard, then `onestop merge`, publishes the
/// same bytes as one `onestop run` over the same inputs; partials that do not belong together
/// are refused, nothing written.
@Suite("End to end: shards and merge", .serialized)
struct ShardMergeTests {
    let scratch = ScratchFolder("shards")

    /// Runs every shard of an N-way split, merges them into `out`, and returns the merge's result.
    func shardAndMerge(
        _ pipeline: String, shards: Int, options: [String], out: String, shardOptions: [String] = []
    ) throws -> CommandResult {
        var partials: [String] = []
        for index in 1...shards {
            let partial = scratch.path + "/\(shards)-\(index).partial"
            let result = try OneStopCommand.run(
                ["run", pipeline, "--shard", "\(index)/\(shards)", "--partial", partial] + shardOptions)
            #expect(result.status == 0, "shard \(index)/\(shards): \(result.stderr)")
            #expect(result.stdout.contains("shard \(index)/\(shards): "), "\(result.stdout)")
            partials.append(partial)
        }
        return try OneStopCommand.run(["merge", pipeline] + partials.reversed() + options + ["--out", out, "--quiet"])
    }

    /// Every file under `folder`, by relative path.
    func contents(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }

    func expectIdentical(_ pipeline: String, sources: Int, options: [String], status: Int32) throws {
        let single = scratch.path + "/single"
        let run = try OneStopCommand.run(["run", pipeline] + options + ["--out", single, "--quiet"])
        #expect(run.status == status, "\(run.stderr)")
        let expected = try contents(single)
        #expect(expected["summary.json"] != nil && expected["report.html"] != nil)
        for shards in 1...sources {
            let out = scratch.path + "/merged-\(shards)"
            let merged = try shardAndMerge(
                pipeline, shards: shards, options: options, out: out,
                shardOptions: options.filter { $0 == "--dossiers" })
            #expect(merged.status == status, "\(shards) shards: \(merged.stderr)")
            let actual = try contents(out)
            #expect(actual.keys.sorted() == expected.keys.sorted(), "\(shards) shards")
            for (name, bytes) in expected {
                #expect(actual[name] == bytes, "\(name) differs with \(shards) shards")
            }
        }
    }

    @Test("The demo: every N from 1 to its 4 sources gives the single run's bytes, workbook, report and dossiers.csv included")
    func demo() throws {
        defer { scratch.remove() }
        try expectIdentical(
            repositoryRoot + "/Pipelines/demo.yaml", sources: 4, options: ["--monthly", "--xlsx", "--dossiers"],
            status: 0)
    }

    @Test("merge --dossiers of shards computed without it: refused, nothing written")
    func dossiersNeedShardsWithRows() throws {
        defer { scratch.remove() }
        let (pipeline, one, two) = try prepareRefusals()
        try expectRefused([pipeline, one, two, "--dossiers"], status: 64, saying: "carries no dossier rows")
    }

    @Test("The acceptance year with its broken files: the same bytes and the same exit 65")
    func acceptance() throws {
        defer { scratch.remove() }
        try expectIdentical(
            repositoryRoot + "/Pipelines/acceptance-2022.yaml", sources: 4, options: ["--monthly", "--dossiers"],
            status: 65)
    }

    @Test("A generated set of 6 sources: N = 1…6")
    func generated() throws {
        defer { scratch.remove() }
        let folder = scratch.path + "/gen"
        let generate = try OneStopCommand.run(
            ["generate", "--records", "3000", "--sources", "6", "--nights", "8", "--seed", "5", "--out", folder])
        #expect(generate.status == 0, "\(generate.stderr)")
        try expectIdentical(folder + "/pipeline.yaml", sources: 6, options: ["--monthly", "--xlsx"], status: 0)
    }

    // MARK: - Refusals

    /// Two shards of the demo, and a pipeline that differs only in a target.
    func prepareRefusals() throws -> (pipeline: String, one: String, two: String) {
        let pipeline = repositoryRoot + "/Pipelines/demo.yaml"
        let one = scratch.path + "/1.partial"
        let two = scratch.path + "/2.partial"
        for (index, path) in [(1, one), (2, two)] {
            let result = try OneStopCommand.run(["run", pipeline, "--shard", "\(index)/2", "--partial", path])
            #expect(result.status == 0, "\(result.stderr)")
        }
        return (pipeline, one, two)
    }

    func expectRefused(_ arguments: [String], status: Int32, saying phrase: String) throws {
        let out = scratch.path + "/refused-out"
        let result = try OneStopCommand.run(["merge"] + arguments + ["--out", out])
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.stderr.contains(phrase), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing is written")
    }

    @Test("A shard twice, a missing shard: exit 65, nothing written")
    func incompleteSplits() throws {
        defer { scratch.remove() }
        let (pipeline, one, two) = try prepareRefusals()
        try expectRefused([pipeline, one, one], status: 65, saying: "shard 1/2 is given twice")
        try expectRefused([pipeline, two], status: 65, saying: "shard(s) 1/2 missing")
        // A whole run's partial with a shard.
        let whole = scratch.path + "/whole.partial"
        _ = try OneStopCommand.run(["run", pipeline, "--shard", "1/1", "--partial", whole])
        try expectRefused([pipeline, whole, one], status: 65, saying: "another split")
    }

    @Test("A partial of another configuration: exit 78; of another format version or damaged: exit 65")
    func foreignPartials() throws {
        defer { scratch.remove() }
        let (pipeline, one, two) = try prepareRefusals()
        // The same pipeline with another on-time target.
        let text = try read(pipeline)
            .replacingOccurrences(of: "on_time_rate: 0.999", with: "on_time_rate: 0.95")
            .replacingOccurrences(of: "../Fixtures", with: repositoryRoot + "/Fixtures")
            .replacingOccurrences(of: "dialects: dialects", with: "dialects: \(repositoryRoot)/Pipelines/dialects")
        let other = scratch.path + "/other.yaml"
        try text.write(toFile: other, atomically: true, encoding: .utf8)
        try expectRefused([other, one, two], status: 78, saying: "was computed with another configuration")

        let partial = try read(two)
        let newer = scratch.path + "/newer.partial"
        try partial.replacingOccurrences(of: "\"version\":1", with: "\"version\":9")
            .write(toFile: newer, atomically: true, encoding: .utf8)
        try expectRefused([pipeline, one, newer], status: 65, saying: "format version 9")

        let cut = scratch.path + "/cut.partial"
        try String(partial.prefix(partial.utf8.count / 2)).write(toFile: cut, atomically: true, encoding: .utf8)
        try expectRefused([pipeline, one, cut], status: 65, saying: "damaged partial figures file")

        try expectRefused([pipeline, one, repositoryRoot + "/Fixtures/demo/catalogue.csv"], status: 65,
                          saying: "not an onestop partial figures file")
    }

    @Test("--shard and --partial go together; a bad shard is a usage error")
    func shardUsage() throws {
        defer { scratch.remove() }
        let pipeline = repositoryRoot + "/Pipelines/demo.yaml"
        for arguments in [["--shard", "1/2"], ["--partial", scratch.path + "/p"], ["--shard", "3/2", "--partial", "p"],
                          ["--shard", "0/2", "--partial", "p"], ["--shard", "x", "--partial", "p"]] {
            let result = try OneStopCommand.run(["run", pipeline] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }
}

/// A scratch folder under the system's temporary directory.
struct ScratchFolder {
    let path: String

    init(_ name: String) {
        path = FileManager.default.temporaryDirectory.path + "/onestop-\(name)-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
