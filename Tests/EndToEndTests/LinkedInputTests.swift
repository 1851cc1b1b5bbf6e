import Foundation
import Testing

/// Exports kept behind links (`latest.xml → 2022-11-25.xml`, a dated archive folder linked into
/// the pipeline's): the name given is the name that counts.
@Suite("Inputs named through links")
struct LinkedInputTests {
    /// A pipeline whose two sources are told apart by file name only.
    static func pipeline(folder: String) -> String {
        """
        pipeline: links
        period: { from: 2022-01-01, to: 2022-12-31 }
        timezone: Asia/Ho_Chi_Minh
        catalogue: \(repositoryRoot)/Fixtures/demo/catalogue.csv
        dialects: \(repositoryRoot)/Pipelines/dialects
        sources:
          - { name: dai_tu, level: district, dialect: dvcqg, files: ["\(folder)/in/dai_tu_*.xml"] }
          - { name: tinh, level: province, dialect: dvcqg, files: ["\(folder)/in/tinh_*.xml"] }
        """
    }

    @Test("A linked export keeps its link's name: its source is found by it, outputs show it, and a file named twice is read once")
    func linkNamesCount() throws {
        let folder = OneStopCommand.temporaryOutput("links")
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: folder + "/store", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: folder + "/in", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: folder + "/plain", withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(atPath: folder) }
        try Self.pipeline(folder: folder).write(toFile: folder + "/links.yaml", atomically: true, encoding: .utf8)
        let demo = repositoryRoot + "/Fixtures/demo/dai_tu/dai_tu_20220701.xml"
        // The target's own name matches neither source; the links' names match `dai_tu`.
        try fileManager.copyItem(atPath: demo, toPath: folder + "/store/export.xml")
        try fileManager.copyItem(atPath: demo, toPath: folder + "/plain/dai_tu_20220701.xml")
        #expect(symlink(folder + "/store/export.xml", folder + "/in/dai_tu_20220701.xml") == 0)
        #expect(symlink("../store/export.xml", folder + "/in/dai_tu_latest.xml") == 0)

        func run(_ arguments: [String], out: String) throws -> [[String: Any]] {
            let result = try OneStopCommand.run(["run", folder + "/links.yaml"] + arguments + ["--out", folder + "/" + out, "--quiet"])
            #expect(result.status == 0, "\(out): \(result.stderr)")
            let summary = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: folder + "/" + out + "/summary.json"))) as? [String: Any]
            return (summary?["accounting"] as? [String: Any])?["files"] as? [[String: Any]] ?? []
        }
        // The pipeline's own patterns find both links: one file, read once, under the first name.
        let globbed = try run([], out: "globbed")
        #expect(globbed.compactMap { $0["path"] as? String } == ["dai_tu_20220701.xml"])
        #expect(globbed.first?["source"] as? String == "dai_tu")
        // Given on the command line, a link is assigned to a source by its own name.
        let given = try run([folder + "/in/dai_tu_latest.xml"], out: "given")
        #expect(given.compactMap { $0["path"] as? String } == ["dai_tu_latest.xml"])
        #expect(given.first?["source"] as? String == "dai_tu")
        // The same figures as the file read under its own name.
        _ = try run([folder + "/plain/dai_tu_20220701.xml"], out: "plain-out")
        for table in ["progress.csv", "procedures.csv", "agencies.csv", "rejects.csv"] {
            let plain = try read(folder + "/plain-out/" + table)
            #expect(try read(folder + "/globbed/" + table) == plain, "\(table)")
        }
    }

    @Test("A source folder reached through a linked folder: inputs given on the command line match the pipeline's patterns")
    func linkedFolder() throws {
        let folder = OneStopCommand.temporaryOutput("linked-folder")
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: folder + "/real/dai_tu", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: folder + "/real/tinh", withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(atPath: folder) }
        try fileManager.copyItem(
            atPath: repositoryRoot + "/Fixtures/demo/dai_tu/dai_tu_20220701.xml", toPath: folder + "/real/dai_tu/export.xml")
        #expect(symlink("real", folder + "/in") == 0)
        // Both sources' patterns end in `*.xml`: only the folder tells them apart.
        let pipeline = """
            pipeline: links
            period: { from: 2022-01-01, to: 2022-12-31 }
            timezone: Asia/Ho_Chi_Minh
            catalogue: \(repositoryRoot)/Fixtures/demo/catalogue.csv
            dialects: \(repositoryRoot)/Pipelines/dialects
            sources:
              - { name: dai_tu, level: district, dialect: dvcqg, files: ["in/dai_tu/*.xml"] }
              - { name: tinh, level: province, dialect: dvcqg, files: ["in/tinh/*.xml"] }
            """
        try pipeline.write(toFile: folder + "/links.yaml", atomically: true, encoding: .utf8)
        let result = try OneStopCommand.run(
            ["run", "links.yaml", "in/dai_tu/export.xml", "--out", "out", "--quiet"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: folder + "/out/summary.json"))) as? [String: Any]
        let files = (summary?["accounting"] as? [String: Any])?["files"] as? [[String: Any]] ?? []
        #expect(files.first?["source"] as? String == "dai_tu")
        #expect(files.count == 1)

        // The output directory is the exception: a link to it is followed, and stays a link.
        try fileManager.createDirectory(atPath: folder + "/published", withIntermediateDirectories: true)
        #expect(symlink("published", folder + "/latest") == 0)
        let linkedOutput = try OneStopCommand.run(["run", "links.yaml", "--out", "latest", "--quiet"], in: folder)
        #expect(linkedOutput.status == 0, "\(linkedOutput.stderr)")
        #expect((try? fileManager.destinationOfSymbolicLink(atPath: folder + "/latest")) == "published")
        #expect(fileManager.fileExists(atPath: folder + "/published/summary.json"))
    }
}
