import Foundation
import Testing

/// Exit codes of docs/contract.md §6, each from the built binary, with the message a user acts on.
@Suite("End to end: exit codes and messages")
struct ExitStatusTests {
    @Test("65: broken files are listed and not counted; the other files count as usual")
    func brokenFiles() throws {
        let output = OneStopCommand.temporaryOutput("broken")
        let result = try OneStopCommand.run(["run", "Fixtures/pipelines/with-broken.yaml", "--out", output, "--monthly"])
        #expect(result.status == 65)
        let broken = ["malformed.xml", "truncated.xml.gz", "xxe.xml", "billion_laughs.xml", "external_dtd.xml",
                      "wrong_root.xml", "empty.xml"]
        for name in broken {
            #expect(result.stderr.contains("broken/\(name)"), "stderr names \(name)")
        }
        let summary = try readJSON(output + "/summary.json")
        let files = ((summary["accounting"] as? [String: Any])?["files"] as? [[String: Any]]) ?? []
        let failed = files.filter { $0["status"] as? String == "failed" }
        #expect(failed.count == broken.count)
        for file in failed {
            #expect((file["error"] as? String)?.isEmpty == false)
            #expect((file["records"] as? NSNumber)?.intValue == 0)
        }
        let malformed = failed.first { ($0["path"] as? String)?.hasSuffix("malformed.xml") == true }
        #expect((malformed?["line"] as? NSNumber)?.intValue ?? 0 > 1)
        let expected = repositoryRoot + "/Fixtures/expected/with-broken"
        for file in ["progress.csv", "procedures.csv", "agencies.csv", "monthly.csv", "rejects.csv"] {
            #expect(try read(output + "/" + file) == read(expected + "/" + file), "\(file)")
        }
    }

    @Test("65 with --strict: stops at the first failed file and writes nothing")
    func strict() throws {
        let output = OneStopCommand.temporaryOutput("strict")
        let result = try OneStopCommand.run(["run", "Fixtures/pipelines/with-broken.yaml", "--out", output, "--strict", "--jobs", "1"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("--strict"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test("65 when the reject rate passes maxRejectRate; the figures are still written")
    func rejectRate() throws {
        let folder = OneStopCommand.temporaryOutput("reject-rate")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pipeline = try read(repositoryRoot + "/Pipelines/demo.yaml")
            .replacingOccurrences(of: "maxRejectRate: 0.05", with: "maxRejectRate: 0.01")
            .replacingOccurrences(of: "../", with: repositoryRoot + "/")
            .replacingOccurrences(of: "dialects: dialects", with: "dialects: \(repositoryRoot)/Pipelines/dialects")
        try pipeline.write(toFile: folder + "/strict-rejects.yaml", atomically: true, encoding: .utf8)
        let result = try OneStopCommand.run(["run", folder + "/strict-rejects.yaml", "--out", folder + "/out"])
        #expect(result.status == 65)
        #expect(result.stderr.contains("reject rate 20/436"))
        #expect(FileManager.default.fileExists(atPath: folder + "/out/summary.json"))
    }

    @Test("66: no input files")
    func noInput() throws {
        let result = try OneStopCommand.run(["run", "Fixtures/pipelines/no-input.yaml", "--out", OneStopCommand.temporaryOutput("none")])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no input files"))
    }

    @Test("78: invalid pipeline, dialect or catalogue, with file and line", arguments: [
        ("invalid-unknown-key.yaml", "invalid-unknown-key.yaml:", "unknown key 'levle'"),
        ("invalid-level.yaml", "invalid-level.yaml:", "'county'; allowed: province, district, commune"),
        ("invalid-dialect-value.yaml", "dialects/broken.yaml:", "'finised'"),
        ("bad-catalogue.yaml", "bad-catalogue.csv:8:", "row 4"),
    ])
    func invalidConfiguration(file: String, location: String, phrase: String) throws {
        for command in ["run", "validate"] {
            let result = try OneStopCommand.run([command, "Fixtures/pipelines/" + file])
            #expect(result.status == 78, "\(command) \(file)")
            #expect(result.stderr.contains(location), "\(command) \(file): \(result.stderr)")
            #expect(result.stderr.contains(phrase), "\(command) \(file): \(result.stderr)")
        }
    }

    @Test("64: bad usage", arguments: [
        ["run", "Pipelines/demo.yaml", "--jobs", "0"],
        ["run", "Pipelines/demo.yaml", "--from", "2022-13-01"],
        ["run"],
        ["frobnicate"],
    ])
    func badUsage(arguments: [String]) throws {
        let result = try OneStopCommand.run(arguments)
        #expect(result.status == 64)
        #expect(!result.stderr.isEmpty)
    }

    @Test("73: the output directory cannot be written")
    func unwritableOutput() throws {
        let blocker = OneStopCommand.temporaryOutput("blocker")
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: blocker))
        let result = try OneStopCommand.run(["run", "Pipelines/demo.yaml", "--out", blocker + "/demo"])
        #expect(result.status == 73)
        #expect(result.stderr.contains(blocker))
    }

    @Test("validate: exit 0 and a summary of the sources")
    func validateDemo() throws {
        let result = try OneStopCommand.run(["validate", "Pipelines/demo.yaml"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("pipeline demo: valid"))
        #expect(result.stdout.contains("source phu_binh (district, dialect igate): 2 files match"))
    }

    @Test("inspect: what a dialect finds in one export")
    func inspect() throws {
        let result = try OneStopCommand.run(["inspect", "Fixtures/demo/phu_binh/" + (try firstFile("Fixtures/demo/phu_binh")), "--dialect", "igate"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("dialect:     igate"))
        #expect(result.stdout.contains("dossierId"))
        #expect(result.stdout.contains("@ma"))
        let broken = try OneStopCommand.run(["inspect", "Fixtures/broken/xxe.xml", "--dialect", "dvcqg"])
        #expect(broken.status == 65)
        #expect(broken.stdout.contains("FAILED"))
    }

    @Test("--help documents every option")
    func help() throws {
        let result = try OneStopCommand.run(["run", "--help"])
        #expect(result.status == 0)
        for option in ["--from", "--to", "--out", "--jobs", "--strict", "--quiet", "--excel", "--monthly"] {
            #expect(result.stdout.contains(option))
        }
    }

    private func firstFile(_ folder: String) throws -> String {
        try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/" + folder).sorted().first ?? ""
    }
}
